"""References from HTML in the model to lessons, quizzes and media, resolved per target.

Resolving is also where every fragment of the model is sanitized on its way out (see
sanitize.py): each target writes model HTML only through :func:`resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import quote, unquote

from .sanitize import DATA_IMAGE, URL_SCHEMES, sanitize, url_scheme

_REF = re.compile(r'(?P<attr>href|src)="(?P<scheme>doc|media):(?P<id>[^"#]*)(?P<frag>#[^"]*)?"')
# A link to a lesson or quiz in model HTML (the loader writes it exactly so, with ">" in
# attribute values escaped).
_DOC_LINK = re.compile(r'<a\b[^>]*?\bhref="doc:(?P<id>[^"#]*)[^"]*"[^>]*>(?P<text>.*?)</a>', re.S)


def doc_ref(item_id: str, fragment: str = "") -> str:
    return "doc:" + quote(item_id, safe="/") + (f"#{fragment}" if fragment else "")


def media_ref(media_id: str) -> str:
    return "media:" + quote(media_id, safe="/")


def resolve(
    html: str,
    doc: Callable[[str], str],
    media: Callable[[str], str],
    iframe_hosts: Iterable[str] = (),
) -> str:
    """``html`` sanitized, then its ``doc:`` and ``media:`` references replaced using the
    target's URL functions.

    ``doc(id)`` and ``media(id)`` return URLs (already escaped for an attribute value); a URL
    with a scheme the allow-list does not have is left empty. ``iframe_hosts`` are the hosts
    iframes may show (the course's).
    """

    clean = sanitize(html, iframe_hosts)
    if "doc:" not in clean and "media:" not in clean:
        return clean

    def sub(match: re.Match[str]) -> str:
        ident = unquote(match["id"])
        url = doc(ident) if match["scheme"] == "doc" else media(ident)
        frag = match["frag"] or ""
        if not _safe_url(url):
            url, frag = "", ""
        url = url.replace('"', "&quot;")
        return f'{match["attr"]}="{url}{frag}"'

    return _REF.sub(sub, clean)


def unlink(html: str, keep: Callable[[str], bool] = lambda ident: False) -> str:
    """Links to the items ``keep`` rejects (by default all) become their text: for outputs that
    have no page for them (a question bank, a package of one module)."""
    if "doc:" not in html:
        return html
    return _DOC_LINK.sub(lambda m: m[0] if keep(unquote(m["id"])) else m["text"], html)


def _safe_url(url: str) -> bool:
    scheme = url_scheme(url)
    if scheme == "data":
        return DATA_IMAGE.fullmatch(url) is not None
    return scheme is None or scheme in URL_SCHEMES


def media_ids(html: str) -> list[str]:
    """Media ids referenced by an HTML fragment, in order of first use."""
    seen = dict.fromkeys(unquote(m["id"]) for m in _REF.finditer(html) if m["scheme"] == "media")
    return list(seen)


def doc_ids(html: str) -> list[str]:
    seen = dict.fromkeys(unquote(m["id"]) for m in _REF.finditer(html) if m["scheme"] == "doc")
    return list(seen)
