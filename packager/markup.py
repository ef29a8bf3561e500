"""Markdown to HTML, with the checks that keep the HTML safe inside an LMS page.

Local links and images are handed to a :class:`Resolver` (the loader), which turns them into
``doc:``/``media:`` references. Every element, attribute and URL is checked against the
allow-list in sanitize.py (each problem reported at its line), the HTML is compared with how a
browser reads it, and what the renderer returns is the sanitized HTML.
"""

from __future__ import annotations

import bisect
import html as htmllib
import re
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions.toc import slugify_unicode

if TYPE_CHECKING:
    from lxml import etree

from .diagnostics import Diagnostics
from .sanitize import (
    ATTRIBUTE_VALUES,
    ELEMENTS,
    GLOBAL_ATTRIBUTES,
    GLOBAL_PREFIXES,
    RESERVED_ID,
    URL_ATTRIBUTES,
    URL_SCHEMES,
    attribute_allowed,
    iframe_host,
    sanitize,
    url_allowed,
    url_scheme,
)

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
# Question snippets (question texts, answers, feedback, hints) stand several to a page, and
# none is a page of its own: no heading ids, no table of contents.
SNIPPET_EXTENSIONS = [e for e in EXTENSIONS if e != "toc"]
_BACKLINK = {
    "bg": "Обратно към бележка %d в текста",
    "en": "Jump back to footnote %d in the text",
}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)

# Why an element is not allowed, for the message; any other: _ONLY_LISTED.
_RUNS = "it would run inside the LMS page"
_FORM = "a form could send what learners type anywhere; ask questions in a quiz"
_FOREIGN = (
    "browsers read SVG and MathML inside HTML in their own way; use an image file "
    "(PNG, JPEG, GIF or WebP) instead"
)
_WHY_NOT = {
    **dict.fromkeys(("script", "object", "embed", "applet", "frame", "frameset"), _RUNS),
    **dict.fromkeys(("form", "input", "button", "select", "option", "optgroup"), _FORM),
    **dict.fromkeys(("textarea", "label", "fieldset", "legend", "datalist", "output"), _FORM),
    **dict.fromkeys(("svg", "math"), _FOREIGN),
    "base": "it would change where every link of the LMS page goes",
    "meta": "it could reload the LMS page or send learners to another address",
    "link": "it would load other files into the LMS page",
    "style": "it would change the look of the whole LMS page; the theme styles the content",
}
_ONLY_LISTED = (
    "only the HTML elements listed in the README may be used (if you meant the text, "
    "write it in `backticks`)"
)
_GLOBAL = ", ".join([*sorted(GLOBAL_ATTRIBUTES), *(p + "*" for p in GLOBAL_PREFIXES)])
_SCHEMES_SHOWN = ", ".join(sorted(URL_SCHEMES - {"doc", "media"}))
_IMPLIED = {"tbody", "colgroup"}  # elements a browser adds to tables by itself
# One line that Markdown would only wrap in <p>: no markup characters, no block markers.
_PLAIN = re.compile(r"(?![ \t]*([#>+*-]|\d+[.)]|\s{4}))[^\n\\`*_{}\[\]()<>&|~^=#!:]*")
_H1 = re.compile(r"^ {0,3}#(?!#)|^=+[ \t]*$", re.M)
# Paragraphs that Markdown only wraps in <p>, with emphasis it reads one way only: lines of
# characters that mean nothing to it (no markup characters, no control characters, no
# whitespace but single spaces) and of *em*, **strong**, _em_ and __strong__ around such text
# (starting and ending with a non-space; _ not inside a word; no other * or _ beside them),
# none starting like a block (a list item, a heading underline, an admonition) or ending in a
# space (a line break), separated by blank lines.
_NOT_TEXT = (
    "\\x00-\\x1f\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
    r"\\`*_{}\[\]<>&|~^#"
)
_WORDS = rf"[^ {_NOT_TEXT}](?:[^{_NOT_TEXT}]*[^ {_NOT_TEXT}])?"
_EMPHASIZED = re.compile(
    rf"(?<![*_])(\*\*?)({_WORDS})\1(?![*_])|(?<![\w*_])(__?)({_WORDS})\3(?![\w*_])"
)
_LINE = rf"(?![-+=!: ]|\d+[.)])(?:[^{_NOT_TEXT}]++|{_EMPHASIZED.pattern})++(?<! )"
_PARAGRAPHS = re.compile(rf"(?:{_LINE}(?:\n\n?(?=[^\n])|\Z))+")
_BLANK = re.compile(r"\n\n")
_WRAPPED = re.compile(r"<p>(.*)</p>", re.S)


