"""Checks of meaning authors need: the decimal comma wherever a number is read, answers given
twice, and short-answer wildcards that accept almost anything."""

from __future__ import annotations

import pytest

from packager.model import GapKind, Numerical, ShortAnswer

from .conftest import load_course, problems, write

M1 = "01-основи"
QUIZ = f"{M1}/03-тест.md"
LESSON = f"{M1}/01-стратегия.md"
HEAD = "---\ntype: quiz\ntitle: Тест\n---\n"
TWICE = "appears twice: each answer must be different"


def quiz_problems(course_dir, body: str, head: str = HEAD, strict: bool = False) -> list[str]:
    write(course_dir / QUIZ, head + body)
    return problems(course_dir, strict)


def only_quiz(course_dir, body: str, head: str = HEAD):
    write(course_dir / QUIZ, head + body)
    course, diags = load_course(course_dir, strict=True)
    assert not list(diags), [str(d) for d in diags]
    return course.quizzes[0]


# ---------------------------------------------------------------------------------------------
# the decimal comma


def test_numerical_answers_with_a_decimal_comma(course_dir):
    """The issue's case: no longer a short answer that accepts only the text "2,5 ± 0,1"."""
    quiz = only_quiz(
        course_dir,
        "## Q\n\n- = 2,5 ± 0,1\n- = 1,5..3,5 {50%}\n- = 3,14:0,01 {50%}\n- = -0,5 {10%}\n",
    )
    q = quiz.questions[0]
    assert isinstance(q, Numerical)
    assert [(a.value, a.tolerance, a.fraction) for a in q.answers] == [
        (2.5, 0.1, 1.0),
        (2.5, 1.0, 0.5),
        (3.14, 0.01, 0.5),
        (-0.5, 0.0, 0.1),
    ]


def test_points_and_grades_with_a_decimal_comma(course_dir):
    quiz = only_quiz(
        course_dir, "## Q {points=1,5}\n\n- [x] а {33,33333%}\n- [x] б {66,66667%}\n- [ ] в\n"
    )
    q = quiz.questions[0]
    assert q.points == 1.5
    assert [c.fraction for c in q.choices] == [0.3333333, 0.6666667, 0.0]


def test_a_numeric_blank_with_a_decimal_comma(course_dir):
    quiz = only_quiz(course_dir, "## Q\n\nЧислото е {{#2,5:0,1}}, а друго {{#1,5..2,5}}.\n")
    gaps = quiz.questions[0].gaps
    assert [g.kind for g in gaps] == [GapKind.NUMERIC, GapKind.NUMERIC]
    assert [(o.text, o.tolerance) for g in gaps for o in g.options] == [("2.5", 0.1), ("2", 0.5)]


def test_gift_numbers_and_grades_with_a_decimal_comma(course_dir):
    write(
        course_dir / M1 / "банка.gift",
        "::Число::Колко?{#2,5:0,1 =%50%3,5:0,5}\n\n::Избор::Кои?{~%33,33333%а ~%66,66667%б ~в}\n",
    )
    head = "---\ntype: quiz\ntitle: Тест\ngift: банка.gift\n---\n"
    number, choice = only_quiz(course_dir, "", head).questions
    assert [(a.value, a.tolerance, a.fraction) for a in number.answers] == [
        (2.5, 0.1, 1.0),
        (3.5, 0.5, 0.5),
    ]
    assert [c.fraction for c in choice.choices] == pytest.approx([0.3333333, 0.6666667, 0.0])


def test_front_matter_numbers_with_a_decimal_comma(course_dir):
    head = "---\ntype: quiz\ntitle: Тест\npass_percentage: 62,5\n---\n"
    assert only_quiz(course_dir, "## Q\n\n- = 1\n", head).settings.pass_percentage == 62.5
    course_file = course_dir / "course.yml"
    text = course_file.read_text("utf-8")
    course_file.write_text(text.replace("pass_percentage: 70", "pass_percentage: 62,5"), "utf-8")
    course, diags = load_course(course_dir, strict=True)
    assert not list(diags) and course.completion.pass_percentage == 62.5


