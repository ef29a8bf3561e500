"""The training programme in content/: complete, well formed, and built strictly into every
target."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from packager.model import (
    Assignment,
    Audience,
    Cloze,
    Description,
    Essay,
    Forum,
    Lesson,
    Matching,
    Quiz,
)

from .conftest import load_course, run_cli

CONTENT = Path(__file__).resolve().parents[1] / "content"
pytestmark = pytest.mark.skipif(
    not any(CONTENT.glob("*/module.md")), reason="the programme in content/ has no module yet"
)
SECTIONS = ("Практическа задача", "Обобщение", "За допълнително четене")
DAY_PLAN = ("Цели на деня", "Преди деня", "Времеви план", "Малка библиотека", "Онлайн група",
            "След деня")  # fmt: skip
MODULE_TAGS = {f"модул {n}" for n in range(1, 8)}
WITH_ASSIGNMENT = {1, 2, 3, 4, 6, 7}  # module 5 has no assignment
WITH_FORUMS = {3, 6}  # a forum per practical task and a peer-feedback assignment
# "общо 4 часа и 5 минути", "общо 1 час и 10 минути", "общо 6 часа"
TOTAL = re.compile(r"общо (\d+) часа? и (\d+) минути|общо (\d+) часа?(?! и \d)")


@pytest.fixture(scope="module")
def course():
    course, diags = load_course(CONTENT, strict=True)
    assert not list(diags), [str(d) for d in diags]
    return course


def text(html: str) -> str:
    """The text of an HTML fragment, with typography's no-break spaces as plain spaces."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return root.text_content().replace("\u00a0", " ")


def text_raw(html: str) -> str:
    """The text of an HTML fragment as it is, no-break spaces included."""
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def plain(title: str) -> str:
    """A title with typography's no-break spaces as plain spaces."""
    return title.replace("\u00a0", " ")


def flat(html: str) -> str:
    """The text on one line: runs of white space as one space."""
    return re.sub(r"\s+", " ", text(html))


def words(html: str) -> int:
    return len(re.findall(r"\w+", text(html)))


def totals(html: str) -> list[int]:
    """The totals a text states ("общо 4 часа и 5 минути"), in minutes, in order."""
    return [int(h or h2) * 60 + int(m or 0) for h, m, h2 in TOTAL.findall(flat(html))]


def minutes(items) -> int:
    return sum(item.minutes for item in items)


def learner_modules(course):
    return [m for m in course.modules if not m.for_trainers]


def trainers_module(course):
    (module,) = [m for m in course.modules if m.for_trainers]
    return module


def numbered(course):
    """Modules 1 to 7, by number."""
    return dict(enumerate(learner_modules(course)[1:8], start=1))


def test_structure(course):
    learners = learner_modules(course)
    assert plain(learners[0].title) == "Въведение в програмата"
    assert plain(learners[-1].title) == "Заключително оценяване"
    assert course.modules[-1] is trainers_module(course)
    for module in numbered(course).values():
        assert 3 <= len(module.lessons) <= 5, module.title
        assert len(module.quizzes) == 1, module.title
        assert 8 <= len(module.quizzes[0].questions) <= 12, module.title
        assert all(i.audience is Audience.LEARNERS for i in module.items), module.title


def test_no_essay_in_an_auto_graded_quiz(course):
    for quiz in course.quizzes:
        assert not [q.id for q in quiz.questions if isinstance(q, Essay)], quiz.id
        assert "есе" not in text(quiz.intro).lower(), quiz.id
    for module in course.modules:
        assert not re.search(r"\bесе(та)?\b", text(module.summary).lower()), module.id
    for item in course.items():
        if hasattr(item, "html"):
            assert not re.search(r"\bесе(та)?\b", text(item.html).lower()), item.id


def test_assignments_replace_the_essays(course):
    for n, module in numbered(course).items():
        tasks = [a for a in module.assignments if a.title.startswith("Задание:")]
        if n not in WITH_ASSIGNMENT:
            assert not module.assignments, module.title
            continue
        assert len(tasks) == 1, module.title
        task = tasks[0]
        assert module.items.index(task) > module.items.index(module.quizzes[0]), task.id
        assert (task.points, task.pass_points) == (10, 6), task.id