def _unwrap(html: str) -> str:
    """A fragment without the paragraph around it, if it is one paragraph."""
    match = _WRAPPED.fullmatch(html.strip())
    if match and "<p>" not in match[1]:
        return match[1]
    return html.strip()


def _emphasis(match: re.Match[str]) -> str:
    marks, words = (match[1], match[2]) if match[1] else (match[3], match[4])
    tag = "strong" if len(marks) == 2 else "em"
    return f"<{tag}>{words}</{tag}>"


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
    _lines: list[int] | None = field(default=None, init=False, repr=False)
    _lower: str | None = field(default=None, init=False, repr=False)
    _found: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def line_of(self, needle: str, default: int | None = None) -> int:
        """The line of the first occurrence of ``needle`` in the text."""
        if not needle:
            return self.first_line if default is None else default
        if needle not in self._found:
            pos = self.text.find(needle)
            if pos < 0:
                if self._lower is None:
                    self._lower = self.text.lower()
                pos = self._lower.find(needle.lower())
            self._found[needle] = pos
        pos = self._found[needle]
        if pos < 0:
            return self.first_line if default is None else default
        if self._lines is None:  # where each line starts, once per document
            self._lines = [m.end() for m in re.finditer("\n", self.text)]
        return self.first_line + bisect.bisect_right(self._lines, pos)


