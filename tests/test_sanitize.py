"""HTML from the content is held to one allow-list: reported by the check, removed on output.

Three families of payloads got script into every target before: markup a browser reads
differently from the check (SVG/MathML content, comment tricks), dangerous attributes on allowed
elements, and elements the check did not know. Each is reported where it is written, and every
target's output stays free of anything that runs, even when the check is bypassed.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from packager.build import run_targets
from packager.diagnostics import Diagnostics
from packager.markup import Document, Renderer
from packager.model import (
    Choice,
    Cloze,
    Criterion,
    Essay,
    Matching,
    Numerical,
    Ordering,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from packager.refs import resolve
from packager.sanitize import ELEMENTS, sanitize, url_scheme
from packager.targets import TARGETS
from packager.targets.common import moodle_theme
from packager.targets.html.quizview import script_json

from .conftest import FIXTURE, load_course, problems

M1 = "01-основи"
HOSTS = ["www.youtube-nocookie.com"]
VIDEO = "https://www.youtube-nocookie.com/embed/x"

REPARSED = [  # family 1: markup a browser reads differently from an HTML4-style parser
    "<svg><style><img src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!-- --!><img src=x onerror=alert(1)> -->",
]
ATTRIBUTES = [  # family 2: dangerous attributes on allowed elements
    f'<iframe src="{VIDEO}" title="v" srcdoc="<script>alert(1)</script>"></iframe>',
    f'<iframe src="{VIDEO}" title="v" onload="alert(1)"></iframe>',
]
UNKNOWN = [  # family 3: elements the old check did not know
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><button>Go</button></form>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body { display: none }</style>",
]
PAYLOADS = REPARSED + ATTRIBUTES + UNKNOWN

MORE = [  # for the sanitizer alone: more ways in
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<a href=" JAVASCRIPT:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>',
    '<iframe src="https://evil.example\\@www.youtube-nocookie.com/"></iframe>',
    f'<iframe src="{VIDEO}"><img src=x onerror=alert(1)></iframe>',
    f'<iframe src="{VIDEO}"><p title="</iframe><img src=x onerror=alert(1)>"></p></iframe>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>',
    '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    "<?x> <img src=x onerror=alert(1)> ?>",
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><a href="javascript:alert(1)">x</a></math>',
    "<template><img src=x onerror=alert(1)></template>",
    '<video poster="javascript:alert(1)" src="javascript:alert(1)"></video>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div id="q-data">{"questions":[]}</div><a id="API">x</a>',
    "<select><option><img src=x onerror=alert(1)></option></select>",
    '<a href="https://ok.example/" target="_blank" ping="https://evil.example/">x</a>',
]

DANGEROUS = {"object", "embed", "applet", "base", "frame", "frameset", "svg", "math", "style"}
DANGEROUS |= {"template", "xmp", "plaintext", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "ping"}
URL_ATTRIBUTES |= {"xlink:href", "cite", "srcset", "lowsrc", "dynsrc"}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,")


def _url_problem(tag: str, name: str, value: str) -> str | None:
    scheme = url_scheme(value)
    if scheme in ("javascript", "vbscript"):
        return f"{scheme}: URL in <{tag} {name}>"
    if value == "data:,":  # empty (the SCORM pages' icon, so browsers ask for none)
        return None
    if scheme == "data" and not (tag == "img" and name == "src" and _DATA_IMAGE.match(value)):
        return f"data: URL in <{tag} {name}>"
    return None


THEME_STYLES = {moodle_theme.IMAGE_STYLE, moodle_theme.FRAME_STYLE}


def executable(html: str, page: bool = False) -> list[str]:
    """What in ``html`` could run script or change the page, as an HTML5 parser reads it.

    A whole ``page`` of ours may have its forms, stylesheets, theme scripts and JSON data.
    """
    found: list[str] = []
    tree = LexborHTMLParser(html)
    for node in tree.root.traverse(include_text=False):
        tag = node.tag
        attrs = {k.lower(): v or "" for k, v in node.attributes.items()}
        for name, value in attrs.items():
            if name == "style" and value in THEME_STYLES:
                continue  # the fixed size limits the Moodle backup adds (never the author's)
            if name.startswith("on") or name in ("srcdoc", "style", "formaction", "http-equiv"):
                found.append(f"{name} on <{tag}>")
            elif name in URL_ATTRIBUTES:
                problem = _url_problem(tag, name, value)
                if problem:
                    found.append(problem)
        if tag in DANGEROUS:
            found.append(f"<{tag}>")
        elif tag == "iframe" and not attrs.get("src", VIDEO).startswith(f"https://{HOSTS[0]}/"):
            found.append(f"<iframe src={attrs.get('src')}>")
        elif tag == "iframe" and node.text(deep=True).strip():
            found.append("<iframe> with content")
        elif tag == "script":
            if not page:
                found.append("<script>")
            elif attrs.get("type") == "application/json":
                found += _json_problems(node.text(deep=True))
            elif not attrs.get("src") or node.text(deep=True).strip():
                found.append("inline <script>")
        elif not page and tag in ("form", "input", "button", "select", "textarea", "meta", "link"):
            found.append(f"<{tag}>")
        elif page and tag == "form" and "action" in attrs:
            found.append("<form action>")
        elif page and tag == "link" and attrs.get("rel") not in ("stylesheet", "icon"):
            found.append(f"<link rel={attrs.get('rel')}>")
        elif page and tag == "meta" and set(attrs) - {"charset", "name", "content"}:
            found.append("<meta>")
    return found


def _json_problems(text: str) -> list[str]:
    if re.search("[<>&\u2028\u2029]", text):
        return ["a quiz's JSON data has a character that can end its <script>"]
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.extend(executable(value))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(text))
    return found


# ---------------------------------------------------------------------------------------------
# The sanitizer on its own


@pytest.mark.parametrize("payload", PAYLOADS + MORE)
def test_sanitized_payloads_run_nothing(payload):
    out = sanitize(payload, HOSTS)
    assert executable(out) == [], out
    assert sanitize(out, HOSTS) == out  # sanitizing again changes nothing


def test_without_iframe_hosts_no_iframe_stays():
    assert sanitize(f'<iframe src="{VIDEO}" title="v"></iframe><p>x</p>') == "<p>x</p>"


def test_an_allowed_iframe_keeps_only_its_allowed_attributes():
    html = (
        f'<iframe src="{VIDEO}" title="v" width="560" height="315" allow="autoplay" '
        'allowfullscreen loading="lazy" srcdoc="x" name="n" sandbox="">text</iframe>'
    )
    assert sanitize(html, HOSTS) == (
        f'<iframe src="{VIDEO}" title="v" width="560" height="315" allow="autoplay" '
        'allowfullscreen="" loading="lazy"></iframe>'
    )


def test_only_plain_image_data_urls_stay_and_only_on_images():
    png = "data:image/png;base64,iVBORw0KGgo="
    assert sanitize(f'<img src="{png}" alt="a">') == f'<img src="{png}" alt="a">'
    assert sanitize(f'<a href="{png}">x</a>') == "<a>x</a>"
    assert sanitize('<img src="data:image/svg+xml;base64,PHN2Zz4=">') == "<img>"
    assert sanitize('<img src="data:image/png,raw">') == "<img>"


def test_comments_go_and_reserved_ids_go():
    assert sanitize("<p>a<!-- hidden -->b</p>") == "<p>ab</p>"
    for ident in ("q-data", "q3--data", "q-form", "API", "API_1484_11", "CourseQuizzes"):
        assert sanitize(f'<p id="{ident}">x</p>') == "<p>x</p>"
    assert sanitize('<h2 id="open-data">x</h2>') == '<h2 id="open-data">x</h2>'


def test_what_markdown_writes_stays_as_it_is():
    html = (
        '<h2 id="h">H</h2>\n<div class="admonition note">\n<p class="admonition-title">T</p>\n'
        '</div>\n<p>x<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>\n'
        '<pre><code class="language-py">x &lt; 1\n</code></pre>\n<ol start="3">\n<li>a</li>\n'
        '</ol>\n<table>\n<thead>\n<tr>\n<th align="left">a</th>\n</tr>\n</thead>\n<tbody>\n'
        '<tr>\n<td align="right">1</td>\n</tr>\n</tbody>\n</table>\n<div class="footnote">\n'
        '<hr>\n<ol>\n<li id="fn:1">\n<p>n&nbsp;<a class="footnote-backref" href="#fnref:1" '
        'title="back">↩</a></p>\n</li>\n</ol>\n</div>\n<p><a href="doc:a/b#c">l</a> '
        '<img src="media:a/c.png" alt="" width="3" height="4"> <a href="mailto:a@b.c">m</a> '
        '<a href="tel:+359">t</a> <abbr title="x">X</abbr></p>'
    )
    assert sanitize(html, HOSTS) == html


def test_every_allowed_element_survives():
    inside = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th"}
    for tag in sorted(set(ELEMENTS) - inside - {"source", "track"}):
        if tag == "iframe":
            html = f'<iframe src="{VIDEO}" title="v"></iframe>'
        elif tag in ("br", "hr", "img", "wbr"):
            html = f"<{tag}>"
        else:
            html = f"<{tag}>x</{tag}>"
        assert sanitize(html, HOSTS) == html, tag
    table = '<table><caption>c</caption><colgroup><col span="2"></colgroup><thead><tr>'
    table += '<th scope="col" colspan="2">h</th></tr></thead><tbody><tr><td rowspan="1">d</td>'
    table += "</tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>"
    assert sanitize(table) == table
    media = '<video controls="" poster="media:p.png"><source src="media:v.mp4" type="video/mp4">'
    media += '<track kind="captions" src="media:v.vtt" srclang="bg" label="BG"></video>'
    assert sanitize(media) == media


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("<", ">", "/", "!", "-", "--", "=", '"', "'", " ", "?", "[", "]", "x", "on"),
                *("img", "svg", "math", "style", "script", "iframe", "p", "a", "table", "td"),
                *("mglyph", "mtext", "template", "noscript", "src", "href", "onerror", "&#9;"),
                *("alert(1)", "javascript:", "data:text/html,", "<!--", "-->", "--!>", "]]>"),
                *(f'src="{VIDEO}"', "srcdoc", "title", "textarea", "xmp", "select", "option"),
                "<![CDATA[",
            ]
        ),
        max_size=40,
    )
)
def test_random_markup_never_runs_and_sanitizes_once(pieces):
    html = "".join(pieces)
    out = sanitize(html, HOSTS)
    assert executable(out) == []
    assert sanitize(out, HOSTS) == out


def test_resolve_sanitizes_and_refuses_unsafe_target_urls():
    html = '<p onclick="x()"><a href="doc:a">l</a><img src="media:b.png" alt=""></p><script>x'
    assert resolve(html, lambda i: "javascript:alert(1)", lambda i: 'x" onerror="y') == (
        '<p><a href="">l</a><img src="x&quot; onerror=&quot;y" alt=""></p>'
    )
    png = "data:image/png;base64,AAAA"
    out = resolve('<img src="media:a" alt="">', str, lambda i: png)
    assert out == f'<img src="{png}" alt="">'
    html_data = "data:text/html;base64,PHNjcmlwdD4="
    assert resolve('<a href="media:a">x</a>', str, lambda i: html_data) == '<a href="">x</a>'


def test_quiz_data_cannot_end_its_script_element():
    data = {"a": "</script><script>alert(1)</script>", "b": "<!--<script>", "c": "&\u2028\u2029>"}
    text = script_json(data)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == data


# ---------------------------------------------------------------------------------------------
# The check: every payload is a located error, wherever it is written


def _lesson(root: Path, payload: str) -> tuple[Path, str]:
    path = root / M1 / "02-данни.md"
    return path, path.read_text("utf-8") + f"\n{payload}\n"


def _module(root: Path, payload: str) -> tuple[Path, str]:
    path = root / M1 / "module.md"
    return path, path.read_text("utf-8") + f"\n{payload}\n"


def _quiz(old: str, new: str):
    def edit(root: Path, payload: str) -> tuple[Path, str]:
        path = root / M1 / "03-тест.md"
        text = path.read_text("utf-8")
        assert old in text
        return path, text.replace(old, new.format(payload), 1)

    return edit


PLACES = {
    "lesson": _lesson,
    "module summary": _module,
    "question text": _quiz(
        "## Стратегията се преразглежда всяка година.\n",
        "## Стратегията се преразглежда всяка година.\n\n{}\n",
    ),
    "answer": _quiz("- ( ) Бюджетът\n", "- ( ) Бюджетът {}\n"),
    "feedback": _quiz(
        "  > Бюджетът е средство, а не цел.\n", "  > Бюджетът е средство, а не цел. {}\n"
    ),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_is_a_located_error(course_dir, place, payload):
    path, text = PLACES[place](course_dir, payload)
    path.write_text(text, "utf-8")
    line = text[: text.index(payload)].count("\n") + 1
    rel = path.relative_to(course_dir).as_posix()
    errors = [p for p in problems(course_dir) if ": error: " in p]
    assert all(e.startswith(f"{rel}:{line}:") for e in errors), errors
    assert any("not allowed" in e or "read differently" in e for e in errors), errors


@pytest.mark.parametrize(
    ("html", "col", "message"),
    [
        (
            '<p style="color:red">x</p>',
            4,
            'attribute style="…" on <p> is not allowed: the theme sets the look',
        ),
        (
            '<p data-x="1">x</p>',
            4,
            'attribute data-x="…" on <p> is not allowed (allowed there: class, dir, id, lang, '
            "role, title, aria-*)",
        ),
        (
            '<a href="data:text/html,x">x</a>',
            4,
            "a data: URL in <a href> is not allowed: save the file in the content folder and "
            "link to it",
        ),
        (
            '<a href="ftp://example.org/x">x</a>',
            4,
            "a ftp: URL in <a href> is not allowed: links may use http, https, mailto, tel or "
            "name a file in the content folder",
        ),
        (
            '<a href="doc:01-основи/01-стратегия">x</a>',
            4,
            "a doc: URL in <a href> is not allowed: link to the file itself (a lesson's .md "
            "file, an image)",
        ),
        (
            '<p id="q-data">x</p>',
            4,
            'id "q-data" is reserved for the pages the packager writes: choose another id',
        ),
        (
            "Press <Enter> to go on.",
            7,
            "<enter> is not allowed: only the HTML elements listed in the README may be used "
            "(if you meant the text, write it in `backticks`)",
        ),
        (
            '<table><tr><td align="justify">x</td></tr></table>',
            16,
            'align="justify" on <td> is not allowed (allowed values: center, left, right)',
        ),
        (
            '<iframe src="https://evil.example\\@www.youtube-nocookie.com/" title="x"></iframe>',
            1,
            '<iframe> from "www.youtube-nocookie.com" is not allowed: only https pages from the '
            "hosts in iframe_hosts in course.yml may be embedded (now: www.youtube-nocookie.com)",
        ),
        (
            '<iframe src="http://[" title="x"></iframe>',
            1,
            '<iframe> from "http://[" is not allowed: only https pages from the hosts in '
            "iframe_hosts in course.yml may be embedded (now: www.youtube-nocookie.com)",
        ),
    ],
)
def test_what_is_not_allowed_is_named(course_dir, html, col, message):
    path, text = _lesson(course_dir, html)
    path.write_text(text, "utf-8")
    assert problems(course_dir) == [f"{M1}/02-данни.md:11:{col}: error: {message}"]


def test_allowed_html_and_aligned_tables_pass(course_dir):
    path, text = _lesson(
        course_dir,
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        '<details open><summary>More</summary><p lang="en" aria-label="x">Text</p></details>\n\n'
        '<figure><img src="images/цикъл.png" alt="Цикъл"><figcaption>C</figcaption></figure>\n',
    )
    path.write_text(text, "utf-8")
    assert problems(course_dir) == []
    course, _ = load_course(course_dir)
    html = next(i for i in course.lessons if i.id.endswith("02-данни")).html
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert "<details open=" in html and 'aria-label="x"' in html


def test_html_browsers_build_differently_is_reported():
    renderer = Renderer("en", [])
    diags = Diagnostics()
    html = "<table><tr><td>a</td></tr><em>moved before the table by browsers</em></table>"
    out = renderer.html(Document("x.gift", html, 3), diags, _NoRefs())
    assert [str(d) for d in diags] == [
        "x.gift:3:27: error: this HTML is read differently by browsers (they see <em> where the "
        "check saw <table>); write plain Markdown or simpler HTML"
    ]
    assert out.startswith("<em>")


class _NoRefs:
    def link(self, target, line, col=1):
        return None

    def image(self, src, line, col=1):
        return None

    def remote(self, url, line, what, col=1):
        pass

    def missing_alt(self, src, line, col=1):
        pass


# ---------------------------------------------------------------------------------------------
# Every target: nothing that runs gets out, even past the check

MARK = "PAYLOAD-HERE"


def _poison(course) -> None:
    """Put the payloads into every HTML text of the model, as if the check had missed them:
    each text gets the next payload in turn (after a mark that shows the text got out), the
    course summary all of them."""
    payloads = itertools.cycle(PAYLOADS + MORE)
    add = lambda html: f"{html}<p>{MARK}</p>{next(payloads)}"  # noqa: E731
    course.summary += "".join(PAYLOADS + MORE)
    for module in course.modules:
        module.summary = add(module.summary)
        for lesson in module.lessons:
            lesson.html = add(lesson.html)
            lesson.objectives = [add(o) for o in lesson.objectives]
        for task in module.assignments:
            task.html = add(task.html)
            task.criteria = [Criterion(add(c.text), c.points) for c in task.criteria]
        for forum in module.forums:
            forum.html = add(forum.html)
        for quiz in module.quizzes:
            quiz.intro = add(quiz.intro)
            for q in quiz.questions:
                q.text = add(q.text)
                q.general_feedback = add(q.general_feedback)
                q.correct_feedback = add(q.correct_feedback)
                q.partial_feedback = add(q.partial_feedback)
                q.incorrect_feedback = add(q.incorrect_feedback)
                q.hints = [add(h) for h in q.hints] or [add("")]
                match q:
                    case SingleChoice(choices=c):
                        q.choices = [Choice(add(x.text), x.fraction, add(x.feedback)) for x in c]
                    case TrueFalse():
                        q.feedback_true = add(q.feedback_true)
                        q.feedback_false = add(q.feedback_false)
                    case ShortAnswer(answers=a) | Numerical(answers=a):
                        for x in a:
                            x.feedback = add(x.feedback)
                    case Matching(pairs=p):
                        for x in p:
                            x.prompt = add(x.prompt)
                    case Ordering():
                        q.items = [add(x) for x in q.items]
                    case Essay():
                        q.grader_info = add(q.grader_info)
                    case Cloze():
                        q.parts = [add(x) if isinstance(x, str) else x for x in q.parts]
                        for gap in q.gaps:
                            for option in gap.options:
                                option.feedback = add(option.feedback)


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file the build wrote, with the members of its archives."""
    files: dict[str, bytes] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        data = path.read_bytes()
        rel = path.relative_to(out).as_posix()
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                files |= {f"{rel}!{n}": zf.read(n) for n in zf.namelist() if not n.endswith("/")}
        elif path.suffix == ".mbz":
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                for m in tar.getmembers():
                    if m.isfile():
                        files[f"{rel}!{m.name}"] = tar.extractfile(m).read()
        else:
            files[rel] = data
    return files


