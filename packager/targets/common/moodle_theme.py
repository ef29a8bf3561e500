"""Course HTML dressed in what Moodle's standard themes (Boost, Classic) already style: their
Bootstrap classes, so a page, a question or a summary looks like the rest of the course.

- images: ``img-fluid`` and an inline ``max-width:100%;height:auto`` (whatever the theme), so
  an image never overflows the content column; width and height stay, for the layout before
  the image has loaded. Where a site forces cleaning (HTML Purifier), the percentage goes and
  the class does the work;
- tables: ``table table-striped table-bordered``, inside a ``div.table-responsive``, so a wide
  table scrolls inside the column (the box keeps the table's bottom margin: Moodle 5 takes it
  from a table in a scroll box, 4.5 does not);
- admonitions (``div.admonition.<kind>`` with ``p.admonition-title``, as Markdown writes them):
  Bootstrap alerts (``alert alert-info``, ``-success``, ``-warning``, ``-danger``) with
  ``role="note"`` and their title in ``<strong>``; the last paragraph loses its bottom margin.
  The kind's class becomes ``admonition-<kind>``: Moodle's own style sheet has rules for bare
  words such as ``.warning`` (bold text everywhere) and ``.error``;
- figures: ``figure``, ``figure-img img-fluid`` and ``figure-caption``;
- video, audio and iframes: at most as wide as the column.

Classes and attributes are added (an admonition's kind class renamed), and no text changes.
The input is sanitized HTML (sanitize.py): every attribute value is quoted and ``<`` in text
is escaped, so the start and end tags can be read one by one; tags that need nothing keep
their bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*(/?)>"
)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)

IMAGE_STYLE = "max-width:100%;height:auto"  # height follows the width the column leaves
FRAME_STYLE = "max-width:100%"  # an iframe keeps its height (its content may need it)
TABLE_CLASSES = ("table", "table-striped", "table-bordered", "mb-0")
TABLE_WRAPPER = "table-responsive"
WRAPPER_CLASSES = (TABLE_WRAPPER, "mb-3")

# Admonition kinds (Markdown's and reStructuredText's) -> Bootstrap alert colours.
ALERTS: dict[str, str] = {
    **dict.fromkeys(("tip", "hint", "success", "check", "done"), "success"),
    **dict.fromkeys(("warning", "caution", "attention", "important"), "warning"),
    **dict.fromkeys(("danger", "error", "failure", "fail", "missing", "bug"), "danger"),
}
DEFAULT_ALERT = "info"  # note, info, seealso and any other kind


@dataclass
class _Tag:
    """A start tag: its name and attributes (values as written, entities and all)."""

    name: str
    attrs: list[tuple[str, str | None]]
    changed: bool = False

    @classmethod
    def parse(cls, name: str, attributes: str) -> _Tag:
        attrs: list[tuple[str, str | None]] = []
        for m in _ATTR.finditer(attributes):
            value = next((v for v in m.groups()[1:] if v is not None), None)
            attrs.append((m[1].lower(), value))
        return cls(name, attrs)

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    @property
    def classes(self) -> list[str]:
        return (self.get("class") or "").split()

    def set(self, name: str, value: str) -> None:
        if self.get(name) == value:
            return
        if any(k == name for k, _ in self.attrs):
            self.attrs = [(k, value if k == name else v) for k, v in self.attrs]
        else:
            self.attrs.append((name, value))
        self.changed = True

    def add_classes(self, *names: str) -> None:
        have = self.classes
        self.set("class", " ".join(have + [n for n in names if n not in have]))

    def add_style(self, style: str) -> None:
        """``style`` after the element's own style, unless the element has it already."""
        own = (self.get("style") or "").strip().rstrip(";")
        if style not in own:
            self.set("style", f"{own};{style}" if own else style)

    def html(self) -> str:
        parts = [self.name]
        for k, v in self.attrs:
            parts.append(k if v is None else f'{k}="{v.replace(chr(34), "&quot;")}"')
        return "<" + " ".join(parts) + ">"


