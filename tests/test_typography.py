"""Bulgarian typography (packager/typography.py): a table of tricky cases, and the programme in
content/ set with it: set twice, it is set once; only spaces and straight quotes changed."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import time
from pathlib import Path

import pytest

from packager.typography import NBSP, typeset_html, typeset_text

from .conftest import load_course

CONTENT = Path(__file__).resolve().parents[1] / "content"


def nb(text: str) -> str:
    """The expected text: ~ stands for a non-breaking space."""
    return text.replace("~", NBSP)


# (HTML in, HTML out with ~ for each non-breaking space)
CASES = [
    # 1. one-letter words
    ("<p>в библиотеката</p>", "<p>в~библиотеката</p>"),
    ("<p>В залата и С тях, а о у к</p>", "<p>В~залата и~С~тях, а~о~у~к</p>"),
    ("<p>и в града</p>", "<p>и~в~града</p>"),
    ("<p>книги в <em>залата</em></p>", "<p>книги в~<em>залата</em></p>"),
    ("<p>книги в<em> залата</em></p>", "<p>книги в<em>~залата</em></p>"),
    ("<p><strong>в</strong> залата</p>", "<p><strong>в</strong>~залата</p>"),
    ("<p>в\nбиблиотеката</p>", "<p>в~библиотеката</p>"),  # a soft line break
    ("<p>(в града) „в града“</p>", "<p>(в~града) „в~града“</p>"),
    ("<p>в 2027 г.</p>", "<p>в~2027~г.</p>"),
    ("<p>Това е и</p>", "<p>Това е и</p>"),  # at the end of a paragraph
    ("<p>в</p>\n<p>града</p>", "<p>в</p>\n<p>града</p>"),  # never across blocks
    ("<ul>\n<li>и</li>\n<li>в</li>\n</ul>", "<ul>\n<li>и</li>\n<li>в</li>\n</ul>"),
    ("<p>в<br>\nграда</p>", "<p>в<br>\nграда</p>"),
    ("<td>в</td> <td>града</td>", "<td>в</td> <td>града</td>"),
    ("<p>в  града</p>", "<p>в  града</p>"),  # two spaces: left alone
    ("<p>в-к Труд, вариант A или B</p>", "<p>в-к Труд, вариант A или B</p>"),
    ("<p>т.е. в града</p>", "<p>т.е. в~града</p>"),  # т.е. itself is not changed
    ("<p>в <!-- бележка -->града</p>", "<p>в~<!-- бележка -->града</p>"),
    ('<p>в <img alt="a" src="a.png"> залата</p>', '<p>в~<img alt="a" src="a.png"> залата</p>'),
    # 2. dashes
    ("<p>текст – текст</p>", "<p>текст~– текст</p>"),
    ("<p>текст — текст\n— текст</p>", "<p>текст~— текст~— текст</p>"),
    ("<p>текст - текст</p>", "<p>текст~- текст</p>"),
    ("<p>и — текст, в – текст</p>", "<p>и~— текст, в~– текст</p>"),  # both rules: one space
    ("<p>— Реплика</p>", "<p>— Реплика</p>"),
    ("<p>2009–2013 и 20–30 минути</p>", "<p>2009–2013~и~20–30~минути</p>"),
    ("<p>при –5 градуса, по-добре</p>", "<p>при –5~градуса, по-добре</p>"),
    ("<p>текст –</p>", "<p>текст~–</p>"),
    # 3. numbers
    ("<p>20 въпроса, 45 минути, 3 часа</p>", "<p>20~въпроса, 45~минути, 3~часа</p>"),
    ("<p>70 %</p>", "<p>70~%</p>"),
    ("<p>11 януари 2027 г.</p>", "<p>11~януари 2027~г.</p>"),
    ("<p>10 000 души, 1 000 000 лв.</p>", "<p>10~000~души, 1~000~000~лв.</p>"),
    ("<p>20, 30 или 40.</p>", "<p>20, 30~или 40.</p>"),
    ("<p>1,5 часа; 10:30 часа</p>", "<p>1,5~часа; 10:30~часа</p>"),
    ("<p>КД2 проекти, 2009 2013</p>", "<p>КД2 проекти, 2009 2013</p>"),
    ("<p>№ 5 и § 3</p>", "<p>№~5~и~§~3</p>"),
    # 4. initials and abbreviations
    ("<p>А. Б. Иванов и Й. Йовков</p>", "<p>А.~Б.~Иванов и~Й.~Йовков</p>"),
    ("<p>J. R. R. Tolkien</p>", "<p>J.~R.~R.~Tolkien</p>"),
    ("<p>т. е. и т. н.</p>", "<p>т.~е. и~т.~н.</p>"),
    ("<p>проф. Иванов, д-р Петров</p>", "<p>проф.~Иванов, д-р~Петров</p>"),
    (
        "<p>Г-жа Иванова от гр. Плевен, с. Ботево</p>",
        "<p>Г-жа~Иванова от гр.~Плевен, с.~Ботево</p>",
    ),
    ("<p>в 2027 г. Тогава</p>", "<p>в~2027~г. Тогава</p>"),
    # 5. quotes
    ('<p>"Текст"</p>', "<p>„Текст“</p>"),
    ('<p>Тя ("Оди") каза: "Да".</p>', "<p>Тя („Оди“) каза: „Да“.</p>"),
    ('<p>"<em>Оди</em>"</p>', "<p>„<em>Оди</em>“</p>"),
    ('<p><strong>"Оди"</strong> е</p>', "<p><strong>„Оди“</strong> е</p>"),
    ('<p>Тя — "Оди"</p>', "<p>Тя~— „Оди“</p>"),
    ('<p>"Оди", "Ана".</p>', "<p>„Оди“, „Ана“.</p>"),
    ("<p>&quot;Оди&quot; &amp; Ко</p>", "<p>„Оди“ &amp; Ко</p>"),
    ("<p>&#34;Оди&#x22;</p>", "<p>„Оди“</p>"),
    ("<p>„Оди“ и «Ана»</p>", "<p>„Оди“ и~«Ана»</p>"),
    ("<p>It's 'Оди'</p>", "<p>It's 'Оди'</p>"),  # apostrophes and single quotes
    ('<p>a " b</p>', '<p>a " b</p>'),  # alone: no telling which
    ('<p>текст "</p>', '<p>текст "</p>'),
    ('<p>"<code>x</code>"</p>', "<p>„<code>x</code>“</p>"),
    ('<p>"https://example.com"</p>', "<p>„https://example.com“</p>"),
    # never changed: code, raw text, comments, tags, attributes
    ('<p><code>в "код" 20 г.</code> и</p>', '<p><code>в "код" 20 г.</code> и</p>'),
    ("<p>в <code>x</code></p>", "<p>в~<code>x</code></p>"),
    ('<pre><code>в "код"\nи в града</code></pre>', '<pre><code>в "код"\nи в града</code></pre>'),
    ('<p><kbd>в x</kbd>, <samp>"в"</samp></p>', '<p><kbd>в x</kbd>, <samp>"в"</samp></p>'),
    ("<p><kbd><kbd>в</kbd> <kbd>x</kbd></kbd></p>", "<p><kbd><kbd>в</kbd> <kbd>x</kbd></kbd></p>"),
    ('<script>if (a < b) x = "в x";</script>', '<script>if (a < b) x = "в x";</script>'),
    ('<style>p::before { content: "в " }</style>', '<style>p::before { content: "в " }</style>'),
    ('<textarea>в "x"</textarea>', '<textarea>в "x"</textarea>'),
    ("<math><mi>в</mi> <mi>x</mi></math>", "<math><mi>в</mi> <mi>x</mi></math>"),
    ("<svg><text>в x</text></svg> и", "<svg><text>в x</text></svg> и"),
    ('<p>в града</p><script>в "x"', '<p>в~града</p><script>в "x"'),  # unclosed: to the end
    ('<!-- в "x" 20 г. -->', '<!-- в "x" 20 г. -->'),
    ('<p title="в къщи">"x"</p>', '<p title="в къщи">„x“</p>'),
    ('<p title="a > в б">в града</p>', '<p title="a > в б">в~града</p>'),
    ("<p title='a > \"в\" б'>в града</p>", "<p title='a > \"в\" б'>в~града</p>"),
    ('<img alt="„в“ къщи, 20 г." src="a b.png">', '<img alt="„в“ къщи, 20 г." src="a b.png">'),
    (
        '<a href="https://x.bg/?q=&quot;в б&quot;" title="в б">в града</a>',
        '<a href="https://x.bg/?q=&quot;в б&quot;" title="в б">в~града</a>',
    ),
    ('<P>в <CODE>"в x"</CODE></P>', '<P>в~<CODE>"в x"</CODE></P>'),
    # addresses and paths in the text
    ("<p>https://example.com/в текст</p>", "<p>https://example.com/в текст</p>"),
    ("<p>www.example.bg/а б</p>", "<p>www.example.bg/а б</p>"),
    (
        '<p><a href="https://x.bg">https://x.bg/в</a> текст</p>',
        '<p><a href="https://x.bg">https://x.bg/в</a> текст</p>',
    ),
    ("<p>пишете на в@host.bg в час</p>", "<p>пишете на в@host.bg в~час</p>"),
    ("<p>C:\\Users\\в x</p>", "<p>C:\\Users\\в x</p>"),
    ("<p>a/b/в c, ../в d, /в e, a/в.md f</p>", "<p>a/b/в c, ../в d, /в e, a/в.md f</p>"),
    ("<p>и/или в града, км/ч</p>", "<p>и/или в~града, км/ч</p>"),
    (  # a long word with a / is read whole as an address
        "<p>в https://x.bg/" + "a" * 400 + '"b" в града</p>',
        "<p>в~https://x.bg/" + "a" * 400 + '"b" в~града</p>',
    ),
    # entities and spaces that are already non-breaking
    ("<p>в&nbsp;града и&#160;в</p>", "<p>в&nbsp;града и&#160;в</p>"),
    ("<p>10&nbsp;000 души</p>", "<p>10&nbsp;000~души</p>"),
    ("<p>A &amp; в града, в &lt;тег&gt;</p>", "<p>A &amp; в~града, в~&lt;тег&gt;</p>"),
    ("<p>&unknown; в града</p>", "<p>&unknown; в~града</p>"),
    ("", ""),
    ("<p></p>", "<p></p>"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_case(source: str, expected: str) -> None:
    assert typeset_html(source) == nb(expected)


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_short_cut_agrees_with_the_whole_reading(source: str, expected: str) -> None:
    """A paragraph of text or a text alone is set without reading tags; a comment after it
    (read as nothing) makes the same text go the whole way: both give the same."""
    texts = {source, nb(expected), re.sub("<[^>]*>", "", source)}
    texts |= {f"<p>{t}</p>" for t in list(texts)}
    for text in texts:
        assert typeset_html(text + "<!---->") == typeset_html(text) + "<!---->", text


@pytest.mark.parametrize("expected", sorted({e for _, e in CASES}))
def test_setting_twice_is_setting_once(expected: str) -> None:
    once = nb(expected)
    assert typeset_html(once) == once


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"Модул" в 3 части – <в> и "a < b"', "„Модул“ в~3~части~– <в> и~„a < b“"),
        ("Модул 1: Въведение в програмата", "Модул 1: Въведение в~програмата"),
        ("&quot;в&quot; <code>в x</code>", "&quot;в&quot; <code>в~x</code>"),  # no HTML in titles
        ("А. Б. Иванов, 10 000 лв.", "А.~Б.~Иванов, 10~000~лв."),
        ("в", "в"),
        ("", ""),
    ],
)
def test_plain_text(source: str, expected: str) -> None:
    assert typeset_text(source) == nb(expected)
    assert typeset_text(nb(expected)) == nb(expected)


@pytest.mark.parametrize(
    "source",
    [
        "<p>" + "a/" * 30000 + "</p>",
        "<p>" + "a." * 30000 + "@ x</p>",
        "<p>" + "http://" * 10000 + "</p>",
        "<!--" * 20000,
        "<a " * 20000,
        '<a title="' * 20000,
        "<script>" * 20000,
        "<code>" * 20000,
        "<p>" + "в " * 50000 + "</p>",
        "<p>" + '"' * 50000 + "</p>",
        "<p>" + "1 000 " * 20000 + "</p>",
        "&amp;" * 50000,
        "<p>" + "&amp; в " * 20000 + "</p>",
    ],
    ids=lambda s: s[:12],
)
def test_time_grows_with_the_text(source: str) -> None:
    """Hostile input is set in time that grows with its length (a quadratic pass would take
    minutes here)."""
    started = time.process_time()
    once = typeset_html(source)
    assert typeset_html(once) == once
    assert time.process_time() - started < 5


# ---------------------------------------------------------------------------------------------
# The programme in content/


@pytest.fixture(scope="module")
def lessons(tmp_path_factory) -> dict[str, str]:
    """Every lesson of the programme as the loader renders it without typography."""
    if not any(CONTENT.glob("*/module.md")):
        pytest.skip("the programme in content/ has no module yet")
    root = tmp_path_factory.mktemp("typography") / "content"
    shutil.copytree(CONTENT, root)
    course_file = root / "course.yml"
    text = re.sub(r"(?m)^typography:.*$", "", course_file.read_text(encoding="utf-8"))
    course_file.write_text(text + "\ntypography: false\n", encoding="utf-8")
    course, _ = load_course(root)
    assert not course.typography
    return {lesson.id: lesson.html for lesson in course.lessons}


def test_programme_set_twice_is_set_once(lessons: dict[str, str]) -> None:
    for ident, html in lessons.items():
        once = typeset_html(html)
        assert typeset_html(once) == once, ident


TAG = re.compile(r"<[^>]*>")


def test_programme_changes_only_spaces_and_quotes(lessons: dict[str, str]) -> None:
    added = 0
    for ident, html in lessons.items():
        out = typeset_html(html)
        assert TAG.findall(out) == TAG.findall(html), ident  # tags and attributes as they were
        before, after = htmllib.unescape(html), htmllib.unescape(out)
        assert len(before) == len(after), ident
        for i, (was, now) in enumerate(zip(before, after, strict=True)):
            if was != now:
                context = before[max(0, i - 30) : i + 30]
                assert (was in " \n\t" and now == NBSP) or (was == '"' and now in "„“"), (
                    ident,
                    context,
                )
                added += now == NBSP
    assert added > 1000  # the rules did run over the programme


def _straight(html: str) -> str:
    """The fragment with „ and “ written as straight quotes in its text (not in code)."""
    out, inside = [], 0
    for part in re.split(r"(<[^>]*>)", html):
        if part.startswith("<"):
            name = re.match(r"</?(\w+)", part)
            if name and name.group(1).lower() in ("code", "pre"):
                inside += -1 if part.startswith("</") else 1
            out.append(part)
        else:
            out.append(part if inside else part.replace("„", '"').replace("“", '"'))
    return "".join(out)


def test_programme_quotes_come_back(lessons: dict[str, str]) -> None:
    """Each quote of the programme written straight is set as the authors set it by hand."""
    quotes = 0
    for ident, html in lessons.items():
        quotes += html.count("„")
        assert typeset_html(_straight(html)) == typeset_html(html), ident
    assert quotes > 100
