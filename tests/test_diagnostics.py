"""Every problem in the sources is reported once, located, with no traceback."""

from __future__ import annotations

import os
import random

import pytest

from packager.diagnostics import Diagnostics
from packager.messages import set_language

from .conftest import load_course, problems, run_cli, write

M1 = "01-основи"


def test_missing_course_file(tmp_path):
    out = problems(tmp_path)
    assert len(out) == 1
    assert out[0].startswith("course.yml:1:1: error: no course file in")
    assert "packager new" in out[0]


def test_missing_content_folder(tmp_path):
    out = problems(tmp_path / "nowhere")
    assert out[0].startswith("course.yml:1:1: error: no course file") and "no such folder" in out[0]


def test_bad_yaml_in_course_file(course_dir):
    text = (course_dir / "course.yml").read_text("utf-8")
    (course_dir / "course.yml").write_text(
        text.replace("title: Библиотеката днес – пробен курс", "title: Курс: част 1"), "utf-8"
    )
    out = problems(course_dir)
    assert out == [
        "course.yml:1:12: error: invalid YAML: mapping values are not allowed here; "
        'if a value contains ": ", put the value in quotes'
    ]


def test_bad_front_matter_reports_its_line(course_dir):
    lesson = course_dir / M1 / "02-данни.md"
    lesson.write_text("---\ntitle: Данни\nminutes: [15\n---\n## Източници\n", "utf-8")
    assert problems(course_dir) == [
        f"{M1}/02-данни.md:3:13: error: invalid YAML: expected ',' or ']', but got '<stream end>'"
    ]


def test_front_matter_never_closed(course_dir):
    (course_dir / M1 / "02-данни.md").write_text("---\ntitle: Данни\n\nТекст\n", "utf-8")
    assert problems(course_dir) == [
        f'{M1}/02-данни.md:1:1: error: front matter starts with "---" but is never closed by a "---" line'
    ]


def test_lesson_listed_twice(course_dir):
    module = course_dir / M1 / "module.md"
    module.write_text(
        module.read_text("utf-8").replace(
            "  - 02-данни.md\n", "  - 02-данни.md\n  - 01-стратегия.md\n"
        ),
        "utf-8",
    )
    assert problems(course_dir) == [
        f'{M1}/module.md:6:1: error: "01-стратегия.md" is listed twice (first on line 4)'
    ]


def test_listed_lesson_missing_suggests_a_name(course_dir):
    module = course_dir / M1 / "module.md"
    module.write_text(module.read_text("utf-8").replace("02-данни.md", "02-дани.md"), "utf-8")
    out = problems(course_dir)
    assert (
        f'{M1}/module.md:5:1: error: lesson file "02-дани.md" not found (did you mean "02-данни.md"?)'
        in out
    )


def test_unlisted_lesson_is_a_warning(course_dir):
    write(course_dir / M1 / "чернова.md", "---\ntitle: Чернова\n---\nТекст.\n")
    assert problems(course_dir) == [
        f'{M1}/чернова.md:1:1: warning: this file is not listed under "lessons" in {M1}/module.md, '
        "so it is not built"
    ]


def test_missing_image(course_dir):
    lesson = course_dir / M1 / "02-данни.md"
    lesson.write_text(lesson.read_text("utf-8").replace("читалня.jpg", "няма.jpg"), "utf-8")
    assert problems(course_dir) == [
        f'{M1}/02-данни.md:9:1: error: image "images/няма.jpg" not found'
    ]


def test_unknown_front_matter_key_suggests(course_dir):
    lesson = course_dir / M1 / "02-данни.md"
    lesson.write_text(lesson.read_text("utf-8").replace("minutes: 15", "minuts: 15"), "utf-8")
    assert problems(course_dir) == [
        f'{M1}/02-данни.md:3:1: warning: unknown key "minuts" in the front matter '
        '(did you mean "minutes"?); it is ignored'
    ]