@pytest.mark.parametrize(
    ("line", "col", "message"),
    [
        (
            "pass_percentage: 1.234,5",
            18,
            '"pass_percentage" must be a number, not "1.234,5" (write one decimal point or '
            "comma and no thousands separators: 1234.5 or 1234,5)",
        ),
        ("pass_percentage: 62,", 18, '"pass_percentage" must be a number, not "62,"'),
        ("attempts: 2,5", 11, '"attempts" must be a whole number, not "2,5"'),
    ],
)
def test_front_matter_numbers_that_are_not(course_dir, line, col, message):
    head = f"---\ntype: quiz\ntitle: Тест\n{line}\n---\n"
    assert quiz_problems(course_dir, "## Q\n\n- = 1\n", head) == [
        f"{QUIZ}:4:{col}: error: {message}"
    ]


def test_a_number_with_both_separators_is_refused_with_a_hint(course_dir):
    assert quiz_problems(course_dir, "## Q {type=numerical}\n\n- = 1.234,5\n") == [
        f'{QUIZ}:7:5: error: numerical answer "1.234,5" is not a number (write one decimal '
        "point or comma and no thousands separators: 1234.5 or 1234,5)"
    ]


def test_a_tolerance_means_a_number(course_dir):
    """ "±" says a number was meant: a mistake in it is reported, not a short answer made."""
    assert quiz_problems(course_dir, "## Q\n\n- = 2,5 ± о,1\n") == [
        f'{QUIZ}:7:5: error: numerical answer "2,5 ± о,1" is not a number with a tolerance '
        "such as 3.14 ± 0.01"
    ]


def test_commas_between_several_numbers_are_text(course_dir):
    """Chosen and documented: one comma between digits is a decimal comma; "1,2,3" (a list)
    and "5," are no numbers, so such answers make a short-answer question."""
    q = only_quiz(course_dir, "## Q\n\n- = 1,2,3\n").questions[0]
    assert isinstance(q, ShortAnswer) and q.answers[0].text == "1,2,3"


# ---------------------------------------------------------------------------------------------
# answers given twice


@pytest.mark.parametrize(
    ("body", "line", "col", "answer"),
    [
        ("## Q\n\n- (x) Мадрид\n- ( ) Барселона\n- ( ) мадрид\n", 9, 3, "мадрид"),  # right+wrong
        ("## Q\n\n- (x) Мадрид  град\n- ( ) Мадрид град\n", 8, 3, "Мадрид град"),  # spaces
        ("## Q\n\n- [x] а\n- [x] б\n- [ ] А\n", 9, 3, "А"),
        ("## Q\n\n- = Оулу\n- = оулу {50%}\n", 8, 5, "оулу"),
        ("## Q {case_sensitive=true}\n\n- = Оулу\n- = оулу\n- = Оулу\n", 9, 5, "Оулу"),
        ("## Q\n\nСтолицата е {{=Мадрид ~Барселона ~мадрид}}.\n", 7, 34, "мадрид"),
        ("## Q\n\nСтолицата е {{Мадрид|мадрид}}.\n", 7, 22, "мадрид"),
        ("## Q\n\n- а -> 1\n- б -> 2\n- -> 3\n- -> 3\n", 10, 6, "3"),
    ],
)
def test_an_answer_given_twice(course_dir, body, line, col, answer):
    assert quiz_problems(course_dir, body) == [
        f'{QUIZ}:{line}:{col}: error: question "Q": the answer "{answer}" {TWICE}'
    ]


def test_answers_that_differ_in_case_where_case_matters(course_dir):
    q = only_quiz(course_dir, "## Q {case_sensitive=true}\n\n- = Оулу\n- = оулу {50%}\n")
    assert [a.text for a in q.questions[0].answers] == ["Оулу", "оулу"]


