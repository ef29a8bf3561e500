"""Text pasted from a word processor: each character that breaks the syntax is named, with its
code and the fix, at its line and column, and nothing else is reported (the answer, the front
matter or the fence is read as it was meant, so no second error follows)."""

from __future__ import annotations

import pytest

from packager.messages import set_language

from .conftest import load_course, problems, write

M1 = "01-основи"
LESSON = f"{M1}/01-стратегия.md"
QUIZ = f"{M1}/03-тест.md"
MODULE = f"{M1}/module.md"
HEAD = "---\ntype: quiz\ntitle: Тест\n---\n"
NBSP = "\u00a0"
PASTED = "(word processors put no-break spaces into pasted text)"


def lesson(course_dir, text: str) -> list[str]:
    write(course_dir / LESSON, text)
    return problems(course_dir)


def quiz(course_dir, body: str) -> list[str]:
    write(course_dir / QUIZ, HEAD + body)
    return problems(course_dir)


def nbsp_after(after: str) -> str:
    return (
        f'a no-break space (U+00A0 NO-BREAK SPACE) after "{after}" where a plain space is '
        f"needed: replace it with a space {PASTED}"
    )


def nbsp_in(text: str) -> str:
    return (
        f'a no-break space (U+00A0 NO-BREAK SPACE) in "{text}" where a plain space is needed: '
        f"replace it with a space {PASTED}"
    )


# ---------------------------------------------------------------------------------------------
# no-break spaces where a space is syntax


@pytest.mark.parametrize(
    ("body", "line", "col", "message"),
    [
        (f"## Q\n\n-{NBSP}(x) а\n- ( ) б\n", 7, 2, nbsp_after("-")),
        (f"## Q\n\n- (x) а\n-{NBSP}( ) б\n", 8, 2, nbsp_after("-")),
        (f"## Q\n\n- ({NBSP}) а\n- (x) б\n", 7, 4, nbsp_in("( )")),
        (f"## Q\n\n- [x] а\n- [{NBSP}] б\n", 8, 4, nbsp_in("[ ]")),
        (f"## Q\n\n-{NBSP}= 4\n", 7, 2, nbsp_after("-")),
        (f"##{NBSP}Q\n\n- = 4\n", 5, 3, nbsp_after("##")),
        (
            f"## Q\n\n- (x) а\n- ( ) б\n\nОбратна{NBSP}връзка: Защото.\n",
            10,
            8,
            nbsp_in("Обратна връзка"),
        ),
    ],
)
def test_a_no_break_space_in_a_question(course_dir, body, line, col, message):
    """The only message is the one naming the character: no "text after the answers", no
    "needs at least two answers"."""
    assert quiz(course_dir, body) == [f"{QUIZ}:{line}:{col}: error: {message}"]


@pytest.mark.parametrize(
    ("front", "line", "col", "after"),
    [
        (f"---\ntitle:{NBSP}Урок\n---\n", 2, 7, "title:"),  # YAML reads one text, no mapping
        (f"---\nminutes: 5\ntitle:{NBSP}Урок\n---\n", 3, 7, "title:"),  # a YAML error
        (f"---\ntitle: Урок\nobjectives:\n-{NBSP}едно\n- две\n---\n", 4, 2, "-"),  # error
        (f"---\ntitle: Урок\nobjectives:\n  -{NBSP}едно\n  - две\n---\n", 4, 4, "-"),  # text
    ],
)
def test_a_no_break_space_in_front_matter(course_dir, front, line, col, after):
    assert lesson(course_dir, front + "Текст.\n") == [
        f"{LESSON}:{line}:{col}: error: {nbsp_after(after)}"
    ]


def test_a_no_break_space_after_a_nested_key(course_dir):
    """YAML reads "модул 1:" and a no-break space as text, which "draw" would call not a
    whole number; a text on the key's own line stays text."""
    head = f"---\ntype: quiz\ntitle: Тест\ndraw:\n  модул 1:{NBSP}1\n---\n"
    assert quiz_with_head(course_dir, head, '## Q {tags="модул 1"}\n\n- = 1\n') == [
        f"{QUIZ}:5:11: error: {nbsp_after('модул 1:')}"
    ]
    head = f"---\ntype: quiz\ntitle: Бележка:{NBSP}важно\n---\n"
    assert quiz_with_head(course_dir, head, "## Q\n\n- = 1\n") == []


def quiz_with_head(course_dir, head: str, body: str) -> list[str]:
    write(course_dir / QUIZ, head + body)
    return problems(course_dir)