def test_unknown_course_key_suggests(course_dir):
    path = course_dir / "course.yml"
    path.write_text(path.read_text("utf-8").replace("license:", "licence:"), "utf-8")
    assert problems(course_dir) == [
        'course.yml:9:1: warning: unknown key "licence" in the course file '
        '(did you mean "license"?); it is ignored'
    ]


def test_empty_module(course_dir):
    write(course_dir / "04-празен" / "module.md", "---\ntitle: Празен модул\n---\nОписание.\n")
    assert problems(course_dir) == [
        "04-празен/module.md:1:1: error: the module is empty: add a lesson (a .md file) to its folder"
    ]


def test_duplicate_ids(course_dir):
    lesson = course_dir / M1 / "02-данни.md"
    lesson.write_text(
        lesson.read_text("utf-8").replace("minutes: 15", "minutes: 15\nid: 01-основи/01-стратегия"),
        "utf-8",
    )
    assert problems(course_dir) == [
        f'{M1}/02-данни.md:4:1: error: id "01-основи/01-стратегия" is already used by '
        f"{M1}/01-стратегия.md"
    ]


def test_duplicate_module_order(course_dir):
    path = course_dir / "02-услуги" / "module.md"
    path.write_text(
        path.read_text("utf-8").replace("title: Нови услуги", "title: Нови услуги\norder: 1"),
        "utf-8",
    )
    assert problems(course_dir) == [
        "02-услуги/module.md:1:1: error: order 1 is also used by 01-основи/module.md; "
        "give each module its own order"
    ]


def test_file_that_is_not_utf8(course_dir):
    path = course_dir / M1 / "02-данни.md"
    path.write_bytes("---\ntitle: Данни\n---\nТекст\n".encode("cp1251"))
    assert problems(course_dir) == [
        f"{M1}/02-данни.md:2:8: error: the file is saved in the Windows-1251 (Cyrillic) encoding, "
        'not UTF-8 (byte 0xc4 is "Д" there): open it in your editor and save it as UTF-8 '
        '(in Notepad: "Save as", Encoding "UTF-8")'
    ]  # Windows-1251 has its own message: tests/test_word_paste.py


def test_bom_is_accepted(course_dir):
    path = course_dir / M1 / "02-данни.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    course, diags = load_course(course_dir)
    assert not list(diags)
    assert course.lessons[1].title == "Решения, основани на данни"


def test_missing_alt_text_warns_and_fails_under_strict(course_dir):
    path = course_dir / M1 / "02-данни.md"
    path.write_text(path.read_text("utf-8").replace("![Снимка на читалнята]", "![]"), "utf-8")
    msg = (
        f'{M1}/02-данни.md:9:1: warning: image "images/читалня.jpg" has no alt text: write what it '
        "shows between the brackets, ![like this](file.png)"
    )
    assert problems(course_dir) == [msg]
    assert problems(course_dir, strict=True) == [msg.replace("warning", "error")]


def test_corrupt_image_names_lesson_and_line(course_dir):
    (course_dir / M1 / "images" / "цикъл.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    out = problems(course_dir)
    assert len(out) == 1
    assert out[0].startswith(f'{M1}/01-стратегия.md:12:1: error: image "{M1}/images/цикъл.png": ')


def test_unsupported_image_type(course_dir):
    write(course_dir / M1 / "images" / "схема.svg", "<svg/>")
    path = course_dir / M1 / "02-данни.md"
    path.write_text(path.read_text("utf-8") + "\n![Схема](images/схема.svg)\n", "utf-8")
    assert problems(course_dir) == [
        f'{M1}/02-данни.md:11:1: error: image "images/схема.svg": .svg files are not supported; '
        "use PNG, JPEG, GIF or WebP"
    ]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("../../secret.png", 'image "../../secret.png" points outside the content folder'),
        (
            "/etc/hostname",
            'image "/etc/hostname" is an absolute path: write it relative to the file',
        ),
    ],
)
def test_references_may_not_leave_the_content_folder(course_dir, ref, message):
    path = course_dir / M1 / "02-данни.md"
    path.write_text(path.read_text("utf-8").replace("images/читалня.jpg", ref), "utf-8")
    assert problems(course_dir) == [f"{M1}/02-данни.md:9:1: error: {message}"]


