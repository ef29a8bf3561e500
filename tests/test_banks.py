"""Question banks: every question, answer, fraction, feedback and image survives the export,
read back from Moodle XML and from GIFT."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packager.model import (
    Cloze,
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    Ordering,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from packager.questions.typed import moodle_spellings
from packager.refs import media_ids

from .bank_reader import (
    cloze_gaps,
    gift_categories,
    read_categories,
    read_moodle_xml,
    text_of,
)
from .conftest import FIXTURE, load_course, run_cli, write

QTYPE = {
    SingleChoice: "multichoice", MultipleChoice: "multichoice", TrueFalse: "truefalse",
    ShortAnswer: "shortanswer", Numerical: "numerical", Matching: "matching",
    Ordering: "ordering", Essay: "essay", Cloze: "cloze", Description: "description",
}  # fmt: skip


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("banks")
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-t", "moodlexml", "-t", "gift")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def course():
    return load_course(FIXTURE)[0]


def image_hashes(course, html: str) -> list[str]:
    return [course.media[m].sha256 for m in media_ids(html)]


def test_files_per_quiz_and_for_the_bank(exported):
    assert (exported / "proben-kurs-0.1.0-questions.xml").is_file()
    assert (exported / "questions" / "01-основи" / "03-тест.xml").is_file()
    assert (exported / "proben-kurs-0.1.0-questions.gift").is_file()
    assert (exported / "questions" / "01-основи" / "03-тест.gift").is_file()
    head = (exported / "proben-kurs-0.1.0-questions.xml").read_bytes()[:40]
    assert head.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_moodle_xml_round_trip(exported, course):
    quiz = course.quizzes[0]
    read = read_moodle_xml((exported / "proben-kurs-0.1.0-questions.xml").read_bytes())
    assert len(read) == len(quiz.questions)
    for q, x in zip(quiz.questions, read, strict=True):
        assert x.qtype == QTYPE[type(q)], q.title
        assert x.name == q.title
        assert x.idnumber == q.id.rsplit("/", 1)[1]
        assert x.category == "$course$/top/Основи на управлението/Тест към модул 1"
        assert text_of(q.general_feedback) == x.fields["generalfeedback"].text
        assert [text_of(h) for h in q.hints] == [h.text for h in x.hints]
        assert x.tags == q.tags
        if not isinstance(q, Cloze):
            assert x.fields["questiontext"].text == text_of(q.text)
            assert x.fields["questiontext"].images() == image_hashes(course, q.text)
            assert float(x.options["defaultgrade"]) == q.points
        _check_body(q, x)


def _check_body(q, x):
    match q:
        case SingleChoice() | MultipleChoice():
            assert x.options["single"] == ("true" if isinstance(q, SingleChoice) else "false")
            assert [(a.fraction, a.text.text, a.feedback.text) for a in x.answers] == [
                (pytest.approx(c.fraction), text_of(c.text), text_of(c.feedback)) for c in q.choices
            ]
            for key, model in (("correctfeedback", q.correct_feedback),
                               ("partiallycorrectfeedback", q.partial_feedback),
                               ("incorrectfeedback", q.incorrect_feedback)):  # fmt: skip
                assert x.fields[key].text == text_of(model)
        case TrueFalse():
            assert [(a.text.html, a.fraction) for a in x.answers] == [
                ("true", 1.0 if q.answer else 0.0),
                ("false", 0.0 if q.answer else 1.0),
            ]
            assert text_of(q.feedback_true) in x.answers[0].feedback.text
            assert text_of(q.feedback_false) in x.answers[1].feedback.text
        case ShortAnswer():
            assert x.options["usecase"] == ("1" if q.case_sensitive else "0")
            # each answer, then the spellings the site also accepts (as in the backup)
            want = [(s, a) for a in q.answers for s in moodle_spellings(a.text)]
            got = [(xa.text.html, xa.fraction) for xa in x.answers]
            assert got[: len(want)] == [(s, a.fraction) for s, a in want]
            for (_spelling, a), xa in zip(want, x.answers, strict=False):
                assert text_of(a.feedback) in xa.feedback.text
        case Numerical():
            got = [(float(a.text.html), float(a.tolerance), a.fraction) for a in x.answers]
            assert got == [(a.value, a.tolerance, a.fraction) for a in q.answers]
        case Matching():
            pairs = [(f.text, answer) for f, answer in x.subquestions]
            assert pairs == [(text_of(p.prompt), p.answer) for p in q.pairs] + [
                ("", d) for d in q.distractors
            ]
            assert x.subquestions[0][0].images() == []
        case Ordering():
            assert [(a.fraction, a.text.text) for a in x.answers] == [
                (i + 1, text_of(item)) for i, item in enumerate(q.items)
            ]
        case Essay():
            assert x.fields["graderinfo"].text == text_of(q.grader_info)
            assert (x.options["minwordlimit"], x.options["maxwordlimit"]) == (
                str(q.min_words or ""),
                str(q.max_words or ""),
            )
        case Cloze():
            gaps = cloze_gaps(x.fields["questiontext"].html)
            assert len(gaps) == len(q.gaps)
            for (weight, _, options), gap in zip(gaps, q.gaps, strict=True):
                assert weight == gap.points
                assert [(f, a) for f, a, _ in options] == [
                    (pytest.approx(o.fraction), o.text if gap.kind.value != "numeric" else
                     f"{float(o.text):g}" + (f":{o.tolerance:g}" if o.tolerance else ""))
                    for o in gap.options
                ]  # fmt: skip
            plain = re.sub(r"\{\d+:[A-Z_]+:(?:\\.|[^\\}])*\}", "", x.fields["questiontext"].html)
            assert text_of(plain) == text_of("".join(p for p in q.parts if isinstance(p, str)))


def test_images_are_embedded_where_they_are_used(exported, course):
    read = read_moodle_xml((exported / "proben-kurs-0.1.0-questions.xml").read_bytes())
    matching = next(x for x in read if x.qtype == "matching")
    picture = course.media["01-основи/images/цикъл.png"]
    assert matching.fields["questiontext"].images() == [picture.sha256]
    assert matching.fields["generalfeedback"].images() == [picture.sha256]


def test_gift_round_trip_through_the_gift_reader(exported, course, tmp_path):
    """The exported GIFT file, used as a source again, gives back the same questions."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    shutil.copy(exported / "proben-kurs-0.1.0-questions.gift", content / "01-основи" / "bank.gift")
    write(
        content / "01-основи" / "03-тест.md",
        "---\ntype: quiz\ntitle: Обратно\ngift: bank.gift\n---\n",
    )
    again, diags = load_course(content)
    assert not diags.errors, [str(d) for d in diags]
    original = [q for q in course.quizzes[0].questions if not isinstance(q, Ordering | Cloze)]
    back = again.quizzes[0].questions
    assert [type(q) for q in back] == [type(q) for q in original]
    for q, b in zip(original, back, strict=True):
        assert b.title == q.title
        assert text_of(b.text) == text_of(q.text)
        assert text_of(b.general_feedback) == text_of(q.general_feedback)
        assert _gift_images(b.text) == image_hashes(course, q.text)
        match q:
            case SingleChoice() | MultipleChoice():
                assert [(c.fraction, text_of(c.text), text_of(c.feedback)) for c in b.choices] == [
                    (pytest.approx(c.fraction), text_of(c.text), text_of(c.feedback))
                    for c in q.choices
                ]
            case TrueFalse():
                assert b.answer == q.answer
                assert text_of(q.feedback_true) in text_of(b.feedback_true)
            case ShortAnswer():
                assert [(a.text, a.fraction) for a in b.answers] == [
                    (a.text, a.fraction) for a in q.answers
                ]
            case Numerical():
                assert [(a.value, a.tolerance, a.fraction) for a in b.answers] == [
                    (a.value, a.tolerance, a.fraction) for a in q.answers
                ]
            case Matching():
                assert [(text_of(p.prompt), p.answer) for p in b.pairs] == [
                    (text_of(p.prompt), p.answer) for p in q.pairs
                ]
                assert b.distractors == q.distractors


