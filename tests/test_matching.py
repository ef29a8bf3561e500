"""Lenient, documented answer matching (issue 10, item 6): short answers ignore trailing
punctuation, typographic quotes, runs of spaces and (unless case-sensitive) letter case in the
site and SCORM, and Moodle gets the spellings it needs as extra answers; a numerical answer may
carry the unit its question declares (site, SCORM, Moodle's numerical units); a decimal comma
keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.model import Numerical
from packager.questions import keys
from packager.questions.typed import moodle_spellings

from .conftest import kinds_node as node
from .conftest import load_course, needs_node, problems, run_cli
from .mbz_reader import Backup

# (typed, case-sensitive, as compared)
NORMALISED = [
    ("Финландия", False, "финландия"),
    ("  Финландия.  ", False, "финландия"),
    ("Финландия!?", False, "финландия"),
    ("Финландия…", False, "финландия"),
    ("Финландия ...", False, "финландия"),
    ("Финландия", True, "Финландия"),
    ("FINLAND", False, "finland"),
    ("„Под игото“", False, '"под игото"'),
    ("“Под игото”.", False, '"под игото"'),
    ("«Под игото»", False, '"под игото"'),
    ("O’Brien", True, "O'Brien"),
    ("‘a’", False, "'a'"),
    ("Стара   Загора", False, "стара загора"),
    ("Стара\u00a0Загора", False, "стара загора"),  # a no-break space is a space
    ("Стара\tЗагора\n", False, "стара загора"),
    ("й", False, "й"),  # decomposed (и + breve) is composed: NFC
    ("?", False, "?"),  # nothing but punctuation stays as it is
    ("...", False, "..."),
    ("Node.js", False, "node.js"),  # punctuation inside stays
    ("C#", False, "c#"),
    ("ΟΔΟΣ", False, "οδος"),
    ("", False, ""),
]


@pytest.mark.parametrize(("typed", "case", "expected"), NORMALISED)
def test_normalise(typed, case, expected):
    assert keys.normalise(typed, case) == expected


@needs_node
def test_the_browser_normalises_exactly_as_python():
    calls = [{"call": "normalise", "text": t, "caseSensitive": c} for t, c, _ in NORMALISED]
    extra = ["\ufeffa\u2028b\u3000", "İstanbul", "Straße.", "a\u200bb", "x\x85y", "ǅ"]
    calls += [{"call": "normalise", "text": t, "caseSensitive": False} for t in extra]
    expected = [e for _, _, e in NORMALISED] + [keys.normalise(t) for t in extra]
    assert node(calls) == expected


# (typed, unit, value read)
NUMBERS = [
    ("75", "%", 75),
    ("75%", "%", 75),
    ("75 %", "%", 75),
    ("  75\u00a0%  ", "%", 75),
    ("12,5%", "%", 12.5),
    ("390 думи", "думи", 390),
    ("390 ДУМИ", "думи", 390),
    ("390думи", "думи", 390),
    ("1 000 думи", "думи", 1000),
    ("0,5", "", 0.5),
    ("-3,25", "", -3.25),
    (",5", "", 0.5),
    ("1e3", "", 1000),
    ("75%", "", None),  # no unit declared: not a number
    ("75 kg", "%", None),  # another unit: not a number
    ("%", "%", None),
    ("думи", "думи", None),
    ("75%%", "%", None),
    ("1,5,5", "", None),
    ("abc", "", None),
    ("", "", None),
]


@needs_node
def test_numbers_with_units_and_decimal_commas():
    got = node([{"call": "parseNumber", "text": t, "unit": u} for t, u, _ in NUMBERS])
    assert list(zip(NUMBERS, got, strict=True)) == [(n, n[2]) for n in NUMBERS]


def test_moodle_spellings():
    assert moodle_spellings("Финландия") == ["Финландия", "Финландия."]
    assert moodle_spellings("Да!") == ["Да!", "Да", "Да."]
    assert moodle_spellings("Финл*") == ["Финл*"]  # a wildcard takes the full stop already
    assert moodle_spellings('"Под игото"') == [
        '"Под игото"', '"Под игото".', "„Под игото“", "„Под игото“.", "“Под игото”",
        "“Под игото”.",
    ]  # fmt: skip
    assert moodle_spellings("„Под игото“") == [
        "„Под игото“", '"Под игото"', '"Под игото".', "„Под игото“.", "“Под игото”",
        "“Под игото”.",
    ]  # fmt: skip
    assert moodle_spellings("O'Brien") == ["O'Brien", "O'Brien.", "O’Brien", "O’Brien."]
    # every spelling is the same answer to the site: Moodle accepts no more than the site
    for text in ("Финландия", "Да!", '"Под игото"', "O'Brien"):
        assert {keys.normalise(v) for v in moodle_spellings(text)} == {keys.normalise(text)}


# ------------------------------------------------------------------------------------------
# the source: unit= in the question's settings

UNIT_QUIZ = """---
type: quiz
title: Тест с мерни единици
---
## Какъв дял от жителите са читатели? {unit=%}

