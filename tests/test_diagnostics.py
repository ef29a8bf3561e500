"""Every problem in the sources is reported once, located, with no traceback."""

from __future__ import annotations

import os

import pytest

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
    lesson.write_text("---\ntitle: Данни\nminutes: [15\n---\nТекст\n", "utf-8")
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
    write(course_dir / "03-празен" / "module.md", "---\ntitle: Празен модул\n---\nОписание.\n")
    assert problems(course_dir) == [
        "03-празен/module.md:1:1: error: the module is empty: add a lesson (a .md file) to its folder"
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
        f"{M1}/02-данни.md:2:8: error: the file is not UTF-8 (byte 0xc4); save it as UTF-8 in your editor"
    ]


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
    # every reference to it is reported: the lesson's and the quiz's two
    assert problems(course_dir) == [
        f"{M1}/01-стратегия.md:12:1: {message}",
        f"{M1}/03-тест.md:48:1: {message}",
        f"{M1}/03-тест.md:54:1: {message}",
    ]


def test_link_to_missing_lesson(course_dir):
    path = course_dir / M1 / "01-стратегия.md"
    path.write_text(path.read_text("utf-8").replace("02-данни.md#", "05-няма.md#"), "utf-8")
    assert problems(course_dir) == [
        f'{M1}/01-стратегия.md:19:1: error: link to "05-няма.md": that lesson does not exist'
    ]


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<script>alert(1)</script>", "<script> is not allowed: it would run inside the LMS page"),
        (
            '<p onclick="go()">x</p>',
            'event attribute onclick="…" on <p> is not allowed: '
            "scripts would run inside the LMS page",
        ),
        (
            '<a href="javascript:alert(1)">x</a>',
            "a javascript: URL in <a href> is not allowed: it would run a script",
        ),
        (
            '<iframe src="https://evil.example/x" title="x"></iframe>',
            '<iframe> from "evil.example" is not allowed: only https pages from the hosts in '
            "iframe_hosts in course.yml may be embedded (now: www.youtube-nocookie.com)",
        ),
    ],
)
def test_unsafe_html_is_an_error(course_dir, html, message):
    path = course_dir / M1 / "02-данни.md"
    path.write_text(path.read_text("utf-8") + f"\n{html}\n", "utf-8")
    assert problems(course_dir) == [f"{M1}/02-данни.md:11:1: error: {message}"]


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
    write(course_dir / "03-празен" / "module.md", "---\ntitle: Празен\n---\n")
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