def _gift_images(html: str) -> list[str]:
    out = []
    for uri in re.findall(r'src="data:image/[a-z]+;base64,([^"]*)"', html):
        out.append(hashlib.sha256(base64.b64decode(uri)).hexdigest())
    return out


def test_gift_names_what_it_cannot_carry(tmp_path):
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path), "-t", "gift")
    assert result.exit_code == 0
    assert (
        '01-основи/03-тест.md:56:1: warning: gift: question "Подредете етапите" is left out: '
        "ordering questions cannot be carried; import the Moodle XML file instead"
    ) in result.output
    assert (
        'gift: question "Попълнете" is left out: fill-in-the-blanks questions cannot be carried'
    ) in result.output
    assert (
        "01-основи/03-тест.md:1:1: warning: gift: cannot carry combined feedback (1 question), "
        "hints (1 question), points (1 question); they are left out"
    ) in result.output
    text = (tmp_path / "proben-kurs-0.1.0-questions.gift").read_text("utf-8")
    assert "// Not here: 'Подредете етапите' (ordering)." in text


def test_notices_do_not_fail_a_strict_build(tmp_path):
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path), "-t", "gift", "--strict")
    assert result.exit_code == 0


# -- stratified draws: a sub-category per pool ----------------------------------------------

POOLED = """---
type: quiz
title: Финален тест
draw:
  модул 1: 1
  модул/2: 2
---
## Въпрос А {tags="модул 1"}

- (x) да
- ( ) не

## Въпрос Б {tags="модул/2"}

- (x) да
- ( ) не

## Бележка {type=description}

Само текст.

## Въпрос В {tags="модул 1"}

- (x) да
- ( ) не

## Въпрос Г {tags="модул/2"}

- = да

## Въпрос Д {tags="модул/2"}

- (x) да
- ( ) не
"""
QUIZ_CATEGORY = "$course$/top/Нови услуги/Финален тест"


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    content = tmp_path_factory.mktemp("pooled") / "content"
    shutil.copytree(FIXTURE, content)
    write(content / "02-услуги" / "04-финал.md", POOLED)
    out = content.parent / "out"
    result = run_cli("build", str(content), "-o", str(out), "-t", "moodlexml", "-t", "gift")
    assert result.exit_code == 0, result.output
    return load_course(content)[0], out


