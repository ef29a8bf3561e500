"""Markdown to HTML, with the checks that keep the HTML safe inside an LMS page.

Local links and images are handed to a :class:`Resolver` (the loader), which turns them into
``doc:``/``media:`` references; the HTML is then checked for script and unknown iframes.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import lxml.html
import markdown
from lxml import etree
from markdown.extensions.toc import slugify_unicode

from .diagnostics import Diagnostics

EXTENSIONS = [
    "tables",
    "fenced_code",
    "footnotes",
    "attr_list",
    "admonition",
    "toc",
    "md_in_html",
    "sane_lists",
]
_BACKLINK = {
    "bg": "Обратно към бележка %d в текста",
    "en": "Jump back to footnote %d in the text",
}
FORBIDDEN_TAGS = {"script", "object", "embed", "applet", "base", "frame", "frameset"}
URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "background", "cite")
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript)\s*:", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# One line that Markdown would only wrap in <p>: no markup characters, no block markers.
_PLAIN = re.compile(r"(?![ \t]*([#>+*-]|\d+[.)]|\s{4}))[^\n\\`*_{}\[\]()<>&|~^=#!:]*")
_H1 = re.compile(r"^ {0,3}#(?!#)|^=+[ \t]*$", re.M)


class Resolver(Protocol):
    """Turns a document's local references into model references."""

    def link(self, target: str, line: int) -> str | None:
        """The new href of a local link, or None to leave it (an error was reported)."""

    def image(self, src: str, line: int) -> tuple[str, int, int] | None:
        """The new src, width and height of a local image, or None (an error was reported)."""

    def remote(self, url: str, line: int, what: str) -> None:
        """An image that is not in the content folder."""

    def missing_alt(self, src: str, line: int) -> None:
        """An image without alt text."""


@dataclass
class Document:
    """Where a Markdown text comes from, for the messages about it."""

    rel: str
    text: str
    first_line: int

    def line_of(self, needle: str, default: int | None = None) -> int:
        """The line of the first occurrence of ``needle`` in the text."""
        pos = self.text.find(needle) if needle else -1
        if pos < 0:
            pos = self.text.lower().find(needle.lower()) if needle else -1
        if pos < 0:
            return self.first_line if default is None else default
        return self.first_line + self.text.count("\n", 0, pos)


