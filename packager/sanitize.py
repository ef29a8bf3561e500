"""The HTML that course content may contain: one allow-list, enforced by an HTML5 parser.

The tables below are the whole policy. ``markup`` reports everything outside them to the author
(with the line); :func:`sanitize` removes it from every fragment a target writes. The sanitizer
is ammonia (through nh3), whose html5ever parser reads markup the way browsers do, so what it
lets through is what a learner's browser sees, even where a check reading the HTML another way
missed something.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nh3

# Attributes every allowed element may have (plus any attribute starting with a prefix).
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role"})
GLOBAL_PREFIXES = ("aria-",)


def _plain(*tags: str) -> dict[str, frozenset[str]]:
    return {tag: frozenset() for tag in tags}


# Allowed elements, each with the attributes it may have besides the global ones.
ELEMENTS: dict[str, frozenset[str]] = {
    **_plain("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "br", "hr", "blockquote"),
    **_plain("pre", "code", "kbd", "samp", "var", "em", "strong", "b", "i", "u", "s", "small"),
    **_plain("mark", "sub", "sup", "abbr", "dfn", "cite", "q", "del", "ins", "wbr", "bdi"),
    **_plain("ul", "dl", "dt", "dd", "figure", "figcaption", "summary"),
    **_plain("table", "caption", "thead", "tbody", "tfoot", "tr"),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "colgroup": frozenset({"span"}),
    "col": frozenset({"span"}),
    "th": frozenset({"scope", "colspan", "rowspan", "headers", "abbr"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "a": frozenset({"href", "rel"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "audio": frozenset({"src", "controls", "preload", "loop", "muted"}),
    "video": frozenset(
        {"src", "poster", "controls", "width", "height", "preload", "loop", "muted"}
    ),
    "source": frozenset({"src", "type"}),
    "track": frozenset({"kind", "src", "srclang", "label", "default"}),
    # only with an https src from one of the course's iframe_hosts (see iframe_host)
    "iframe": frozenset({"src", "width", "height", "allow", "allowfullscreen", "loading"}),
}

# Attributes allowed only with one of a few values (Markdown tables align their columns so).
ATTRIBUTE_VALUES: dict[str, dict[str, frozenset[str]]] = {
    "th": {"align": frozenset({"left", "center", "right"})},
    "td": {"align": frozenset({"left", "center", "right"})},
}

# Attributes that hold a URL, and the schemes a URL may have (a URL without one is relative).
# doc: and media: are the model's own references, replaced by every target (see refs.py).
URL_ATTRIBUTES = frozenset({"href", "src", "poster"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "doc", "media"})
# The one data: URL allowed, only as an <img src> (the GIFT bank embeds its images so).
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}")

# Removed with everything inside them (other elements that are not allowed lose only their tags).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "svg", "math", "object", "embed", "applet", "noscript"}
    | {"noembed", "noframes", "xmp", "plaintext", "title", "textarea", "select", "frameset"}
)

# Ids the pages' own scripts look up (quiz data blocks, the SCORM API in window): an element
# of the content with one of them would stand in for the real thing.
RESERVED_ID = re.compile(r"q[0-9-]*-(data|form)|API|API_1484_11|CourseQuiz(zes)?")

_HTTPS_URL = re.compile(r"https://(?P<host>[A-Za-z0-9.-]+)(:[0-9]{1,5})?([/?#][^\s\\]*)?")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IFRAME_BODY = re.compile(r"(<iframe\b[^>]*>).*?(</iframe>)", re.S | re.I)


def url_scheme(url: str) -> str | None:
    """The scheme of a URL as a browser reads it (lower case), None for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url).strip(_C0_AND_SPACE)
    match = _SCHEME.match(url)
    return match[1].lower() if match else None


def iframe_host(url: str) -> str | None:
    """The host of an https URL written plainly (no user name, no backslash), else None."""
    match = _HTTPS_URL.fullmatch(url.strip())
    return match["host"].lower() if match else None


