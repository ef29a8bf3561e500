"""Hostile input: limits on what a source may hold (packager/source.py), each over-limit input a
located error, never a crash or a long wait; characters XML cannot carry are errors where they
are written; titles, texts and answers never add structure to GIFT or Moodle XML. Timings are
not asserted: every hostile input is caught before the stage that would take long."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packager.assessments import mdquiz
from packager.diagnostics import Diagnostics
from packager.names import xml_text
from packager.source import (
    MAX_ANSWERS,
    MAX_BRACKET_SCAN,
    MAX_FENCE_SCAN,
    MAX_FILE_BYTES,
    MAX_GIFT_TEXTS,
    MAX_LINE,
    MAX_LOOKUP,
    MAX_PARAGRAPH,
    MAX_PARAGRAPH_LINES,
    MAX_PARAGRAPHS,
    MAX_TAG_SCAN,
    MarkdownBudget,
    markdown_problem,
    parse_yaml,
)
from packager.targets.moodle import records as moodle_xml

from .conftest import load_course, problems, write

M1 = "01-основи"
LESSON = f"{M1}/02-данни.md"
HEAD = "---\ntitle: Данни\n---\n"  # the body starts on line 4


def _lesson(course_dir: Path, body: str, head: str = HEAD) -> list[str]:
    write(course_dir / LESSON, head + body)
    return [p for p in problems(course_dir) if p.startswith(LESSON)]


def _errors(course_dir: Path) -> list[str]:
    return [p for p in problems(course_dir) if ": error: " in p]


# ------------------------------------------------------------------------------------------
# file size and line length


def test_file_too_large(course_dir):
    write(course_dir / LESSON, HEAD + ("Дума. " * 20 + "\n") * (MAX_FILE_BYTES // 100))
    assert (course_dir / LESSON).stat().st_size > MAX_FILE_BYTES
    assert _lesson_only(course_dir) == [
        f"{LESSON}:1:1: error: the file is larger than 1 MiB (1,048,576 bytes): "
        "split it into several lessons"
    ]


def _lesson_only(course_dir: Path) -> list[str]:
    return [p for p in problems(course_dir) if p.startswith(LESSON)]


def test_line_too_long_points_past_the_limit(course_dir):
    assert _lesson(course_dir, "Първи ред.\n" + "а" * (MAX_LINE + 5) + "\n") == [
        f"{LESSON}:5:10001: error: the line is 10,005 characters long (at most 10,000): "
        "break it into several lines"
    ]


BRACKETS = ["[", "[^", "![", "(", "{", "<", "*", "_", "`", "{{", "->", "](", "<a ", "&#", "\\"]


@pytest.mark.parametrize("unit", BRACKETS)
def test_twenty_thousand_brackets_on_a_line(course_dir, unit):
    line = "x " + unit * 20_000
    assert _lesson(course_dir, line + "\n") == [
        f"{LESSON}:4:10001: error: the line is {len(line):,} characters long (at most 10,000): "
        "break it into several lines"
    ]


@pytest.mark.parametrize("unit", ["{", "~a", "=", "=a->b ", "::", "#", "\\:", "[", "<", "<b>"])
def test_twenty_thousand_brackets_in_a_gift_bank(course_dir, unit):
    # a GIFT bank has no line limit (exports hold a question's HTML on one line): its reader is
    # linear, and what it reads is bounded per question and per file
    bank = write(course_dir / M1 / "bank.gift", "::T::[html]Q{" + unit * 20_000 + "}\n")
    write(course_dir / M1 / "03-тест.md", "---\ntype: quiz\ntitle: Тест\ngift: bank.gift\n---\n")
    for line in problems(course_dir):
        path, number = line.split(":")[:2]
        assert int(number) <= len((course_dir / path).read_text("utf-8").split("\n")), line
    assert bank.stat().st_size > 20_000


def test_a_long_line_in_a_gift_bank_is_fine(course_dir):
    html = "<p>" + "дума " * 3000 + "</p>"
    write(course_dir / M1 / "bank.gift", f"::Дълъг::[html]{html}{{=да ~не}}\n")
    write(course_dir / M1 / "03-тест.md", "---\ntype: quiz\ntitle: Тест\ngift: bank.gift\n---\n")
    course, diags = load_course(course_dir)
    assert not diags.errors, [str(d) for d in diags]
    assert len(course.quizzes[0].questions[0].text) > MAX_LINE


def test_too_many_answers(course_dir):
    answers = "".join(f"- ( ) {i}\n" for i in range(MAX_ANSWERS + 5))
    write(
        course_dir / M1 / "03-тест.md",
        f"---\ntype: quiz\ntitle: Тест\n---\n## В\n\n- (x) да\n{answers}",
    )
    assert _errors(course_dir) == [
        f"{M1}/03-тест.md:{7 + MAX_ANSWERS}:3: error: the question has more than 1,000 answers: "
        "no quiz needs that many"
    ]
    write(course_dir / M1 / "bank.gift", "::В::Q{=да" + " ~не" * MAX_ANSWERS + "}\n")
    write(course_dir / M1 / "03-тест.md", "---\ntype: quiz\ntitle: Тест\ngift: bank.gift\n---\n")
    assert _errors(course_dir) == [
        f"{M1}/bank.gift:1:7: error: the question has more than 1,000 answers: no quiz needs "
        "that many"
    ]


def test_too_many_texts_in_a_gift_bank(course_dir):
    bank = "\n".join(
        f"::В{i}::Въпрос {i}{{=да ~не ~може}}\n" for i in range(MAX_GIFT_TEXTS // 4 + 1)
    )
    write(course_dir / M1 / "bank.gift", bank)
    write(course_dir / M1 / "03-тест.md", "---\ntype: quiz\ntitle: Тест\ngift: bank.gift\n---\n")
    out = _errors(course_dir)
    assert out == [
        f"{M1}/bank.gift:{2 * (MAX_GIFT_TEXTS // 4) + 1}:1: error: the file has more than 20,000 "
        "texts (questions, answers and feedback): split it into several files"
    ]


def test_too_many_links_in_a_long_text(course_dir):
    filler = ("word " * 1900 + "\n\n") * 60
    links = "\n\n".join(f"[връзка](https://example.org/{i})" for i in range(700))
    assert _lesson(course_dir, "Текст.\n\n" + filler + links + "\n") == [
        f'{LESSON}:4:1: error: too many links and images (or "[") in long texts in this file: '
        "checking them would take too long; split the file"
    ]
    assert MAX_LOOKUP == 300_000_000


@pytest.mark.parametrize("unit", ["[", "{", "&a: ", "- "])
def test_twenty_thousand_brackets_in_front_matter(course_dir, unit):
    out = _lesson(course_dir, "Текст\n", head=f"---\ntitle: Данни\nx: {unit * 20_000}\n---\n")
    assert out[0].startswith(f"{LESSON}:3:10001: error: the line is ")


# ------------------------------------------------------------------------------------------
# Markdown: paragraphs, nesting, what would be read again


def test_paragraph_too_long(course_dir):
    body = "Начало.\n\n" + ("дума " * 1000 + "\n") * 5
    assert _lesson(course_dir, body) == [
        f"{LESSON}:6:1: error: this paragraph is 25,004 characters long (at most 20,000): "
        "put blank lines between its parts"
    ]
    assert MAX_PARAGRAPH == 20_000


def test_paragraph_with_too_many_lines(course_dir):
    body = "Начало.\n\n" + "| а | б |\n" * (MAX_PARAGRAPH_LINES + 1)
    assert _lesson(course_dir, body) == [
        f"{LESSON}:6:1: error: this paragraph has 501 lines with no blank line between them "
        "(at most 500): put blank lines between its parts"
    ]


@pytest.mark.parametrize(
    "body, line",
    [
        ("\n".join("    " * i + "- а" for i in range(21)), 24),
        ("> " * 21 + "а", 4),
        ("- " * 21 + "а", 4),
        ("\n".join("> " * i + "- а" for i in range(1, 21)), 23),
        ("\t" * 21 + "- а", 4),
    ],
)
def test_lists_and_quotes_nested_too_deep(course_dir, body, line):
    out = _lesson(course_dir, "Текст.\n\n" + body + "\n")
    assert len(out) == 1
    assert re.fullmatch(
        rf"{LESSON}:{line + 2}:1: error: lists and quotes are nested 2\d levels deep here "
        r"\(at most 20\): indent less",
        out[0],
    ), out


def test_twenty_levels_are_fine(course_dir):
    body = "\n".join("    " * i + "- а" for i in range(20))
    assert _lesson(course_dir, "Текст.\n\n" + body + "\n") == []


def test_unclosed_brackets(course_dir):
    body = "Текст.\n\nВиж [тук " + "[" * 600 + "\n"
    assert _lesson(course_dir, body) == [
        f'{LESSON}:6:5: error: too many "[" without a matching "]" (or nested too deeply): '
        "Markdown would read the text again too often (at most 100,000 characters in a file); "
        "write \\[ for a bracket that is not a link"
    ]
    assert MAX_BRACKET_SCAN == 100_000


def test_brackets_nested_too_deep(course_dir):
    body = "[" * 400 + "а" + "](б)" * 400
    out = _lesson(course_dir, body + "\n")
    assert out == [
        f'{LESSON}:4:1: error: too many "[" without a matching "]" (or nested too deeply): '
        "Markdown would read the text again too often (at most 100,000 characters in a file); "
        "write \\[ for a bracket that is not a link"
    ]


def test_unclosed_tags(course_dir):
    body = "Текст.\n\n" + "а <b " * 1500 + "\n\n" + "дума " * 2000 + "\n"
    assert _lesson(course_dir, body) == [
        f'{LESSON}:6:3: error: too many "<" without a closing ">" (or "-->"): Markdown '
        "would read the text again too often (at most 500,000 characters in a file); "
        'write &lt; for a "<" that does not start a tag'
    ]
    assert MAX_TAG_SCAN == 500_000


def test_unclosed_code_fences(course_dir):
    body = "Текст.\n\n" + "```python\nкод\n\n" * 3000
    assert _lesson(course_dir, body) == [
        f"{LESSON}:6:1: error: too many code fences (```) that are never closed: close each "
        "with a line ``` after the code (at most 2,000,000 characters after unclosed fences in a "
        "file)"
    ]
    assert MAX_FENCE_SCAN == 2_000_000


def test_closed_code_fences_hide_what_they_hold(course_dir):
    code = "x = [[[[ <b <i " * 600
    body = "Текст.\n\n```python\n" + (code + "\n") * 10 + "```\n"
    assert _lesson(course_dir, body) == []


def test_too_many_paragraphs_in_one_file(course_dir):
    body = "\n\n".join(["- а"] * (MAX_PARAGRAPHS + 1)) + "\n"
    assert _lesson(course_dir, body) == [
        f"{LESSON}:10004:1: error: the file has more than 5,000 paragraphs (with the answers "
        "and feedback of its questions): split it into several files"
    ]


def test_paragraphs_of_a_quiz_count_together(course_dir):
    questions = "".join(f"## Въпрос {i}\n\n- (x) да\n- ( ) не\n\n" for i in range(2600))
    write(course_dir / M1 / "03-тест.md", "---\ntype: quiz\ntitle: Тест\n---\n" + questions)
    out = _errors(course_dir)
    assert len(out) == 1
    assert out[0].startswith(f"{M1}/03-тест.md:") and "more than 5,000 paragraphs" in out[0]


def test_too_much_markup(course_dir):
    body = "Текст.\n\n" + ("*а* " * 400 + "\n") * 10
    assert _lesson(course_dir, body) == [
        f"{LESSON}:6:1: error: too much markup (such as * _ ` [ < &) in long paragraphs in this "
        "file: Markdown would need too long; shorten this paragraph or split the file"
    ]


@pytest.mark.parametrize(
    "lines, message",
    [
        (("[^" * 2000 + "\n") * 4, "error: too much markup"),
        (("[" * 4000 + "\n") * 5, "error: this paragraph is 20,004 characters long"),
        (("![" * 2000 + "\n") * 5, "error: this paragraph is 20,004 characters long"),
    ],
)
def test_twenty_thousand_brackets_over_several_lines(course_dir, lines, message):
    out = _lesson(course_dir, "Текст.\n\n" + lines)
    assert len(out) == 1 and out[0].startswith(f"{LESSON}:6:1: {message}"), out


def test_nesting_the_limits_miss_is_still_a_located_error(course_dir):
    body = "*а " * 1000 + "б" + " в*" * 1000 + "\n"
    assert _lesson(course_dir, body) == [
        f"{LESSON}:4:1: error: the text is nested too deeply (lists, quotes, emphasis or HTML): "
        "nest less"
    ]


def test_recursion_anywhere_in_loading_is_located(course_dir, monkeypatch):
    from packager import loader

    def deep(*args, **kwargs):
        raise RecursionError

    monkeypatch.setattr(loader, "read_source", deep)
    assert problems(course_dir)[0] == (
        f"{M1}/module.md:1:1: error: the file is nested too deeply to be read"
    )


def test_the_budget_is_spent_across_a_file():
    budget = MarkdownBudget()
    text = "x " + "[" * 200
    spent = 0
    while markdown_problem(text, budget) is None:
        spent += 1
    assert 1 < spent < MAX_BRACKET_SCAN  # each text alone is fine, together they are not


# ------------------------------------------------------------------------------------------
# YAML


@pytest.mark.parametrize(
    "value, line, col",
    [
        ("[" * 30 + "]" * 30, 3, 23),
        ("{a: " * 25 + "1" + "}" * 25, 3, 80),
        ("\n" + "".join(" " * i + "- \n" for i in range(1, 30)), 23, 21),
    ],
)
def test_yaml_nested_too_deep(course_dir, value, line, col):
    out = _lesson(course_dir, "Текст\n", head=f"---\ntitle: Данни\nx: {value}\n---\n")
    assert out == [
        f"{LESSON}:{line}:{col}: error: the YAML is nested more than 20 levels deep: "
        'front matter needs only "key: value" lines and short lists'
    ]


def test_yaml_nested_too_deep_in_the_course_file(course_dir):
    text = (course_dir / "course.yml").read_text("utf-8")
    write(course_dir / "course.yml", text + "extra: " + "[" * 5000 + "\n")
    line = text.count("\n") + 1  # the line added after the fixture's own
    assert problems(course_dir) == [
        f"course.yml:{line}:27: error: the YAML is nested more than 20 levels deep: "
        'front matter needs only "key: value" lines and short lists'
    ]


def test_yaml_aliases_are_not_expanded():
    text = "a: &a [x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c, *c]\n"
    diags = Diagnostics()
    assert parse_yaml(text, "f.yml", 1, diags) is not None and not list(diags)


# ------------------------------------------------------------------------------------------
# characters XML cannot carry


@pytest.mark.parametrize(
    "char, name", [("\x00", "U+0000"), ("\x01", "U+0001"), ("\x1f", "U+001F"), ("\ufffe", "U+FFFE")]
)
def test_control_characters_in_a_lesson(course_dir, char, name):
    assert _lesson(course_dir, f"Текст\nЩе{char}се\n") == [
        f"{LESSON}:5:3: error: the character {name} cannot be carried by the packages: delete it "
        "(it is often invisible; an editor can show it)"
    ]


def test_control_character_in_a_question_and_an_answer(course_dir):
    quiz = course_dir / M1 / "03-тест.md"
    text = quiz.read_text("utf-8")
    text = text.replace("Бюджетът\n", "Бюд\x0bжетът\n").replace("мисията", "ми\x00сията", 1)
    quiz.write_text(text, "utf-8")
    lines = text.split("\n")
    nul, vt = lines[9].index("\x00") + 1, lines[13].index("\x0b") + 1  # true columns
    assert (nul, vt) == (18, 10)
    message = (
        "cannot be carried by the packages: delete it (it is often invisible; an editor can "
        "show it)"
    )
    assert problems(course_dir) == [
        f"{M1}/03-тест.md:10:18: error: the character U+0000 {message}",
        f"{M1}/03-тест.md:14:10: error: the character U+000B {message}",
    ]


@pytest.mark.parametrize(
    "escape, name, col",
    [
        ("\\0", "U+0000", 15),
        ("\\x07", "U+0007", 15),
        ("\\ud800", "U+D800", 15),
        ("\\e", "U+001B", 15),
    ],
)
def test_yaml_escapes(course_dir, escape, name, col):
    out = _lesson(course_dir, "Текст\n", head=f'---\ntitle: "Данни {escape} днес"\n---\n')
    assert out == [
        f'{LESSON}:2:{col}: error: "{escape}" ({name}) is a character the packages cannot carry: '
        "delete it"
    ]


def test_yaml_escapes_that_are_fine(course_dir):
    assert (
        _lesson(course_dir, "Текст\n", head='---\ntitle: "Данни\\tднес \\\\0 \\u00e9"\n---\n') == []
    )


@pytest.mark.parametrize(
    "ref, name",
    [("&#0;", "U+0000"), ("&#x1;", "U+0001"), ("&#xFFFE;", "U+FFFE"), ("&#xD800;", "U+D800"),
     ("&#55296;", "U+D800"), ("&#1114112;", "beyond U+10FFFF"), ("&#x" + "F" * 20 + ";", "beyond U+10FFFF")],
)  # fmt: skip
def test_character_references_in_markdown(course_dir, ref, name):
    assert _lesson(course_dir, f"Текст\nА {ref} б\n") == [
        f'{LESSON}:5:3: error: "{ref[:12]}" stands for a character ({name}) that the packages '
        "cannot carry: delete it (write &amp;# to show the text)"
    ]


def test_references_to_good_characters_stay(course_dir):
    assert _lesson(course_dir, "Текст &#169; &#x2014; &#10; &amp;#0;\n") == []


def test_not_utf8_column_counts_characters(course_dir):
    write(course_dir / LESSON, "")
    (course_dir / LESSON).write_bytes(HEAD.encode() + "Ще бъде ".encode() + b"\xff\n")
    assert _lesson_only(course_dir) == [
        f"{LESSON}:4:9: error: the file is not UTF-8 (byte 0xff); save it as UTF-8 in your editor"
    ]


def test_unreadable_file(course_dir, monkeypatch):
    target = course_dir / LESSON
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == target:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert _lesson_only(course_dir) == [f"{LESSON}:1:1: error: cannot read: Permission denied"]


def test_unreadable_gift_bank(course_dir, monkeypatch):
    bank = write(course_dir / M1 / "bank.gift", "::T::Q{T}\n")
    write(course_dir / M1 / "03-тест.md", "---\ntype: quiz\ntitle: Тест\ngift: bank.gift\n---\n")
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == bank.name:
            raise IsADirectoryError(21, "Is a directory")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert f"{M1}/bank.gift:1:1: error: cannot read: Is a directory" in problems(course_dir)


def test_writers_replace_what_slips_through():
    assert xml_text("а\x00б\ufffe\ud800в\tг\n") == "а\ufffdб\ufffd\ufffdв\tг\n"
    el = moodle_xml.leaf("name", "а\x00б\x1bв")
    assert moodle_xml.render(el).endswith("<name>а\ufffdб\ufffdв</name>".encode())


# ------------------------------------------------------------------------------------------
# the quiz syntax: rewritten patterns read as before (each once linear, never super-linear)

_OLD_LABEL = re.compile(
    r"^(?P<quote>>\s?)?\s*(?:\*\*|__)?\s*(?P<label>"
    + "|".join(re.escape(a) for a in sorted(mdquiz._LABEL_OF, key=len, reverse=True))
    + r")\s*(?:(?:\*\*|__)\s*:|:\s*(?:\*\*|__)?)\s*(?P<rest>.*)$",
    re.I,
)
_OLD_WEIGHT = re.compile(r"\s*\{\s*(?P<pct>[+-]?\d+(?:[.,]\d+)?)\s*%\s*\}\s*$")
_OLD_GAP = re.compile(r"\{\{(?P<inner>.*?)\}\}", re.S)
_PIECES = st.sampled_from(
    [" ", "  ", "\t", ">", "**", "__", ":", "Подсказка", "hint", "{", "}", "{{", "}}", "%", "50",
     "-3.5", "а", "x", "\n", "Обратна връзка"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_rewritten_quiz_patterns_read_as_before(text):
    line = text.replace("\n", " ")
    old, new = _OLD_LABEL.match(line), mdquiz._LABEL.match(line)
    assert (old and old.groupdict()) == (new and new.groupdict())
    old_w, new_w = _OLD_WEIGHT.search(line), mdquiz._WEIGHT.search(line)
    assert (old_w and (old_w.start(), old_w["pct"])) == (new_w and (new_w.start(), new_w["pct"]))
    gaps = [(m.start(), m.end(), m["inner"]) for m in _OLD_GAP.finditer(text)]
    assert gaps == mdquiz._gaps(text)


def test_cloze_text_cannot_forge_a_blank(course_dir):
    write(
        course_dir / M1 / "03-тест.md",
        "---\ntype: quiz\ntitle: Тест\n---\n## Попълнете\n\nСтолица: {{София}} \u2063gap7\u2063\n",
    )
    course, diags = load_course(course_dir)
    assert not diags.errors
    assert len(course.quizzes[0].questions[0].gaps) == 1


# ------------------------------------------------------------------------------------------
# format injection: titles, texts and answers never add structure to GIFT or Moodle XML

HOSTILE_QUIZ = r"""---
type: quiz
title: "Тест\n\n::Вмъкнат::Въпрос{=да}\n\n$CATEGORY: $course$/top/вън"
---
## Кое е :: вярно = {не} ~ # \ ?

