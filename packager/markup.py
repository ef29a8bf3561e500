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
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    import markdown
    from lxml import etree

    from .rendered import RenderedCache

from .diagnostics import Diagnostics
from .messages import tr
from .names import slug
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
_GENERATED_LINKS = {"footnote-ref", "footnote-backref"}  # classes of the footnotes' own links

# Why an element is not allowed, for the message (see _why_not).
_RUNS = {"script", "object", "embed", "applet", "frame", "frameset"}
_FORMS = {"form", "input", "button", "select", "option", "optgroup", "textarea", "label",
          "fieldset", "legend", "datalist", "output"}  # fmt: skip
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


def _why_not(tag: str) -> str:
    """Why the element ``tag`` is not allowed."""
    if tag in _RUNS:
        return tr("it would run inside the LMS page")
    if tag in _FORMS:
        return tr("a form could send what learners type anywhere; ask questions in a quiz")
    if tag in ("svg", "math"):
        return tr(
            "browsers read SVG and MathML inside HTML in their own way; use an image file "
            "(PNG, JPEG, GIF or WebP) instead"
        )
    if tag == "base":
        return tr("it would change where every link of the LMS page goes")
    if tag == "meta":
        return tr("it could reload the LMS page or send learners to another address")
    if tag == "link":
        return tr("it would load other files into the LMS page")
    if tag == "style":
        return tr("it would change the look of the whole LMS page; the theme styles the content")
    return tr(
        "only the HTML elements listed in the README may be used (if you meant the text, "
        "write it in `backticks`)"
    )


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
    """Turns a document's local references into model references; ``line`` and ``col`` are
    where the reference starts in its file."""

    def link(self, target: str, line: int, col: int = 1) -> str | None:
        """The new href of a local link (also "#anchor" on the same page), or None to leave
        it (an error was reported, or it is an anchor)."""

    def image(self, src: str, line: int, col: int = 1) -> tuple[str, int, int] | None:
        """The new src, width and height of a local image, or None (an error was reported)."""

    def remote(self, url: str, line: int, what: str, col: int = 1) -> None:
        """An image that is not in the content folder."""

    def missing_alt(self, src: str, line: int, col: int = 1) -> None:
        """An image without alt text."""