def test_an_extra_matching_answer_that_a_pair_has(course_dir):
    out = quiz_problems(course_dir, "## Q\n\n- а -> 1\n- б -> 2\n- -> 2\n")
    assert out == [
        f'{QUIZ}:9:6: error: question "Q": the extra answer "2" is already the answer of a '
        "pair: learners would see it only once; remove it or change it"
    ]


def test_pairs_may_share_an_answer(course_dir):
    q = only_quiz(course_dir, "## Q\n\n- а -> гласна\n- б -> съгласна\n- е -> гласна\n")
    assert [p.answer for p in q.questions[0].pairs] == ["гласна", "съгласна", "гласна"]


def test_an_ordering_item_given_twice(course_dir):
    out = quiz_problems(course_dir, "## Q {type=ordering}\n\n1. Първо\n2. Второ\n3. първо\n")
    assert out == [
        f'{QUIZ}:9:4: error: question "Q": "първо" appears twice: the items must be different'
    ]


def test_an_item_on_the_left_matched_twice_is_located(course_dir):
    out = quiz_problems(course_dir, "## Q\n\n- Мисия -> Защо\n- Визия -> Накъде\n- мисия -> Как\n")
    assert out == [
        f'{QUIZ}:9:3: error: question "Q": "мисия" is matched twice: each item on the left '
        "must be different"
    ]


def test_a_gift_answer_given_twice(course_dir):
    write(course_dir / M1 / "банка.gift", "::Q::Коя?{=Мадрид ~Барселона ~ мадрид}\n")
    head = "---\ntype: quiz\ntitle: Тест\ngift: банка.gift\n---\n"
    assert quiz_problems(course_dir, "", head) == [
        f'{M1}/банка.gift:1:30: error: question "Q": the answer "мадрид" {TWICE}'
    ]


# ---------------------------------------------------------------------------------------------
# wildcards


@pytest.mark.parametrize(
    ("pattern", "col"), [("*x*", 5), ("*", 5), ("**", 5), ("* *", 5), ("*1*", 5)]
)
def test_a_wildcard_that_accepts_almost_anything(course_dir, pattern, col):
    out = quiz_problems(course_dir, f"## Q\n\n- = Оулу\n- = {pattern} {{50%}}\n")
    assert out == [
        f'{QUIZ}:8:{col}: warning: question "Q": the accepted answer "{pattern}" matches almost '
        'anything a learner types: write more of the answer around "*"'
    ]


def test_a_wildcard_that_is_an_error_under_strict(course_dir):
    out = quiz_problems(course_dir, "## Q\n\n- = *x*\n", strict=True)
    assert [p.split(": ", 2)[1] for p in out] == ["error"]


@pytest.mark.parametrize("pattern", ["Ou*", "*лу*", "Оу*лу", "*12"])
def test_wildcards_with_enough_letters(course_dir, pattern):
    q = only_quiz(course_dir, f"## Q\n\n- = Оулу\n- = {pattern} {{50%}}\n")
    assert q.questions[0].answers[1].text == pattern


def test_a_wildcard_in_a_blank_and_in_gift(course_dir):
    write(course_dir / M1 / "банка.gift", "::Г::Град?{=Оулу =%50%*у}\n")
    head = "---\ntype: quiz\ntitle: Тест\ngift: банка.gift\n---\n"
    out = quiz_problems(course_dir, "## Б\n\nГрадът е {{Оулу|*у*}}.\n", head)
    message = (
        'the accepted answer "{}" matches almost anything a learner types: write more of the '
        'answer around "*"'
    )
    assert out == [
        f'{M1}/03-тест.md:8:17: warning: question "Б": {message.format("*у*")}',
        f'{M1}/банка.gift:1:18: warning: question "Г": {message.format("*у")}',
    ]
