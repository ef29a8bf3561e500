"""Adversarial checks shared by tests/test_hostile.py and tools/fuzz.py.

- An inspector that finds executable content (script, event handlers, ``javascript:`` URLs,
  ``srcdoc``, ``meta http-equiv``, ``base``, ``object``, ``embed``, forms …) and broken structure
  (XML that does not parse, GIFT with injected blocks, unsafe archive entry names) in every output
  of a build: HTML pages, the quiz data blocks whose fragments quiz.js puts into ``innerHTML``,
  the HTML fields of Moodle backups and Moodle XML, GIFT's texts, inside ZIPs and tar.gz too.
  HTML is parsed with an HTML5 parser (lexbor, scripting on) as a browser would.
- A sandbox: a folder holding the content copy, material outside the content folder and the
  output folder, with snapshots that show every file created, changed or deleted.
- The verdict on one build: exactly one of :data:`CLASSES`.
- The hostile payloads both generators draw from.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

import packager

# The theme's own scripts: the quiz player (shared HTML pages), the checklist's print button
# (assignment pages), the site's navigation toggle and the SCORM runtime.
THEME_FILES = {
    "kinds.js": Path(packager.__file__).parent / "targets" / "html" / "theme" / "kinds.js",
    "quiz.js": Path(packager.__file__).parent / "targets" / "html" / "theme" / "quiz.js",
    "task.js": Path(packager.__file__).parent / "targets" / "html" / "theme" / "task.js",
    "nav.js": Path(packager.__file__).parent / "targets" / "html" / "theme" / "nav.js",
    "scorm.js": Path(packager.__file__).parent / "targets" / "scorm" / "scorm.js",
}
THEME_SCRIPTS = ("kinds.js", "quiz.js", "task.js", "nav.js", "scorm.js")
MANIFEST = ".packager-outputs.json"  # the build's record of what it wrote; may be in -o
STAGING_PREFIX = ".packager-staging-"
ALLOWED_HOST = "www.youtube-nocookie.com"  # in the fixture course's iframe_hosts
CANARY = "CANARY-5e1f0c-outside-the-content-folder"
SANDBOX_MARK = "@SANDBOX@"  # replaced by the sandbox's deep folder when files are written

# ------------------------------------------------------------------------------------------
# payloads

HTML_PAYLOADS: dict[str, str] = {
    # foreign content: what a sanitizer serialises is not what the browser parses
    "svg-style": "<svg><style><img src=x onerror=alert(1)>",
    "math-mglyph": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-animate-href": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
    '<text y="20">x</text></a></svg>',
    "svg-cdata": "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    # comment tricks
    "comment-bang": "<!-- --!><img src=x onerror=alert(1)> -->",
    "comment-short": "<!--><img src=x onerror=alert(1)>-->",
    "noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "style-break": "<style></style><img src=x onerror=alert(1)>",
    "title-break": "<title><img src=x onerror=alert(1)></title>",
    "textarea-break": "<textarea></textarea><img src=x onerror=alert(1)></textarea>",
    # dangerous attributes on allowed elements
    "iframe-srcdoc": f'<iframe src="https://{ALLOWED_HOST}/embed/x" '
    'srcdoc="<script>alert(1)</script>" onload="alert(1)"></iframe>',
    "iframe-js": '<iframe src="javascript:alert(1)"></iframe>',
    "img-onerror": "<img src=x onerror=alert(1)>",
    "p-onclick": '<p onclick="alert(1)" ONMOUSEOVER=alert(1)>x</p>',
    "button-formaction": '<button formaction="javascript:alert(1)">x</button>',
    "template-shadow": '<template shadowrootmode="open"><img src=x onerror=alert(1)></template>',
    # unknown or dangerous elements
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base": '<base href="javascript:alert(1)//">',
    "form": '<form action="javascript:alert(1)"><button>go</button></form>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="data:text/html,<script>alert(1)</script>">',
    "script": "<script>alert(1)</script>",
    "link-import": '<link rel="import" href="data:text/html,<script>alert(1)</script>">',
    # URLs
    "a-js": '<a href="javascript:alert(1)">x</a>',
    "a-js-spaced": '<a href="  JaVaScRiPt:alert(1)">x</a>',
    "a-js-entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "a-js-tab": '<a href="java&#9;script:alert(1)">x</a>',
    "a-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "a-data-html": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "md-link-js": "[x](javascript:alert(1))",
    "md-link-js-spaced": "[x](<  JaVaScRiPt:alert(1)>)",
    "md-link-entity": "[x](&#106;avascript:alert(1))",
    "md-image-js": "![x](javascript:alert(1))",
    "md-autolink-js": "<javascript:alert(1)>",
    "md-reference-js": "[x][r]\n\n[r]: javascript:alert(1)",
    "md-attr-list": 'x\n{: onclick="alert(1)" }',
    "md-in-html": '<div markdown="1">[x](javascript:alert(1)) <img src=x onerror=alert(1)></div>',
    # breaking out of a JSON data block or a CDATA section
    "json-breakout": "</script><script>alert(1)</script>",
    "cdata-end": "]]><img src=x onerror=alert(1)>",
}

TEXT_PAYLOADS: dict[str, str] = {
    "gift-syntax": "~ = # { } : // $CATEGORY: x ::a:: \\ %50%",
    "gift-category": "a\n\n$CATEGORY: $course$/top/injected\n\n::injected::{=1}",
    "xml-specials": "<>&\"' &amp; &lt; &#0; &#xFFFE;",
    "cdata-end": "]]></text><evil/>",
    "newlines": "a\nb\r\nc\rd\u2028e\u2029f\x85g",
    "controls": "\x00\x01\x08\x0b\x0c\x1b[31m\x7f\ufffe\uffff\u202e",
    "entity-surrogate": "&#xD800; &#0; &#xFFFE; &#x110000;",
    "long-word": "W" * 300,
    "markdown-breakers": "--- \n# h\n```\n<div>\n| a |\n!!! note\n[^1]",
}

TRAVERSALS: tuple[str, ...] = (
    "..",
    "../..",
    "../../outside/x",
    "a/../../../b",
    "./x",
    "x/",
    "a//b",
    f"{SANDBOX_MARK}/outside/abs",
    "C:\\x",
    "..\\..\\x",
    "%2e%2e/%2e%2e/x",
    ".packager-outputs",
    ".packager-staging-1",
    "site",
    "x" * 300,
)

BROKEN_FRONT_MATTER: tuple[str, ...] = (
    "---\ntitle: [unclosed\n---\n",
    "---\ntitle: never closed\n",
    "---\n\ttitle: tab\n---\n",
    "---\n- a\n- b\n---\n",
    "---\ntitle: a\ntitle: b\n---\n",
    "---\n: :\n---\n",
    '---\ntitle: "\\ud800"\n---\n',
    "---\ntitle: !!python/object/apply:os.system ['touch @SANDBOX@/pwned']\n---\n",
    "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    "title: *d\n---\n",
    "---\nminutes: 99999999999999999999999999999\ntitle: x\n---\n",
    "---\ntitle: x\n...\n",
    "---\r\ntitle: crlf\r\n---\r\n",
    "\ufeff---\ntitle: bom\n---\n",
)


def deep_nesting(kind: str, n: int) -> str:
    """Markdown or HTML nested ``n`` levels deep."""
    return {
        "quote": ">" * n + " x",
        "list": "\n".join("  " * i + "- x" for i in range(n)),
        "div": "<div>" * n + "x" + "</div>" * n,
        "brackets": "[" * n + "x" + "]" * n,
        "emphasis": "*" * n + "x" + "*" * n,
        "links": "[" * n + "x" + "](y)" * n,
        "braces": "{" * n + "x" + "}" * n,
    }[kind]


NESTING_KINDS = ("quote", "list", "div", "brackets", "emphasis", "links", "braces")


def yaml_scalar(text: str, style: str) -> str:
    """``text`` as a YAML value: "double" (escapes, even lone surrogates), "plain" (as written,
    which may break the YAML), or "literal" (a | block)."""
    if style == "double":
        return json.dumps(text)  # JSON strings are YAML double-quoted scalars
    if style == "literal":
        return "|\n" + "\n".join("  " + line for line in text.split("\n"))
    return text


def png_bytes(width: int = 24, height: int = 16, color: tuple[int, int, int] = (200, 30, 30)):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


# ------------------------------------------------------------------------------------------
# the inspector: executable content and broken structure

URL_ATTRS = frozenset(
    ("href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc",
     "codebase", "dynsrc", "lowsrc", "icon", "manifest", "classid", "archive", "ping")
)  # fmt: skip
FORBIDDEN_ELEMENTS = frozenset(
    ("base", "object", "embed", "applet", "frame", "frameset", "portal", "param", "isindex")
)
SAFE_DATA_TYPES = frozenset(
    ("", "text/plain", "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif")
)
# Keys of the quiz data whose strings quiz.js puts into innerHTML (see packager/targets/html/theme/quiz.js):
# every feedback, the hints, and the interface strings (some are not escaped).
HTML_SINK_KEYS = frozenset(("feedback", "hints", "strings"))
_STRIP_URL = "".join(chr(c) for c in range(0x21))  # what browsers strip: C0 controls, space
_STYLE_BAD = re.compile(
    r"(javascript|vbscript)\s*:|expression\s*\(|-moz-binding|behavior\s*:", re.I
)


def dangerous_url(value: str) -> str | None:
    """Why a URL would run script when followed or loaded, or None."""
    url = value.strip(_STRIP_URL)
    url = re.sub(r"[\t\n\r]", "", url).lower()
    for scheme in ("javascript:", "vbscript:", "livescript:"):
        if url.startswith(scheme):
            return f"{scheme} URL"
    if url.startswith("data:"):
        kind = re.split(r"[;,]", url[5:], maxsplit=1)[0].strip()
        if kind not in SAFE_DATA_TYPES:
            return f"data: URL of type {kind or '?'}"
    return None


def _elements(root: LexborNode) -> Iterator[LexborNode]:
    """Every element under ``root``, the contents of <template> (declarative shadow roots are
    live) included."""
    for node in root.traverse(include_text=False):
        if node.tag and not node.tag.startswith(("-", "_")):
            yield node
    for fragment in root.template_fragments():
        yield from _elements(fragment)


def _theme_script(src: str) -> bool:
    path = PurePosixPath(src)
    return (
        not re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I)
        and path.name in THEME_SCRIPTS
        and path.parent.name == "assets"
        and "?" not in src
        and "#" not in src
    )


def html_problems(
    text: str,
    where: str,
    fragment: bool = False,
    allowed_hosts: Iterable[str] | None = None,
) -> list[str]:
    """Executable content in an HTML page (or, with ``fragment``, a fragment put into
    innerHTML). Pages may hold the theme's own scripts, quiz data blocks and quiz form."""
    if not text.strip():
        return []
    # lone surrogates (from JSON escapes) become U+FFFD, as in a browser
    tree = LexborHTMLParser(text.encode("utf-8", "surrogatepass"), scripting=True)
    if tree.root is None:
        return []
    hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}
    problems: list[str] = []

    def bad(node: LexborNode, what: str) -> None:
        shown = (node.html or "")[:120].replace("\n", " ")
        problems.append(f"{where}: {what}: {shown}")

    for node in _elements(tree.root):
        tag = node.tag.lower()
        attrs = {(k or "").lower(): (v or "") for k, v in node.attributes.items()}
        if tag in FORBIDDEN_ELEMENTS:
            bad(node, f"<{tag}> element")
        elif tag == "script":
            problems += _script_problems(node, attrs, where, fragment, bad)
        elif tag == "form" and (
            fragment
            or "quiz" not in attrs.get("class", "").split()
            or "data-quiz" not in attrs
            or {"action", "method", "target"} & set(attrs)
        ):
            bad(node, "<form> element")
        elif tag == "meta" and (fragment or "http-equiv" in attrs):
            bad(node, "<meta http-equiv> element" if "http-equiv" in attrs else "<meta> element")
        elif tag == "link" and (
            fragment or not set(attrs.get("rel", "").lower().split()) <= {"stylesheet", "icon"}
        ):
            bad(node, "<link> element")
        elif tag in ("animate", "set") and "href" in attrs.get("attributename", "").lower():
            bad(node, "SVG animation of href")
        elif tag == "iframe" and hosts is not None:
            host = re.match(r"^\s*https://([^/?#:]+)", attrs.get("src", ""), re.I)
            if not host or host[1].lower() not in hosts:
                bad(node, "<iframe> from a host not in iframe_hosts")
        for name, value in attrs.items():
            local = name.rsplit(":", 1)[-1]
            if local.startswith("on"):
                bad(node, f"event handler attribute {name}")
            elif local == "srcdoc":
                bad(node, "srcdoc attribute")
            elif local in URL_ATTRS or name.endswith(":href"):
                reason = dangerous_url(value)
                if reason:
                    bad(node, f"{reason} in {name}")
            elif local in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    reason = dangerous_url(candidate.strip().split(" ")[0])
                    if reason:
                        bad(node, f"{reason} in {name}")
            elif local in ("values", "to", "from") and tag in ("animate", "set"):
                for part in value.split(";"):
                    if reason := dangerous_url(part):
                        bad(node, f"{reason} in SVG {name}")
            elif local == "style" and _STYLE_BAD.search(value):
                bad(node, "script in a style attribute")
    return problems


