"""The live preview behind ``packager serve`` (packager/serve.py): incremental builds of the
site (incremental.py) and the web server that reloads the open pages (server.py)."""
