"""The packager command: exit codes, summary, check, new."""

from __future__ import annotations

import re

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
    assert "3 modules, 5 lessons, 1 quizzes, 10 questions, 1 assignments, 1 forums, 2 images" in result.output
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
    assert "ok: 3 modules, 5 lessons, 1 quizzes, 10 questions, 1 assignments, 1 forums, 2 images" in result.output
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
    assert "1 modules, 1 lessons, 1 quizzes, 2 questions, 1 images" in built.output


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