@dataclass
class _Open:
    """An element whose end tag is still to come."""

    name: str
    role: str = ""  # alert, title, figure, table (wrapped), wrapper, or "" for the rest
    last_child: tuple[int, _Tag] | None = field(default=None)  # an alert's: index in out


# The start tags fit_theme dresses; HTML without any (most answers and feedback) stays as it is.
_DRESSED = re.compile(
    r"<(?:img|video|iframe|audio|figure|figcaption|table|div|p\s[^>]*admonition-title)\b", re.I
)


def fit_theme(html: str) -> str:
    """``html`` (sanitized) with the classes and styles Moodle's themes need; see above."""
    if "<" not in html or not _DRESSED.search(html):
        return html
    return _dress(html)


def _dress(html: str) -> str:
    out: list[str] = []
    stack: list[_Open] = []
    pos = 0
    for m in _TAG.finditer(html):
        out.append(html[pos : m.start()])
        pos = m.end()
        name = m[2].lower()
        if m[1]:
            _close(name, m[0], stack, out)
            continue
        tag = _Tag.parse(m[2], m[3])
        parent = stack[-1] if stack else None
        role = _start(tag, name, stack)
        if parent is not None and parent.role == "alert":
            parent.last_child = (len(out), tag)
        if role == "table":
            out.append(f'<div class="{" ".join(WRAPPER_CLASSES)}">')
        out.append(tag.html() if tag.changed else m[0])
        if role == "title":
            out.append("<strong>")
        if name not in VOID and not m[4]:
            stack.append(_Open(name, role))
    out.append(html[pos:])
    return "".join(out)


def _start(tag: _Tag, name: str, stack: list[_Open]) -> str:
    """Dress a start tag; the role its element plays until its end tag."""
    parent = stack[-1] if stack else None
    in_figure = any(o.role == "figure" for o in stack)
    classes = tag.classes
    if name == "img":
        tag.add_classes(*(("figure-img", "img-fluid") if in_figure else ("img-fluid",)))
        tag.add_style(IMAGE_STYLE)
    elif name == "video":
        tag.add_style(IMAGE_STYLE)
    elif name in ("iframe", "audio"):
        tag.add_style(FRAME_STYLE)
    elif name == "figure":
        tag.add_classes("figure")
        return "figure"
    elif name == "figcaption":
        tag.add_classes("figure-caption")
    elif name == "table":
        tag.add_classes(*TABLE_CLASSES)
        wrapped = parent is not None and parent.role == "wrapper"
        return "" if wrapped else "table"
    elif name == "div" and TABLE_WRAPPER in classes:
        return "wrapper"
    elif name == "div" and "admonition" in classes:
        named = next((c for c in classes if c != "admonition" and not c.startswith("alert")), "")
        kind = named.removeprefix("admonition-")
        if named:
            tag.set("class", " ".join(f"admonition-{kind}" if c == named else c for c in classes))
        tag.add_classes("alert", f"alert-{ALERTS.get(kind, DEFAULT_ALERT)}")
        if tag.get("role") is None:
            tag.set("role", "note")
        return "alert"
    elif name == "p" and "admonition-title" in classes and "alert-heading" not in classes:
        tag.add_classes("alert-heading")
        return "title"
    return ""


def _close(name: str, end: str, stack: list[_Open], out: list[str]) -> None:
    """An end tag: close what the start tags opened (sanitized HTML nests properly; a stray
    end tag closes up to its element, as an HTML parser would)."""
    if not any(o.name == name for o in stack):
        out.append(end)
        return
    while stack:
        element = stack.pop()
        if element.role == "title":
            out.append("</strong>")
        if element.role == "alert" and element.last_child is not None:
            index, child = element.last_child
            if child.name.lower() == "p":
                child.add_classes("mb-0")  # the alert's padding is the margin
                out[index] = child.html()
        out.append(end if element.name == name else f"</{element.name}>")
        if element.role == "table":
            out.append("</div>")
        if element.name == name:
            return
