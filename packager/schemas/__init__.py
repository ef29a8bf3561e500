"""The JSON Schemas of the source files, shipped inside the package: tools/schemas.py writes
them from packager/schema.py, the same files as the repository's schemas/ folder, and
``packager schema`` prints or copies them."""

from __future__ import annotations

from importlib.resources import files


def names() -> list[str]:
    """The schemas shipped: course, module, lesson, …"""
    found = [p.name for p in files(__name__).iterdir() if p.name.endswith(".schema.json")]
    return sorted(name.removesuffix(".schema.json") for name in found)


def schema_text(name: str) -> str:
    """The text of ``<name>.schema.json`` as installed."""
    return files(__name__).joinpath(f"{name}.schema.json").read_text("utf-8")