class Renderer:
    """Renders Markdown for one course; reused for every document."""

    def __init__(self, language: str, iframe_hosts: list[str]) -> None:
        self.iframe_hosts = {h.lower() for h in iframe_hosts}
        self._language = language
        # made when a text needs Markdown: a bank of plain questions never does
        self._converters: dict[bool, markdown.Markdown] = {}

    def _converter(self, snippet: bool) -> markdown.Markdown:
        md = self._converters.get(snippet)
        if md is None:
            md = self._markdown(SNIPPET_EXTENSIONS if snippet else EXTENSIONS)
            self._converters[snippet] = md
        return md

    def _markdown(self, names: list[str]) -> markdown.Markdown:
        configs = {
            "tables": {"use_align_attribute": True},  # align="…", not a style attribute
            "toc": {"slugify": slugify_unicode},
            "footnotes": {"BACKLINK_TITLE": _BACKLINK.get(self._language, _BACKLINK["en"])},
        }
        # the extensions' own modules: naming them would make Markdown read every installed
        # package's entry points first
        extensions = [
            import_module(f"markdown.extensions.{name}").makeExtension(**configs.get(name, {}))
            for name in names
        ]
        return markdown.Markdown(extensions=extensions, output_format="html")

    def render(
        self,
        doc: Document,
        diags: Diagnostics,
        resolver: Resolver,
        demote_h1: bool = True,
        snippet: bool = False,
    ) -> str:
        """A block of Markdown as an HTML fragment; a ``snippet`` (a question's text, answer,
        feedback or hint) with SNIPPET_EXTENSIONS."""
        text = doc.text
        quick = self.quick(text)
        if quick is not None:
            return quick
        md = self._converter(snippet)
        md.reset()
        raw = md.convert(text)
        if "<" not in text and "[" not in text and not _H1.search(text):
            # no raw HTML, links, images or level-1 headings: nothing to check
            return sanitize(raw, self.iframe_hosts)
        return self._postprocess(raw, doc, diags, resolver, demote_h1)

    def quick(self, text: str, inline: bool = False) -> str | None:
        """What :meth:`render` (:meth:`inline`) makes of a text that Markdown would only wrap
        in paragraphs, made without Markdown; None for any other text."""
        if _PLAIN.fullmatch(text):  # most answers and feedback: no Markdown to interpret
            out = f"<p>{text.strip()}</p>" if text.strip() else ""
        else:
            body = text.strip("\n")
            if not _PARAGRAPHS.fullmatch(body):
                return None
            if "*" in body or "_" in body:
                body = _EMPHASIZED.sub(_emphasis, body)
            raw = "\n".join(f"<p>{p}</p>" for p in _BLANK.split(body))
            out = sanitize(raw, self.iframe_hosts)
        return _unwrap(out) if inline else out

    def html(self, doc: Document, diags: Diagnostics, resolver: Resolver) -> str:
        """HTML written by hand (as in GIFT files): checked and resolved, not converted."""
        return self._postprocess(doc.text, doc, diags, resolver, demote_h1=False)

    def inline(
        self, doc: Document, diags: Diagnostics, resolver: Resolver, snippet: bool = False
    ) -> str:
        """A short text (an objective, an answer) without its surrounding paragraph."""
        return _unwrap(self.render(doc, diags, resolver, demote_h1=False, snippet=snippet))

    def _postprocess(
        self, raw: str, doc: Document, diags: Diagnostics, resolver: Resolver, demote_h1: bool
    ) -> str:
        if not raw.strip():
            return ""
        import lxml.html  # only for what has links, images, HTML or a level-1 heading

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
        clean = True
        for el in list(root.iter()):
            if not isinstance(el.tag, str):
                continue
            clean = self._check(el, doc, diags) and clean
            if el.tag == "img":
                self._image(el, doc, resolver)
            elif el.tag == "a" and el.get("href"):
                self._link(el, doc, resolver)
        whole = lxml.html.tostring(root, encoding="unicode")
        checked = whole[len("<div>") : -len("</div>")].strip()
        out = sanitize(checked, self.iframe_hosts)
        if clean and out != checked:  # the same text: the browser's elements are the check's
            self._compare(root, out, doc, diags)
        return out

    def _check(self, el: etree._Element, doc: Document, diags: Diagnostics) -> bool:
        """Report what the allow-list does not have in one element; False if anything."""
        tag = el.tag.lower()
        if tag not in ELEMENTS:
            why = _WHY_NOT.get(tag, _ONLY_LISTED)
            diags.error(doc.rel, doc.line_of(f"<{tag}"), f"<{tag}> is not allowed: {why}")
            return False
        ok = True
        for name, value in el.attrib.items():
            low = name.lower()
            problem = self._attribute(tag, low, value)
            if problem:
                if low.startswith("on") or not value.strip():
                    line = doc.line_of(f"{name}=")
                else:
                    line = _line(doc, f'{name}="{value}', value.strip()[:20], f"{name}=")
                diags.error(doc.rel, line, problem)
                ok = False
        if tag == "iframe":
            src = el.get("src", "")
            if iframe_host(src) not in self.iframe_hosts:
                allowed = ", ".join(sorted(self.iframe_hosts)) or "none yet"
                diags.error(
                    doc.rel,
                    doc.line_of("<iframe"),
                    f'<iframe> from "{_host_shown(src)}" is not allowed: only https pages from the '
                    f"hosts in iframe_hosts in course.yml may be embedded (now: {allowed})",
                )
                ok = False
            elif not el.get("title"):
                diags.warning(
                    doc.rel,
                    doc.line_of("<iframe"),
                    "<iframe> needs a title attribute that says what it shows, for screen readers",
                )
        return ok

    @staticmethod
    def _attribute(tag: str, name: str, value: str) -> str | None:
        """What is wrong with one attribute of an allowed element, or None."""
        if name.startswith("on"):
            return (
                f'event attribute {name}="…" on <{tag}> is not allowed: '
                "scripts would run inside the LMS page"
            )
        if not attribute_allowed(tag, name):
            if name == "style":
                return f'attribute style="…" on <{tag}> is not allowed: the theme sets the look'
            own = sorted(ELEMENTS[tag] | set(ATTRIBUTE_VALUES.get(tag, {})))
            allowed = ", ".join(own) + (" and " if own else "") + _GLOBAL
            return f'attribute {name}="…" on <{tag}> is not allowed (allowed there: {allowed})'
        values = ATTRIBUTE_VALUES.get(tag, {}).get(name)
        if values is not None and value not in values:
            shown = ", ".join(sorted(values))
            return f'{name}="{value}" on <{tag}> is not allowed (allowed values: {shown})'
        if name == "id" and RESERVED_ID.fullmatch(value):
            return f'id "{value}" is reserved for the pages the packager writes: choose another id'
        if name in URL_ATTRIBUTES:
            scheme = url_scheme(value)
            where = f"a {scheme}: URL in <{tag} {name}> is not allowed"
            if scheme in ("javascript", "vbscript"):
                return f"{where}: it would run a script"
            if scheme in ("doc", "media"):
                return f"{where}: link to the file itself (a lesson's .md file, an image)"
            if scheme == "data" and not url_allowed(tag, name, value):
                return f"{where}: save the file in the content folder and link to it"
            if not url_allowed(tag, name, value):
                return (
                    f"{where}: links may use {_SCHEMES_SHOWN} or name a file in the content folder"
                )
        return None

    def _compare(self, root: etree._Element, out: str, doc: Document, diags: Diagnostics) -> None:
        """Report HTML that a browser reads as other elements than the check did (markup that
        parsers disagree on, such as ``<!-- --!>`` or content in ``<svg>``)."""
        import lxml.html

        seen = _structure(root)
        browser = _structure(lxml.html.fragment_fromstring(out, create_parent="div"))
        if seen == browser:
            return
        pairs = zip(seen, browser, strict=False)
        at = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(seen), len(browser)))
        theirs = _shown(browser[at]) if at < len(browser) else "nothing more"
        ours = _shown(seen[at]) if at < len(seen) else "nothing more"
        tag = browser[at][0] if at < len(browser) else seen[at][0]
        diags.error(
            doc.rel,
            doc.line_of(f"<{tag}"),
            f"this HTML is read differently by browsers (they see {theirs} where the check "
            f"saw {ours}); write plain Markdown or simpler HTML",
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


def _structure(root: etree._Element) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Elements in document order with their attributes, leaving out what browsers add.
    URLs are compared decoded: lxml writes them percent-encoded."""
    return [
        (
            el.tag,
            tuple(
                sorted(
                    (k, unquote(v) if k in URL_ATTRIBUTES else v or "")
                    for k, v in el.attrib.items()
                )
            ),
        )
        for el in root.iter()
        if isinstance(el.tag, str) and el.tag not in _IMPLIED
    ][1:]  # not the <div> around the fragment


def _line(doc: Document, *needles: str) -> int:
    """The line of the first of ``needles`` that the text has."""
    for needle in needles:
        line = doc.line_of(needle, -1)
        if line >= 0:
            return line
    return doc.first_line


def _shown(element: tuple[str, tuple[tuple[str, str], ...]]) -> str:
    tag, attrs = element
    return "<" + " ".join([tag, *(name for name, _ in attrs)]) + ">"


def _host_shown(src: str) -> str:
    try:
        return (urlsplit(src.strip()).hostname or src).lower()
    except ValueError:  # not a URL at all (such as "http://[")
        return src


def text_of(html: str) -> str:
    """The text an HTML fragment shows: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())
