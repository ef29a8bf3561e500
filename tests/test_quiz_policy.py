"""The quiz setting show_answers: read from the front matter (English or Bulgarian words),
handed to the quiz player, and turned into the Moodle quiz's review options."""

from __future__ import annotations

import json
import re

import pytest

from packager.model import FeedbackTiming, ShowAnswers
from packager.targets.moodle.quiz import AFTER, AFTER_CLOSE, DURING, review_options

from .conftest import load_course, problems, run_cli

QUIZ = "01-основи/03-тест.md"


def set_answers(course_dir, value: str) -> None:
    quiz = course_dir / QUIZ
    text = quiz.read_text("utf-8").replace("attempts: 2\n", f"attempts: 2\nshow_answers: {value}\n")
    quiz.write_text(text, "utf-8")


def quiz_settings(course_dir):
    course, _ = load_course(course_dir)
    return next(q for q in course.quizzes if q.title == "Тест към модул 1").settings


def test_default_waits_for_the_last_attempt(course_dir):
    assert quiz_settings(course_dir).show_answers is ShowAnswers.AFTER_LAST_ATTEMPT


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("always", ShowAnswers.ALWAYS),
        ("never", ShowAnswers.NEVER),
        ("after_pass", ShowAnswers.AFTER_PASS),
        ("след-успех", ShowAnswers.AFTER_PASS),
        ("винаги", ShowAnswers.ALWAYS),
    ],
)
def test_words(course_dir, word, value):
    set_answers(course_dir, word)
    assert quiz_settings(course_dir).show_answers is value


def test_an_unknown_word_is_an_error(course_dir):
    set_answers(course_dir, "sometimes")
    found = problems(course_dir)
    assert any('"show_answers" must be one of' in p and "sometimes" in p for p in found), found


def test_the_player_gets_it(course_dir, tmp_path):
    set_answers(course_dir, "after_pass")
    result = run_cli("build", str(course_dir), "-o", str(tmp_path / "out"), "-t", "site")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "site" / QUIZ.replace(".md", ".html")).read_text("utf-8")
    block = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    assert json.loads(block.group(1))["showAnswers"] == "after_pass"


@pytest.mark.parametrize("timing", list(FeedbackTiming))
def test_moodle_review_options(timing):
    """Moodle cannot wait for a pass or the last attempt: those show the right answers only
    once the quiz closes; the rest of the review options follow the feedback setting."""
    always = review_options(timing, ShowAnswers.ALWAYS)
    assert always == review_options(timing)
    assert review_options(timing, ShowAnswers.NEVER)["reviewrightanswer"] == 0
    for later in (ShowAnswers.AFTER_PASS, ShowAnswers.AFTER_LAST_ATTEMPT):
        options = review_options(timing, later)
        assert options["reviewrightanswer"] == always["reviewrightanswer"] & AFTER_CLOSE
        assert {k: v for k, v in options.items() if k != "reviewrightanswer"} == {
            k: v for k, v in always.items() if k != "reviewrightanswer"
        }
    if timing is FeedbackTiming.IMMEDIATE:
        assert always["reviewrightanswer"] == DURING | AFTER
        assert review_options(timing, ShowAnswers.AFTER_PASS)["reviewrightanswer"] == AFTER_CLOSE