def test_forums_and_peer_feedback_in_modules_3_and_6(course):
    for n, module in numbered(course).items():
        if n not in WITH_FORUMS:
            assert not module.forums, module.title
            continue
        assert len(module.forums) == len(module.lessons), module.title
        for forum in module.forums:
            before = module.items[module.items.index(forum) - 1]
            assert isinstance(before, Lesson), forum.id  # right after its lesson
            assert f"урока „{plain(before.title)}“" in flat(forum.html), forum.id
            assert "двама колеги" in text(forum.html), forum.id
        (peer,) = [a for a in module.assignments if a.title.startswith("Взаимна оценка")]
        (task,) = [a for a in module.assignments if a.title.startswith("Задание:")]
        order = module.items.index
        assert order(module.quizzes[0]) < order(peer) < order(task), module.title
        assert f"„{plain(task.title).removeprefix('Задание: ').capitalize()}“" in flat(peer.html)


def test_every_assignment_has_criteria_that_add_up(course):
    assert course.assignments
    for task in course.assignments:
        assert isinstance(task, Assignment)
        assert task.criteria and task.minutes, task.id
        assert sum(c.points for c in task.criteria) == task.points, task.id
        assert task.pass_points is None or task.pass_points < task.points, task.id
        body = text(task.html)
        for criterion in task.criteria:  # the packager shows the criteria; the body does not
            assert text(criterion.text) not in body, (task.id, criterion.text)
        assert "[" not in body, task.id  # no placeholder left, such as [крайна дата]
    for forum in course.forums:
        assert isinstance(forum, Forum) and forum.minutes and forum.html, forum.id


def test_every_lesson_is_complete(course):
    for lesson in course.lessons:
        assert lesson.minutes, lesson.id
        if lesson.for_trainers:
            continue
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", lesson.html)
        assert lesson.objectives, lesson.id
        if not lesson.id.startswith("00-"):
            for section in SECTIONS:
                assert section in headings, (lesson.id, section)
            assert 800 <= words(lesson.html) <= 1800, (lesson.id, words(lesson.html))


def test_every_module_has_an_illustration_with_alt_text(course):
    for module in learner_modules(course)[:-1]:
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
            assert any(parts) or isinstance(q, Description), q.id


def test_final_test_draws_three_questions_from_every_module(course):
    final_module = learner_modules(course)[-1]
    (final,) = final_module.quizzes
    assert isinstance(final, Quiz)
    settings = final.settings
    assert (settings.pass_percentage, settings.attempts, settings.time_limit) == (70, 3, 45)
    assert settings.draw is None
    assert {p.tag for p in settings.pools} == MODULE_TAGS
    for pool in settings.pools:
        pooled = final.pool_questions(pool)
        assert pool.count >= 3, pool
        assert len(pooled) >= max(pool.count, 7), (pool.tag, len(pooled))
        assert len({q.points for q in pooled}) == 1, pool.tag
    for q in final.graded_questions:
        assert len(MODULE_TAGS & set(q.tags)) == 1, q.id
    assert final.questions_per_attempt == 21
    for stated in (flat(final.intro), flat(final_module.summary)):
        assert "21 въпроса" in stated and "по три" in stated and "14,7 от 21" in stated


def test_closing_task_returns_to_the_self_assessment(course):
    final_module = learner_modules(course)[-1]
    (closing,) = final_module.assignments
    assert final_module.items.index(closing) > final_module.items.index(final_module.quizzes[0])
    assert (closing.points, closing.pass_points) == (20, 12)
    body = text(closing.html)
    assert "самооценка" in body and "папката на програмата" in body
    intro = {lesson.id: flat(lesson.html) for lesson in learner_modules(course)[0].lessons}
    for lesson_id in ("00-vavedenie/01-proektat", "00-vavedenie/02-tseli"):
        assert "заключителната задача" in intro[lesson_id], lesson_id


