"""References from HTML in the model to lessons, quizzes and media, resolved per target."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, unquote

_REF = re.compile(r'(?P<attr>href|src)="(?P<scheme>doc|media):(?P<id>[^"#]*)(?P<frag>#[^"]*)?"')


def doc_ref(item_id: str, fragment: str = "") -> str:
    return "doc:" + quote(item_id, safe="/") + (f"#{fragment}" if fragment else "")


def media_ref(media_id: str) -> str:
    return "media:" + quote(media_id, safe="/")


def resolve(html: str, doc: Callable[[str], str], media: Callable[[str], str]) -> str:
    """Replace ``doc:`` and ``media:`` references using the target's URL functions.

    ``doc(id)`` and ``media(id)`` return URLs (already escaped for an attribute value).
    """

    def sub(match: re.Match[str]) -> str:
        ident = unquote(match["id"])
        url = doc(ident) if match["scheme"] == "doc" else media(ident)
        return f'{match["attr"]}="{url}{match["frag"] or ""}"'

    return _REF.sub(sub, html)


def media_ids(html: str) -> list[str]:
    """Media ids referenced by an HTML fragment, in order of first use."""
    seen = dict.fromkeys(unquote(m["id"]) for m in _REF.finditer(html) if m["scheme"] == "media")
    return list(seen)


def doc_ids(html: str) -> list[str]:
    seen = dict.fromkeys(unquote(m["id"]) for m in _REF.finditer(html) if m["scheme"] == "doc")
    return list(seen)
