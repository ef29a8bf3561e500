"""Answer keys out of plain sight (issue 10, item 5): the quiz data of a built page (site and
SCORM) holds no answer text, no feedback of an answer in clear and no number of a numerical
answer, and the players (kinds.js, run in Node) still grade right, wrong and partly right
answers of every kind exactly as before."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from packager.markup import text_of
from packager.model import Cloze, FeedbackTiming, Matching, Numerical, Ordering, ShowAnswers
from packager.questions import keys
from packager.targets.html import item_path, resolver
from packager.targets.html.quizview import quiz_data

from .conftest import FIXTURE, load_course, needs_node, run_cli
from .conftest import kinds_node as node

# A quiz whose answers and feedback are words found nowhere else in the course.
SECRETS_QUIZ = """---
type: quiz
title: Тест с тайни
pass_percentage: 50
---
## Кой инструмент се чува в увертюрата?

- = Ксилофонът
  > Тайнаедно: браво.
- = Магнол* {50%}
  > Тайнадве: почти.
- = * {0%}
  > Тайнатри: не.

## Коя дума започва така? {case_sensitive=true}

- = Сомнамбул*

## Колко процента са читателите? {unit=%}

- = 1234.5 ± 0.25
  > Тайначетири: точно.
- = 1200..1300 {50%}

## Кое е най-близо?

- ( ) Първото
  > Тайнапет: не е.
- (x) Второто
- ( ) Третото {50%}

## Попълнете

