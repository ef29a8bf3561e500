"""The preview's web server: the built site on 127.0.0.1, with a small script added to every
HTML page as it is served (never to the built files) that reloads the page when a build
changed it and shows the content errors over it. The script listens to Server-Sent Events
from the same server (the standard library's, a thread per connection)."""

from __future__ import annotations

import html
import json
import mimetypes
import os
import threading
import time
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..messages import tr

PREFIX = "/__packager__/"
EVENTS = PREFIX + "events"
SCRIPT_ID = "packager-live"  # the id of the script added to the pages
PING = 15.0  # seconds between keep-alive comments on an idle event stream

# Reloads the page when the server says it changed (or the server is a new one), and shows
# the content errors in a panel over the page: text only (textContent), never markup.
LIVE_JS = """\
(function () {
  "use strict";
  var me = document.currentScript;
  var query = "?page=" + encodeURIComponent(me.dataset.page) + "&since=" + me.dataset.since +
    "&run=" + me.dataset.run;
  var panel = null;
  function show(data) {
    if (panel) { panel.remove(); panel = null; }
    if (!data.errors.length) return;
    panel = document.createElement("div");
    panel.id = "packager-errors";
    panel.setAttribute("role", "alert");
    panel.style.cssText = "position:fixed;z-index:2147483647;left:0;right:0;top:0;" +
      "max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff5f5;" +
      "color:#5c0000;border-bottom:4px solid #b00020;font:15px/1.45 system-ui,sans-serif;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.25)";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\\u00d7";
    close.setAttribute("aria-label", data.close);
    close.style.cssText = "float:right;font-size:1.5rem;line-height:1;border:0;" +
      "background:none;color:inherit;cursor:pointer";
    close.addEventListener("click", function () { panel.remove(); panel = null; });
    var title = document.createElement("strong");
    title.textContent = data.title;
    var list = document.createElement("pre");
    list.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap;font:14px/1.45 monospace";
    list.textContent = data.errors.join("\\n");
    panel.append(close, title, list);
    document.body.append(panel);
  }
  // Only a page in view listens: a browser opens few connections to one server at a time.
  // One coming back into view hears at once whether it changed meanwhile.
  var events = null;
  function listen() {
    if (events) return;
    events = new EventSource(EVENTS + query);
    events.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
    events.addEventListener("reload", function () { events.close(); location.reload(); });
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { listen(); } else if (events) { events.close(); events = null; }
  });
  if (!document.hidden) listen();
})();
""".replace("EVENTS", json.dumps(EVENTS))