def test_trainers_guide(course):
    guide = trainers_module(course)
    assert guide.audience is Audience.TRAINERS
    assert len(guide.items) == len(guide.lessons) == 10
    assert all(i.for_trainers for i in guide.items)
    plans = {int(m.group(1)): lesson for lesson in guide.lessons
             if (m := re.match(r"Учебен ден за модул (\d)", lesson.title))}  # fmt: skip
    assert sorted(plans) == list(range(1, 8))
    for n, plan in plans.items():
        headings = [text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", plan.html)]
        assert list(DAY_PLAN) == headings, (plan.id, headings)
        assert "<table" in plan.html, plan.id
        if n != 5:  # a day ends with the module's assignment
            (task,) = [a for a in numbered(course)[n].assignments if a.title.startswith("Задание")]
            title = plain(task.title).removeprefix("Задание: ")
            assert title[0].upper() + title[1:] in flat(plan.html), plan.id
    guide_text = " ".join(flat(lesson.html) for lesson in guide.lessons)
    for topic in ("Форумите", "Взаимната оценка", "Заданията", "консорциума"):
        assert topic in guide_text, topic
    learners = course.for_learners()
    assert not learners.has_trainers_part
    assert [m.id for m in learners.modules] == [m.id for m in learner_modules(course)]


def test_time_estimates_add_up(course):
    for item in course.items():
        assert item.minutes, item.id
    for module in course.modules:
        assert totals(module.summary) == [minutes(module.items)], module.id
    learners = [i for m in learner_modules(course) for i in m.items]
    guide = trainers_module(course).items
    assert totals(course.summary) == [minutes(learners), minutes(guide)]
    parts = {
        "уроците": minutes(i for i in learners if isinstance(i, Lesson)),
        "тестовете": minutes(i for i in learners if isinstance(i, Quiz)),
        "заданията": minutes(i for i in learners if isinstance(i, Assignment | Forum)),
    }
    intro = flat(learner_modules(course)[0].lessons[-1].html)
    summary = flat(course.summary)
    for what, total in parts.items():
        hours, rest = divmod(total, 60)
        stated = f"{hours} часа и {rest} минути"
        assert f"{stated} за {what}" in summary, what
        assert stated in intro, what
    hours, rest = divmod(minutes(learners), 60)
    assert f"{hours} часа и {rest} минути" in intro


def test_typography_applied(course):
    assert course.typography
    for item in course.items():
        html = getattr(item, "html", None) or item.intro
        # a one-letter word is bound to the next word, not followed by an ordinary space
        loose = re.findall(r"(?<![\w\u00a0-])[аивскоуАИВСКОУ] \w", text_raw(html))
        assert not loose, (item.id, loose[:5])


def test_builds_strictly_into_every_target(tmp_path, course):
    result = run_cli("build", str(CONTENT), "-o", str(tmp_path), "--strict")
    assert result.exit_code == 0, result.output
    built = {p.name for p in tmp_path.iterdir()}
    stem = f"moderna-biblioteka-{course.version}"
    for suffix in ("-site.zip", "-scorm12.zip", "-scorm2004.zip", ".mbz", "-questions.xml",
                   "-questions.gift"):  # fmt: skip
        assert stem + suffix in built
    guide = trainers_module(course).id
    for scorm in ("-scorm12.zip", "-scorm2004.zip"):  # SCORM leaves the trainers' guide out
        with zipfile.ZipFile(tmp_path / (stem + scorm)) as package:
            assert not [n for n in package.namelist() if guide in n], scorm
    with zipfile.ZipFile(tmp_path / (stem + "-site.zip")) as site:
        assert [n for n in site.namelist() if guide in n]
    with zipfile.ZipFile(tmp_path / (stem + ".mbz")) as backup:  # hidden from learners
        visible = {}
        for name in backup.namelist():
            if name.startswith("activities/") and name.endswith("/module.xml"):
                root = lxml.etree.fromstring(backup.read(name))
                visible[root.findtext("idnumber")] = root.findtext("visible")
    hidden = {i for i, v in visible.items() if v == "0"}
    assert hidden == {item.id for item in trainers_module(course).items}
    assert len(visible) == sum(len(m.items) for m in course.modules)


def test_lessons_are_lessons(course):
    assert all(isinstance(i, Lesson) for i in course.modules[0].items)
