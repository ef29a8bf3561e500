"""Markdown as Python-Markdown converts it, kept between builds in the per-user cache.

A conversion depends only on the text, the Markdown configuration (lessons or question
snippets, the course's language) and the code that sets it up, so an entry is named by a hash of
all of them: a changed text, setting, packager or Python-Markdown makes a new entry, never a
stale one. What comes out of the cache is what Python-Markdown would give: it is checked,
resolved and sanitized by the renderer exactly as a fresh conversion is, so an entry someone
planted in the cache cannot put anything into a package that the text itself could not.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from . import __version__
from .cache import CacheAccess, decode_entry, encode_entry

_MAGIC = b"course-packager-markdown 1\n"
# The modules whose code decides a conversion besides Python-Markdown itself.
_CODE = ("markup.py", "markdown_boxes.py", "names.py")


class RenderedCache:
    """Conversions of one build: read from and written to ``access``."""

    def __init__(self, access: CacheAccess) -> None:
        self.access = access

    def get(self, text: str, variant: str) -> tuple[str | None, str | None]:
        """The entry's key for ``text`` converted as ``variant`` (None when the code that
        converts cannot be read, so nothing is kept), and the HTML stored for it."""
        code = _code()
        if code is None:
            return None, None
        key = hashlib.sha256(json.dumps([code, variant, text]).encode()).hexdigest()
        return key, _decode(self.access.get(key), key)

    def put(self, key: str, html: str) -> None:
        self.access.put(key, encode_entry(_MAGIC, key, html.encode()))


@cache
def _code() -> str | None:
    """What names this packager's Markdown set-up: its version, Python-Markdown's (the bytes of
    its version module, found without importing it or the slow importlib.metadata), the code."""
    from importlib.util import find_spec

    digest = hashlib.sha256()
    try:
        spec = find_spec("markdown")
        if spec is None or not spec.submodule_search_locations:
            return None
        meta = Path(next(iter(spec.submodule_search_locations))) / "__meta__.py"
        digest.update(meta.read_bytes())
        for name in _CODE:
            digest.update((Path(__file__).parent / name).read_bytes())
        return f"{__version__} {digest.hexdigest()}"
    except (OSError, ValueError):
        return None


def _decode(entry: bytes | None, key: str) -> str | None:
    """The entry's HTML when everything in it checks out, else None."""
    decoded = decode_entry(entry, _MAGIC, key) if entry is not None else None
    if decoded is None:
        return None
    try:
        return decoded[1].decode()
    except UnicodeDecodeError:
        return None