def _xml_problems(data: bytes) -> list[str]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    found = []
    for el in root.iter():
        for text in (el.text, *el.attrib.values()):
            if text and "<" in text:
                found += executable(text)
    return found


def test_no_target_writes_anything_that_runs(tmp_path):
    course, _ = load_course(FIXTURE)
    _poison(course)
    out = tmp_path / "out"
    run_targets(course, out, list(TARGETS), Diagnostics())
    files = _outputs(out)
    seen_mark = {name: False for name in TARGETS}
    checked = 0
    for name, data in files.items():
        if name.endswith((".html", ".htm")):
            text = data.decode()
            found = executable(text, page=True)
        elif name.endswith(".xml"):
            text = data.decode()
            found = _xml_problems(data)
        elif name.endswith(".gift"):
            text = re.sub(r"\\(.)", r"\1", data.decode())  # GIFT's escapes
            found = executable(text)
        else:
            continue
        checked += 1
        assert found == [], (name, found[:5])
        if MARK in text and _target_of(name):
            seen_mark[_target_of(name)] = True
    assert checked > 20
    assert all(seen_mark.values()), seen_mark  # the payloads did reach every target


def _target_of(name: str) -> str:
    if name.endswith(".gift") or "gift" in name:
        return "gift"
    if name.endswith("-scorm12.zip") or "-scorm12.zip!" in name:
        return "scorm12"
    if "-scorm2004.zip" in name:
        return "scorm2004"
    if ".mbz" in name:
        return "moodle"
    if "-site.zip" in name or name.startswith("site/"):
        return "site"
    if name.endswith(".xml") and "questions" in name:
        return "moodlexml"
    if ".imscc!" in name:
        return "cc"
    return ""


def test_a_tilde_in_a_cloze_answer_stays_an_entity_in_moodle_xml(tmp_path):
    course, _ = load_course(FIXTURE)
    cloze = next(q for q in course.questions if isinstance(q, Cloze))
    cloze.gaps[-1].options[0].text = "сайт~а"
    run_targets(course, tmp_path, ["moodlexml"], Diagnostics())
    xml = next(tmp_path.rglob("*-questions.xml")).read_bytes()
    root = etree.fromstring(xml)
    text = next(
        t.findtext("text") for t in root.iter("questiontext") if "сайт" in t.findtext("text")
    )
    assert "сайт&#126;а" in text