Пътувахме до {{=Пловдив#Тайнашест ~Варна}} и видяхме {{Родопите}} от {{#2718:0.5}} м.
"""
SECRETS = ("Ксилофон", "Магнол", "Сомнамбул", "Родоп", "Тайна", "1234", "2718", "1250", "1300")


@pytest.fixture(scope="module")
def course_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("keys") / "content"
    shutil.copytree(FIXTURE, root)
    (root / "02-услуги" / "04-тайни.md").write_text(SECRETS_QUIZ, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def course(course_root):
    course, diags = load_course(course_root)
    assert not diags.errors, diags.errors
    return course


@pytest.fixture(scope="module")
def built(course_root, tmp_path_factory) -> dict[str, bytes]:
    """Every file of the site and both SCORM packages."""
    out = tmp_path_factory.mktemp("keys-out")
    targets = ("-t", "site", "-t", "scorm12", "-t", "scorm2004")
    result = run_cli("build", str(course_root), "-o", str(out), *targets)
    assert result.exit_code == 0, result.output
    files: dict[str, bytes] = {}
    for archive in sorted(out.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            files.update({f"{archive.name}/{n}": zf.read(n) for n in zf.namelist()})
    return files


def data_blocks(page: str) -> list[dict]:
    found = re.findall(r'<script type="application/json" id="[^"]*">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in found]


def quizzes_of(course):
    return {q.id: q for q in course.quizzes}


def page_data(course, quiz) -> dict:
    return quiz_data(course, quiz, resolver(course, item_path(quiz)))


# ------------------------------------------------------------------------------------------
# nothing in clear


def test_no_answer_feedback_or_number_in_any_built_file(built):
    quiz_pages = [n for n in built if n.endswith(".html") and "тайни" in n]
    assert len(quiz_pages) >= 3  # the site and both SCORM editions
    for name, data in built.items():
        if not name.endswith((".html", ".js", ".json", ".xml")):
            continue
        text = data.decode("utf-8")
        for secret in SECRETS:
            assert secret not in text, (name, secret)


# What a question's data may hold: nothing that names a grade, a right answer or feedback of
# an answer (the question's general and combined feedback is shown whatever is answered).
ALLOWED = {
    "id", "ref", "prompt", "kind", "points", "feedback", "hints", "salt", "key", "shuffle",
    "options", "text", "box", "boxes", "true", "false", "answers", "caseSensitive", "t", "w",
    "b", "unit", "prompts", "pairs", "items", "places", "gaps", "texts", "minWords",
    "maxWords",
}  # fmt: skip


def keys_in(value: object, path: str = "") -> set[str]:
    if isinstance(value, dict):
        out = set()
        for k, v in value.items():
            if path.endswith(".feedback"):
                continue  # general/correct/partial/incorrect: shown whatever is answered
            out |= {k} | keys_in(v, f"{path}.{k}")
        return out
    if isinstance(value, list):
        return set().union(*(keys_in(v, path) for v in value)) if value else set()
    return set()


def test_the_quiz_data_names_no_grade_answer_or_bound(built):
    pages = [n for n in built if n.endswith(".html")]
    seen = 0
    for name in pages:
        for block in data_blocks(built[name].decode("utf-8")):
            for q in block.get("questions", []):
                seen += 1
                assert keys_in(q) <= ALLOWED, (name, q["id"], keys_in(q) - ALLOWED)
                assert set(q["feedback"]) <= {"general", "correct", "partial", "incorrect"}
                # answers are tags, seals and lengths: never a readable number or text
                for a in q.get("answers", []):
                    assert isinstance(a, str) or set(a) <= {"t", "w", "b"}, a
    assert seen > 20


def test_matching_and_ordering_pages_do_not_follow_the_key(course):
    quiz = course.quizzes[0]
    data = page_data(course, quiz)
    for q, d in zip(quiz.questions, data["questions"], strict=True):
        if isinstance(q, Matching):
            # the answers offered are not in the order of the items they belong to
            assert [d["options"].index(p.answer) for p in q.pairs] != list(range(len(q.pairs)))
        if isinstance(q, Ordering):
            assert d["items"] != [text_of(i) for i in q.items]  # the page's order is not right
            assert sorted(d["items"]) == sorted(text_of(i) for i in q.items)


def test_salts_differ_per_question_and_rebuilds_are_identical(course, course_root):
    quiz = course.quizzes[0]
    first = page_data(course, quiz)
    other = load_course(course_root)[0]
    again = page_data(other, other.quizzes[0])
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    salts = [q["salt"] for q in first["questions"] if "salt" in q]
    assert len(salts) == len(set(salts)) >= 8


def test_a_changed_question_gets_new_tags(course):
    q = next(q for q in course.quizzes[0].questions if q.kind == "short")
    changed = replace(q, text=q.text + "<p>!</p>")
    assert keys.salt(changed) != keys.salt(q)


def blank(q: dict) -> object:
    """A response to a question's data that answers nothing."""
    if q["kind"] in ("short", "numerical"):
        return ""
    if q["kind"] in ("single", "truefalse"):
        return None
    if q["kind"] == "ordering":
        return list(range(len(q["items"])))
    return [None] * len(q.get("prompts") or q.get("gaps") or [])


@needs_node
def test_right_answers_are_left_out_when_the_quiz_never_shows_them(course):
    quiz = course.quizzes[0]
    assert all("key" in q for q in page_data(course, quiz)["questions"] if "salt" in q)
    for settings in (
        replace(quiz.settings, show_answers=ShowAnswers.NEVER),
        replace(quiz.settings, feedback=FeedbackTiming.NEVER),
    ):
        data = page_data(course, replace(quiz, settings=settings))
        assert not any("key" in q for q in data["questions"])
        graded = [q for q in data["questions"] if "salt" in q]
        out = node(
            [{"call": "right", "q": q} for q in graded]
            + [{"call": "interaction", "q": q, "r": blank(q), "edition": "2004"} for q in graded]
        )
        assert out[: len(graded)] == [""] * len(graded)  # nothing to show
        assert {x["pattern"] for x in out[len(graded) :]} == {None}  # no correct_responses
        right = node([{"call": "grade", "q": graded[0], "r": 0}])[0]
        assert right["fraction"] == 1.0  # grading needs no key


# ------------------------------------------------------------------------------------------
# grading as before, in kinds.js


def _grades(course, quiz_id: str, cases: list[tuple[int, object]]) -> list[dict]:
    quiz = next(q for q in course.quizzes if q.id == quiz_id)
    data = page_data(course, quiz)["questions"]
    return node([{"call": "grade", "q": data[i], "r": r} for i, r in cases])


def _fraction(result: dict) -> float:
    return round(result["fraction"], 6)


@needs_node
def test_fixture_quiz_grades_right_wrong_and_partly_right(course):
    quiz = course.quizzes[0]
    data = page_data(course, quiz)["questions"]
    by_kind = {q["kind"]: i for i, q in enumerate(data)}
    matching = data[by_kind["matching"]]
    model_m = next(q for q in quiz.questions if isinstance(q, Matching))
    correct = [matching["options"].index(p.answer) for p in model_m.pairs]
    wrong = [next(j for j in range(len(matching["options"])) if j != c) for c in correct]
    ordering = data[by_kind["ordering"]]
    model_o = next(q for q in quiz.questions if isinstance(q, Ordering))
    order = [ordering["items"].index(text_of(t)) for t in model_o.items]
    swapped = [order[1], order[0], *order[2:]]
    cases: list[tuple[str, object, float, list[str]]] = [
        ("single", 0, 1.0, ["Да – стратегията свързва мисията с нуждите."]),
        ("single", 1, 0.0, ["Бюджетът е средство, а не цел."]),
        ("single", 2, 0.5, []),
        ("single", None, 0.0, []),
        ("multiple", [0, 1], 1.0, []),
        ("multiple", [0], 0.5, []),
        ("multiple", [2], 0.0, []),
        ("truefalse", True, 1.0, []),
        ("truefalse", False, 0.0, []),
        ("short", "Финландия", 1.0, []),
        ("short", "  финландия.  ", 1.0, []),
        ("short", "FINLAND!", 1.0, ["Правилно, но на английски."]),
        ("short", "Швеция", 0.0, []),
        ("numerical", "4", 1.0, []),
        ("numerical", "4,0", 1.0, []),
        ("numerical", "5", 0.0, []),
        ("numerical", "четири", 0.0, []),
        ("matching", correct, 1.0, []),
        ("matching", [correct[0], wrong[1]], 0.5, []),
        ("matching", [None, None], 0.0, []),
        ("ordering", order, 1.0, []),
        ("ordering", swapped, 0.5, []),
        ("cloze", [0, "4", "сайта"], 1.0, []),
        ("cloze", [0, "4", "УЕБСАЙТА."], 1.0, []),
        ("cloze", [1, "4", "zzz"], 1 / 3, []),
        ("cloze", [None, "4,0", ""], 1 / 3, []),
        ("cloze", [2, "7", "x"], 0.0, []),
    ]
    out = node([{"call": "grade", "q": data[by_kind[k]], "r": r} for k, r, _, _ in cases])
    for (kind, r, fraction, feedback), got in zip(cases, out, strict=True):
        assert _fraction(got) == round(fraction, 6), (kind, r, got)
        if feedback:
            assert [text_of(f) for f in got["feedback"]] == feedback, (kind, r)


@needs_node
def test_wildcards_units_and_sealed_feedback(course):
    quiz = next(q for q in course.quizzes if q.title == "Тест с тайни")
    cases: list[tuple[int, object, float, str]] = [
        (0, "ксилофонът!", 1.0, "Тайнаедно: браво."),
        (0, "Магнолия", 0.5, "Тайнадве: почти."),
        (0, "магнол", 0.5, "Тайнадве: почти."),
        (0, "Бреза", 0.0, "Тайнатри: не."),  # the "*" answer takes anything else
        (1, "Сомнамбулизъм", 1.0, ""),
        (1, "сомнамбулизъм", 0.0, ""),  # case-sensitive
        (2, "1234,5 %", 1.0, "Тайначетири: точно."),
        (2, "1234.7%", 1.0, "Тайначетири: точно."),
        (2, "1234.8", 0.5, ""),
        (2, "1250", 0.5, ""),
        (2, "1234.5 кг", 0.0, ""),  # not the question's unit: not a number
        (3, 0, 0.0, "Тайнапет: не е."),
        (3, 1, 1.0, ""),
        (3, 2, 0.5, ""),
        (4, [0, "родопите", "2718,4"], 1.0, "Тайнашест"),
        (4, [1, "Родопите", "2719"], 1 / 3, ""),
    ]
    out = _grades(course, quiz.id, [(i, r) for i, r, _, _ in cases])
    for (i, r, fraction, feedback), got in zip(cases, out, strict=True):
        assert _fraction(got) == round(fraction, 6), (i, r, got)
        assert " ".join(text_of(f) for f in got["feedback"]) == feedback, (i, r, got)


@needs_node
def test_right_answers_and_scorm_patterns_come_from_the_hidden_key(course):
    quiz = next(q for q in course.quizzes if q.title == "Тест с тайни")
    data = page_data(course, quiz)["questions"]
    calls = [{"call": "right", "q": q} for q in data]
    calls += [
        {"call": "interaction", "q": data[0], "r": "Ксилофонът", "edition": "2004"},
        {"call": "interaction", "q": data[1], "r": "Сомнамбул", "edition": "2004"},
        {"call": "interaction", "q": data[2], "r": "1234,5 %", "edition": "2004"},
        {"call": "interaction", "q": data[2], "r": "1234,5 %", "edition": "1.2"},
        {"call": "interaction", "q": data[4], "r": [0, "Родопите", "2718"], "edition": "2004"},
    ]
    out = node(calls)
    assert out[:5] == [
        "Ксилофонът",
        "Сомнамбул*",
        "1234.5 ± 0.25%",
        "Второто",
        "Пловдив; Родопите; 2718",
    ]
    short, wildcard, numeric2004, numeric12, cloze = out[5:]
    assert short["pattern"] == "Ксилофонът"
    assert wildcard["pattern"] is None  # a wildcard is no SCORM pattern: none is written
    assert numeric2004 == {"type": "numeric", "response": "1234.5", "pattern": "1234.25[:]1234.75"}
    assert numeric12["pattern"] == "1234.5"
    assert cloze["pattern"] == "Пловдив[,]Родопите[,]2718"


def test_numeric_bounds_are_exact_decimals():
    assert keys.bounds(0.4, 0.01) == ("0.39", "0.41")
    assert keys.bounds(1990, 0) == ("1990", "1990")
    assert keys.bounds(1e-7, 1e-7) == ("0", "0.0000002")
    assert keys.exact(-0.0) == "0" and keys.exact(12.50) == "12.5"


@needs_node
def test_python_and_browser_seal_and_tag_alike():
    salt = "0123456789abcdef"
    box = keys.seal(salt, "g1:answer", "родопите", {"f": 0.5, "fb": "<p>Да “така”</p>"})
    q = {"salt": salt, "key": keys.hidden(salt, "key", {"x": ["ä", 1]})}
    out = node(
        [
            {"call": "reveal", "q": q},
            {"call": "sha256", "text": "Финландия" * 20},
        ]
    )
    assert out[0] == {"x": ["ä", 1]}
    assert out[1] == hashlib.sha256(("Финландия" * 20).encode()).hexdigest()
    assert keys.unseal(salt, "g1:answer", "родопите", box) == {"f": 0.5, "fb": "<p>Да “така”</p>"}
    # a wrong opener gives no payload (JSON of garbage), never the right one
    with pytest.raises(ValueError):
        keys.unseal(salt, "g1:answer", "родопи", box)


def test_typed_answers_and_numbers_are_sealed_per_question(course):
    """Every seal opens with what the model says earns it, and holds its grade and feedback."""
    quiz = next(q for q in course.quizzes if q.title == "Тест с тайни")
    data = page_data(course, quiz)["questions"]
    numerical = next(q for q in quiz.questions if isinstance(q, Numerical))
    d = data[quiz.questions.index(numerical)]
    assert d["unit"] == "%"
    opened = [keys.unseal(d["salt"], f"number{i}", "", box) for i, box in enumerate(d["answers"])]
    assert [(o["v"], o["t"], o["f"]) for o in opened] == [
        (a.value, a.tolerance, a.fraction) for a in numerical.answers
    ]
    cloze = next(q for q in quiz.questions if isinstance(q, Cloze))
    d = data[quiz.questions.index(cloze)]
    short_gap = d["gaps"][1]
    assert short_gap["answers"][0]["t"] == keys.tag(d["salt"], "g1:answer", "родопите")