def url_allowed(tag: str, attribute: str, url: str) -> bool:
    """Whether a URL attribute's value may stay (iframe hosts aside)."""
    scheme = url_scheme(url)
    if scheme == "data":
        return tag == "img" and attribute == "src" and DATA_IMAGE.fullmatch(url.strip()) is not None
    return scheme is None or scheme in URL_SCHEMES


def attribute_allowed(tag: str, name: str) -> bool:
    return (
        name in GLOBAL_ATTRIBUTES
        or name.startswith(GLOBAL_PREFIXES)
        or name in ELEMENTS.get(tag, ())
        or name in ATTRIBUTE_VALUES.get(tag, {})
    )


def sanitize(html: str, iframe_hosts: Iterable[str] = ()) -> str:
    """``html`` with everything outside the allow-list removed; comments too.

    ``iframe_hosts`` are the hosts iframes may show (https only); without any, no iframe stays.
    The result is deterministic and sanitizing it again changes nothing. Results are kept, so
    a fragment that every target writes is parsed once.
    """
    if "<" not in html and "&" not in html and "\x00" not in html:
        return html  # text without markup: nothing to remove
    if _SIMPLE.fullmatch(html):  # paragraphs of text with <strong> and <em>, as most are
        return html.replace("\xa0", "&nbsp;") if "\xa0" in html else html
    hosts = _hosts_key(tuple(iframe_hosts))
    key = (html, hosts)
    out = _done.get(key)
    if out is None:
        out = _cleaner(hosts).clean(html)
        if "<iframe" in out:
            # html5ever keeps an iframe's content as raw text; it never shows, so none is kept
            out = _IFRAME_BODY.sub(r"\1\2", out)
        if len(_done) >= _DONE_MAX:
            _done.clear()
        _done[key] = out
        _done[(out, hosts)] = out  # the model's HTML is sanitized when rendered and again later
    return out


_done: dict[tuple[str, tuple[str, ...]], str] = {}
# Paragraphs of text (none of the characters the cleaner writes otherwise: & < > NUL CR) with
# <strong> and <em> in them, not nested: the cleaner returns them as they are, but for each
# no-break space, which it writes "&nbsp;".
_TEXT = "[^<>&\x00\r]*"
_PARAGRAPH = rf"<p>{_TEXT}(?:<(?:strong>{_TEXT}</strong|em>{_TEXT}</em)>{_TEXT})*</p>"
_SIMPLE = re.compile(rf"{_PARAGRAPH}(?:\n{_PARAGRAPH})*")
_DONE_MAX = 8192


@lru_cache(maxsize=64)
def _hosts_key(hosts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({h.lower() for h in hosts}))


@lru_cache(maxsize=16)
def _cleaner(hosts: tuple[str, ...]) -> nh3.Cleaner:
    import nh3  # not before a fragment needs cleaning: most are simple (_SIMPLE)

    tags = set(ELEMENTS)
    dropped = set(DROPPED_WITH_CONTENT)
    if not hosts:
        tags.discard("iframe")
        dropped.add("iframe")
    attributes = {tag: set(names) for tag, names in ELEMENTS.items() if tag in tags}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    host_set = frozenset(hosts)

    def keep(tag: str, name: str, value: str) -> str | None:
        if name in URL_ATTRIBUTES:
            if not url_allowed(tag, name, value):
                return None
            if tag == "iframe" and iframe_host(value) not in host_set:
                return None
        elif name == "id" and RESERVED_ID.fullmatch(value):
            return None
        return value

    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=dropped,
        attributes=attributes,
        attribute_filter=keep,
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes=set(GLOBAL_PREFIXES),
        tag_attribute_values={
            tag: {name: set(values) for name, values in allowed.items()}
            for tag, allowed in ATTRIBUTE_VALUES.items()
        },
        url_schemes=set(URL_SCHEMES) | {"data"},
    )
