"""Question snippets (texts, answers, feedback, hints) rendered with their own Markdown
configuration, and the shortcuts that skip Markdown: the same HTML Markdown would make."""

from __future__ import annotations

import random

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from packager import sanitize as sanitize_module
from packager.diagnostics import Diagnostics
from packager.markup import (
    _PARAGRAPHS,
    _PLAIN,
    EXTENSIONS,
    SNIPPET_EXTENSIONS,
    Document,
    Renderer,
)
from packager.sanitize import _cleaner, sanitize

from .conftest import FIXTURE, load_course, write

QUIZ_WITH_HEADINGS = """---
type: quiz
title: Тест със заглавия
---

## Въпрос със заглавие

### Казус

Прочетете казуса[^1] и отговорете.

| Година | Читатели |
|--------|----------|
| 2024   | 120      |

[^1]: Казусът е измислен.

- (x) Да
  > ### Защо
  > Защото.
- ( ) Не

Обратна връзка: Виж **урока**.
"""


def render(text: str, snippet: bool = False) -> str:
    return Renderer("bg", []).render(
        Document("x.md", text, 1), Diagnostics(), None, snippet=snippet
    )


def markdown_html(text: str, extensions: list[str]) -> str:
    """What Markdown itself makes of ``text``, sanitized as the renderer does."""
    md = markdown.Markdown(extensions=extensions, output_format="html")
    return sanitize(md.convert(text))


# -- the snippet configuration -----------------------------------------------------------------


def test_snippets_have_every_extension_but_the_table_of_contents():
    assert "toc" in EXTENSIONS and "toc" not in SNIPPET_EXTENSIONS
    assert set(SNIPPET_EXTENSIONS) == set(EXTENSIONS) - {"toc"}


def test_a_snippet_heading_has_no_id_and_a_page_heading_keeps_its_own():
    assert render("### Казус\n\nТекст.", snippet=True) == "<h3>Казус</h3>\n<p>Текст.</p>"
    assert render("### Казус\n\nТекст.") == '<h3 id="казус">Казус</h3>\n<p>Текст.</p>'


def test_snippets_still_render_tables_footnotes_code_and_notes():
    html = render(QUIZ_WITH_HEADINGS.split("## Въпрос със заглавие\n")[1].split("- (x)")[0], True)
    assert "<table>" in html and '<td align="left">' not in html
    assert 'class="footnote"' in html
    code = render("```\nкод <a>\n```", snippet=True)
    assert code == "<pre><code>код &lt;a&gt;\n</code></pre>"
    note = render('!!! note "Бележка"\n    Текст.', snippet=True)
    assert 'class="admonition note"' in note


def test_questions_in_a_quiz_never_get_heading_ids(course_dir):
    write(course_dir / "01-основи" / "09-заглавия.md", QUIZ_WITH_HEADINGS)
    module = course_dir / "01-основи" / "module.md"
    text = module.read_text("utf-8")
    module.write_text(text.replace("  - 03-тест.md\n", "  - 03-тест.md\n  - 09-заглавия.md\n"))
    course, diags = load_course(course_dir)
    assert not diags.errors, [str(d) for d in diags]
    quiz = next(q for q in course.quizzes if q.title == "Тест със заглавия")
    question = quiz.questions[0]
    assert "<h3>Казус</h3>" in question.text
    assert "<h3>Защо</h3>" in question.choices[0].feedback
    assert question.general_feedback == "<p>Виж <strong>урока</strong>.</p>"
    htmls = [question.text, question.general_feedback, *(c.feedback for c in question.choices)]
    assert not any("<h3 id=" in h for h in htmls)


# -- text Markdown only wraps in paragraphs: no Markdown run, the same HTML --------------------

_SAFE = [
    "дума", "Дума", "a", "12", "(в)", "„к“", ":", ",", ".", "!", "?", "=", "+", "-", "—", "'",
    '"', "%", "/", " ", " ", " ", "  ", "\n", "\n", "\n\n",
]  # fmt: skip
_RISKY = [
    "\n\n\n", "*", "**", "***", "_", "__", "\t", "\xa0", "1. ", "- ", "> ", "#", "`", "[", "]",
    "<", "&", "\\", "|", "~", "!!! ", "==", "\u2028",
]  # fmt: skip


def _emphasis(rng: random.Random) -> str:
    words = " ".join(rng.choice(["дума", "a", "1", "(б)", "„в“", "!", ":"]) for _ in range(2))
    mark = rng.choice(["*", "**", "_", "__"])
    return rng.choice(["", " ", "(", "x"]) + mark + words + mark + rng.choice(["", " ", ")", ","])


def _text(rng: random.Random) -> str:
    """Mostly what the shortcut takes, with emphasis, now and then what it must not take."""
    out = []
    for _ in range(rng.randint(1, 14)):
        roll = rng.random()
        if roll < 0.6:
            out.append(rng.choice(_SAFE))
        elif roll < 0.9:
            out.append(_emphasis(rng))
        else:
            out.append(rng.choice(_RISKY))
    text = "".join(out)
    if rng.random() < 0.8:  # as most texts are written: no spaces at the ends of lines
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return text


@settings(max_examples=500, deadline=None)
@given(st.randoms())
def test_text_without_markdown_renders_as_markdown_would(rng):
    text = _text(rng)
    if _PLAIN.fullmatch(text) or not _PARAGRAPHS.fullmatch(text.strip("\n")):
        return  # not the shortcut's
    assert render(text) == markdown_html(text, EXTENSIONS)
    assert render(text, snippet=True) == markdown_html(text, SNIPPET_EXTENSIONS)