def test_a_no_break_space_indenting_yaml(course_dir):
    out = lesson(course_dir, f"---\ntitle: Урок\nobjectives:\n{NBSP} - едно\n---\nТекст.\n")
    assert out == [
        f"{LESSON}:4:1: error: a no-break space (U+00A0 NO-BREAK SPACE) indents this line: "
        f"YAML indents with plain spaces only; replace it with a space {PASTED}"
    ]


def test_no_break_spaces_in_block_text_are_text(course_dir):
    """A block text (after "|") may hold anything: its lines are not taken for keys, even
    when something else is wrong in the file."""
    course = course_dir / "course.yml"
    text = course.read_text("utf-8")
    block = f"summary: |\n  Бележка:{NBSP}важно\n  -{NBSP}точка\n"
    course.write_text(text.replace("summary: |\n", block), "utf-8")
    assert problems(course_dir) == []
    course.write_text(text.replace("summary: |\n", block) + "extra: [\n", "utf-8")
    out = problems(course_dir)
    assert len(out) == 1 and "invalid YAML" in out[0], out


# ---------------------------------------------------------------------------------------------
# typographic quotes in YAML


@pytest.mark.parametrize(
    ("quoted", "char"),
    [
        ("„Урок: първи“", "„ (U+201E DOUBLE LOW-9 QUOTATION MARK)"),
        ("“Урок: първи”", "“ (U+201C LEFT DOUBLE QUOTATION MARK)"),
        ("‘Урок: първи’", "‘ (U+2018 LEFT SINGLE QUOTATION MARK)"),
    ],
)
def test_typographic_quotes_around_a_value_that_needs_quotes(course_dir, quoted, char):
    assert lesson(course_dir, f"---\ntitle: {quoted}\n---\nТекст.\n") == [
        f"{LESSON}:2:8: error: the value starts with the typographic quote {char}, which YAML "
        'does not take for a quote: put the whole value in straight quotes "…" (typographic '
        "quotes may stay inside them)"
    ]


def test_typographic_quotes_in_a_value_that_needs_none_are_text(course_dir):
    write(course_dir / LESSON, "---\ntitle: „Урок“ за всички\n---\nТекст.\n")
    course, diags = load_course(course_dir)
    assert not list(diags)
    assert course.modules[0].items[0].title == "„Урок“ за всички"


def test_the_usual_hint_when_no_typographic_quote_is_to_blame(course_dir):
    assert lesson(course_dir, "---\ntitle: Урок: първи\n---\nТекст.\n") == [
        f"{LESSON}:2:12: error: invalid YAML: mapping values are not allowed here; if a value "
        'contains ": ", put the value in quotes'
    ]


# ---------------------------------------------------------------------------------------------
# dashes for the "---" of front matter


def dash_fence(line: str, char: str) -> str:
    return (
        f'"{line}" holds {char} where front matter needs three hyphens: write "---" '
        '(word processors turn "--" into a dash)'
    )


@pytest.mark.parametrize(
    ("opening", "closing", "expected"),
    [
        ("——", "——", [(1, 1, "——", "U+2014 EM DASH"), (3, 1, "——", "U+2014 EM DASH")]),
        ("—-", "---", [(1, 1, "—-", "U+2014 EM DASH")]),
        ("–––", "–––", [(1, 1, "–––", "U+2013 EN DASH"), (3, 1, "–––", "U+2013 EN DASH")]),
        ("---", "-—", [(3, 2, "-—", "U+2014 EM DASH")]),
        ("—", "---", [(1, 1, "—", "U+2014 EM DASH")]),
    ],
)
def test_a_dashed_fence_is_named_and_read_as_meant(course_dir, opening, closing, expected):
    """The front matter is read all the same: no "the lesson needs a title"."""
    out = lesson(course_dir, f"{opening}\ntitle: Урок от Word\n{closing}\nТекст.\n")
    assert out == [
        f"{LESSON}:{line}:{col}: error: {dash_fence(text, char)}"
        for line, col, text, char in expected
    ]


def test_a_dashed_fence_of_a_module(course_dir):
    module = course_dir / MODULE
    text = module.read_text("utf-8")
    module.write_text(text.replace("---\n", "——\n"), "utf-8")
    assert problems(course_dir) == [
        f"{MODULE}:1:1: error: {dash_fence('——', 'U+2014 EM DASH')}",
        f"{MODULE}:8:1: error: {dash_fence('——', 'U+2014 EM DASH')}",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "——\nПърви ред.\n——\nТекст.\n",  # no "key:" after the dashes
        "—\nБележка: текст\n\nОще текст.\n",  # no closing line
    ],
)
def test_a_line_of_dashes_that_opens_no_front_matter(course_dir, text):
    """Only what a lesson without front matter gets: no word of the dashes."""
    assert lesson(course_dir, text) == [
        f'{LESSON}:1:1: error: the lesson needs a title: add "title: …" to its front matter'
    ]


