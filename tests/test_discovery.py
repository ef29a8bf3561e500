"""The course found where a command runs, and the ``build:`` section of course.yml: default
targets, output folder (relative to the course folder) and target options, the command line
winning; its mistakes located in course.yml."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from packager.diagnostics import Diagnostics
from packager.settings import default_output, discover, read_build

from .conftest import FIXTURE, problems, run_cli, write


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A writable copy of the fixture course in tmp/kurs."""
    target = tmp_path / "kurs"
    shutil.copytree(FIXTURE, target)
    return target


def add_build(course: Path, section: str) -> Path:
    """course.yml with ``section`` (YAML lines of the build section) at its end."""
    path = course / "course.yml"
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\nbuild:\n" + section, "utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def built(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


# ------------------------------------------------------------------------------------------
# finding the course


def test_build_in_the_course_folder_writes_dist_beside_it(course, monkeypatch):
    monkeypatch.chdir(course)
    result = run_cli("build", "-t", "gift")
    assert result.exit_code == 0, result.output
    assert built(course.parent / "dist") == ["proben-kurs-0.1.0-questions.gift", "questions"]
    assert not (course / "dist").exists()


def test_build_beside_a_content_folder_writes_dist_there(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    result = run_cli("build", "-t", "gift")
    assert result.exit_code == 0, result.output
    assert "proben-kurs-0.1.0-questions.gift" in built(tmp_path / "dist")
    check = run_cli("check")
    assert check.output.startswith("content/course.yml: ok: 3 modules")


def test_the_current_folder_comes_before_content(course, monkeypatch):
    write(course / "content" / "course.yml", "title: [broken\n")
    monkeypatch.chdir(course)
    assert discover() == Path(".")
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("course.yml: ok: ")


def test_no_course_is_a_located_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in ("build", "check", "release"):
        result = run_cli(command)
        assert result.exit_code == 1
        assert result.output == (
            f"{tmp_path}: error: no course here: neither ./course.yml nor ./content/course.yml "
            "exists; run the command in the course folder, give the folder (packager build "
            "FOLDER), or start a course with packager new FOLDER\n"
        )
    assert discover() is None
    assert run_cli("--lang", "bg", "check").output.startswith(f"{tmp_path}: грешка: тук няма курс")


def test_find_course_for_other_commands(course, monkeypatch, capsys):
    from packager.cli import find_course

    monkeypatch.chdir(course.parent)
    assert find_course(Path("kurs")) == Path("kurs")
    assert find_course(Path("kurs/course.yml")) == Path("kurs")
    monkeypatch.chdir(course)
    assert find_course(None) == Path(".")
    monkeypatch.chdir(course.parent)
    with pytest.raises(SystemExit) as stop:
        find_course(None)
    assert stop.value.code == 1
    assert "error: no course here" in capsys.readouterr().err


def test_the_course_file_may_be_named(course, tmp_path):
    result = run_cli("check", str(course / "course.yml"))
    assert result.exit_code == 0
    assert result.output.startswith(f"{course}/course.yml: ok: ")
    other = run_cli("check", str(course / "01-основи" / "03-тест.md"))
    assert other.exit_code == 1
    assert other.output == (
        f"{course}/01-основи/03-тест.md: error: not a course folder: give the folder of "
        "course.yml\n"
    )


def test_default_output():
    assert default_output(Path("content")) == Path("dist")
    assert default_output(Path("a/kurs")) == Path("a/dist")
    assert default_output(Path(".")) == Path.cwd().parent / "dist"


# ------------------------------------------------------------------------------------------
# the build section


def test_the_section_gives_targets_output_and_options(course, monkeypatch):
    add_build(course, "  targets: [gift, moodlexml]\n  output: ../paketi\n")
    monkeypatch.chdir(course.parent.parent)  # output is relative to the course folder
    result = run_cli("build", str(course))
    assert result.exit_code == 0, result.output
    assert built(course.parent / "paketi") == [
        "proben-kurs-0.1.0-questions.gift",
        "proben-kurs-0.1.0-questions.xml",
        "questions",
    ]
    assert "course.yml" not in result.output and "packager: warning" not in result.output


def test_the_command_line_wins(course, tmp_path, monkeypatch):
    add_build(course, "  targets: [gift]\n  output: ../paketi\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("build", str(course), "-t", "moodlexml", "-o", "drugo")
    assert result.exit_code == 0, result.output
    assert built(tmp_path / "drugo") == ["proben-kurs-0.1.0-questions.xml", "questions"]
    assert not (course.parent / "paketi").exists()


def _manifest(folder: Path) -> bytes:
    with zipfile.ZipFile(folder / "proben-kurs-0.1.0-scorm12.zip") as z:
        return z.read("imsmanifest.xml")


def test_options_of_the_section_and_of_the_command_line(course, tmp_path):
    plain = tmp_path / "plain"
    assert run_cli("build", str(FIXTURE), "-o", str(plain), "-t", "scorm12").exit_code == 0
    module = tmp_path / "module"
    run_cli("build", str(FIXTURE), "-o", str(module), "-t", "scorm12", "-O", "scorm.sco=module")
    assert _manifest(plain) != _manifest(module)

    add_build(course, "  options:\n    scorm.sco: module\n")
    section = tmp_path / "section"
    result = run_cli("build", str(course), "-o", str(section), "-t", "scorm12")
    assert result.exit_code == 0, result.output
    assert _manifest(section) == _manifest(module)
    wins = tmp_path / "wins"
    run_cli("build", str(course), "-o", str(wins), "-t", "scorm12", "-O", "scorm.sco=item")
    assert _manifest(wins) == _manifest(plain)


def test_the_loader_accepts_the_section_and_check_reads_it(course):
    add_build(course, "  targets: site\n  output: ../dist\n  options:\n    moodle.version: 5\n")
    assert problems(course) == []
    diags = Diagnostics()
    settings = read_build(course, diags)
    assert [d.line for d in diags.warnings] == [line_of(course / "course.yml", "moodle.version")]
    assert settings.targets == ("site",)  # one name counts as a list of one
    assert settings.output == course / "../dist"
    assert settings.options == {"moodle.version": "5"}  # the text written, not a number
    result = run_cli("check", str(course))
    line = line_of(course / "course.yml", "moodle.version")
    assert result.output.splitlines()[0] == (
        f'course.yml:{line}:5: warning: "moodle.version" is an option of the target moodle, '
        "which is not among the targets of this section; it is ignored"
    )
    assert result.output.endswith("(1 warning)\n")


@pytest.mark.parametrize(
    ("section", "line", "at", "message"),
    [
        (
            "  targets: [site, scrom12]\n",
            "scrom12",
            "scrom12",
            'error: "scrom12" is not a target (did you mean "scorm12"?); the targets are site, '
            "scorm12, scorm2004, moodle, moodlexml, gift, cc",
        ),
        (
            "  targets:\n    - [site]\n",
            "- [site]",
            "[site]",
            'error: each entry of "targets" must be the name of a target',
        ),
        (
            "  options:\n    scorm.sko: module\n",
            "scorm.sko",
            "scorm.sko",
            'error: unknown target option "scorm.sko" (did you mean "scorm.sco"?); '
            "see packager targets",
        ),
        (
            "  options:\n    scorm.sco: modul\n",
            "scorm.sco",
            "modul",
            'error: "scorm.sco" must be one of item, module, not "modul"',
        ),
        (
            "  options:\n    scorm.sco: [item]\n",
            "scorm.sco",
            "[item]",
            'error: "scorm.sco" must be one of item, module',
        ),
        (
            "  options: scorm.sco=module\n",
            "options:",
            "scorm.sco=module",
            'error: "options" must be "option: value" lines',
        ),
        (
            "  options:\n    scorm.sco: item\n    scorm.sco: module\n",
            "scorm.sco: module",
            "scorm.sco",
            'error: "scorm.sco" is given twice in "options"',
        ),
        (
            "  output: [a]\n",
            "output:",
            "[a]",
            'error: "output" must be text, not a list or a mapping',
        ),
        (
            "  targts: [site]\n",
            "targts",
            "targts",
            'warning: unknown key "targts" in the "build" section (did you mean "targets"?); '
            "it is ignored",
        ),
    ],
)
def test_mistakes_in_the_section_are_located(course, section, line, at, message):
    path = add_build(course, section)
    number = line_of(path, line)
    col = path.read_text("utf-8").splitlines()[number - 1].index(at) + 1
    where = f"course.yml:{number}:{col}: {message}"
    result = run_cli("check", str(course))
    assert result.output.splitlines()[0] == where
    assert result.exit_code == (1 if message.startswith("error") else 0)
    build = run_cli("build", str(course), "-o", str(course.parent / "out"), "-t", "gift")
    assert where in build.output.splitlines()


def test_a_section_that_is_not_a_mapping(course):
    path = add_build(course, "")
    path.write_text(path.read_text("utf-8").replace("build:\n", "build: site\n"), "utf-8")
    result = run_cli("check", str(course))
    assert result.exit_code == 1
    line = line_of(path, "build: site")
    assert f"course.yml:{line}:8: error: " in result.output


def test_an_empty_section_is_no_section(course):
    add_build(course, "")
    assert run_cli("check", str(course)).output.startswith(f"{course}/course.yml: ok: ")
    assert read_build(course, Diagnostics()) == read_build(FIXTURE, Diagnostics())


def test_a_broken_course_file_is_reported_once(course):
    path = course / "course.yml"
    path.write_text(path.read_text("utf-8") + "build:\n  targets: [site\n", "utf-8")
    result = run_cli("check", str(course))
    assert result.exit_code == 1
    assert len(re.findall(r"error: invalid YAML", result.output)) == 1


def test_section_mistakes_in_bulgarian(course):
    path = add_build(course, "  targets: [сайт]\n")
    result = run_cli("--lang", "bg", "check", str(course))
    line = line_of(path, "сайт")
    assert result.output.startswith(
        f"course.yml:{line}:13: грешка: „сайт“ не е цел; целите са site, scorm12, scorm2004, "
        "moodle, moodlexml, gift, cc\n"
    )


def test_an_option_for_a_target_left_out_by_the_command_line_is_quiet(course, tmp_path):
    """Options in the section are defaults for every build: -t site does not make the SCORM
    option a mistake (an -O on the command line would be)."""
    add_build(course, "  options:\n    scorm.sco: module\n")
    result = run_cli("build", str(course), "-o", str(tmp_path / "out"), "-t", "gift")
    assert result.exit_code == 0
    assert "scorm.sco" not in result.output
