"""Identifiers that name files: one rule (packager.names), checked when the course is loaded, for
every id written in front matter or made from a folder or file name; check and build agree."""

from __future__ import annotations

import random
import shutil

import pytest

from packager.messages import set_language
from packager.names import ID_MAX, ID_PART_MAX, id_problem, safe_file_name

from .conftest import load_course, problems, run_cli, write

M1 = "01-основи"
RULE = (
    'an id is made of parts separated by "/"; each part starts with a letter or a digit and '
    'holds only letters, digits, "-", "_" and "."'
)

# ------------------------------------------------------------------------------------------
# the rule


@pytest.mark.parametrize(
    "ident",
    ["01-основи/02-данни", "a", "a.b_c-d", "Ünïcode/数学", "x" * ID_PART_MAX, "v1.0"],
)
def test_good_ids(ident):
    assert id_problem(ident) is None


@pytest.mark.parametrize(
    "ident, problem",
    [
        ("", "it is empty"),
        ("..", '".." is not allowed as a part'),
        ("a/../b", '".." is not allowed as a part'),
        ("a/./b", '"." is not allowed as a part'),
        ("a..b", '".." is not allowed'),
        ("/etc/x", 'it starts with "/" (an id is relative: write it without the first "/")'),
        ("a/", 'it has an empty part ("//" or a "/" at the end)'),
        ("a//b", 'it has an empty part ("//" or a "/" at the end)'),
        ("a\\b", '"\\" is not allowed (parts are separated by "/")'),
        ("C:\\x", '"\\" is not allowed (parts are separated by "/")'),
        ("C:x", '":" is not allowed'),
        (".hidden", 'the part ".hidden" must start with a letter or a digit, not "."'),
        ("-x", 'the part "-x" must start with a letter or a digit, not "-"'),
        ("_x", 'the part "_x" must start with a letter or a digit, not "_"'),
        ("a.", 'the part "a." ends with "."'),
        ("a b", "a space is not allowed"),
        ("a\tb", "the character U+0009 is not allowed"),
        ("a%2fb", '"%" is not allowed'),
        ("nul", '"nul" is a reserved file name on Windows'),
        ("a/COM1.txt", '"COM1.txt" is a reserved file name on Windows'),
        (
            "x" * (ID_PART_MAX + 1),
            'the part "xxxxxxxxxxxxxxxxxxxx…" is 65 characters long (at most 64)',
        ),
        ("a/" * 100 + "b", f"it is 201 characters long (at most {ID_MAX})"),
    ],
)
def test_bad_ids(ident, problem):
    assert id_problem(ident) == problem


def test_one_part_ids():
    assert id_problem("a/b", parts=False) == '"/" is not allowed here'
    assert id_problem("1.0+build.5", parts=False) == '"+" is not allowed'
    assert id_problem("1.0+build.5", parts=False, extra="+") is None


def test_safe_file_names_keep_good_names_and_clean_the_others():
    digest = "0123456789abcdef"
    assert safe_file_name("цикъл.png", digest) == "цикъл.png"
    assert safe_file_name("my photo (1).PNG", digest) == "my-photo-1-01234567.png"
    assert safe_file_name("..\\..\\evil.png", digest) == "evil-01234567.png"
    assert safe_file_name(".htaccess", digest) == "htaccess-01234567"
    assert safe_file_name("con.png", digest) == "con-01234567.png"
    long = safe_file_name("x" * 300 + ".jpeg", digest)
    assert id_problem(long, parts=False) is None and long.endswith("-01234567.jpeg")


# ------------------------------------------------------------------------------------------
# every kind of id, written and made from names