# ---------------------------------------------------------------------------------------------
# answer marks


@pytest.mark.parametrize(
    ("written", "char", "right", "wrong"),
    [
        ("[*]", "U+002A ASTERISK", "[x]", "[ ]"),
        ("(*)", "U+002A ASTERISK", "(x)", "( )"),
        ("[v]", "U+0076 LATIN SMALL LETTER V", "[x]", "[ ]"),
        ("[✓]", "U+2713 CHECK MARK", "[x]", "[ ]"),
        ("(+)", "U+002B PLUS SIGN", "(x)", "( )"),
        ("[☑]", "U+2611 BALLOT BOX WITH CHECK", "[x]", "[ ]"),
    ],
)
def test_a_mark_other_than_x(course_dir, written, char, right, wrong):
    body = f"## Q\n\n- {written} а\n- {wrong} б\n\nОбратна връзка: Защото.\n"
    assert quiz(course_dir, body) == [
        f'{QUIZ}:7:3: error: "{written}" ({char}) is not an answer mark: write "{right}" for a '
        f'right answer and "{wrong}" for a wrong one'
    ]


def test_a_mark_other_than_x_after_right_answers(course_dir):
    """The issue's case: "(*)" after "(x)" was "text after the answers"."""
    assert quiz(course_dir, "## Q\n\n- (x) а\n- (*) б\n- ( ) в\n") == [
        f'{QUIZ}:8:3: error: "(*)" (U+002A ASTERISK) is not an answer mark: write "(x)" for a '
        'right answer and "( )" for a wrong one'
    ]


def test_a_letter_in_brackets_is_still_text(course_dir):
    """ "(a)" is no mark: such a line in the question's text stays text."""
    write(course_dir / QUIZ, HEAD + "## Q\n\nИзберете:\n\n- (а) първото\n\n- (x) а\n- ( ) б\n")
    course, diags = load_course(course_dir)
    assert not diags.errors
    assert "(а) първото" in course.quizzes[0].questions[0].text


@pytest.mark.parametrize(
    ("bullet", "char"), [("•", "U+2022 BULLET"), ("–", "U+2013 EN DASH"), ("—", "U+2014 EM DASH")]
)
def test_a_bullet_from_a_word_processor(course_dir, bullet, char):
    out = quiz(course_dir, f"## Q\n\n{bullet}\t(x) а\n- ( ) б\n")
    assert out == [
        f'{QUIZ}:7:1: error: the answer starts with "{bullet}" ({char}): answers start with "-" '
        "(word processors put such marks before the items of a list)"
    ]


# ---------------------------------------------------------------------------------------------
# tabs


def test_a_tab_indenting_an_answer(course_dir):
    assert quiz(course_dir, "## Q\n\n- (x) а\n\t- ( ) б\n") == [
        f"{QUIZ}:8:1: error: a tab (U+0009 CHARACTER TABULATION) indents this answer: start it "
        'at the beginning of the line, "- …"'
    ]


def test_a_no_break_space_indenting_an_answer(course_dir):
    assert quiz(course_dir, f"## Q\n\n- (x) а\n{NBSP}- ( ) б\n") == [
        f"{QUIZ}:8:1: error: a no-break space (U+00A0 NO-BREAK SPACE) indents this answer: "
        'start it at the beginning of the line, "- …"'
    ]


def test_feedback_indented_with_a_tab_is_read(course_dir):
    """A tab indents feedback as two spaces do (Markdown reads a tab as indentation)."""
    write(course_dir / QUIZ, HEAD + "## Q\n\n- (x) а\n\t> Да.\n- ( ) б\n\t> Не.\n")
    course, diags = load_course(course_dir)
    assert not list(diags)
    choices = course.quizzes[0].questions[0].choices
    assert [c.feedback for c in choices] == ["Да.", "Не."]


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("---\n\ttitle: Урок\n---\n", 2),
        ("---\ntitle: Урок\nkeywords:\n\t- един\n---\n", 4),
    ],
)
def test_a_tab_indenting_yaml(course_dir, front, line):
    assert lesson(course_dir, front + "Текст.\n") == [
        f"{LESSON}:{line}:1: error: a tab (U+0009 CHARACTER TABULATION) indents this line: YAML "
        "indents with spaces only; replace the tab with spaces"
    ]


def test_a_tab_indenting_the_course_file(course_dir):
    course = course_dir / "course.yml"
    text = course.read_text("utf-8")
    course.write_text(text.replace("  - Екип", "\t- Екип"), "utf-8")
    line = text[: text.index("  - Екип")].count("\n") + 1
    assert problems(course_dir) == [
        f"course.yml:{line}:1: error: a tab (U+0009 CHARACTER TABULATION) indents this line: "
        "YAML indents with spaces only; replace the tab with spaces"
    ]


