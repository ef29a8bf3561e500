"""A clean start: ``packager new`` asks on a terminal (flags for scripts) and makes a course
that builds into every target without a warning; the JSON Schemas ship inside the package,
``packager schema`` prints or writes them, and they validate the shipped course and the
skeleton with plain PyYAML and jsonschema."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
import tomllib
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import yaml

from packager import schemas, skeleton
from packager.diagnostics import Diagnostics
from packager.schema import SOURCES
from packager.settings import read_build
from packager.targets import TARGETS

from .conftest import plain_yaml_sources, run_cli, write

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """The skeleton in Bulgarian and in English, made by ``packager new``."""
    root = tmp_path_factory.mktemp("new")
    out = {}
    for language in ("bg", "en"):
        result = run_cli("new", str(root / language), "--language", language)
        assert result.exit_code == 0, result.output
        out[language] = root / language
    return out


# ------------------------------------------------------------------------------------------
# the skeleton builds without a warning


@pytest.mark.parametrize("language", ["bg", "en"])
@pytest.mark.parametrize("target", list(TARGETS))
def test_the_skeleton_builds_into_every_target_without_a_warning(made, tmp_path, language, target):
    result = run_cli("build", str(made[language]), "-o", str(tmp_path), "-t", target)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    assert result.output.endswith("\n1 module, 1 lesson, 1 quiz, 2 questions, 1 image\n")


def test_the_skeleton_is_checked_strictly_without_a_word(made):
    for folder in made.values():
        result = run_cli("check", str(folder), "--strict")
        assert result.exit_code == 0, result.output
        assert result.output.count("\n") == 1  # the ok line alone


def test_the_build_example_in_the_skeleton_is_right(made, tmp_path):
    for folder in made.values():
        text = (folder / "course.yml").read_text("utf-8")
        example = re.search(r"^# build:\n(?:#   .*\n)+", text, re.M)
        assert example, text
        copy = tmp_path / folder.name
        copy.mkdir()
        write(copy / "course.yml", text.replace(example[0], re.sub("(?m)^# ", "", example[0])))
        diags = Diagnostics()
        settings = read_build(copy, diags)
        assert not list(diags)
        assert settings.targets == ("site", "scorm12")
        assert settings.output == copy / "../dist"
        assert settings.options == {"scorm.sco": "module"}


def test_the_skeleton_is_in_the_course_language(made):
    bg = (made["bg"] / "01-vavedenie" / "01-parvi-urok.md").read_text("utf-8")
    assert "Как е устроен курсът" in bg
    en = (made["en"] / "01-introduction" / "01-first-lesson.md").read_text("utf-8")
    assert "How the course is organised" in en
    course = yaml.safe_load((made["en"] / "course.yml").read_text("utf-8"))
    assert (course["title"], course["short_name"], course["language"]) == (
        "My course",
        "my-course",
        "en",
    )
    assert course["date"] == dt.date.today()


# ------------------------------------------------------------------------------------------
# asking, or flags


def test_flags_give_the_answers_without_asking(tmp_path):
    result = run_cli(
        "new", str(tmp_path / "k"), "--title", "Библиотеки: нови услуги", "--short-name",
        "novi-uslugi", "--language", "bg",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Created a course in {tmp_path / 'k'}. Build it with: packager build {tmp_path / 'k'}\n"
    )
    course = yaml.safe_load((tmp_path / "k" / "course.yml").read_text("utf-8"))
    assert course["title"] == "Библиотеки: нови услуги"  # quoted where YAML needs it
    assert course["short_name"] == "novi-uslugi"
    built = run_cli("build", str(tmp_path / "k"), "-o", str(tmp_path / "out"), "-t", "site")
    assert "novi-uslugi-1.0.0-site.zip" in built.output


def test_without_a_terminal_nothing_is_asked(tmp_path):
    result = run_cli("new", str(tmp_path / "k"))
    assert result.exit_code == 0
    assert "?" not in result.output and ":" not in result.output.split(".")[0]
    course = yaml.safe_load((tmp_path / "k" / "course.yml").read_text("utf-8"))
    assert (course["title"], course["short_name"], course["language"]) == (
        "Моят курс",
        "moyat-kurs",
        "bg",
    )


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        (
            "--language",
            "bul",
            'the language must be a two-letter code such as "bg" or "en", not "bul"',
        ),
        ("--title", "  ", "the title is empty"),
        ("--short-name", "a b", '"a b" cannot be a short name: '),
    ],
)
def test_wrong_flags_are_usage_errors(tmp_path, flag, value, message):
    result = run_cli("new", str(tmp_path / "k"), flag, value)
    assert result.exit_code == 2
    assert f"Error: Invalid value for '{flag}': {message}" in result.output
    assert not (tmp_path / "k").exists()


def test_on_a_terminal_it_asks(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from packager import cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    answers = "english\nen\nReading clubs\n\n"  # a wrong language is asked again
    result = CliRunner().invoke(cli.main, ["new", str(tmp_path / "k")], input=answers)
    assert result.exit_code == 0, result.output
    assert "Language of the course (bg, en, …) [bg]: " in result.output
    assert 'error: the language must be a two-letter code such as "bg" or "en", not "english"' in (
        result.output
    )
    assert "Title of the course [My course]: " in result.output
    assert "Short name (it names the package files) [reading-clubs]: " in result.output
    course = yaml.safe_load((tmp_path / "k" / "course.yml").read_text("utf-8"))
    assert (course["title"], course["short_name"], course["language"]) == (
        "Reading clubs",
        "reading-clubs",
        "en",
    )
    flags = CliRunner().invoke(cli.main, ["new", str(tmp_path / "f"), "--language", "bg"], input="")
    assert "Language of the course" not in flags.output  # a flag is not asked again
    assert "Заглавие" not in flags.output and "Title of the course [Моят курс]" in flags.output


def test_it_asks_in_bulgarian(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from packager import cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = CliRunner().invoke(
        cli.main, ["--lang", "bg", "new", str(tmp_path / "k")], input="\nЧитателски клубове\n\n"
    )
    assert result.exit_code == 0, result.output
    assert "Заглавие на курса [Моят курс]: " in result.output
    assert "Кратко име (от него са имената на пакетите) [chitatelski-klubove]: " in result.output
    assert result.output.endswith(
        f"Курсът е създаден в {tmp_path / 'k'}. Изградете го с: packager build {tmp_path / 'k'}\n"
    )


def test_short_names_from_titles():
    assert skeleton.short_name_for("Моят курс", "bg") == "moyat-kurs"
    assert skeleton.short_name_for("Щастие и ЮНЕСКО 2030!", "bg") == "shtastie-i-yunesko-2030"
    assert skeleton.short_name_for("…", "en") == "course"
    assert skeleton.short_name_for("а" * 100, "bg") == "a" * 64
    assert skeleton.short_name_problem("moyat-kurs") is None
    assert skeleton.short_name_problem("con")


# ------------------------------------------------------------------------------------------
# the schemas inside the package


def installed(name: str) -> dict:
    """A schema as the installed package holds it (not the repository's schemas/)."""
    return json.loads(files("packager.schemas").joinpath(f"{name}.schema.json").read_text("utf-8"))


def test_the_package_ships_every_schema():
    assert schemas.names() == sorted(src.name for src in SOURCES)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["packager"]
    for name in schemas.names():
        rel = f"schemas/{name}.schema.json"
        assert any(fnmatch.fnmatch(rel, p) for p in patterns), rel


@pytest.mark.parametrize("which", ["content", "skeleton-bg", "skeleton-en"])
def test_the_installed_schemas_validate_with_plain_pyyaml(made, which):
    root = ROOT / "content" if which == "content" else made[which.split("-")[1]]
    documents = plain_yaml_sources(root)
    assert {"course", "module", "lesson", "quiz"} <= {kind for _, kind, _ in documents}
    wrong = [
        f"{path.relative_to(root)}: {list(e.path)}: {e.message}"
        for path, kind, data in documents
        for e in jsonschema.Draft202012Validator(installed(kind)).iter_errors(data)
    ]
    assert not wrong
    assert isinstance(documents[0][2], dict) and isinstance(documents[0][2]["date"], dt.date)


def test_the_installed_schemas_refuse_a_mistake(made, tmp_path):
    data = yaml.safe_load((made["bg"] / "course.yml").read_text("utf-8"))
    data["build"] = {"targets": ["pdf"], "options": {"moodle.version": 5}}
    errors = list(jsonschema.Draft202012Validator(installed("course")).iter_errors(data))
    assert [list(e.path) for e in errors] == [["build", "targets"]]


def test_schema_prints_one(tmp_path):
    result = run_cli("schema", "course")
    assert result.exit_code == 0
    assert result.output == schemas.schema_text("course")
    assert json.loads(result.output)["title"].startswith("course.yml")


def test_schema_writes_them_into_a_folder(tmp_path):
    result = run_cli("schema", "--output", str(tmp_path / "s"))
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == sorted(f"{src.name}.schema.json" for src in SOURCES)
    for src in SOURCES:
        written = (tmp_path / "s" / f"{src.name}.schema.json").read_text("utf-8")
        assert written == schemas.schema_text(src.name)
        assert f"wrote {tmp_path / 's' / f'{src.name}.schema.json'}" in result.output
    one = run_cli("schema", "quiz", "-o", str(tmp_path / "one"))
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["quiz.schema.json"]
    assert one.exit_code == 0


def test_schema_without_a_name_lists_them():
    result = run_cli("schema")
    assert result.exit_code == 0
    for src in SOURCES:
        assert re.search(rf"^{src.name}\s+", result.output, re.M)
    assert "--output FOLDER" in result.output
    assert run_cli("schema", "lesons").exit_code == 2