@dataclass
class Document:
    """Where a Markdown text comes from, for the messages about it.

    ``file_lines`` are the lines of the whole file the text is part of: with them, columns
    are the file's even for a text that does not start at the beginning of its line (a YAML
    value, an answer after its mark, a dedented block).
    """

    rel: str
    text: str
    first_line: int
    file_lines: Sequence[str] | None = None
    _starts: list[int] | None = field(default=None, init=False, repr=False)
    _lower: str | None = field(default=None, init=False, repr=False)
    _used: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _refs: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """The file line and column (in characters, both from 1) of an offset in the text."""
        starts = self._line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        line = self.first_line + index
        col = offset - starts[index] + 1
        lines = self.file_lines
        if lines is not None and 0 < line <= len(lines):
            end = self.text.find("\n", starts[index])
            own = self.text[starts[index] : end if end >= 0 else len(self.text)]
            whole = lines[line - 1]
            if own and whole != own:  # the text starts further right in the file's line
                shift = len(whole) - len(own) if whole.endswith(own) else whole.find(own)
                col += max(shift, 0)
        return line, col

    def find(self, *needles: str) -> tuple[int, int]:
        """Where the first of ``needles`` that the text has occurs (the same needle asked
        for again: its next occurrence, or its last); the text's start if none occurs."""
        for needle in needles:
            if not needle:
                continue
            offsets = self._occurrences(needle)
            if offsets:
                return self.position(self._next(needle, offsets))
        return self.first_line, 1

    def reference(self, url: str) -> tuple[int, int]:
        """Where a link or image to ``url`` starts (its "[" or "![", a reference definition's
        "[", or the "<" of an HTML element); the same URL asked for again: its next use."""
        offsets = self._refs.get(url)
        if offsets is None:
            offsets = self._refs[url] = self._reference_starts(url)
        if not offsets:
            return self.find(url)
        return self.position(self._next("\0ref:" + url, offsets))

    # -- helpers -----------------------------------------------------------------------------

    def _line_starts(self) -> list[int]:
        if self._starts is None:  # where each line starts, once per document
            self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        return self._starts

    def _lowered(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def _occurrences(self, needle: str) -> list[int]:
        found = [m.start() for m in re.finditer(re.escape(needle), self.text)]
        if not found and len(self._lowered()) == len(self.text):
            low = needle.lower()
            found = [m.start() for m in re.finditer(re.escape(low), self._lowered())]
        return found

    def _next(self, key: str, offsets: list[int]) -> int:
        used = self._used.get(key, 0)
        self._used[key] = used + 1
        return offsets[min(used, len(offsets) - 1)]

    def _reference_starts(self, url: str) -> list[int]:
        text = self.text
        starts = []
        pattern = re.compile(rf"(?:{_REF_BEFORE})({re.escape(url)})(?=[\s)>\"']|$)", re.M)
        for match in pattern.finditer(text):
            written = match.group(0)
            if written.startswith("]"):
                start = _opening_bracket(text, match.start())
                if start is None:
                    continue
                if start > 0 and text[start - 1] == "!":
                    start -= 1
            elif written.lstrip(" ").startswith("["):
                start = match.start() + len(written) - len(written.lstrip(" "))
            else:
                tag = text.rfind("<", 0, match.start())
                start = tag if tag >= 0 else match.start()
            starts.append(start)
        return starts


# What comes before a URL in a Markdown link or image, a reference definition, or an HTML
# attribute.
_REF_BEFORE = (
    r"\]\([ \t]*\n?[ \t]*<?|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?"
    r"|(?<![\w-])(?:href|src)[ \t]*=[ \t]*[\"']?"
)


def _opening_bracket(text: str, close: int) -> int | None:
    """The "[" that the "]" at ``close`` ends, within its paragraph."""
    depth = 0
    i = close - 1
    while i >= 0:
        char = text[i]
        escaped = i > 0 and text[i - 1] == "\\"
        if char == "\n" and i > 0 and text[i - 1] == "\n":
            return None
        if char == "]" and not escaped:
            depth += 1
        elif char == "[" and not escaped:
            if depth == 0:
                return i
            depth -= 1
        i -= 1
    return None


# the title of a box written without one (`!!! note`), in the course's language
_BOX_TITLES = {
    "bg": {
        "note": "Бележка",
        "tip": "Съвет",
        "hint": "Подсказка",
        "important": "Важно",
        "warning": "Внимание",
        "caution": "Внимание",
        "attention": "Внимание",
        "danger": "Опасност",
        "error": "Грешка",
    }
}


class Renderer:
    """Renders Markdown for one course; reused for every document."""

    def __init__(
        self, language: str, iframe_hosts: list[str], kept: RenderedCache | None = None
    ) -> None:
        self.iframe_hosts = {h.lower() for h in iframe_hosts}
        self._language = language
        self._kept = kept  # conversions of earlier builds
        # made when a text needs Markdown: a bank of plain questions never does
        self._converters: dict[bool, markdown.Markdown] = {}

    def _converter(self, snippet: bool) -> markdown.Markdown:
        md = self._converters.get(snippet)
        if md is None:
            md = self._markdown(SNIPPET_EXTENSIONS if snippet else EXTENSIONS)
            self._converters[snippet] = md
        return md

    def _markdown(self, names: list[str]) -> markdown.Markdown:
        import markdown  # only for texts that need it: a bank of plain questions never does

        from .markdown_boxes import Boxes

        configs = {
            "tables": {"use_align_attribute": True},  # align="…", not a style attribute
            "toc": {"slugify": slug},
            "footnotes": {"BACKLINK_TITLE": _BACKLINK.get(self._language, _BACKLINK["en"])},
        }
        # the extensions' own modules: naming them would make Markdown read every installed
        # package's entry points first
        extensions = [
            import_module(f"markdown.extensions.{name}").makeExtension(**configs.get(name, {}))
            for name in names
        ]
        md = markdown.Markdown(extensions=extensions, output_format="html")
        titles = _BOX_TITLES.get(self._language)
        if titles and "admonition" in md.parser.blockprocessors:
            md.parser.blockprocessors.register(Boxes(md.parser, titles), "admonition", 105)
        return md

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
        raw = self._convert(text, snippet)
        if "<" not in text and "[" not in text and not _H1.search(text):
            # no raw HTML, links, images or level-1 headings: nothing to check
            return sanitize(raw, self.iframe_hosts)
        return self._postprocess(raw, doc, diags, resolver, demote_h1)

    def _convert(self, text: str, snippet: bool) -> str:
        """Python-Markdown's HTML for ``text``, from an earlier build when it is kept."""
        key = None
        if self._kept is not None:
            key, raw = self._kept.get(text, f"{self._language} {snippet}")
            if raw is not None:
                return raw
        md = self._converter(snippet)
        md.reset()
        raw = md.convert(text)
        if key is not None and self._kept is not None:
            self._kept.put(key, raw)
        return raw

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
            line, col = doc.find("# " + (h1.text_content() or ""))
            diags.warning(
                doc.rel,
                line,
                tr(
                    "the page title comes from the front matter, so sections start at ## "
                    "(every heading was moved one level down)"
                ),
                col,
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
            line, col = doc.find(f"<{tag}")
            message = tr("<{tag}> is not allowed: {why}", tag=tag, why=_why_not(tag))
            diags.error(doc.rel, line, message, col)
            return False
        ok = True
        for name, value in el.attrib.items():
            low = name.lower()
            problem = self._attribute(tag, low, value)
            if problem:
                if low.startswith("on") or not value.strip():
                    line, col = doc.find(f"{name}=")
                else:
                    line, col = doc.find(
                        f'{name}="{value}',
                        f"{name}='{value}",
                        f"{name}={value}",
                        f"{name}=",
                        value.strip()[:20],
                    )
                diags.error(doc.rel, line, problem, col)
                ok = False
        if tag == "iframe":
            src = el.get("src", "")
            if iframe_host(src) not in self.iframe_hosts:
                allowed = ", ".join(sorted(self.iframe_hosts)) or tr("none yet")
                line, col = doc.find("<iframe")
                diags.error(
                    doc.rel,
                    line,
                    tr(
                        '<iframe> from "{host}" is not allowed: only https pages from the hosts '
                        "in iframe_hosts in course.yml may be embedded (now: {allowed})",
                        host=_host_shown(src),
                        allowed=allowed,
                    ),
                    col,
                )
                ok = False
            elif not el.get("title"):
                line, col = doc.find("<iframe")
                diags.warning(
                    doc.rel,
                    line,
                    tr(
                        "<iframe> needs a title attribute that says what it shows, "
                        "for screen readers"
                    ),
                    col,
                )
        return ok

    @staticmethod
    def _attribute(tag: str, name: str, value: str) -> str | None:
        """What is wrong with one attribute of an allowed element, or None."""
        if name.startswith("on"):
            return tr(
                'event attribute {name}="…" on <{tag}> is not allowed: '
                "scripts would run inside the LMS page",
                name=name,
                tag=tag,
            )
        if not attribute_allowed(tag, name):
            if name == "style":
                return tr(
                    'attribute style="…" on <{tag}> is not allowed: the theme sets the look',
                    tag=tag,
                )
            own = sorted(ELEMENTS[tag] | set(ATTRIBUTE_VALUES.get(tag, {})))
            allowed = (
                tr("{own} and {common}", own=", ".join(own), common=_GLOBAL) if own else _GLOBAL
            )
            return tr(
                'attribute {name}="…" on <{tag}> is not allowed (allowed there: {allowed})',
                name=name,
                tag=tag,
                allowed=allowed,
            )
        values = ATTRIBUTE_VALUES.get(tag, {}).get(name)
        if values is not None and value not in values:
            return tr(
                '{name}="{value}" on <{tag}> is not allowed (allowed values: {allowed})',
                name=name,
                value=value,
                tag=tag,
                allowed=", ".join(sorted(values)),
            )
        if name == "id" and RESERVED_ID.fullmatch(value):
            return tr(
                'id "{id}" is reserved for the pages the packager writes: choose another id',
                id=value,
            )
        if name in URL_ATTRIBUTES:
            scheme = url_scheme(value)
            where = {"scheme": scheme, "tag": tag, "name": name}
            if scheme in ("javascript", "vbscript"):
                return tr(
                    "a {scheme}: URL in <{tag} {name}> is not allowed: it would run a script",
                    **where,
                )
            if scheme in ("doc", "media"):
                return tr(
                    "a {scheme}: URL in <{tag} {name}> is not allowed: link to the file itself "
                    "(a lesson's .md file, an image)",
                    **where,
                )
            if scheme == "data" and not url_allowed(tag, name, value):
                return tr(
                    "a {scheme}: URL in <{tag} {name}> is not allowed: save the file in the "
                    "content folder and link to it",
                    **where,
                )
            if not url_allowed(tag, name, value):
                return tr(
                    "a {scheme}: URL in <{tag} {name}> is not allowed: links may use {schemes} "
                    "or name a file in the content folder",
                    schemes=_SCHEMES_SHOWN,
                    **where,
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
        theirs = _shown(browser[at]) if at < len(browser) else tr("nothing more")
        ours = _shown(seen[at]) if at < len(seen) else tr("nothing more")
        tag = browser[at][0] if at < len(browser) else seen[at][0]
        line, col = doc.find(f"<{tag}")
        diags.error(
            doc.rel,
            line,
            tr(
                "this HTML is read differently by browsers (they see {theirs} where the check "
                "saw {ours}); write plain Markdown or simpler HTML",
                theirs=theirs,
                ours=ours,
            ),
            col,
        )

    def _image(self, el: etree._Element, doc: Document, resolver: Resolver) -> None:
        src = el.get("src", "")
        line, col = doc.reference(src)
        if el.get("alt") is None:
            el.set("alt", "")
        if src.startswith("data:") or _SCHEME.match(src):
            resolver.remote(src, line, "image", col)
            return
        resolved = resolver.image(src, line, col)
        if resolved is None:
            return
        new_src, width, height = resolved
        el.set("src", new_src)
        if not el.get("alt", "").strip():
            resolver.missing_alt(src, line, col)
        if el.get("width") is None and el.get("height") is None:
            el.set("width", str(width))
            el.set("height", str(height))

    def _link(self, el: etree._Element, doc: Document, resolver: Resolver) -> None:
        href = el.get("href", "")
        if _SCHEME.match(href) or href.startswith("//"):
            return
        if href.startswith("#") and el.get("class") in _GENERATED_LINKS:
            return  # made by the footnotes extension, with its target
        line, col = doc.reference(href)
        new = resolver.link(href, line, col)
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