def _script_problems(
    node: LexborNode,
    attrs: dict[str, str],
    where: str,
    fragment: bool,
    bad: Callable[[LexborNode, str], None],
) -> list[str]:
    """A page may load the theme's scripts and hold quiz data blocks; nothing else."""
    body = node.text(deep=True) or ""
    kind = attrs.get("type", "").strip().lower()
    if fragment:
        bad(node, "<script> element")
    elif "src" in attrs:
        if not _theme_script(attrs["src"]) or body.strip() or kind:
            bad(node, "<script> element that is not one of the theme's")
    elif kind == "application/json":
        return json_problems(body, f"{where} (quiz data)")
    else:
        bad(node, "<script> element")
    return []


def json_problems(text: str, where: str) -> list[str]:
    """A quiz data block: it must be JSON, and the HTML it hands to innerHTML must be safe."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [f"{where}: the data block is not JSON ({exc})"]
    problems: list[str] = []

    def walk(value: object, path: str, sink: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}", sink or key in HTML_SINK_KEYS)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]", sink)
        elif isinstance(value, str) and sink:
            problems.extend(html_problems(value, f"{where} {path}", fragment=True))

    walk(data, "$", False)
    return problems


def _parse_xml(data: bytes, where: str) -> tuple[etree._Element | None, list[str]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return None, [f"{where}: not well-formed XML ({exc})"]
    if root.getroottree().docinfo.internalDTD is not None:
        return root, [f"{where}: the XML has a DTD (entities)"]
    return root, []


def xml_problems(data: bytes, where: str) -> list[str]:
    """An XML output: well-formed, no DTD, and its HTML fields safe. A field holds HTML in a
    Moodle backup when it has a ``<name>format</name>`` sibling that is not 2 (plain text), and
    in Moodle XML when its parent has a ``format`` attribute other than plain_text, and in QTI
    when a ``mattext`` is ``text/html``."""
    root, problems = _parse_xml(data, where)
    if root is None:
        return problems
    for el in root.iter():
        if not isinstance(el.tag, str) or len(el) or not el.text:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        local = etree.QName(el).localname
        if el.tag == "text":
            fmt = parent.get("format")
            html = fmt is not None and fmt != "plain_text"
        elif local == "mattext":  # QTI (Common Cartridge)
            html = el.get("texttype") == "text/html"
        else:
            sibling = "answerformat" if el.tag == "answertext" else el.tag + "format"
            fmt_el = parent.find(sibling)
            html = fmt_el is not None and (fmt_el.text or "").strip() != "2"
        if html:
            problems += html_problems(el.text, f"{where} <{el.tag}>", fragment=True)
        if el.tag == "file" and el.get("encoding") == "base64":
            try:
                blob = base64.b64decode(el.text, validate=False)
            except ValueError:
                continue
            name = el.get("name") or "file"
            problems += entry_problems(name, blob, f"{where} <file>", attachment=True)
    return problems


_GIFT_SPECIAL = "{}~=#"


def _gift_segments(text: str) -> tuple[list[str], list[str]]:
    """Split a GIFT question (after its name) at unescaped {}~=#: the texts, unescaped, and the
    structural characters met."""
    segments, marks, cur = [], [], []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            cur.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        if ch in _GIFT_SPECIAL:
            segments.append("".join(cur))
            marks.append(ch)
            cur = []
        else:
            cur.append(ch)
        i += 1
    segments.append("".join(cur))
    return segments, marks


def _gift_name_end(block: str) -> int:
    """Where the ``::name::`` of a question ends (after the second unescaped ``::``), or -1."""
    i = 2
    while i < len(block) - 1:
        if block[i] == "\\":
            i += 2
            continue
        if block[i : i + 2] == "::":
            return i + 2
        i += 1
    return -1


def gift_problems(text: str, where: str, per_quiz: bool) -> list[str]:
    """GIFT: every block a category line or a named question with one balanced answer block;
    one category in a per-quiz file; texts safe as HTML unless marked [plain]."""
    problems: list[str] = []
    categories = 0
    for number, raw in enumerate(re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")), 1):
        lines = [ln for ln in raw.split("\n") if not ln.strip().startswith("//")]
        block = "\n".join(lines).strip()
        if not block:
            continue
        label = f"{where} block {number}"
        if block.startswith("$CATEGORY:"):
            categories += 1
            if "\n" in block:
                problems.append(f"{label}: a category block holds more than one line")
            continue
        end = _gift_name_end(block) if block.startswith("::") else -1
        if end < 0:
            problems.append(f"{label}: a block that is not a named question: {block[:80]!r}")
            continue
        body = block[end:]
        fmt = re.match(r"\s*\[(html|moodle|markdown|plain)\]", body)
        plain = bool(fmt and fmt[1] == "plain")
        segments, marks = _gift_segments(body[fmt.end() :] if fmt else body)
        braces = [m for m in marks if m in "{}"]
        if braces not in ([], ["{", "}"]):
            problems.append(f"{label}: unbalanced or repeated answer braces")
        for segment in segments:
            segment = re.sub(r"^%-?[\d.]+%", "", segment)
            if not plain:
                problems += html_problems(segment, label, fragment=True)
    if per_quiz and categories != 1:
        problems.append(f"{where}: {categories} $CATEGORY lines in a one-quiz file")
    return problems


def _unsafe_name(name: str) -> bool:
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or ".." in name.split("/")
        or any(ord(c) < 0x20 for c in name)
    )


def archive_entries(data: bytes, where: str) -> tuple[dict[str, bytes], list[str]]:
    """The files of a ZIP or a (gzip-compressed) tar, and problems with their names or kinds."""
    entries: dict[str, bytes] = {}
    problems: list[str] = []
    try:
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = zf.namelist()
                if len(set(names)) != len(names):
                    problems.append(f"{where}: duplicate entry names")
                for info in zf.infolist():
                    if stat.S_ISLNK(info.external_attr >> 16):
                        problems.append(f"{where}!{info.filename}: a symbolic link entry")
                    if not info.is_dir():
                        entries[info.filename] = zf.read(info)
        else:
            raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
            with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
                for member in tar.getmembers():
                    if member.isfile():
                        entries[member.name] = tar.extractfile(member).read()  # type: ignore[union-attr]
                    elif not member.isdir():
                        problems.append(f"{where}!{member.name}: a link or device entry")
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
        return {}, [f"{where}: unreadable archive ({exc})"]
    problems += [f"{where}!{n!r}: unsafe entry name" for n in entries if _unsafe_name(n)]
    return entries, problems


def _theme_bytes(name: str) -> bytes | None:
    path = THEME_FILES.get(name)
    return path.read_bytes() if name in THEME_SCRIPTS and path and path.is_file() else None


def entry_problems(
    name: str,
    data: bytes,
    where: str,
    canaries: Iterable[bytes] = (),
    allowed_hosts: Iterable[str] | None = None,
    depth: int = 0,
    attachment: bool = False,
) -> list[str]:
    """Problems in one output file (or archive entry) named ``name``. Attachments (files in
    media/ or files/, or embedded in a question) are the author's files: HTML, SVG and XML
    ones must hold nothing executable; their structure is theirs."""
    problems = [f"{where}: holds {c.decode()!r}" for c in canaries if c in data]
    path = PurePosixPath(name.lower())
    ext = path.suffix
    attachment = attachment or bool({"media", "files"} & set(path.parts[:-1]))
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    archive = data[:4] == b"PK\x03\x04" or data[:2] == b"\x1f\x8b"
    if archive and ext not in (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf"):
        if depth > 3:
            return [*problems, f"{where}: archives nested too deep"]
        entries, found = archive_entries(data, where)
        problems += found
        for entry, blob in sorted(entries.items()):
            problems += entry_problems(
                entry, blob, f"{where}!{entry}", canaries, allowed_hosts, depth + 1
            )
        return problems
    text = data.decode("utf-8", "replace")
    page = re.match(rb"<!doctype html|<html[\s>]", head, re.I) is not None
    if ext in (".html", ".htm", ".xhtml"):
        fragment = attachment and not page
        problems += html_problems(text, where, fragment=fragment, allowed_hosts=allowed_hosts)
    elif ext == ".svg":
        problems += html_problems(text, where, fragment=True)
    elif attachment and (ext == ".xml" or head.startswith(b"<")):
        problems += html_problems(text, where, fragment=not page, allowed_hosts=allowed_hosts)
    elif ext == ".xml" or head.startswith(b"<?xml"):
        problems += xml_problems(data, where)
    elif ext == ".gift":
        per_quiz = "questions" in path.parts[:-1] or "/questions/" in where
        problems += gift_problems(text, where, per_quiz)
    elif ext in (".js", ".mjs") and path.parent.name == "assets":
        if _theme_bytes(path.name) != data:
            problems.append(f"{where}: a theme script that is not the theme's")
    elif head.startswith(b"<") and ext not in (".css", ".txt", ".md", ".json", ".js"):
        problems += html_problems(text, where, fragment=not page, allowed_hosts=allowed_hosts)
    return problems


def output_problems(
    out_dir: Path,
    canaries: Iterable[bytes] = (CANARY.encode(),),
    allowed_hosts: Iterable[str] | None = None,
    skip: Iterable[str] = (),
) -> list[str]:
    """Every problem in every file of an output folder (the build's manifest aside, and the
    files in ``skip``: relative paths already inspected)."""
    problems: list[str] = []
    canaries = tuple(canaries)
    skipped = set(skip)
    for path in sorted(Path(out_dir).rglob("*")):
        rel = path.relative_to(out_dir).as_posix()
        if path.is_symlink():
            problems.append(f"{rel}: a symbolic link in the output folder")
        elif path.is_file() and rel != MANIFEST and rel not in skipped:
            problems += entry_problems(rel, path.read_bytes(), rel, canaries, allowed_hosts)
    return problems


# ------------------------------------------------------------------------------------------
# stderr: every message located

LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|warning): \S")
PATH_ERROR = re.compile(r"^(?P<path>.+?): error: \S")
SUMMARIES = (
    re.compile(r"^\d+ errors?(?:, \d+ warnings?)?; nothing was built\.$"),
    re.compile(r"^nothing was changed in the output folder\.$"),
    re.compile(r"^packager: warning: -O \S+: "),  # an option for a target not being built
)


def _lines_of(path: Path) -> int | None:
    """How many lines an editor shows for the file (CR, LF and CRLF end a line)."""
    try:
        if path.is_dir():
            return 1
        data = path.read_bytes() if path.is_file() else None
    except OSError:
        return None
    if data is None:
        return None
    return data.count(b"\n") + data.replace(b"\r\n", b"").count(b"\r") + 1


def stderr_problems(stderr: str, content: Path, out_dir: Path) -> list[str]:
    """Lines of stderr that are neither located diagnostics (``path:line:col: error|warning:``,
    the path a file of the content folder and the line inside it), nor an output-folder error
    (``path: error:`` with a path in -o or the content folder), nor a summary line."""
    problems: list[str] = []
    if "Traceback (most recent call last)" in stderr:
        tail = stderr[stderr.index("Traceback") :].strip().splitlines()
        return [f"traceback: {tail[-1] if tail else ''}"]
    roots = {str(out_dir), os.path.realpath(out_dir), str(content), os.path.realpath(content)}
    for line in stderr.splitlines():
        if not line.strip() or any(s.match(line) for s in SUMMARIES):
            continue
        m = LOCATED.match(line)
        if m:
            rel = m["path"]
            lines = _lines_of(content / rel)
            if lines is None and rel not in ("course.yml", "course.yaml"):
                problems.append(f"diagnostic names a file that is not there: {line[:160]}")
            elif lines is not None and int(m["line"]) > lines:
                problems.append(f"diagnostic line beyond the end of the file: {line[:160]}")
            continue
        m = PATH_ERROR.match(line)
        if m and any(m["path"].startswith(r) for r in roots):
            continue
        problems.append(f"unlocated message: {line[:160]}")
    return problems


# ------------------------------------------------------------------------------------------
# snapshots


def snapshot(root: Path, skip: Iterable[Path] = ()) -> dict[str, str]:
    """Every path under ``root`` (not following links) with its kind, mode and digest."""
    skipped = {os.path.abspath(p) for p in skip}
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if os.path.join(folder, d) not in skipped)
        for name in dirs + sorted(files):
            path = os.path.join(folder, name)
            if path in skipped:
                continue
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = "link:" + os.readlink(path)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = "dir"
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    digest = hashlib.file_digest(fh, "sha256").hexdigest()
                out[rel] = f"file:{stat.S_IMODE(st.st_mode):o}:{digest}"
            else:
                out[rel] = "special"
    return out


def snapshot_diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    changes = [f"created {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"deleted {p}" for p in sorted(before.keys() - after.keys())]
    changes += [
        f"changed {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]
    ]
    return changes


def debris(out_dir: Path) -> list[str]:
    """Staging folders and temporary files a build may leave in the output folder: folders
    named .packager-staging-*, files named *.tmp or .tmp-*, and hidden folders at the top
    (temporary folders beside an output). Hidden files at the top may be outputs (a short name
    can start with a dot), so they are not counted."""
    found = []
    out_dir = Path(out_dir)
    for path in out_dir.rglob("*"):
        name = path.name
        is_dir = path.is_dir() and not path.is_symlink()
        if (
            (is_dir and name.startswith(STAGING_PREFIX))
            or (not is_dir and (name.endswith(".tmp") or name.startswith(".tmp-")))
            or (is_dir and name.startswith(".") and path.parent == out_dir)
        ):
            found.append(path.relative_to(out_dir).as_posix())
    return sorted(found)


# ------------------------------------------------------------------------------------------
# the sandbox and the verdict

CLASSES = (
    "clean located error",
    "accepted",
    "traceback",
    "hang",
    "outside write",
    "executable output",
    "changed previous output",
)
GOOD = CLASSES[:2]
# a case with problems of several classes goes to the first of these
SEVERITY = ("outside write", "executable output", "changed previous output", "hang", "traceback")
FOREIGN = "notes-of-the-author.txt"  # a file in -o that no build wrote: it must survive
SANDBOX_DEPTH = 14  # folders between the sandbox root and -o: room for 13 ".." segments


_KINDS = (
    r"event handler attribute \w+",
    r"<meta http-equiv> element",
    r"<[\w-]+> element(?: that is not one of the theme's)?",
    r"(?:javascript|vbscript|livescript): URL in (?:SVG )?[\w-]+(?::[\w-]+)?",
    r"data: URL of type \S+",
    r"srcdoc attribute",
    r"SVG animation of href",
    r"script in a style attribute",
    r"<iframe> from a host not in iframe_hosts",
    r"the data block is not JSON",
    r"not well-formed XML",
    r"the XML has a DTD",
    r"\d+ \$CATEGORY lines in a one-quiz file",
    r"a block that is not a named question",
    r"unbalanced or repeated answer braces",
    r"a category block holds more than one line",
    r"unsafe entry name",
    r"a link or device entry|a symbolic link entry|a symbolic link in the output folder",
    r"holds 'CANARY[^']*'",
    r"a theme script that is not the theme's",
    r"unreadable archive",
)


def problem_kind(detail: str) -> str:
    """What a problem is, without where: to count problems of one kind together."""
    for pattern in _KINDS:
        m = re.search(pattern, detail)
        if m:
            return re.sub(r"\d+", "N", m[0])
    text = re.sub(r"/[^\s:'\"]*/", "…/", detail)  # folders of the sandbox
    return re.sub(r"\d+", "N", text)[:90]


@dataclass
class Run:
    exit_code: int | None  # None: still running after the timeout (then stopped)
    stderr: str
    seconds: float = 0.0
    killed: bool = False  # it did not stop on SIGTERM: SIGKILL left it no chance to clean up


@dataclass
class Verdict:
    cls: str
    problems: list[tuple[str, str]] = field(default_factory=list)  # (class, detail)

    @property
    def ok(self) -> bool:
        return self.cls in GOOD

    def report(self, limit: int = 12) -> str:
        lines = [f"[{c}] {d}" for c, d in self.problems]
        if len(lines) > limit:
            lines[limit:] = [f"… and {len(lines) - limit} more"]
        return "\n".join(lines) or self.cls


class Sandbox:
    """``root/d1/…/dN/`` holds ``content/`` (the course), ``outside/`` (files beside it, with
    the canary) and ``build/o/`` (the output folder); ``root/tmp`` is the build's TMPDIR."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.deep = self.root.joinpath(*(f"d{i}" for i in range(1, SANDBOX_DEPTH - 1)))
        self.content = self.deep / "content"
        self.outside = self.deep / "outside"
        self.out = self.deep / "build" / "o"
        self.tmp = self.root / "tmp"
        self.home = self.root / "home"
        self._inspected = False
        for folder in (self.outside, self.out, self.tmp, self.home):
            folder.mkdir(parents=True, exist_ok=True)
        (self.outside / "secret.txt").write_text(CANARY + "\n", encoding="utf-8")
        (self.outside / "secret.md").write_text(
            f"---\ntitle: {CANARY}\n---\n{CANARY}\n", encoding="utf-8"
        )
        (self.outside / "secret.gift").write_text(f"::{CANARY}::{CANARY}{{=a}}\n", "utf-8")
        (self.outside / "secret.png").write_bytes(png_bytes(31, 17, (1, 2, 3)))
        module = self.outside / "module"
        module.mkdir(exist_ok=True)
        (module / "module.md").write_text(f"---\ntitle: {CANARY}\n---\n", encoding="utf-8")
        (module / "01-secret.md").write_text(
            f"---\ntitle: {CANARY}\n---\n{CANARY}\n", encoding="utf-8"
        )

    def materialize(self, text: str) -> str:
        return text.replace(SANDBOX_MARK, str(self.deep))

    def write_files(self, files: dict[str, bytes | str | Symlink]) -> None:
        """Write a course into ``content/``: texts get the sandbox mark replaced."""
        for rel, value in files.items():
            path = self.content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(value, Symlink):
                path.symlink_to(self.materialize(value.target))
            elif isinstance(value, str):
                path.write_bytes(self.materialize(value).encode("utf-8", "surrogatepass"))
            else:
                path.write_bytes(value)

    def previous_output(self, template: Path | None, inspected: bool = False) -> None:
        """Fill -o with an earlier build's output and a file of the author's. With
        ``inspected`` (the template was found clean), files left unchanged are not inspected
        again."""
        if template is not None:
            shutil.copytree(template, self.out, symlinks=True, dirs_exist_ok=True)
        (self.out / FOREIGN).write_text("the author's notes\n", encoding="utf-8")
        self._inspected = inspected

    def before(self) -> None:
        self._outside = snapshot(self.root, skip=(self.out, self.tmp))
        self._output = self._out_snapshot()

    def _out_snapshot(self) -> dict[str, str]:
        snap = snapshot(self.out)
        snap.pop(MANIFEST, None)
        return snap

    def verdict(self, run: Run, allowed_hosts: Iterable[str] | None = None) -> Verdict:
        found: list[tuple[str, str]] = []
        outside = snapshot(self.root, skip=(self.out, self.tmp))
        for change in snapshot_diff(self._outside, outside):
            found.append(("outside write", change))
        after = self._out_snapshot()
        if after.get(FOREIGN) != self._output.get(FOREIGN):
            found.append(("changed previous output", f"the author's file {FOREIGN} was touched"))
        if not run.killed:  # a build killed with SIGKILL cannot tidy up
            for entry in debris(self.out):
                if entry not in self._output:
                    found.append(("changed previous output", f"left behind in -o: {entry}"))
            if run.exit_code != 0:
                for change in snapshot_diff(self._output, after):
                    found.append(("changed previous output", f"after a failure: {change}"))
        same = [r for r, v in after.items() if self._output.get(r) == v]
        skip = same if self._inspected else ()
        for problem in output_problems(self.out, allowed_hosts=allowed_hosts, skip=skip):
            found.append(("executable output", problem))
        if run.exit_code is None:
            how = "killed" if run.killed else "stopped by SIGTERM"
            found.append(("hang", f"still running after {run.seconds:.0f} s ({how})"))
        else:
            crashes = stderr_problems(run.stderr, self.content, self.out)
            found += [("traceback", p) for p in crashes]
            if run.exit_code not in (0, 1) and not any(p.startswith("traceback") for p in crashes):
                found.append(("traceback", f"exit code {run.exit_code}"))
        for cls in SEVERITY:
            if any(c == cls for c, _ in found):
                return Verdict(cls, found)
        return Verdict("accepted" if run.exit_code == 0 else "clean located error", found)


@dataclass(frozen=True)
class Symlink:
    target: str  # may hold SANDBOX_MARK


def child_env(sandbox: Sandbox, cache: Path) -> dict[str, str]:
    """The environment of a build run in a sandbox: its own TMPDIR and HOME, a shared image
    cache, the full traceback of an internal error."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(
        TMPDIR=str(sandbox.tmp),
        HOME=str(sandbox.home),
        PACKAGER_CACHE_DIR=str(cache),
        PACKAGER_DEBUG="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env