def test_each_pool_is_a_sub_category_of_its_quiz(pooled):
    course, out = pooled
    quiz = course.find("02-услуги/04-финал")
    data = (out / "questions" / "02-услуги" / "04-финал.xml").read_bytes()
    categories = read_categories(data)
    # the quiz's own category first; a "/" in a tag is doubled, as Moodle's paths want it
    assert [c.path for c in categories] == [
        QUIZ_CATEGORY, f"{QUIZ_CATEGORY}/модул 1", f"{QUIZ_CATEGORY}/модул//2",
    ]  # fmt: skip
    assert [c.idnumber for c in categories] == [
        "02-услуги/04-финал", "02-услуги/04-финал/модул 1", "02-услуги/04-финал/модул/2",
    ]  # fmt: skip
    assert categories[0].info == ""
    assert categories[1].info == "Случайно изтеглени въпроси при всеки опит: 1."
    assert categories[2].info.endswith(": 2.")
    by_category: dict[str, list[str]] = {}
    for x in read_moodle_xml(data):
        by_category.setdefault(x.category, []).append(x.name)
    assert by_category == {
        QUIZ_CATEGORY: ["Бележка"],  # in no pool: where every question of a quiz goes
        f"{QUIZ_CATEGORY}/модул 1": [q.title for q in quiz.pool_questions(quiz.settings.pools[0])],
        f"{QUIZ_CATEGORY}/модул//2": [q.title for q in quiz.pool_questions(quiz.settings.pools[1])],
    }
    assert by_category[f"{QUIZ_CATEGORY}/модул//2"] == ["Въпрос Б", "Въпрос Г", "Въпрос Д"]
    # the whole bank holds the same, after the quiz without pools
    whole = (out / "proben-kurs-0.1.0-questions.xml").read_bytes()
    assert [c.path for c in read_categories(whole)][1:] == [c.path for c in categories]
    assert len(read_moodle_xml(whole)) == len(course.questions)


