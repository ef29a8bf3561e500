"""The packager command: exit codes, summary, check, new."""

from __future__ import annotations

import re

import pytest

from packager import __version__

from .conftest import FIXTURE, run_cli, write


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_build_prints_a_summary(tmp_path):
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    assert re.search(r"^target\s+file\s+size$", result.output, re.M)
    assert re.search(r"^site\s+\S*proben-kurs-0\.1\.0-site\.zip\s+[\d.]+ KB$", result.output, re.M)
    assert (
        "3 modules, 5 lessons, 1 quiz, 10 questions, 1 assignment, 1 forum, 2 images"
        in result.output
    )
    assert (tmp_path / "dist" / "proben-kurs-0.1.0-site.zip").is_file()
    assert (tmp_path / "dist" / "site" / "index.html").is_file()


def test_build_only_the_chosen_target(tmp_path):
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path), "--target", "site")
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".packager-outputs.json",
        "proben-kurs-0.1.0-site.zip",
        "site",
    ]


def test_unknown_target_is_refused(tmp_path):
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path), "--target", "pdf")
    assert result.exit_code == 2
    assert "Invalid value for '-t' / '--target': 'pdf' is not" in result.output


def test_quiet_build_prints_nothing(tmp_path):
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path), "-q")
    assert result.exit_code == 0
    assert result.output == ""