def test_symlink_pointing_outside_is_refused(course_dir, tmp_path):
    outside = tmp_path / "outside.png"
    (course_dir / M1 / "images" / "цикъл.png").rename(outside)
    os.symlink(outside, course_dir / M1 / "images" / "цикъл.png")
    message = (
        'error: image "images/цикъл.png" is a link to a file outside '
        "the content folder; copy the file into the content folder instead"
    )
    # every reference to it is reported, at its column: the lesson's and the quiz's two
    assert problems(course_dir) == [
        f"{M1}/01-стратегия.md:12:1: {message}",
        f"{M1}/03-тест.md:48:16: {message}",
        f"{M1}/03-тест.md:54:38: {message}",
    ]


def test_link_to_missing_lesson(course_dir):
    path = course_dir / M1 / "01-стратегия.md"
    path.write_text(path.read_text("utf-8").replace("02-данни.md#", "05-няма.md#"), "utf-8")
    assert problems(course_dir) == [
        f'{M1}/01-стратегия.md:19:23: error: link to "05-няма.md": that lesson does not exist'
    ]


@pytest.mark.parametrize(
    ("html", "col", "message"),
    [
        (
            "<script>alert(1)</script>",
            1,
            "<script> is not allowed: it would run inside the LMS page",
        ),
        (
            '<p onclick="go()">x</p>',
            4,
            'event attribute onclick="…" on <p> is not allowed: '
            "scripts would run inside the LMS page",
        ),
        (
            '<a href="javascript:alert(1)">x</a>',
            4,
            "a javascript: URL in <a href> is not allowed: it would run a script",
        ),
        (
            '<iframe src="https://evil.example/x" title="x"></iframe>',
            1,
            '<iframe> from "evil.example" is not allowed: only https pages from the hosts in '
            "iframe_hosts in course.yml may be embedded (now: www.youtube-nocookie.com)",
        ),
    ],
)
def test_unsafe_html_is_an_error(course_dir, html, col, message):
    path = course_dir / M1 / "02-данни.md"
    path.write_text(path.read_text("utf-8") + f"\nText: {html}\n", "utf-8")
    assert problems(course_dir) == [f"{M1}/02-данни.md:11:{col + 6}: error: {message}"]


def test_script_in_a_code_block_is_only_text(course_dir):
    path = course_dir / M1 / "02-данни.md"
    path.write_text(
        path.read_text("utf-8") + "\n```html\n<script>alert(1)</script>\n```\n", "utf-8"
    )
    assert problems(course_dir) == []


def test_all_problems_are_reported_together(course_dir):
    (course_dir / M1 / "images" / "цикъл.png").unlink()
    path = course_dir / M1 / "02-данни.md"
    path.write_text(path.read_text("utf-8").replace("minutes: 15", "minutes: много"), "utf-8")
    write(course_dir / "04-празен" / "module.md", "---\ntitle: Празен\n---\n")
    out = problems(course_dir)
    assert len(out) == 5  # three references to the missing image, bad minutes, empty module
    assert all(": error: " in line for line in out)