# ---------------------------------------------------------------------------------------------
# Windows-1251


def test_a_file_in_windows_1251(course_dir):
    (course_dir / LESSON).write_bytes(
        "---\ntitle: Стратегия\n---\nТова е урок за стратегията.\n".encode("cp1251")
    )
    assert problems(course_dir) == [
        f"{LESSON}:2:8: error: the file is saved in the Windows-1251 (Cyrillic) encoding, not "
        'UTF-8 (byte 0xd1 is "С" there): open it in your editor and save it as UTF-8 (in '
        'Notepad: "Save as", Encoding "UTF-8")'
    ]


@pytest.mark.parametrize(
    "data",
    [
        "---\ntitle: Café\n---\nCafé au lait, très bien.\n".encode("cp1252"),  # Western text
        "---\ntitle: Урок\n---\nТекст ".encode() + b"\xff\n",  # UTF-8 with one bad byte
    ],
)
def test_other_text_that_is_not_utf8(course_dir, data):
    (course_dir / LESSON).write_bytes(data)
    out = problems(course_dir)
    assert len(out) == 1 and "the file is not UTF-8" in out[0], out


# ---------------------------------------------------------------------------------------------
# one error for one mistake


def test_a_broken_module_front_matter_says_nothing_more(course_dir):
    """Not also 'the module front matter needs "title"'."""
    module = course_dir / MODULE
    text = module.read_text("utf-8")
    module.write_text(text.replace("title: Основи на управлението", "title: Основи: част 1"))
    assert problems(course_dir) == [
        f"{MODULE}:2:14: error: invalid YAML: mapping values are not allowed here; if a value "
        'contains ": ", put the value in quotes'
    ]


def test_a_stray_paragraph_is_one_error(course_dir):
    out = quiz(course_dir, "## Q\n\n- (x) а\n- ( ) б\n\nЗабравен\nетикет\nтук.\n")
    assert out == [
        f"{QUIZ}:10:1: error: text after the answers must start with a label such as "
        '"Обратна връзка:" or "Подсказка:", or be indented under an answer'
    ]


def test_a_question_left_out_does_not_shrink_the_draw(course_dir):
    """draw: 2 of two questions, one of them wrong: only its own error."""
    head = "---\ntype: quiz\ntitle: Тест\ndraw: 2\n---\n"
    write(course_dir / QUIZ, head + "## А\n\n- [*] а\n- [ ] б\n\n## Б\n\n- = 1\n")
    assert problems(course_dir) == [
        f'{QUIZ}:8:3: error: "[*]" (U+002A ASTERISK) is not an answer mark: write "[x]" for a '
        'right answer and "[ ]" for a wrong one'
    ]


def test_a_wrong_blank_is_one_error(course_dir):
    assert quiz(course_dir, "## Q\n\nТекст {{~а ~б}} тук.\n") == [
        f"{QUIZ}:7:7: error: a blank needs a right answer (one with =)"
    ]


def test_a_wrong_gift_pair_is_one_error(course_dir):
    write(course_dir / M1 / "банка.gift", "::Д::Свържете{=а -> 1 =б 2}\n")
    write(course_dir / QUIZ, "---\ntype: quiz\ntitle: Тест\ngift: банка.gift\n---\n")
    assert problems(course_dir) == [
        f'{M1}/банка.gift:1:23: error: GIFT matching pair "б 2" has no "->"'
    ]


# ---------------------------------------------------------------------------------------------
# in Bulgarian


def test_the_messages_in_bulgarian(course_dir):
    set_language("bg")
    try:
        out = quiz(course_dir, f"## Q\n\n-{NBSP}(x) а\n- (*) б\n")
        assert out == [
            f"{QUIZ}:7:2: error: непрекъсваем интервал (U+00A0 NO-BREAK SPACE) след „-“ там, "
            "където трябва обикновен интервал: заменете го с интервал (текстообработващите "
            "програми вмъкват непрекъсваеми интервали в копирания текст)",
            f"{QUIZ}:8:3: error: „(*)“ (U+002A ASTERISK) не е знак за отговор: пишете „(x)“ за "
            "верен отговор и „( )“ за грешен",
        ]
        out = lesson(course_dir, "——\ntitle: Урок\n---\nТекст.\n")
        assert [p for p in out if p.startswith(LESSON)] == [
            f"{LESSON}:1:1: error: „——“ съдържа U+2014 EM DASH там, където заглавната част "
            "изисква три тирета: пишете „---“ (текстообработващите програми превръщат „--“ в "
            "дълго тире)"
        ]
    finally:
        set_language("en")