def test_check_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", str(FIXTURE))
    assert result.exit_code == 0
    assert result.output == (
        f"{FIXTURE}/course.yml: ok: "
        "3 modules, 5 lessons, 1 quiz, 10 questions, 1 assignment, 1 forum, 2 images\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_strict_turns_warnings_into_errors(course_dir, tmp_path):
    write(course_dir / "01-основи" / "чернова.md", "---\ntitle: Чернова\n---\nТекст.\n")
    assert run_cli("check", str(course_dir)).exit_code == 0
    result = run_cli("check", str(course_dir), "--strict")
    assert result.exit_code == 1
    assert "01-основи/чернова.md:1:1: error: this file is not listed" in result.output


def test_new_creates_a_course_that_builds_strictly(tmp_path):
    result = run_cli("new", str(tmp_path / "kurs"))
    assert result.exit_code == 0
    built = run_cli("build", str(tmp_path / "kurs"), "-o", str(tmp_path / "dist"), "--strict")
    assert built.exit_code == 0, built.output
    assert "\n1 module, 1 lesson, 1 quiz, 2 questions, 1 image\n" in built.output


def test_new_refuses_a_folder_with_files(tmp_path):
    write(tmp_path / "kurs" / "x.txt", "x")
    result = run_cli("new", str(tmp_path / "kurs"))
    assert result.exit_code == 1
    assert "the folder is not empty" in result.output


def test_unwritable_output_is_a_clean_error(tmp_path):
    blocker = write(tmp_path / "dist", "not a folder")
    result = run_cli("build", str(FIXTURE), "-o", str(blocker / "inner"))
    assert result.exit_code == 1
    assert "error: cannot write" in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------------------------
# summaries: warnings counted, plurals, both languages


def test_the_build_summary_counts_the_warnings_it_printed(tmp_path):
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    printed = len(re.findall(r"^\S+: warning: ", result.output, re.M))
    assert printed
    last = result.output.rstrip("\n").splitlines()[-1]
    assert last.endswith(f" ({printed} warnings)")


def test_check_counts_its_warnings(course_dir):
    write(course_dir / "01-основи" / "чернова.md", "---\ntitle: Чернова\n---\nТекст.\n")
    result = run_cli("check", str(course_dir))
    assert result.exit_code == 0
    assert result.output.endswith("2 images (1 warning)\n")
    write(course_dir / "01-основи" / "друга.md", "---\ntitle: Друга\n---\nТекст.\n")
    assert run_cli("check", str(course_dir)).output.endswith("2 images (2 warnings)\n")


def test_a_failure_counts_errors_and_warnings(course_dir):
    write(course_dir / "01-основи" / "чернова.md", "---\ntitle: Чернова\n---\nТекст.\n")
    (course_dir / "course.yml").write_text(
        (course_dir / "course.yml").read_text("utf-8").replace("title:", "titel:"), "utf-8"
    )
    result = run_cli("check", str(course_dir))
    assert result.exit_code == 1
    assert result.output.endswith("\n1 error, 2 warnings; nothing was built.\n")
    quiet = run_cli("check", str(course_dir), "-q")
    assert quiet.output.endswith("\n1 error; nothing was built.\n")
    assert "warning" not in quiet.output


def test_counts_use_the_plural_each_number_needs():
    from types import SimpleNamespace

    from packager.cli import counts
    from packager.messages import set_language

    def course(n: int, assignments: int = 0):
        items = [object()] * n
        return SimpleNamespace(
            modules=items, lessons=items, quizzes=items, questions=items,
            assignments=[object()] * assignments, forums=[], images=items,
        )  # fmt: skip

    assert counts(course(1)) == "1 module, 1 lesson, 1 quiz, 1 question, 1 image"
    assert counts(course(2, 2)) == (
        "2 modules, 2 lessons, 2 quizzes, 2 questions, 2 assignments, 2 images"
    )
    assert counts(course(0)) == "0 modules, 0 lessons, 0 quizzes, 0 questions, 0 images"
    try:
        set_language("bg")
        assert counts(course(1, 1)) == "1 модул, 1 урок, 1 тест, 1 въпрос, 1 задание, 1 изображение"
        assert counts(course(5, 2)) == (
            "5 модула, 5 урока, 5 теста, 5 въпроса, 2 задания, 5 изображения"
        )
    finally:
        set_language("en")


def test_check_in_bulgarian(course_dir):
    write(course_dir / "01-основи" / "чернова.md", "---\ntitle: Чернова\n---\nТекст.\n")
    result = run_cli("--lang", "bg", "check", str(course_dir))
    assert result.exit_code == 0
    assert result.output.endswith(
        "course.yml: наред: 3 модула, 5 урока, 1 тест, 10 въпроса, 1 задание, 1 форум, "
        "2 изображения (1 предупреждение)\n"
    )
    assert re.search(r"^01-основи/чернова\.md:1:1: предупреждение: ", result.output, re.M)
    strict = run_cli("--lang", "bg", "check", str(course_dir), "--strict")
    assert re.search(r"^01-основи/чернова\.md:1:1: грешка: ", strict.output, re.M)
    assert strict.output.endswith("\n1 грешка; нищо не е изградено.\n")


def test_the_language_comes_from_the_locale_and_lang_wins(course_dir):
    from click.testing import CliRunner

    from packager import messages
    from packager.cli import main

    runner = CliRunner()
    bg = runner.invoke(main, ["check", str(course_dir)], env={"LANG": "bg_BG.UTF-8"})
    assert "наред: 3 модула" in bg.output
    en = runner.invoke(
        main, ["--lang", "en", "check", str(course_dir)], env={"LANG": "bg_BG.UTF-8"}
    )
    assert "ok: 3 modules" in en.output
    by_env = runner.invoke(main, ["check", str(course_dir)], env={"PACKAGER_LANG": "bg"})
    assert "наред: 3 модула" in by_env.output
    assert messages.language() == "en"  # a run leaves the language as it found it


# ------------------------------------------------------------------------------------------
# help texts and click's words in both languages


def _commands():
    from packager.cli import main

    return [("", main), *sorted(main.commands.items())]


def test_every_help_text_has_a_bulgarian_translation():
    """Commands' and options' help texts are marked with N_ (tests/test_messages.py then
    requires their translation); this finds one that is not."""
    from packager import messages

    translated = messages.catalogue("bg")
    missing = []
    for name, command in _commands():
        texts = [command.__dict__.get("_english_help")]
        texts += [p.help for p in command.params if isinstance(getattr(p, "help", None), str)]
        missing += [f"{name or 'packager'}: {t!r}" for t in texts if t and t not in translated]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("name", [n for n, _ in _commands()])
def test_help_is_shown_in_bulgarian(name):
    from packager import messages

    args = ["--lang", "bg", *([name] if name else []), "--help"]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Употреба: packager")
    assert "\nОпции:\n" in result.output
    assert "Показва тази помощ и излиза." in result.output
    english = run_cli(*args[2:])
    assert english.output.startswith("Usage: packager") and "\nOptions:\n" in english.output
    assert not re.search("[а-яА-Я]", english.output)
    command = dict(_commands())[name]
    own = command.__dict__.get("_english_help")
    bulgarian = " ".join(result.output.split())
    assert " ".join(messages.catalogue("bg")[own].split()) in bulgarian
    for param in command.params:
        if getattr(param, "help", None):
            first = messages.catalogue("bg")[param.help].split()[0]
            assert first in bulgarian, param.name


def test_the_group_lists_the_commands_in_bulgarian():
    result = run_cli("--lang", "bg", "--help")
    assert "\nКоманди:\n" in result.output
    assert re.search(r"^  check\s+Зарежда и проверява курса", result.output, re.M)


def test_packager_lang_sets_the_language_of_the_help_too(monkeypatch):
    """PACKAGER_LANG is read before the help is shown, as --lang is."""
    monkeypatch.setenv("PACKAGER_LANG", "bg")
    for args in (["--help"], ["build", "--help"], ["build", "--no-such-option"]):
        result = run_cli(*args)
        assert result.output.startswith("Употреба: packager"), (args, result.output)


def test_usage_errors_in_bulgarian(tmp_path):
    result = run_cli("--lang", "bg", "build", str(FIXTURE), "-o", str(tmp_path), "-t", "pdf")
    assert result.exit_code == 2
    assert result.output.startswith("Употреба: packager build [OPTIONS] [COURSE]\n")
    assert "За помощ: packager build --help" in result.output
    assert (
        "Грешка: Неправилна стойност за '-t' / '--target': „pdf“ не е едно от 'site',"
        in result.output
    )
    missing = run_cli("--lang", "bg", "new")
    assert missing.exit_code == 2 and "Грешка: Липсва аргументът 'PATH'." in missing.output
    unknown = run_cli("--lang", "bg", "check", "--strcit")
    assert "Грешка: Няма такава опция: --strcit (Може би --strict?)" in unknown.output
    english = run_cli("check", "--strcit")
    assert "Error: No such option: --strcit (Did you mean --strict?)" in english.output


# ------------------------------------------------------------------------------------------
# colour and order


def _with_warning(course_dir):
    write(course_dir / "01-основи" / "чернова.md", "---\ntitle: Чернова\n---\nТекст.\n")
    return course_dir


def test_no_colour_off_a_terminal(course_dir, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    result = run_cli("check", str(_with_warning(course_dir)), "--strict")
    assert "\x1b[" not in result.output


def test_colour_when_forced_and_never_with_no_color(course_dir, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    _with_warning(course_dir)
    warned = run_cli("check", str(course_dir))
    assert "\x1b[35m\x1b[1mwarning\x1b[0m" in warned.output  # magenta, bold
    assert "\x1b[32m\x1b[1mok\x1b[0m" in warned.output
    failed = run_cli("check", str(course_dir), "--strict")
    assert "\x1b[31m\x1b[1merror\x1b[0m" in failed.output
    assert "\x1b[31m\x1b[1m1 error; nothing was built.\x1b[0m" in failed.output
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run_cli("check", str(course_dir), "--strict").output


def test_colour_on_a_terminal(monkeypatch):
    from packager import cli

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setattr(cli.sys, "stderr", Tty())
    assert cli.colour(err=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli.colour(err=True)


def test_diagnostics_are_printed_sorted_and_the_same_every_run(course_dir):
    from .conftest import problems

    services = course_dir / "02-услуги" / "module.md"
    services.write_text(
        services.read_text("utf-8").replace("title:", "ordr: 2\ntitle:", 1), "utf-8"
    )
    write(course_dir / "01-основи" / "а.md", "---\ntitle: А\n---\nТекст.\n")
    text = (course_dir / "01-основи" / "module.md").read_text("utf-8")
    (course_dir / "01-основи" / "module.md").write_text(
        text.replace("title:", "minuts: 5\ntitle:", 1), "utf-8"
    )
    first = run_cli("check", str(course_dir)).output
    assert first == run_cli("check", str(course_dir)).output
    printed = [line for line in first.splitlines() if ": warning: " in line]
    assert printed == problems(course_dir)
    assert len(printed) == 3


# ------------------------------------------------------------------------------------------
# -O for a target that is not built


def test_an_option_for_a_target_not_built_is_a_named_warning(tmp_path):
    result = run_cli(
        "build", str(FIXTURE), "-o", str(tmp_path), "-t", "site", "-O", "moodle.version=5",
        "-O", "scorm.sco=module",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [
        "packager: warning: -O moodle.version=5: an option of the target moodle, which is not "
        "being built; it is ignored",
        "packager: warning: -O scorm.sco=module: an option of the targets scorm12, scorm2004, "
        "which are not being built; it is ignored",
    ]
    assert lines[-1].endswith(" (2 warnings)")
    built = run_cli(
        "build",
        str(FIXTURE),
        "-o",
        str(tmp_path / "b"),
        "-t",
        "scorm2004",
        "-O",
        "scorm.sco=module",
    )
    assert "packager: warning" not in built.output


def test_help_translates_an_options_help_and_clicks_default(monkeypatch):
    import click
    from click.testing import CliRunner

    from packager import cli, messages

    monkeypatch.setitem(messages.catalogue("bg"), "How many.", "Колко.")

    @click.command(cls=cli._Command, help="How many.")
    @click.option("-n", type=click.IntRange(1), default=3, show_default=True, help="How many.")
    def probe(n: int) -> None:
        pass

    try:
        messages.set_language("bg")
        shown = CliRunner().invoke(probe, ["--help"]).output
    finally:
        messages.set_language("en")
    assert "\n  Колко.\n" in shown
    assert re.search(r"-n INTEGER RANGE\s+Колко\.\s+\[по подразбиране: 3; x>=1\]", shown)