class LiveState:
    """What the open pages are told: when each page last changed (a build's generation
    number) and the content errors. Builds publish; event streams wait for them."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.run = str(time.time_ns())  # a page served by another server reloads
        self.generation = 0
        self.changed: dict[str, int] = {}  # page -> the generation that last changed it
        self.errors: list[str] = []
        self.version = 0  # counts every publish
        self.closed = False

    def publish(self, changed: Iterable[str], errors: list[str]) -> None:
        """A build changed the files ``changed`` (call after writing them); ``errors``: the
        content errors now."""
        with self.cond:
            self.generation += 1
            for name in changed:
                self.changed[name] = self.generation
            self.errors = list(errors)
            self.version += 1
            self.cond.notify_all()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def payload(self) -> dict[str, Any]:
        return {"title": tr("The course has errors"), "close": tr("Close"), "errors": self.errors}


def file_key(url_path: str) -> str | None:
    """The file of the served folder a URL path names ("index.html" for a folder), or None
    for a path that would leave the folder."""
    raw = unquote(url_path)
    if "\x00" in raw or "\\" in raw:
        return None
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if ".." in parts or (parts and ":" in parts[0]):
        return None
    key = "/".join(parts)
    if not key or raw.endswith("/"):
        key = f"{key}/index.html" if key else "index.html"
    return key


def inject(page: bytes, tag: bytes) -> bytes:
    """The page with ``tag`` before its closing body tag (or at the end)."""
    at = page.rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, port: int, live: LiveState | None = None) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.live = live or LiveState()
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> threading.Thread:
        thread = threading.Thread(
            target=self.serve_forever, args=(0.1,), name="preview-server", daemon=True
        )
        thread.start()
        return thread

    def stop(self) -> None:
        self.live.close()  # ends the event streams
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"  # a page and its files come over one connection
    timeout = 30  # seconds an idle connection is kept

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS:
            self._events(parse_qs(url.query))
            return
        key = file_key(url.path)
        if key is None:
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"forbidden\n", head)
            return
        path = os.path.realpath(os.path.join(self.server.root, *key.split("/")))
        if path != self.server.real_root and not path.startswith(self.server.real_root + os.sep):
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"forbidden\n", head)
            return
        if os.path.isdir(path) and not url.path.endswith("/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", quote(url.path + "/"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        since = self.server.live.generation  # read before the file: a build may come between
        try:
            with open(path, "rb") as f:
                stat = os.fstat(f.fileno())
                page = key.endswith((".html", ".htm"))
                # the rest is asked again on every reload: a build replaces a file it changes
                tag = None if page else f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
                if tag is not None and tag in self.headers.get("If-None-Match", ""):
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self.send_header("Content-Length", "0")
                    self.send_header("ETag", tag)
                    self.send_header("Cache-Control", "no-cache")
                    self.end_headers()
                    return
                data = f.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            if key == "favicon.ico":  # browsers ask for one; the site has none
                self.send_response(HTTPStatus.NO_CONTENT)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._not_found(key, since, head)
            return
        kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
        if page:
            data = inject(data, self._tag(key, since))
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, kind, data, head, tag)

    def _tag(self, key: str, since: int) -> bytes:
        """The reload script, inline (no request more for a page), with the page's name, the
        build it comes from, and the server."""
        attrs = (
            f'id="{SCRIPT_ID}" data-page="{html.escape(key)}" data-since="{since}" '
            f'data-run="{self.server.live.run}"'
        )
        return f"<script {attrs}>\n{LIVE_JS}</script>\n".encode()

    def _not_found(self, key: str, since: int, head: bool) -> None:
        """A page saying so, which reloads when a build makes the file (or shows why not)."""
        text = tr("There is no file {path} in the course's site.", path="/" + key)
        page = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{html.escape(text)}</title></head>\n<body>\n"
            f"<p>{html.escape(text)}</p>\n</body></html>\n"
        ).encode()
        page = inject(page, self._tag(key, since))
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", page, head)

    def _send(
        self, status: HTTPStatus, kind: str, data: bytes, head: bool, tag: str | None = None
    ) -> None:
        """A response; with an ETag ``tag``, the browser keeps it but asks if it changed."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if tag is None:
            self.send_header("Cache-Control", "no-store")
        else:
            self.send_header("Cache-Control", "no-cache")
            self.send_header("ETag", tag)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self, query: dict[str, list[str]]) -> None:
        """An event stream: "problems" (the errors, at once and whenever they change), then
        "reload" once the page changed, or the page belongs to another server."""
        live = self.server.live
        page = query.get("page", [""])[0]
        run = query.get("run", [""])[0]
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")  # the stream ends when the connection does
        self.end_headers()
        self.close_connection = True
        sent = -1  # the version whose errors were sent
        try:
            while True:
                with live.cond:
                    if sent == live.version and not live.closed:  # (closed before: no wait)
                        live.cond.wait(PING)
                    if live.closed:
                        return
                    stale = run != live.run or live.changed.get(page, 0) > since
                    fresh = sent != live.version
                    version, payload = live.version, live.payload()
                if stale:
                    self.wfile.write(b"event: reload\ndata: {}\n\n")
                    self.wfile.flush()
                    return
                if fresh:
                    data = json.dumps(payload, ensure_ascii=False)
                    self.wfile.write(f"event: problems\ndata: {data}\n\n".encode())
                    sent = version
                else:
                    self.wfile.write(b": ping\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return