def _set(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_course_short_name_and_version(course_dir):
    _set(course_dir / "course.yml", "short_name: proben-kurs", "short_name: ../../evil")
    _set(course_dir / "course.yml", "version: 0.1.0", "version: 1/../../x")
    assert problems(course_dir) == [
        'course.yml:2:13: error: short_name "../../evil" cannot name the package files: '
        '"/" is not allowed here; it must start with a letter or a digit and hold only letters, '
        'digits and "-", "_", "." (at most 64 characters)',
        'course.yml:4:10: error: version "1/../../x" cannot name the package files: '
        '"/" is not allowed here; it must start with a letter or a digit and hold only letters, '
        'digits and "-", "_", "." and "+" (at most 64 characters)',
    ]


def test_version_may_hold_a_plus_and_a_number_stays_as_written(course_dir):
    _set(course_dir / "course.yml", "version: 0.1.0", "version: 1.10")
    course, diags = load_course(course_dir)
    assert course.version == "1.10" and not diags.errors
    _set(course_dir / "course.yml", "version: 1.10", "version: 2.0.0+build.7")
    course, _ = load_course(course_dir)
    assert course.version == "2.0.0+build.7"


@pytest.mark.parametrize(
    "value, problem",
    [
        ("../outside", '".." is not allowed as a part'),
        ("/abs/path", 'it starts with "/" (an id is relative: write it without the first "/")'),
        ("a/b/", 'it has an empty part ("//" or a "/" at the end)'),
        ("a//b", 'it has an empty part ("//" or a "/" at the end)'),
        ('"a\\\\b"', '"\\" is not allowed (parts are separated by "/")'),
        ("x" * 65, 'the part "xxxxxxxxxxxxxxxxxxxx…" is 65 characters long (at most 64)'),
    ],
)
def test_written_lesson_id(course_dir, value, problem):
    _set(course_dir / M1 / "02-данни.md", "minutes: 15", f"minutes: 15\nid: {value}")
    shown = value.strip('"').replace("\\\\", "\\")
    assert problems(course_dir) == [
        f'{M1}/02-данни.md:4:5: error: id "{shown}" cannot name files: {problem}; {RULE}'
    ]


def test_written_module_and_quiz_ids(course_dir):
    _set(course_dir / M1 / "module.md", "title: Основи", "id: ../m\ntitle: Основи")
    _set(course_dir / M1 / "03-тест.md", "type: quiz", "type: quiz\nid: q/..")
    out = problems(course_dir)
    assert out == [
        f'{M1}/module.md:2:5: error: id "../m" cannot name files: ".." is not allowed as a part; '
        + RULE,
        f'{M1}/03-тест.md:3:5: error: id "q/.." cannot name files: ".." is not allowed as a '
        "part; " + RULE,
    ]


def test_id_made_from_a_folder_name(course_dir):
    (course_dir / M1).rename(course_dir / "01 основи")
    _set(course_dir / "02-услуги" / "01-дигитални.md", "../01-основи/", "../01 основи/")
    out = problems(course_dir)
    assert out[0] == (
        '01 основи/module.md:1:1: error: the id "01 основи" made from the folder name "01 основи" '
        'cannot name files: a space is not allowed; rename the folder or set "id:" in module.md '
        f"({RULE}; at most 64 characters a part, 200 in all)"
    )
    # the lessons of that module are not blamed for their module's name
    assert not any("made from the file name" in line for line in out)


def test_id_made_from_a_file_name_and_the_fix(course_dir):
    lesson = course_dir / M1 / "02-данни.md"
    lesson.rename(course_dir / M1 / ".. данни.md")
    _set(course_dir / M1 / "module.md", "02-данни.md", ".. данни.md")
    _set(course_dir / M1 / "01-стратегия.md", "02-данни.md", "..%20данни.md")
    out = problems(course_dir)
    assert out == [
        f'{M1}/.. данни.md:1:1: error: the id "{M1}/.. данни" made from the file name '
        '".. данни.md" cannot name files: the part ".. данни" must start with a letter or a '
        'digit, not "."; rename the file or set "id:" in its front matter '
        f"({RULE}; at most 64 characters a part, 200 in all)"
    ]
    _set(course_dir / M1 / ".. данни.md", "minutes: 15", "minutes: 15\nid: 01-основи/данни")
    course, diags = load_course(course_dir)
    assert not diags.errors
    assert course.lessons[1].id == "01-основи/данни"


def test_cyrillic_names_stay_and_are_normalised(course_dir):
    # a name written in decomposed form (as some file systems give it) is the same id
    decomposed = "02-и\u0306-данни.md"
    (course_dir / M1 / "02-данни.md").rename(course_dir / M1 / decomposed)
    _set(course_dir / M1 / "module.md", "02-данни.md", decomposed)
    _set(course_dir / M1 / "01-стратегия.md", "(02-данни.md#", f"({decomposed}#")
    course, diags = load_course(course_dir)
    assert not diags.errors, [str(d) for d in diags]
    assert course.lessons[1].id == "01-основи/02-й-данни"


def test_ids_that_differ_only_in_case_collide(course_dir):
    _set(course_dir / M1 / "02-данни.md", "minutes: 15", "minutes: 15\nid: 01-ОСНОВИ/01-Стратегия")
    assert problems(course_dir) == [
        f'{M1}/02-данни.md:4:1: error: id "01-ОСНОВИ/01-Стратегия" is already used by '
        f'{M1}/01-стратегия.md (as "01-основи/01-стратегия": ids must differ in more than case)'
    ]


def test_question_ids(course_dir):
    _set(course_dir / M1 / "03-тест.md", "{#mission}", "{#../../x}")
    assert problems(course_dir) == [
        f'{M1}/03-тест.md:10:49: error: question id "../../x" cannot name files: "/" is not '
        "allowed here; it must start with a letter or a digit and hold only letters, digits, "
        '"-", "_" and "." (at most 64 characters)'
    ]
    _set(course_dir / M1 / "03-тест.md", "{#../../x}", "{#мисия.1}")
    course, diags = load_course(course_dir)
    assert not diags.errors
    assert course.quizzes[0].questions[0].id == "01-основи/03-тест/мисия.1"


def test_question_ids_from_titles_are_unique_and_valid(course_dir):
    body = "".join("## _Въпрос_\n\n- (x) да\n- ( ) не\n\n" for _ in range(30))
    write(course_dir / M1 / "03-тест.md", "---\ntype: quiz\ntitle: Тест\n---\n" + body)
    course, diags = load_course(course_dir)
    assert not diags.errors
    ids = [q.id for q in course.quizzes[0].questions]
    assert len(set(ids)) == 30
    # "_Въпрос_" has the slug "въпрос_"; numbers tell the others apart
    assert ids[:3] == [
        f"{M1}/03-тест/въпрос_",
        f"{M1}/03-тест/въпрос_-2",
        f"{M1}/03-тест/въпрос_-3",
    ]
    assert all(id_problem(i) is None for i in ids)


def test_media_with_unsafe_names_get_safe_output_names(course_dir):
    images = course_dir / M1 / "images"
    shutil.copy(images / "цикъл.png", images / "my picture (1).png")
    _set(course_dir / M1 / "01-стратегия.md", "images/цикъл.png", "images/my%20picture%20(1).png")
    course, diags = load_course(course_dir)
    assert not diags.errors, [str(d) for d in diags]
    names = {m.name for m in course.media.values()}
    assert all(id_problem(n, parts=False) is None for n in names), names
    picture = course.media[f"{M1}/images/my picture (1).png"]
    assert picture.name == f"my-picture-1-{picture.sha256[:8]}.png"


# ------------------------------------------------------------------------------------------
# check and build agree; a bad id never writes anything


@pytest.mark.parametrize(
    "path, old, new",
    [
        ("course.yml", "short_name: proben-kurs", "short_name: ../../escape"),
        ("course.yml", "version: 0.1.0", "version: ../../../escape"),
        (f"{M1}/03-тест.md", "type: quiz", "type: quiz\nid: ../../../escape"),
        (f"{M1}/module.md", "title: Основи", "id: /tmp/escape\ntitle: Основи"),
    ],
)
def test_check_and_build_agree_and_nothing_is_written(course_dir, tmp_path, path, old, new):
    _set(course_dir / path, old, new)
    out = tmp_path / "sandbox" / "a" / "b" / "dist"
    checked = run_cli("check", str(course_dir))
    built = run_cli("build", str(course_dir), "-o", str(out))
    assert checked.exit_code == built.exit_code == 1
    errors = [line for line in checked.output.splitlines() if ": error: " in line]
    assert errors and all(line in built.output for line in errors)
    assert "cannot name" in errors[0]
    written = [p for p in (tmp_path / "sandbox").rglob("*") if p.is_file()]
    assert written == []
    assert not list(tmp_path.glob("escape*")) and not list((tmp_path / "sandbox").glob("escape*"))


def test_id_problems_in_bulgarian(course_dir):
    path = course_dir / M1 / "02-данни.md"
    path.write_text(path.read_text("utf-8").replace("minutes: 15", "minutes: 15\nid: а б"), "utf-8")
    try:
        set_language("bg")
        assert id_problem("a/../b") == "„..“ не е позволено като част"
        assert id_problem(" a", parts=False) == (
            "частта „ a“ трябва да започва с буква или цифра, а започва с: интервал"
        )
        found = problems(course_dir)
    finally:
        set_language("en")
    assert found == [
        f"{M1}/02-данни.md:4:5: error: id „а б“ не може да е име на файл: интервал не е позволен; "
        "id се състои от части, разделени с „/“; всяка част започва с буква или цифра и съдържа "
        "само букви, цифри, „-“, „_“ и „.“"
    ]


def test_slugs_are_markdowns_heading_ids() -> None:
    """Question ids come from packager's own slug (a bank needs no Markdown): it makes the same
    slugs as the heading ids of Python-Markdown's toc, so ids stay what they were."""
    from markdown.extensions.toc import slugify_unicode

    from packager.names import slug

    rng = random.Random(7)
    alphabet = "абвгдАБВГ xyzXYZ-_.,:;!?„“\"'()[]{}0123456789\u00a0\t–—ǅﬁ²é\u0301"
    texts = ["Въпрос 1: Кой?", "  a -- b  ", "100 %", "日本語 テキスト", "--a--", ""]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(3000)]
    for text in texts:
        assert slug(text) == slugify_unicode(text, "-"), text