def test_each_pool_is_a_sub_category_in_gift_too(pooled):
    out = pooled[1]
    text = (out / "questions" / "02-услуги" / "04-финал.gift").read_text("utf-8")
    assert gift_categories(text) == [
        (QUIZ_CATEGORY, ["Бележка"]),
        (f"{QUIZ_CATEGORY}/модул 1", ["Въпрос А", "Въпрос В"]),
        (f"{QUIZ_CATEGORY}/модул//2", ["Въпрос Б", "Въпрос Г", "Въпрос Д"]),
    ]
    assert "// Случайно изтеглени въпроси при всеки опит: 2." in text
    unpooled = (out / "questions" / "01-основи" / "03-тест.gift").read_text("utf-8")
    assert [c for c, _ in gift_categories(unpooled)] == [
        "$course$/top/Основи на управлението/Тест към модул 1"
    ]


def test_a_pooled_bank_reads_back_as_the_same_questions(pooled, tmp_path):
    """The GIFT bank of a pooled quiz, used as a source again, gives back every question."""
    course, out = pooled
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    shutil.copy(out / "questions" / "02-услуги" / "04-финал.gift", content / "02-услуги" / "b.gift")
    write(
        content / "02-услуги" / "04-финал.md",
        "---\ntype: quiz\ntitle: Обратно\ngift: b.gift\n---\n",
    )
    again, diags = load_course(content)
    assert not diags.errors, [str(d) for d in diags]
    back = again.find("02-услуги/04-финал").questions
    original = course.find("02-услуги/04-финал").questions
    # grouped by pool: the questions in no pool first, then each pool's
    assert [q.title for q in back] == ["Бележка", "Въпрос А", "Въпрос В", "Въпрос Б", "Въпрос Г",
                                      "Въпрос Д"]  # fmt: skip
    assert sorted(q.title for q in back) == sorted(q.title for q in original)


def test_a_trainers_quiz_is_in_the_bank_as_any_other(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    quiz = content / "01-основи" / "03-тест.md"
    quiz.write_text(quiz.read_text("utf-8").replace("---\n", "---\naudience: trainers\n", 1))
    assert load_course(content)[0].quizzes[0].for_trainers
    out = tmp_path / "out"
    assert run_cli("build", str(content), "-o", str(out), "-t", "moodlexml").exit_code == 0
    again = (out / "questions" / "01-основи" / "03-тест.xml").read_bytes()
    before = run_cli("build", str(FIXTURE), "-o", str(tmp_path / "fx"), "-t", "moodlexml")
    assert before.exit_code == 0
    assert again == (tmp_path / "fx" / "questions" / "01-основи" / "03-тест.xml").read_bytes()


def test_moodle_xml_numerical_units(course_dir, tmp_path):
    """A numerical question with unit=% carries Moodle's optional unit, as the backup does."""
    quiz = course_dir / "01-основи" / "03-тест.md"
    write(
        quiz,
        quiz.read_text("utf-8")
        + "\n## Какъв дял? {#dyal unit=%}\n\nНапишете процента.\n\n- = 12,5 ± 0,5\n",
    )
    out = tmp_path / "out"
    result = run_cli("build", str(course_dir), "-o", str(out), "-t", "moodlexml")
    assert result.exit_code == 0, result.output
    from lxml import etree

    root = etree.fromstring((out / "proben-kurs-0.1.0-questions.xml").read_bytes())
    (q,) = [e for e in root.iter("question") if e.findtext("idnumber") == "dyal"]
    assert q.get("type") == "numerical"
    assert [(u.findtext("unit_name"), u.findtext("multiplier")) for u in q.iter("unit")] == [
        ("%", "1")
    ]
    assert q.findtext("showunits") == "0" and q.findtext("unitgradingtype") == "0"
    assert q.find("answer").findtext("text") == "12.5"


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_moodle_xml_escapes_as_libxml2_does(text: str) -> None:
    """The Moodle XML bank is written as text: each text and attribute value comes out as
    lxml would write it (characters XML cannot carry replaced first), so it reads back whole."""
    from lxml import etree

    from packager.names import xml_text
    from packager.targets.banks.moodlexml import _attr, _esc

    el = etree.Element("t", a=xml_text(text))
    el.text = xml_text(text)
    assert (
        etree.tostring(el, encoding="unicode") == f'<t a="{_attr(xml_text(text))}">{_esc(text)}</t>'
    )
    assert (etree.fromstring(f"<t>{_esc(text)}</t>").text or "") == xml_text(text)
