"""The training programme in content/: complete, well formed, and built strictly into every
target."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from packager.model import Cloze, Description, Essay, Lesson, Matching, Quiz

from .conftest import load_course, run_cli

CONTENT = Path(__file__).resolve().parents[1] / "content"
pytestmark = pytest.mark.skipif(
    not any(CONTENT.glob("*/module.md")), reason="the programme in content/ has no module yet"
)
SECTIONS = ("Практическа задача", "Обобщение", "За допълнително четене")


@pytest.fixture(scope="module")
def course():
    course, diags = load_course(CONTENT, strict=True)
    assert not list(diags), [str(d) for d in diags]
    return course


def words(html: str) -> int:
    text = lxml.html.fragment_fromstring(html, create_parent="div").text_content()
    return len(re.findall(r"\w+", text))


def test_structure(course):
    titles = [m.title for m in course.modules]
    assert titles[0] == "Въведение в програмата"
    assert titles[-1] == "Заключителен тест"
    modules = course.modules[1:-1]
    assert len(modules) == 7
    for module in modules:
        assert 3 <= len(module.lessons) <= 5, module.title
        assert len(module.quizzes) == 1, module.title
        assert 8 <= len(module.quizzes[0].questions) <= 12, module.title


def test_every_lesson_is_complete(course):
    for lesson in course.lessons:
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", lesson.html)
        assert lesson.objectives, lesson.id
        assert lesson.minutes, lesson.id
        if not lesson.id.startswith("00-"):
            for section in SECTIONS:
                assert section in headings, (lesson.id, section)
            assert 800 <= words(lesson.html) <= 1800, (lesson.id, words(lesson.html))


def test_every_module_has_an_illustration_with_alt_text(course):
    for module in course.modules[:-1]:
        images = [m for item in module.items for m in item.media if course.media[m].is_image]
        assert images, module.title
    for lesson in course.lessons:
        for alt in re.findall(r'<img [^>]*alt="([^"]*)"', lesson.html):
            assert len(alt) > 20, (lesson.id, alt)


def test_question_types_across_the_programme(course):
    kinds = Counter(type(q) for q in course.questions)
    assert len(kinds) >= 5
    assert kinds[Cloze] and kinds[Matching]
    for quiz in course.quizzes:
        for q in quiz.questions:
            parts = [q.general_feedback, q.correct_feedback, q.incorrect_feedback]
            parts += [getattr(q, "feedback_true", ""), getattr(q, "feedback_false", "")]
            for group in ("choices", "answers"):
                parts += [x.feedback for x in getattr(q, group, [])]
            assert any(parts) or isinstance(q, Essay | Description), q.id


def test_final_assessment_draws_from_every_module(course):
    final = course.modules[-1].quizzes[0]
    assert isinstance(final, Quiz)
    assert final.settings.pass_percentage == 70
    assert final.settings.draw and final.settings.draw < len(final.questions)
    tags = Counter(t for q in final.questions for t in q.tags)
    assert {f"модул {n}" for n in range(1, 8)} <= set(tags)


def test_builds_strictly_into_every_target(tmp_path, course):
    result = run_cli("build", str(CONTENT), "-o", str(tmp_path), "--strict")
    assert result.exit_code == 0, result.output
    built = {p.name for p in tmp_path.iterdir()}
    stem = f"moderna-biblioteka-{course.version}"
    for suffix in ("-site.zip", "-scorm12.zip", "-scorm2004.zip", ".mbz", "-questions.xml",
                   "-questions.gift"):  # fmt: skip
        assert stem + suffix in built


def test_lessons_are_lessons(course):
    assert all(isinstance(i, Lesson) for i in course.modules[0].items)