def test_the_generated_texts_reach_the_shortcut_often():
    rng = random.Random(3)
    texts = [_text(rng) for _ in range(2000)]
    taken = [t for t in texts if not _PLAIN.fullmatch(t) and _PARAGRAPHS.fullmatch(t.strip("\n"))]
    assert len(taken) > 300 and sum("*" in t or "_" in t for t in taken) > 150


def test_the_shortcut_takes_the_texts_questions_are_made_of():
    taken = [
        "Вярно или невярно? Добрият план (за три години) съдържа:\nцели, задачи и срокове.",
        "Кое **не** е вярно за _услугата_?",
        "Първи абзац.\n\nВтори абзац: с *курсив* и __удебелен__ текст!",
    ]
    refused = [
        "- списък", "1. номериран", "Текст  \nс нов ред", "a\n===", "snake_case_име",
        "**a*", "***a***", "** a**", "[връзка](x.md)", "a\n\n\nb", " отстъп", "a\tb",
    ]  # fmt: skip
    for text in taken:
        assert _PARAGRAPHS.fullmatch(text), text
        assert render(text) == markdown_html(text, EXTENSIONS)
    for text in refused:
        assert not _PARAGRAPHS.fullmatch(text), text


def test_every_kind_of_space_but_the_plain_one_leaves_the_shortcut():
    import sys

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    for space in spaces:
        if space not in " \n":
            assert not _PARAGRAPHS.fullmatch(f"a{space}b"), hex(ord(space))


def test_the_fixture_renders_the_same_with_and_without_the_shortcuts(monkeypatch):
    fast, _ = load_course(FIXTURE)
    monkeypatch.setattr("packager.markup._PARAGRAPHS", _Never())
    monkeypatch.setattr(sanitize_module, "_SIMPLE", _Never())
    sanitize_module._done.clear()
    slow, _ = load_course(FIXTURE)
    assert [q.text for q in fast.questions] == [q.text for q in slow.questions]
    assert [lesson.html for lesson in fast.lessons] == [lesson.html for lesson in slow.lessons]


class _Never:
    def fullmatch(self, text: str) -> None:
        return None


# -- sanitizing what is clean already -----------------------------------------------------------


def test_paragraphs_with_emphasis_are_clean_as_they_are():
    """... but for no-break spaces, which the cleaner (and so sanitize) writes as &nbsp;."""
    for hosts in ((), ("www.youtube.com",)):
        cleaner = _cleaner(hosts)
        rng = random.Random(7)
        chars = [chr(c) for c in range(0x20, 0x3000)] + ["\t", "\n", "\u2063", "\U0001f600"]
        for _ in range(3000):
            word = "".join(rng.choice(chars) for _ in range(6))
            html = f"<p>{word} <strong>{word}</strong><em>{word[::-1]}</em></p>\n<p>{word}</p>"
            if sanitize_module._SIMPLE.fullmatch(html):
                expected = html.replace("\xa0", "&nbsp;")
                assert cleaner.clean(html) == expected, repr(html)
                assert sanitize(html, hosts) == expected


def test_what_the_cleaner_would_change_is_cleaned():
    for html in (
        "<p>a > b</p>", "<p>a\rb</p>", "<p>a\x00b</p>", "<p><strong>a</p>",
        "<p><em>a</strong></em></p>", "<p>a</p><script>x</script>", "<p><em><p>a</p></em></p>",
    ):  # fmt: skip
        assert not sanitize_module._SIMPLE.fullmatch(html), html
        assert sanitize(html) == _cleaner(()).clean(html) != html


# -- the limits of text that only its paragraphs' limits concern -------------------------------

_LIMIT_PIECES = [
    "a", "дума", " ", "  ", "\n", "\n", "\n\n", "(", ")", "]", "*", "_", "!", "&", "\\", "1.",
    "1. ", "- ", "-", "> ", ">", "\t", "\u3000", "#", "=", "[", "<", "`", "~~~", "x" * 300,
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_LIMIT_PIECES), max_size=24),
    st.sampled_from([0, 1, 2, 5000]),
    st.sampled_from([0, 300, 10**6]),
    st.sampled_from([0, 5, 10**6]),
)
def test_the_limits_shortcut_finds_what_the_full_check_finds(pieces, paragraphs, inline, brackets):
    from packager import source

    text = "".join(pieces)
    budgets = {"paragraphs": paragraphs, "inline": inline, "brackets": brackets}
    fast, slow = source.MarkdownBudget(**budgets), source.MarkdownBudget(**budgets)
    found = source.markdown_problem(text, fast)
    shortcut = source._PARAGRAPHS_ONLY
    source._PARAGRAPHS_ONLY = _Never()
    try:
        assert source.markdown_problem(text, slow) == found
    finally:
        source._PARAGRAPHS_ONLY = shortcut
    assert fast == slow


def test_the_limits_shortcut_takes_long_and_many_paragraphs():
    from packager import source

    for text in ("a\n" * 600, "a" * 25_000, "a\n\nb\n\nc"):
        assert source._PARAGRAPHS_ONLY.fullmatch(text)
    assert source.markdown_problem("a\n" * 600, source.MarkdownBudget())[1].startswith(
        "this paragraph has 600 lines"
    )
    budget = source.MarkdownBudget(paragraphs=2)
    assert source.markdown_problem("a\n\nb\n\nc", budget) == (6, source.too_many_paragraphs())


def test_a_box_without_a_title_is_titled_in_the_course_language(course_dir):
    from .conftest import load_course

    lesson = course_dir / "02-услуги" / "01-дигитални.md"
    lesson.write_text(lesson.read_text("utf-8") + "\n!!! warning\n    Внимавайте.\n", "utf-8")
    course, _ = load_course(course_dir)
    assert '<p class="admonition-title">Внимание</p>' in course.lessons[-1].html or any(
        '<p class="admonition-title">Внимание</p>' in item.html for item in course.lessons
    )
