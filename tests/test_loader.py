"""The loader turns the fixture course into the model."""

from __future__ import annotations

import pytest

from packager.model import Assignment, Audience, Criterion, Forum, Lesson, Pool, Quiz, Submission
from packager.refs import doc_ids, media_ids

from .conftest import FIXTURE, load_course, problems, write


def test_structure_and_order():
    course, diags = load_course(FIXTURE)
    assert not diags.errors, [str(d) for d in diags]
    assert course.title == "Библиотеката днес – пробен курс"
    assert course.short_name == "proben-kurs"
    assert course.language == "bg"
    assert [m.title for m in course.modules] == [
        "Основи на управлението",
        "Нови услуги",
        "За обучителя",
    ]
    first = course.modules[0]
    assert [type(i) for i in first.items] == [Lesson, Lesson, Quiz, Lesson]
    assert [i.title for i in first.items][:2] == [
        "Стратегия на библиотеката",
        "Решения, основани на данни",
    ]
    assert course.start_date.isoformat() == "2027-01-11"


def test_ids_are_derived_from_paths_and_stable():
    a, _ = load_course(FIXTURE)
    b, _ = load_course(FIXTURE)
    ids = [i.id for i in a.items()]
    assert ids == [i.id for i in b.items()]
    assert ids[0] == "01-основи/01-стратегия"
    assert len(set(ids)) == len(ids)
    quiz = a.quizzes[0]
    assert quiz.questions[0].id == "01-основи/03-тест/mission"  # given in the heading


def test_lesson_metadata_and_html():
    course, _ = load_course(FIXTURE)
    lesson = course.lessons[0]
    assert lesson.minutes == 20
    assert lesson.objectives[1] == "да опишете стъпките на <em>стратегическото планиране</em>"
    assert "<table>" in lesson.html and 'class="admonition note"' in lesson.html
    assert 'id="защо-стратегия"' in lesson.html  # Cyrillic heading anchors
    assert "Обратно към бележка 1" in lesson.html  # footnote strings in the course language
    assert doc_ids(lesson.html) == ["01-основи/02-данни"]
    assert media_ids(lesson.html) == ["01-основи/images/цикъл.png"]
    assert lesson.media == ["01-основи/images/цикъл.png"]


def test_links_to_lessons_and_attachments():
    course, _ = load_course(FIXTURE)
    services = course.modules[1].items[0]
    assert doc_ids(services.html) == ["01-основи/01-стратегия"]
    assert "02-услуги/брошура.pdf" in media_ids(services.html)
    pdf = course.media["02-услуги/брошура.pdf"]
    assert pdf.mime == "application/pdf" and not pdf.is_image


def test_images_have_dimensions_in_html():
    course, _ = load_course(FIXTURE)
    html = course.lessons[1].html
    assert 'width="1600" height="800"' in html  # downscaled from 2000×1000
    assert course.media["01-основи/images/читалня.jpg"].width == 1600


def test_module_without_lessons_key_takes_every_markdown_file():
    course, _ = load_course(FIXTURE)
    assert [i.title for i in course.modules[1].items] == [
        "Дигитални услуги",
        "Задание: нова услуга",
        "Форум: идеи за услуги",
    ]
    assert course.modules[1].order == 2  # from the folder name's number


def test_counts():
    course, _ = load_course(FIXTURE)
    assert (len(course.modules), len(course.lessons), len(course.quizzes)) == (3, 5, 1)
    assert (len(course.assignments), len(course.forums)) == (1, 1)
    assert len(course.questions) == 10
    assert len(course.images) == 2


def test_web_pages_and_svg_cannot_be_attached(course_dir):
    lesson = course_dir / "02-услуги" / "01-дигитални.md"
    write(course_dir / "02-услуги" / "страница.html", "<script>alert(1)</script>")
    write(course_dir / "02-услуги" / "схема.svg", '<svg onload="alert(1)"/>')
    text = lesson.read_text("utf-8")
    lesson.write_text(text + "\n[Страница](страница.html) и [схема](схема.svg).\n", "utf-8")
    found = problems(course_dir)
    line = len(text.splitlines()) + 2
    assert any(
        p.startswith(f"02-услуги/01-дигитални.md:{line}:")
        and 'link to "страница.html": .html files cannot go into a package' in p
        for p in found
    ), found
    assert any('link to "схема.svg": .svg files cannot go into a package' in p for p in found)


def test_a_link_loop_is_a_located_error(course_dir):
    image = course_dir / "01-основи" / "images" / "читалня.jpg"
    image.unlink()
    image.symlink_to(image.name)
    found = problems(course_dir)
    assert any('"images/читалня.jpg" is a link that points to itself' in p for p in found), found
    loop = course_dir.parent / "loop"
    loop.symlink_to(loop.name)
    assert problems(loop)[0].endswith("or start a new course with `packager new FOLDER`")