class Renderer:
    """Renders Markdown for one course; reused for every document."""

    def __init__(self, language: str, iframe_hosts: list[str]) -> None:
        self.iframe_hosts = {h.lower() for h in iframe_hosts}
        self._md = markdown.Markdown(
            extensions=EXTENSIONS,
            extension_configs={
                "toc": {"slugify": slugify_unicode},
                "footnotes": {"BACKLINK_TITLE": _BACKLINK.get(language, _BACKLINK["en"])},
            },
            output_format="html",
        )

    def render(
        self,
        doc: Document,
        diags: Diagnostics,
        resolver: Resolver,
        demote_h1: bool = True,
    ) -> str:
        """A block of Markdown as an HTML fragment."""
        text = doc.text
        if _PLAIN.fullmatch(text):  # most answers and feedback: no Markdown to interpret
            return f"<p>{text.strip()}</p>" if text.strip() else ""
        self._md.reset()
        raw = self._md.convert(text)
        if "<" not in text and "[" not in text and not _H1.search(text):
            return raw  # no raw HTML, links, images or level-1 headings: nothing to check
        return self._postprocess(raw, doc, diags, resolver, demote_h1)

    def html(self, doc: Document, diags: Diagnostics, resolver: Resolver) -> str:
        """HTML written by hand (as in GIFT files): checked and resolved, not converted."""
        return self._postprocess(doc.text, doc, diags, resolver, demote_h1=False)

    def inline(self, doc: Document, diags: Diagnostics, resolver: Resolver) -> str:
        """A short text (an objective, an answer) without its surrounding paragraph."""
        out = self.render(doc, diags, resolver, demote_h1=False)
        match = re.fullmatch(r"<p>(.*)</p>", out.strip(), re.S)
        if match and "<p>" not in match[1]:
            return match[1]
        return out.strip()

    def _postprocess(
        self, raw: str, doc: Document, diags: Diagnostics, resolver: Resolver, demote_h1: bool
    ) -> str:
        if not raw.strip():
            return ""
        root = lxml.html.fragment_fromstring(raw, create_parent="div")
        headings = [el for el in root.iter("h1", "h2", "h3", "h4", "h5")]
        if demote_h1 and any(el.tag == "h1" for el in headings):
            h1 = next(el for el in headings if el.tag == "h1")
            diags.warning(
                doc.rel,
                doc.line_of("# " + (h1.text_content() or "")),
                "the page title comes from the front matter, so sections start at ## "
                "(every heading was moved one level down)",
            )
            for el in headings:
                el.tag = f"h{int(el.tag[1]) + 1}"
        for el in list(root.iter()):
            if not isinstance(el.tag, str):
                continue
            self._check(el, doc, diags)
            if el.tag == "img":
                self._image(el, doc, resolver)
            elif el.tag == "a" and el.get("href"):
                self._link(el, doc, resolver)
        whole = lxml.html.tostring(root, encoding="unicode")
        return whole[len("<div>") : -len("</div>")].strip()

    def _check(self, el: etree._Element, doc: Document, diags: Diagnostics) -> None:
        tag = el.tag.lower()
        if tag in FORBIDDEN_TAGS:
            diags.error(
                doc.rel,
                doc.line_of(f"<{tag}"),
                f"<{tag}> is not allowed: it would run inside the LMS page",
            )
        for name, value in el.attrib.items():
            low = name.lower()
            if low.startswith("on"):
                diags.error(
                    doc.rel,
                    doc.line_of(f"{name}="),
                    f'event attribute {name}="…" on <{tag}> is not allowed: '
                    "scripts would run inside the LMS page",
                )
            elif (low in URL_ATTRS or low.endswith("href")) and _BAD_SCHEME.match(value):
                diags.error(
                    doc.rel,
                    doc.line_of(value.strip()[:20]),
                    f"a {value.split(':')[0].strip().lower()}: URL in <{tag} {name}> "
                    "is not allowed: it would run a script",
                )
        if tag == "iframe":
            src = el.get("src", "")
            parts = urlsplit(src)
            host = (parts.hostname or "").lower()
            if parts.scheme != "https" or host not in self.iframe_hosts:
                allowed = ", ".join(sorted(self.iframe_hosts)) or "none yet"
                diags.error(
                    doc.rel,
                    doc.line_of("<iframe"),
                    f'<iframe> from "{host or src}" is not allowed: only https pages from the '
                    f"hosts in iframe_hosts in course.yml may be embedded (now: {allowed})",
                )
            elif not el.get("title"):
                diags.warning(
                    doc.rel,
                    doc.line_of("<iframe"),
                    "<iframe> needs a title attribute that says what it shows, for screen readers",
                )

    def _image(self, el: etree._Element, doc: Document, resolver: Resolver) -> None:
        src = el.get("src", "")
        line = doc.line_of(src)
        if el.get("alt") is None:
            el.set("alt", "")
        if src.startswith("data:") or _SCHEME.match(src):
            resolver.remote(src, line, "image")
            return
        resolved = resolver.image(src, line)
        if resolved is None:
            return
        new_src, width, height = resolved
        el.set("src", new_src)
        if not el.get("alt", "").strip():
            resolver.missing_alt(src, line)
        if el.get("width") is None and el.get("height") is None:
            el.set("width", str(width))
            el.set("height", str(height))

    def _link(self, el: etree._Element, doc: Document, resolver: Resolver) -> None:
        href = el.get("href", "")
        if href.startswith("#") or _SCHEME.match(href) or href.startswith("//"):
            return
        new = resolver.link(href, doc.line_of(href))
        if new is not None:
            el.set("href", new)


def text_of(html: str) -> str:
    """The text an HTML fragment shows: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())