def test_cli_prints_problems_without_traceback(course_dir):
    (course_dir / M1 / "images" / "цикъл.png").unlink()
    result = run_cli("build", str(course_dir), "-o", str(course_dir.parent / "dist"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f'{M1}/01-стратегия.md:12:1: error: image "images/цикъл.png" not found' in result.output
    assert "3 errors; nothing was built." in result.output
    assert not (course_dir.parent / "dist").exists()


# ---------------------------------------------------------------------------------------------
# Order: by file in the course's reading order, then line and column, the same on every run


def test_sorted_follows_the_reading_order_whatever_order_the_problems_came_in():
    found = [
        ("02-b/module.md", 2, 1, "w"),
        ("course.yml", 5, 3, "e"),
        ("01-a/02-x.md", 1, 1, "e"),
        ("01-a/module.md", 3, 1, "e"),
        ("01-a/01-y.md", 4, 2, "w"),
        ("01-a/01-y.md", 4, 2, "e"),
        ("01-a/чернова.md", 1, 1, "w"),
        ("zz/", 1, 1, "w"),
        ("01-a/01-y.md", 2, 9, "e"),
    ]
    order = ["course.yml", "01-a/module.md", "01-a/01-y.md", "01-a/02-x.md", "02-b/module.md"]
    runs = set()
    for seed in range(6):
        random.Random(seed).shuffle(found)
        diags = Diagnostics(order=order)
        for path, line, col, severity in found:
            report = diags.error if severity == "e" else diags.warning
            report(path, line, f"{severity} at {line}", col)
        runs.add(tuple(str(d) for d in diags.sorted()))
    assert len(runs) == 1
    assert [":".join(d.split(":")[:3]) + " " + d.split(": ")[-1] for d in runs.pop()] == [
        "course.yml:5:3 e at 5",
        "01-a/module.md:3:1 e at 3",
        "01-a/01-y.md:2:9 e at 2",
        "01-a/01-y.md:4:2 e at 4",  # the error before the warning at the same place
        "01-a/01-y.md:4:2 w at 4",
        "01-a/02-x.md:1:1 e at 1",
        "01-a/чернова.md:1:1 w at 1",  # not in the course: after its folder's files
        "02-b/module.md:2:1 w at 2",
        "zz/:1:1 w at 1",
    ]


def test_the_loader_reports_in_reading_order_not_path_order(course_dir):
    def edit(rel: str, old: str, new: str) -> None:
        path = course_dir / rel
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")

    edit("course.yml", "license:", "licence:")
    edit("02-услуги/module.md", "title: Нови услуги", "title: Нови услуги\norder: 0\ncolour: x")
    edit("02-услуги/01-дигитални.md", "../01-основи/01-стратегия.md", "няма.md")
    edit(f"{M1}/module.md", "title:", "colour: x\ntitle:")
    edit(f"{M1}/01-стратегия.md", "images/цикъл.png", "images/няма.png")
    assert [p.split(":")[0] for p in problems(course_dir)] == [
        "course.yml",
        "02-услуги/module.md",  # order 0: the first module, though "01-…" sorts before it
        "02-услуги/01-дигитални.md",
        f"{M1}/module.md",  # a module's own file before its lessons
        f"{M1}/01-стратегия.md",
    ]


# ---------------------------------------------------------------------------------------------
# One error per mistake: what a broken file would take with it is not reported again


def _edit(course_dir, rel: str, old: str, new: str) -> None:
    path = course_dir / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (  # a listed lesson that is missing: the links to it say nothing more
            lambda c: (c / M1 / "02-данни.md").unlink(),
            f'{M1}/module.md:5:1: error: lesson file "02-данни.md" not found',
        ),
        (  # a misspelt name in "lessons": not also "not listed", nor its links "not built"
            lambda c: _edit(c, f"{M1}/module.md", "02-данни.md", "02-дани.md"),
            f'{M1}/module.md:5:1: error: lesson file "02-дани.md" not found '
            '(did you mean "02-данни.md"?)',
        ),
        (  # broken YAML in module.md: not also "needs a title"
            lambda c: _edit(c, f"{M1}/module.md", "title: Основи", "title: Основи:"),
            f"{M1}/module.md:2:14: error: invalid YAML: mapping values are not allowed here",
        ),
        (  # a module.md that cannot be read: links to its lessons say nothing more
            lambda c: _edit(
                c, f"{M1}/module.md", "  - 04-бележки.md\n---\n", "  - 04-бележки.md\n"
            ),
            f'{M1}/module.md:1:1: error: front matter starts with "---" but is never closed',
        ),
        (  # a misspelt type: the quiz is not read as a lesson full of errors
            lambda c: _edit(c, f"{M1}/03-тест.md", "type: quiz", "type: quizz"),
            f'{M1}/03-тест.md:2:7: error: "type" must be one of lesson, quiz, assignment, forum, '
            'not "quizz" (did you mean "quiz"?)',
        ),
        (  # broken YAML in a quiz's front matter: its body is still read as a quiz
            lambda c: _edit(c, f"{M1}/03-тест.md", "attempts: 2", "attempts: [2"),
            f"{M1}/03-тест.md:6:9: error: invalid YAML:",
        ),
        (  # the only lesson of a module cannot be read: the module is not also "empty"
            lambda c: (c / "03-за-обучители" / "01-план.md").write_bytes(b"---\ntitle: \xff\n"),
            "03-за-обучители/01-план.md:2:8: error: ",
        ),
        (  # a misspelt audience: its links are judged by the audience it was meant to be
            lambda c: (
                _edit(c, f"{M1}/04-бележки.md", "audience: trainers", "audience: trainer"),
                _edit(
                    c,
                    f"{M1}/04-бележки.md",
                    "](01-стратегия.md)",
                    "](../03-за-обучители/01-план.md)",
                ),
            ),
            f'{M1}/04-бележки.md:3:11: error: "audience" must be one of',
        ),
    ],
    ids=[
        "lesson-missing",
        "lesson-misspelt",
        "module-yaml",
        "module-unclosed",
        "type-misspelt",
        "quiz-yaml",
        "only-lesson-unreadable",
        "audience-misspelt",
    ],
)
def test_one_mistake_one_error(course_dir, change, expected):
    change(course_dir)
    found = problems(course_dir)
    assert len(found) == 1 and found[0].startswith(expected), found


