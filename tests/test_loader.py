"""The loader turns the fixture course into the model."""

from __future__ import annotations

from packager.model import Lesson, Quiz
from packager.refs import doc_ids, media_ids

from .conftest import FIXTURE, load_course, problems, write


def test_structure_and_order():
    course, diags = load_course(FIXTURE)
    assert not diags.errors, [str(d) for d in diags]
    assert course.title == "Библиотеката днес – пробен курс"
    assert course.short_name == "proben-kurs"
    assert course.language == "bg"
    assert [m.title for m in course.modules] == ["Основи на управлението", "Нови услуги"]
    first = course.modules[0]
    assert [type(i) for i in first.items] == [Lesson, Lesson, Quiz]
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
    assert [i.title for i in course.modules[1].items] == ["Дигитални услуги"]
    assert course.modules[1].order == 2  # from the folder name's number


def test_counts():
    course, _ = load_course(FIXTURE)
    assert (len(course.modules), len(course.lessons), len(course.quizzes)) == (2, 3, 1)
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