def test_an_empty_value_is_absent_whichever_yaml_parser_reads_it(course_dir):
    lesson = course_dir / "01-основи" / "01-стратегия.md"
    text = lesson.read_text("utf-8")
    lesson.write_text(text.replace("minutes: 20", "minutes: ~"), "utf-8")
    assert not [p for p in problems(course_dir) if "minutes" in p]
    course, _ = load_course(course_dir)
    assert course.lessons[0].minutes is None


def test_an_empty_quoted_title_or_short_name_is_an_error(course_dir):
    yml = course_dir / "course.yml"
    text = yml.read_text("utf-8")
    yml.write_text(text.replace("short_name: proben-kurs", 'short_name: ""'), "utf-8")
    lesson = course_dir / "01-основи" / "01-стратегия.md"
    lesson.write_text(
        lesson.read_text("utf-8").replace("title: Стратегия на библиотеката", 'title: ""'), "utf-8"
    )
    found = problems(course_dir)
    assert any(p.startswith("course.yml:") and '"short_name" is empty' in p for p in found), found
    assert any(p.startswith("01-основи/01-стратегия.md:2:") and "needs a title" in p for p in found)
    yml.write_text(text.replace("title: Библиотеката днес – пробен курс", 'title: ""'), "utf-8")
    assert any(
        p.startswith("course.yml:1:") and '"title" is empty' in p for p in problems(course_dir)
    )


# ------------------------------------------------------------------------------------------
# audiences, assignments, forums, stratified draws, typography


def test_audiences_come_from_the_module_or_the_item():
    course, _ = load_course(FIXTURE)
    basics, services, trainers = course.modules
    assert trainers.audience is Audience.TRAINERS and basics.audience is Audience.LEARNERS
    assert all(i.for_trainers for i in trainers.items)
    assert [i.for_trainers for i in basics.items] == [False, False, False, True]
    assert not any(i.for_trainers for i in services.items)
    learners = course.for_learners()
    assert [m.title for m in learners.modules] == ["Основи на управлението", "Нови услуги"]
    assert len(learners.modules[0].items) == 3 and len(course.modules[0].items) == 4
    assert course.has_trainers_part and not learners.has_trainers_part


def test_an_assignment_with_criteria_and_a_forum():
    course, diags = load_course(FIXTURE, strict=True)
    assert not list(diags)
    (task,) = course.assignments
    assert isinstance(task, Assignment) and task.id == "02-услуги/02-задание"
    assert task.points == 10 and task.pass_points == 6 and task.minutes == 60
    assert task.submission == (Submission.TEXT, Submission.FILE)
    assert task.criteria == [
        Criterion("Услугата отговаря на нужда от анализа", 4),
        Criterion("Има партньор и бюджет", 3),
        Criterion("Показател за успех: как ще разберете, че работи", 3),
    ]
    assert "<strong>нова услуга</strong>" in task.html
    assert doc_ids(task.html) == ["02-услуги/01-дигитални"]  # links resolve as in lessons
    (forum,) = course.forums
    assert isinstance(forum, Forum) and "отговорете на двама колеги" in forum.html


TASK = "---\ntype: assignment\ntitle: Задание\n{front}---\n{body}"


@pytest.mark.parametrize(
    ("front", "body", "message"),
    [
        ("points: 8\ncriteria:\n  a: 2\n  b: 3\n", "Т.\n", "the criteria add up to 5 points, but"),
        ("criteria: 5\n", "Т.\n", '"criteria" must be "criterion: points" lines'),
        ("criteria:\n  a: много\n", "Т.\n", '"a" in "criteria" needs a number of at least 0'),
        ("criteria:\n  a: 1\n  A: 2\n", "Т.\n", '"A" is given twice in "criteria"'),
        ("submission: [text, video]\n", "Т.\n", '"submission" takes text and/or file, not "video"'),
        ("points: 5\npass_points: 6\n", "Т.\n", '"pass_points" (6) is more than'),
        ("", "", "the assignment needs a text"),
    ],
)
def test_assignment_mistakes_are_located(course_dir, front, body, message):
    path = course_dir / "02-услуги" / "02-задание.md"
    write(path, TASK.format(front=front, body=body))
    found = problems(course_dir)
    assert any(message in p and p.startswith("02-услуги/02-задание.md:") for p in found), found


def test_assignment_defaults(course_dir):
    write(
        course_dir / "02-услуги" / "02-задание.md",
        TASK.format(front="submission: файл\n", body="Т.\n"),
    )
    course, diags = load_course(course_dir)
    assert not diags.errors
    (task,) = course.assignments
    assert task.points == 10 and task.pass_points is None and not task.criteria
    assert task.submission == (Submission.FILE,)


def test_a_forum_needs_a_prompt(course_dir):
    write(course_dir / "02-услуги" / "03-форум.md", "---\ntype: forum\ntitle: Форум\n---\n")
    assert any("the forum needs a text" in p for p in problems(course_dir))