# ---------------------------------------------------------------------------------------------
# True columns: a link or an image is reported where it starts in its line


def test_each_use_of_a_missing_image_is_reported_at_its_column(course_dir):
    path = course_dir / M1 / "02-данни.md"
    path.write_text(
        path.read_text("utf-8") + "\nДве: ![а](няма.png) и ![б](няма.png).\n"
        'Тук: <img src="няма.png" alt="в">\n',
        "utf-8",
    )
    assert [p.split(": error: ")[0] for p in problems(course_dir)] == [
        f"{M1}/02-данни.md:11:6",
        f"{M1}/02-данни.md:11:23",
        f"{M1}/02-данни.md:12:6",
    ]


def test_columns_in_yaml_values_and_reference_definitions(course_dir):
    path = course_dir / M1 / "01-стратегия.md"
    text = path.read_text("utf-8").replace(
        "  - да опишете", "  - да видите [плана](план.md)\n  - да опишете"
    )
    path.write_text(text + "\nВижте [бюджета][б].\n\n[б]: бюджет.md\n", "utf-8")
    assert problems(course_dir) == [
        f'{M1}/01-стратегия.md:6:15: error: link to "план.md": that lesson does not exist',
        f'{M1}/01-стратегия.md:29:1: error: link to "бюджет.md": that lesson does not exist',
    ]


# ---------------------------------------------------------------------------------------------
# In Bulgarian


def test_loader_messages_in_bulgarian(course_dir):
    module = course_dir / M1 / "module.md"
    module.write_text(module.read_text("utf-8").replace("02-данни.md", "02-дани.md"), "utf-8")
    lesson = course_dir / "02-услуги" / "01-дигитални.md"
    lesson.write_text(lesson.read_text("utf-8").replace("брошура.pdf", "брошурата.pdf"), "utf-8")
    try:
        set_language("bg")
        found = problems(course_dir)
    finally:
        set_language("en")
    assert found == [
        f"{M1}/module.md:5:1: error: файлът на урока „02-дани.md“ не е намерен "
        "(може би „02-данни.md“?)",
        "02-услуги/01-дигитални.md:11:55: error: връзка към „брошурата.pdf“: няма такъв файл",
    ]