- ( ) %10% отстъпка
- (x) <b>смело</b> {#x} -> ~ =
- ( ) \{=вмъкнат}
  > обратна # връзка ~ = {}

## Кратък отговор

- = a < b & c > d
- = [html] курсив
- = a ~ b = c # d {e} \f :g

## Свържете

- <i>ляво</i> -> дясно < 5 ~ = # {
- друго -> дясно -> още
- -> 3 < 4 & 5 > 2 ~ #
"""


@pytest.fixture
def hostile_course(course_dir):
    for path, old, new in (
        ("course.yml", "title: Библиотеката днес – пробен курс",
         'title: "Курс\\n\\n::Вмъкнат::Въпрос{=да}\\n\\n$CATEGORY: вън"'),
        (f"{M1}/module.md", "title: Основи на управлението",
         'title: "Основи // на / управлението\\n$CATEGORY: $course$/top/вън\\n\\n::X::Y{T}"'),
        (f"{M1}/module.md", "  - 03-тест.md", "  - 03-тест.md\n  - 04-опасен.md"),
    ):  # fmt: skip
        text = (course_dir / path).read_text("utf-8")
        (course_dir / path).write_text(text.replace(old, new), "utf-8")
    write(course_dir / M1 / "04-опасен.md", HOSTILE_QUIZ)
    return course_dir


def _gift_questions(course):
    from packager.targets.banks import Gift

    return [q for quiz in course.quizzes for q in quiz.questions if q.kind in Gift.kinds]


def test_gift_keeps_its_structure_with_hostile_titles_and_answers(hostile_course, tmp_path):
    from packager.markup import text_of
    from packager.model import Matching, ShortAnswer

    from .conftest import run_cli

    course, diags = load_course(hostile_course)
    assert not diags.errors, [str(d) for d in diags]
    out = tmp_path / "out"
    result = run_cli("build", str(hostile_course), "-o", str(out), "-t", "gift")
    assert result.exit_code == 0, result.output
    gift = (out / "proben-kurs-0.1.0-questions.gift").read_text("utf-8")
    chunks = [c.strip() for c in re.split(r"\n\s*\n", gift) if c.strip()]
    body = ["\n".join(x for x in c.split("\n") if not x.lstrip().startswith("//")) for c in chunks]
    body = [c for c in body if c]
    categories = [c for c in body if c.startswith("$CATEGORY:")]
    assert len(categories) == len(course.quizzes) == 2
    assert all("\n" not in c for c in categories)
    questions = _gift_questions(course)
    assert len([c for c in body if c.startswith("::")]) == len(questions)
    assert len(body) == len(categories) + len(questions)

    # the project's GIFT reader gives back the same questions
    again_dir = tmp_path / "again"
    shutil.copytree(hostile_course, again_dir)
    (again_dir / M1 / "bank.gift").write_text(gift, "utf-8")
    write(again_dir / M1 / "03-тест.md", "---\ntype: quiz\ntitle: Обратно\ngift: bank.gift\n---\n")
    (again_dir / M1 / "04-опасен.md").unlink()
    text = (again_dir / M1 / "module.md").read_text("utf-8")
    (again_dir / M1 / "module.md").write_text(text.replace("\n  - 04-опасен.md", ""), "utf-8")
    back, diags = load_course(again_dir)
    assert not diags.errors, [str(d) for d in diags]
    read = back.quizzes[0].questions
    assert len(read) == len(questions)
    for q, b in zip(questions, read, strict=True):
        assert b.title == " ".join(q.title.splitlines())
        assert text_of(b.text) == text_of(q.text)
        if isinstance(q, ShortAnswer):
            assert [a.text for a in b.answers] == [a.text for a in q.answers]
        if isinstance(q, Matching):
            assert [(text_of(p.prompt), p.answer) for p in b.pairs] == [
                (text_of(p.prompt), p.answer) for p in q.pairs
            ]
            assert b.distractors == q.distractors
    hostile = next(q for q in read if q.title.startswith("Кое е"))
    assert [c.fraction for c in hostile.choices] == [0.0, 1.0, 0.0]  # "%10%" is text, no grade
    assert text_of(hostile.choices[0].text) == "%10% отстъпка"


def test_moodle_xml_keeps_its_structure_with_hostile_titles_and_answers(hostile_course, tmp_path):
    from packager.markup import text_of
    from packager.model import Matching, ShortAnswer
    from packager.targets.banks.common import category_path

    from .bank_reader import read_moodle_xml
    from .conftest import run_cli

    course, _ = load_course(hostile_course)
    out = tmp_path / "out"
    assert run_cli("build", str(hostile_course), "-o", str(out), "-t", "moodlexml").exit_code == 0
    read = read_moodle_xml((out / "proben-kurs-0.1.0-questions.xml").read_bytes())
    questions = [q for quiz in course.quizzes for q in quiz.questions]
    assert len(read) == len(questions)
    module = course.modules[0]
    paths = {category_path(course, module, quiz) for quiz in module.quizzes}
    assert {x.category for x in read} == paths
    for q, x in zip(questions, read, strict=True):
        assert x.name == q.title
        if isinstance(q, ShortAnswer):
            from packager.questions.typed import moodle_spellings

            want = [s for a in q.answers for s in moodle_spellings(a.text)]
            assert [a.text.html for a in x.answers][: len(want)] == want
        if isinstance(q, Matching):
            assert [(f.text, a) for f, a in x.subquestions if f.html] == [
                (text_of(p.prompt), p.answer) for p in q.pairs
            ]


def test_xml_writers_never_crash_on_characters_xml_cannot_carry(course_dir, tmp_path):
    from lxml import etree

    from packager.targets.banks import moodlexml
    from packager.targets.base import BuildContext
    from packager.targets.scorm import manifest as scorm_manifest

    course, _ = load_course(course_dir)
    quiz = course.quizzes[0]
    quiz.title = "Тест\x00\ud800"
    quiz.questions[0].title = "Въпрос\x01\ufffe"
    course.title = "Курс\x0b"
    ctx = BuildContext(course=course, out=None, mtime=0, notices=Diagnostics())
    xml = moodlexml.render(ctx, [(course.modules[0], quiz)])
    root = etree.fromstring(xml.encode("utf-8"))
    names = [n.findtext("text") for n in root.iter("name")]
    assert "Въпрос\ufffd\ufffd" in names
    entries = scorm_manifest.write(course, "1.2", [], [])
    manifest = etree.fromstring(entries["imsmanifest.xml"])
    assert "Курс\ufffd" in [t.text for t in manifest.iter("{*}title")]


def test_messages_about_escaped_newlines_stay_inside_their_file(course_dir):
    quiz = "## Попълнете\n\nТекст {{=а#[x][r]\\n\\n\\n[r]: javascript:alert(1) ~б}} край.\n"
    write(
        course_dir / M1 / "03-тест.md",
        "---\ntype: quiz\ntitle: Тест\ngift: bank.gift\n---\n" + quiz,
    )
    write(
        course_dir / M1 / "bank.gift", "::В::[markdown][x][r]\\n\\n\\n[r]: javascript:alert(1){T}\n"
    )
    out = problems(course_dir)
    assert any("javascript:" in line and "03-тест.md" in line for line in out), out
    assert any("javascript:" in line and "bank.gift" in line for line in out), out
    for line in out:
        path, number = line.split(":")[:2]
        assert int(number) <= len((course_dir / path).read_text("utf-8").split("\n")), line


def test_lessons_and_modules_linked_from_outside_are_not_read(course_dir, tmp_path):
    import os

    secret = write(tmp_path / "secret.md", "---\ntitle: Тайна\n---\nЛична бележка.\n")
    os.symlink(secret, course_dir / M1 / "04-тайна.md")
    text = (course_dir / M1 / "module.md").read_text("utf-8")
    (course_dir / M1 / "module.md").write_text(
        text.replace("  - 03-тест.md", "  - 03-тест.md\n  - 04-тайна.md"), "utf-8"
    )
    outside = tmp_path / "other"
    write(outside / "module.md", "---\ntitle: Чужд\n---\n")
    write(outside / "01-урок.md", "---\ntitle: Чужд урок\n---\nТекст.\n")
    os.symlink(outside, course_dir / "03-чужд")
    message = (
        "error: this is a link to a place outside the content folder; copy what it points to "
        "into the content folder instead"
    )
    out = _errors(course_dir)
    assert f"{M1}/04-тайна.md:1:1: {message}" in out
    assert f"03-чужд/:1:1: {message}" in out
    assert not any("Тайна" in line or "Чужд" in line for line in out)


@pytest.mark.parametrize("char", ["\x7f", "\x80", "\x9f"])
def test_characters_yaml_does_not_allow_are_located(course_dir, char):
    out = _lesson(course_dir, "Текст\n", head=f"---\ntitle: Дан{char}ни\n---\n")
    assert out == [
        f"{LESSON}:2:11: error: invalid YAML: the character U+{ord(char):04X} is not allowed in "
        "YAML: delete it"
    ]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab в1. -+*>#`~[]()<>!&\\_ \t\u00a0\n", max_size=14))
def test_one_plain_line_spends_what_the_long_way_spends(text: str) -> None:
    """Most answers are one line of plain text: markdown_problem checks them without reading
    them as paragraphs, and spends the same budget with the same result."""
    from dataclasses import astuple

    from packager.source import (
        _ONE_PLAIN_LINE,
        _PARAGRAPHS_ONLY,
        MarkdownBudget,
        _paragraphs_problem,
    )

    if _ONE_PLAIN_LINE.fullmatch(text):
        assert _PARAGRAPHS_ONLY.fullmatch(text)
    quick, long_way = MarkdownBudget(paragraphs=1), MarkdownBudget(paragraphs=1)
    for _ in range(2):  # the second paragraph is one too many
        got = markdown_problem(text, quick)
        if _PARAGRAPHS_ONLY.fullmatch(text):
            assert got == _paragraphs_problem(text, long_way)
            assert astuple(quick) == astuple(long_way)
