"""Quiz syntax: every question type parses into the model, and every mistake is located."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packager.assessments import mdquiz
from packager.model import (
    Cloze,
    Description,
    Essay,
    FeedbackTiming,
    GapKind,
    Matching,
    MultipleChoice,
    Numerical,
    Ordering,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

from .conftest import load_course, problems, write

QUIZ = "01-основи/03-тест.md"
HEAD = "---\ntype: quiz\ntitle: Тест\n---\n"


def quiz_with(course_dir, body: str, head: str = HEAD):
    write(course_dir / QUIZ, head + body)
    return course_dir


def only_quiz(course_dir, body: str, head: str = HEAD):
    course, diags = load_course(quiz_with(course_dir, body, head))
    assert not diags.errors, [str(d) for d in diags]
    return course.quizzes[0]


def test_fixture_has_every_type():
    from .conftest import FIXTURE

    course, _ = load_course(FIXTURE)
    kinds = [type(q) for q in course.quizzes[0].questions]
    assert kinds == [
        SingleChoice, MultipleChoice, TrueFalse, ShortAnswer, Numerical,
        Matching, Ordering, Essay, Cloze, Description,
    ]  # fmt: skip


def test_quiz_settings(course_dir):
    head = (
        "---\ntype: quiz\ntitle: Тест\npass_percentage: 80\nattempts: 2\ntime_limit: 15\n"
        "shuffle_answers: false\ndraw: 1\nfeedback: after_attempt\n---\n"
    )
    quiz = only_quiz(course_dir, "## А\n\n- (x) да\n- ( ) не\n\n## Б\n\n- (x) да\n- ( ) не\n", head)
    s = quiz.settings
    assert (s.pass_percentage, s.attempts, s.time_limit, s.shuffle_answers, s.draw) == (
        80,
        2,
        15,
        False,
        1,
    )
    assert s.feedback is FeedbackTiming.AFTER_ATTEMPT
    assert quiz.questions_per_attempt == 1


def test_single_choice_with_feedback_hints_and_partial_credit(course_dir):
    quiz = only_quiz(
        course_dir,
        'Въведение.\n\n## Столица {#capital points=2 tags="география, Испания"}\n\n'
        "Коя е **столицата**?\n\n- (x) Мадрид\n  > Да, от 1561 г.\n- ( ) Барселона {50%}\n"
        "  > Почти.\n- ( ) Севиля\n\n**Подсказка:** На юг от Пиренеите.\nПодсказка: В центъра.\n"
        "При верен отговор: Браво.\nПри грешен отговор: Не.\n> Обратна връзка: Мадрид е столица.\n",
    )
    q = quiz.questions[0]
    assert isinstance(q, SingleChoice)
    assert quiz.intro == "<p>Въведение.</p>"
    assert q.id == "01-основи/03-тест/capital" and q.points == 2
    assert q.tags == ["география", "Испания"]
    assert q.text == "<p>Коя е <strong>столицата</strong>?</p>"
    assert [(c.text, c.fraction, c.feedback) for c in q.choices] == [
        ("Мадрид", 1.0, "Да, от 1561 г."),
        ("Барселона", 0.5, "Почти."),
        ("Севиля", 0.0, ""),
    ]
    assert q.hints == ["<p>На юг от Пиренеите.</p>", "<p>В центъра.</p>"]
    assert (q.correct_feedback, q.incorrect_feedback) == ("<p>Браво.</p>", "<p>Не.</p>")
    assert q.general_feedback == "<p>Мадрид е столица.</p>"


def test_multiple_choice_shares_and_negative_marks(course_dir):
    quiz = only_quiz(
        course_dir,
        "## Кои? {negative=true}\n\n- [x] а\n- [x] б\n- [x] в\n- [ ] г\n- [ ] д\n\n"
        "## Тежести\n\n- [x] а {75%}\n- [x] б {25%}\n- [ ] в {-50%}\n",
    )
    first, second = quiz.questions
    assert [c.fraction for c in first.choices] == [0.3333333, 0.3333333, 0.3333333, -0.5, -0.5]
    assert [c.fraction for c in second.choices] == [0.75, 0.25, -0.5]


def test_true_false_short_numerical(course_dir):
    quiz = only_quiz(
        course_dir,
        "## Вярно ли е?\n\n- ( ) Вярно\n  > Не.\n- (x) Невярно\n  > Да.\n\n"
        "## Град {case_sensitive=true}\n\n- = Оулу\n- = Ou* {50%}\n\n"
        "## Число\n\n- = 3.14 ± 0.01\n- = 1..5 {50%}\n- = 42\n",
    )
    tf, short, num = quiz.questions
    assert isinstance(tf, TrueFalse) and tf.answer is False
    assert (tf.feedback_true, tf.feedback_false) == ("Не.", "Да.")
    assert isinstance(short, ShortAnswer) and short.case_sensitive
    assert [(a.text, a.fraction) for a in short.answers] == [("Оулу", 1.0), ("Ou*", 0.5)]
    assert isinstance(num, Numerical)
    assert [(a.value, a.tolerance, a.fraction) for a in num.answers] == [
        (3.14, 0.01, 1.0), (3.0, 2.0, 0.5), (42.0, 0.0, 1.0),
    ]  # fmt: skip


def test_matching_ordering_essay_description(course_dir):
    quiz = only_quiz(
        course_dir,
        "## Свържете\n\n- Мисия -> Защо\n- Визия -> Накъде\n- -> Излишно\n\n"
        "## Подредете {type=ordering}\n\nПоследователност:\n\n1. Първо\n2. Второ\n3. Трето\n\n"
        "## Есе {type=essay min_words=10 max_words=200 lines=5}\n\nНапишете.\n\n"
        "За оценяващия: Търсим пример.\nШаблон: Аз мисля…\n\n"
        "## Текст {type=description}\n\nСамо текст.\n",
    )
    match, order, essay, desc = quiz.questions
    assert [(p.prompt, p.answer) for p in match.pairs] == [("Мисия", "Защо"), ("Визия", "Накъде")]
    assert match.distractors == ["Излишно"]
    assert order.items == ["Първо", "Второ", "Трето"]
    assert order.text == "<p>Последователност:</p>"
    assert (essay.min_words, essay.max_words, essay.lines) == (10, 200, 5)
    assert essay.grader_info == "<p>Търсим пример.</p>" and essay.template == "Аз мисля…"
    assert isinstance(desc, Description) and not desc.gradable and desc.points == 0


def test_cloze_blanks(course_dir):
    quiz = only_quiz(
        course_dir,
        "## Попълнете\n\nСтолицата е {{=Мадрид#Да! ~Барселона#Не. ~%50%Толедо}}, "
        "основана е около {{#860:10}} г., а реката е {{Мансанарес|Manzanares}}.\n",
    )
    q = quiz.questions[0]
    gaps = q.gaps
    assert [g.kind for g in gaps] == [GapKind.DROPDOWN, GapKind.NUMERIC, GapKind.SHORT]
    assert [(o.text, o.fraction, o.feedback) for o in gaps[0].options] == [
        ("Мадрид", 1.0, "Да!"), ("Барселона", 0.0, "Не."), ("Толедо", 0.5, ""),
    ]  # fmt: skip
    assert (gaps[1].options[0].text, gaps[1].options[0].tolerance) == ("860", 10.0)
    assert [o.text for o in gaps[2].options] == ["Мансанарес", "Manzanares"]
    assert q.points == 3
    assert q.parts[0] == "<p>Столицата е " and q.parts[-1] == ".</p>"


def test_question_without_text_uses_its_heading(course_dir):
    quiz = only_quiz(course_dir, "## Колко е 2 + 2?\n\n- = 4\n")
    assert quiz.questions[0].text == "<p>Колко е 2 + 2?</p>"


def test_ids_from_titles_are_stable_and_unique(course_dir):
    quiz = only_quiz(
        course_dir, "## Въпрос\n\n- = 1\n\n## Въпрос\n\n- = 2\n\n## Друг {#въпрос}\n\n- = 3\n"
    )
    assert [q.id.rsplit("/", 1)[1] for q in quiz.questions] == ["въпрос-2", "въпрос-3", "въпрос"]


@pytest.mark.parametrize(
    ("body", "line", "col", "message"),
    [
        ("## Q\n\n- ( ) а\n- ( ) б\n", 5, 1, 'question "Q": no right answer: mark one with (x)'),
        (
            "## Q\n\n- (x) а\n- (x) б\n",
            5,
            1,
            'question "Q": 2 right answers in a single-choice question: mark one with (x), '
            "or use [x] checkboxes to let learners choose several",
        ),
        (
            "## Q\n\n- [x] а {35%}\n- [x] б {65%}\n",
            7,
            9,  # the "{" of the grade
            "Moodle cannot store a grade of 35%: the nearest grade it can store is 33.33333%",
        ),
        (
            "## Q {type=numerical}\n\n- = 1.5\n- = две\n",
            8,
            5,
            'numerical answer "две" is not a number',
        ),
        (
            "## Q\n\n- а -> б\n",
            5,
            1,
            'question "Q": a matching question needs at least two pairs, it has 1',
        ),
        (
            "## Q\n\n- а -> б\n- а -> в\n",
            8,  # the second pair
            3,
            'question "Q": "а" is matched twice: each item on the left must be different',
        ),
        ("## Q\n\nТекст {{}} тук.\n", 7, 7, "a blank {{}} needs its answer"),
        ("## Q\n\nТекст {{~а ~б}} тук.\n", 7, 7, "a blank needs a right answer (one with =)"),
        (
            "## Q {type=essey}\n\nТекст\n",
            5,
            12,
            'unknown question type "essey" (did you mean "essay"?)',
        ),
        (
            "## Q\n\n- (x) а\n- [ ] б\n",
            8,  # the first answer of another kind
            3,
            "the answers mix different kinds of markers (multiple-choice answer [ ], "
            "single-choice answer ( )): use one kind per question",
        ),
        (
            "## Q\n\n- (x) а\n- ( ) б\n\nЗабравен етикет.\n",
            10,
            1,
            'text after the answers must start with a label such as "Обратна връзка:" or '
            '"Подсказка:", or be indented under an answer',
        ),
        (
            "## Q\n\nТекст.\n",
            5,
            1,
            'the question has no answers: add choices such as "- (x) right" / '
            '"- ( ) wrong", or say what it is with {type=essay} or {type=description}',
        ),
    ],
)
def test_question_errors_are_located(course_dir, body, line, col, message):
    out = problems(quiz_with(course_dir, body))
    assert f"{QUIZ}:{line}:{col}: error: {message}" in out, out


def test_a_number_with_two_separators_gets_a_hint(course_dir):
    out = problems(quiz_with(course_dir, "## Q {type=numerical}\n\n- = 1.234,5\n"))
    assert out == [
        f'{QUIZ}:7:5: error: numerical answer "1.234,5" is not a number (write one decimal '
        "point or comma and no thousands separators: 1234.5 or 1234,5)"
    ]


def test_duplicate_question_ids(course_dir):
    out = problems(quiz_with(course_dir, "## А {#x}\n\n- = 1\n\n## Б {#x}\n\n- = 2\n"))
    assert out == [f'{QUIZ}:9:7: error: question id "x" is already used on line 5']


def test_pool_larger_than_the_quiz(course_dir):
    head = "---\ntype: quiz\ntitle: Тест\ndraw: 3\n---\n"
    out = problems(quiz_with(course_dir, "## А\n\n- = 1\n\n## Б\n\n- = 2\n", head))
    assert out == [
        f"{QUIZ}:4:7: error: draw asks for 3 questions at random, but the pool holds only 2 graded questions"
    ]


def test_drawn_questions_need_equal_points(course_dir):
    head = "---\ntype: quiz\ntitle: Тест\ndraw: 1\n---\n"
    out = problems(quiz_with(course_dir, "## А {points=2}\n\n- = 1\n\n## Б\n\n- = 2\n", head))
    assert out == [
        f"{QUIZ}:4:7: error: questions drawn at random must all be worth the same points, but these are worth 1, 2"
    ]


def test_unknown_quiz_setting_suggests(course_dir):
    head = "---\ntype: quiz\ntitle: Тест\npass_percent: 80\n---\n"
    out = problems(quiz_with(course_dir, "## А\n\n- = 1\n", head))
    assert out == [
        f'{QUIZ}:4:1: warning: unknown key "pass_percent" in the front matter '
        '(did you mean "pass_percentage"?); it is ignored'
    ]


def test_unknown_question_setting_suggests(course_dir):
    out = problems(quiz_with(course_dir, "## А {point=2}\n\n- = 1\n"))
    assert out == [
        f'{QUIZ}:5:7: warning: unknown question setting "point" (did you mean "points"?); it is ignored'
    ]


def test_multiple_choice_grades_must_add_up(course_dir):
    out = problems(quiz_with(course_dir, "## Q\n\n- [x] а {50%}\n- [x] б {25%}\n- [ ] в\n"))
    assert out == [
        f'{QUIZ}:5:1: error: question "Q": the grades of the right answers add up to 75%, not 100%'
    ]


def test_quiz_without_questions(course_dir):
    out = problems(quiz_with(course_dir, "Само текст.\n"))
    assert out == [
        f"{QUIZ}:2:1: error: the quiz has no questions: start each one with a ## heading"
    ]


def test_gift_source(course_dir):
    write(
        course_dir / "01-основи" / "банка.gift",
        "// коментар\n$CATEGORY: $course$/top/Стара\n\n"
        "::Столица::Коя е столицата на Испания?{=Мадрид#Да ~Барселона#Не ~%50%Толедо####Обща}\n\n"
        "::Няколко::Кои?{~%50%а ~%50%б ~%-100%в}\n\n"
        "::ВН::Земята е кръгла.{T#Грешно#Вярно}\n\n"
        "::Кратък::Град?{=Оулу =%50%Ou*#почти}\n\n"
        "::Число::Колко?{#3.14:0.01 =%50%3:0.5 ~ Не е така}\n\n"
        "::Двойки::Свържете{=а -> 1 =б -> 2 = -> 3}\n\n"
        "::Есе::Опишете.{}\n\n"
        "::Инфо::Само текст\n\n"
        "Празно място: Столицата е {~Барселона =Мадрид} в Испания.\n",
    )
    head = "---\ntype: quiz\ntitle: Тест\ngift:\n  - банка.gift\n---\n"
    quiz = only_quiz(course_dir, "## Първи\n\n- = 1\n", head)
    kinds = [type(q).__name__ for q in quiz.questions]
    assert kinds == [
        "Numerical", "SingleChoice", "MultipleChoice", "TrueFalse", "ShortAnswer",
        "Numerical", "Matching", "Essay", "Description", "SingleChoice",
    ]  # fmt: skip
    capital = quiz.questions[1]
    assert [(c.text, c.fraction, c.feedback) for c in capital.choices] == [
        ("Мадрид", 1.0, "Да"), ("Барселона", 0.0, "Не"), ("Толедо", 0.5, ""),
    ]  # fmt: skip
    assert capital.general_feedback == "Обща"
    tf = quiz.questions[3]
    assert tf.answer is True and (tf.feedback_true, tf.feedback_false) == ("Вярно", "Грешно")
    num = quiz.questions[5]
    assert [(a.value, a.tolerance, a.fraction) for a in num.answers] == [
        (3.14, 0.01, 1.0),
        (3.0, 0.5, 0.5),
    ]
    assert num.incorrect_feedback == "Не е така"
    assert quiz.questions[6].distractors == ["3"]
    assert "_____" in quiz.questions[9].text


def test_gift_errors_are_located_in_the_gift_file(course_dir):
    write(course_dir / "01-основи" / "банка.gift", "::А::Въпрос{=а ~%33%б}\n\n::Б::Число{#едно}\n")
    head = "---\ntype: quiz\ntitle: Тест\ngift: банка.gift\n---\n"
    out = problems(quiz_with(course_dir, "## Първи\n\n- = 1\n", head))
    assert out == [
        '01-основи/банка.gift:1:16: error: answer "б": Moodle cannot store a grade of 33%: '
        "the nearest grade it can store is 33.33333%",
        '01-основи/банка.gift:3:13: error: numerical answer "едно" is not a number',
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("- = Finland\n", '- = <button formaction="javascript:alert(1)">x</button>\n'),
        ("- Мисия -> Защо съществуваме", "- Мисия -> <!-- --!><img src=x onerror=alert(1)> -->"),
    ],
)
def test_plain_text_answers_cannot_hold_markup(course_dir, old, new):
    quiz = course_dir / "01-основи" / "03-тест.md"
    text = quiz.read_text("utf-8")
    quiz.write_text(text.replace(old, new), "utf-8")
    found = problems(course_dir)
    assert any(
        "error: question" in p and "holds markup" in p and "answers that learners type" in p
        for p in found
    ), found


def test_a_file_name_too_long_is_a_located_error(course_dir):
    lesson = course_dir / "02-услуги" / "01-дигитални.md"
    text = lesson.read_text("utf-8")
    lesson.write_text(text + "\n[Дълго](" + "x" * 300 + ".pdf)\n", "utf-8")
    found = problems(course_dir)
    assert any("a file name is longer than 255 bytes" in p for p in found), found
    module = course_dir / "02-услуги" / "module.md"
    module.write_text(
        module.read_text("utf-8").replace("---\n", "---\nlessons:\n  - " + "y" * 300 + ".md\n", 1),
        "utf-8",
    )
    assert problems(course_dir)  # a clean located error, no internal error


_LABEL_PIECES = [*mdquiz._LABEL_OF, "Обратна", "ВРЪЗКА", ":", "**", "__", ">", " ", "\t",
                 "\u00a0", "\u2003", "-", "(x)", "1.", "x"]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_LABEL_PIECES), max_size=6))
def test_labels_are_read_alike_with_and_without_the_first_letter_check(pieces: list[str]) -> None:
    line = "".join(pieces)
    full, quick = mdquiz._LABEL.match(line), mdquiz._label(line)
    assert (full and full.span()) == (quick and quick.span())