- = 12.5 ± 0.5
  > Точно.
- = 10..15 {50%}

## Колко думи има есето? {unit="думи"}

- = 390

## Кой град?

- = Пловдив
- = * {0%}
  > Не.
"""


@pytest.fixture
def unit_course(course_dir: Path) -> Path:
    (course_dir / "02-услуги" / "04-единици.md").write_text(UNIT_QUIZ, encoding="utf-8")
    return course_dir


def test_unit_is_read_from_the_question_settings(unit_course):
    course, diags = load_course(unit_course)
    assert not diags.errors
    quiz = next(q for q in course.quizzes if q.title == "Тест с мерни единици")
    percent, words, city = quiz.questions
    assert isinstance(percent, Numerical) and percent.unit == "%"
    assert isinstance(words, Numerical) and words.unit == "думи"
    assert not hasattr(city, "unit")
    assert next(q for q in course.quizzes[0].questions if isinstance(q, Numerical)).unit == ""


def test_a_unit_that_looks_like_a_number_is_an_error(unit_course):
    path = unit_course / "02-услуги" / "04-единици.md"
    path.write_text(UNIT_QUIZ.replace("{unit=%}", "{unit=5kg}"), encoding="utf-8")
    found = problems(unit_course)
    assert any("04-единици.md:5:" in p and 'unit "5kg" must be' in p for p in found), found


@pytest.fixture
def unit_backup(unit_course, tmp_path) -> Backup:
    result = run_cli("build", str(unit_course), "-o", str(tmp_path / "out"), "-t", "moodle")
    assert result.exit_code == 0, result.output
    return Backup(next((tmp_path / "out").glob("*.mbz")))


def _question(backup: Backup, name: str):
    return next(q for q in backup.questions.values() if q.name == name)


def test_moodle_numerical_units_read_back(unit_backup):
    """With a unit: Moodle's "units are optional", typed after the number, one unit of
    multiplier 1; without one: no units at all, as before."""
    for name, unit in (
        ("Какъв дял от жителите са читатели?", "%"),
        ("Колко думи има есето?", "думи"),
    ):
        q = _question(unit_backup, name)
        assert q.qtype == "numerical"
        units = q.el.findall(".//numerical_units/numerical_unit")
        assert [(u.findtext("multiplier"), u.findtext("unit")) for u in units] == [
            ("1.0000000000000000000", unit)
        ]
        assert [c.tag for c in units[0]] == ["multiplier", "unit"]
        assert units[0].get("id")
        option = q.el.find(".//numerical_options/numerical_option")
        assert option is not None
        assert (option.findtext("showunits"), option.findtext("unitgradingtype")) == ("0", "0")
        assert option.findtext("unitsleft") == "0"
    plain = _question(unit_backup, "Колко са стъпките на цикъла на планиране?")
    assert plain.el.findall(".//numerical_units/numerical_unit") == []
    assert plain.el.find(".//numerical_option").findtext("showunits") == "3"


def test_moodle_short_answer_spellings_come_before_a_catch_all(unit_backup):
    q = _question(unit_backup, "Кой град?")
    got = [(a.text, a.fraction) for a in q.answers]
    assert got == [("Пловдив", 1.0), ("Пловдив.", 1.0), ("*", 0.0)]
    assert "Не." in q.answers[2].feedback