def test_an_item_may_set_its_audience(course_dir):
    path = course_dir / "02-услуги" / "03-форум.md"
    write(path, "---\ntype: forum\ntitle: Форум\naudience: обучители\n---\nОбсъдете.\n")
    course, _ = load_course(course_dir)
    assert course.forums[0].audience is Audience.TRAINERS
    write(path, "---\ntype: forum\ntitle: Форум\naudience: всички\n---\nОбсъдете.\n")
    assert any(
        '"audience" must be one of learners, учащи, trainers, обучители' in p
        for p in problems(course_dir)
    )


POOLED = """---
type: quiz
title: Тест
draw:
  модул 1: 1
  модул 2: 2
---
## Първи {{#a tags="модул 1"}}

- (x) да
- ( ) не

## Втори {{#b tags="модул 2"}}

- (x) да
- ( ) не

## Трети {{#c tags="модул 2, трудни"}}

- (x) да
- ( ) не

## Четвърти {{#d {extra}}}

- (x) да
- ( ) не
"""


def test_a_stratified_draw(course_dir):
    quiz_file = course_dir / "01-основи" / "03-тест.md"
    write(quiz_file, POOLED.format(extra='tags="модул 1"'))
    course, diags = load_course(course_dir)
    assert not diags.errors, [str(d) for d in diags]
    quiz = course.quizzes[0]
    assert quiz.settings.pools == (Pool("модул 1", 1), Pool("модул 2", 2))
    assert quiz.settings.draw is None
    assert quiz.questions_per_attempt == 3
    assert [q.id.rsplit("/", 1)[1] for q in quiz.pool_questions(Pool("модул 2", 2))] == ["b", "c"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("", 'question "01-основи/03-тест/d" has none of the tags the quiz draws from'),
        ('tags="модул 1, модул 2"', "has more than one of the tags"),
        ('tags="модул 1" points=2', 'the questions tagged "модул 1" are drawn at random'),
    ],
)
def test_stratified_draw_mistakes(course_dir, extra, message):
    write(course_dir / "01-основи" / "03-тест.md", POOLED.format(extra=extra))
    found = problems(course_dir)
    assert any(message in p and p.startswith("01-основи/03-тест.md:") for p in found), found


def test_a_pool_needs_enough_questions(course_dir):
    text = POOLED.format(extra='tags="модул 1"').replace("модул 2: 2", "модул 2: 5")
    write(course_dir / "01-основи" / "03-тест.md", text)
    found = problems(course_dir)
    assert any('draw asks for 5 questions tagged "модул 2", but the quiz has 2' in p for p in found)


def test_typography_applies_to_bulgarian_courses_unless_switched_off(course_dir):
    course_yml = course_dir / "course.yml"
    text = course_yml.read_text("utf-8").replace("typography: false", "")
    course_yml.write_text(text, "utf-8")
    course, _ = load_course(course_dir)
    assert course.typography
    assert course.title == "Библиотеката днес\u00a0– пробен курс"
    lesson = course.lessons[0]
    assert "\u00a0" in lesson.html
    assert '"' not in lesson.html.replace('="', "").replace('" ', "").replace('">', "")
    course_yml.write_text(text + "typography: false\n", "utf-8")
    plain, _ = load_course(course_dir)
    assert "\u00a0" not in plain.lessons[0].html
    course_yml.write_text(text.replace("language: bg", "language: en"), "utf-8")
    english, _ = load_course(course_dir)
    assert not english.typography and "\u00a0" not in english.lessons[0].html


def test_learners_pages_cannot_link_to_trainers_pages(course_dir):
    lesson = course_dir / "02-услуги" / "01-дигитални.md"
    text = lesson.read_text("utf-8")
    write(lesson, text + "\nВижте [плана](../03-за-обучители/01-план.md).\n")
    found = problems(course_dir)
    assert any(
        p.startswith("02-услуги/01-дигитални.md:") and "that page is for trainers only" in p
        for p in found
    ), found
    write(lesson, text)
    notes = course_dir / "03-за-обучители" / "01-план.md"
    write(notes, notes.read_text("utf-8") + "\nВижте [бележките](../01-основи/04-бележки.md).\n")
    module = course_dir / "03-за-обучители" / "module.md"
    write(module, module.read_text("utf-8") + "\n[План](01-план.md)\n")
    assert not [p for p in problems(course_dir) if "error" in p]


def test_a_trainers_module_holds_only_trainers_items(course_dir):
    notes = course_dir / "03-за-обучители" / "01-план.md"
    write(notes, notes.read_text("utf-8").replace("minutes: 15", "minutes: 15\naudience: learners"))
    found = problems(course_dir)
    assert any("the module is for trainers, so everything in it is" in p for p in found), found
