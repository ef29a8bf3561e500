"""Targets built in parallel (-j): the same bytes and notices as one after another, and all or
nothing when a target fails; a build imports only what its targets need."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from packager import build as build_module
from packager.diagnostics import Diagnostics
from packager.output import STAGING_PREFIX, OutputError, WriteError
from packager.targets import TARGETS

from .conftest import FIXTURE, load_course, run_cli

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (the output folder's name left out) with a digest."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def notices(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": warning: " in line]


def test_parallel_and_serial_builds_write_the_same_bytes_and_notices(tmp_path):
    serial = run_cli("build", str(FIXTURE), "-o", str(tmp_path / "j1"), "-j", "1")
    parallel = run_cli("build", str(FIXTURE), "-o", str(tmp_path / "j3"), "-j", "3")
    assert serial.exit_code == 0 and parallel.exit_code == 0, parallel.output
    assert snapshot(tmp_path / "j1") == snapshot(tmp_path / "j3")
    assert notices(serial) and notices(serial) == notices(parallel)
    summary = [line.replace("j3", "j1") for line in parallel.stdout.splitlines()]
    assert summary == serial.stdout.splitlines()


def test_run_targets_in_parallel_merges_notices_in_target_order(tmp_path):
    course, _ = load_course(FIXTURE)
    names = ["gift", "cc", "moodlexml"]
    serial, parallel = Diagnostics(), Diagnostics()
    build_module.run_targets(course, tmp_path / "a", names, serial)
    done: list[str] = []
    outputs = build_module.run_targets(
        course, tmp_path / "b", names, parallel, on_target=done.append, jobs=2
    )
    assert [str(d) for d in parallel] == [str(d) for d in serial]
    assert sorted(done) == sorted(names)
    assert [o.target for o in outputs] == sorted(
        [o.target for o in outputs], key=names.index
    )  # in the targets' order, whichever finished first
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def _built(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    out = tmp_path / "out"
    assert run_cli("build", str(FIXTURE), "-o", str(out), "-j", "1").exit_code == 0
    return out, snapshot(out)


def test_a_failing_target_in_a_parallel_build_changes_nothing(tmp_path, monkeypatch):
    out, before = _built(tmp_path)
    real = TARGETS["gift"].build

    def half_written(ctx):
        real(ctx)  # its files are staged by now
        raise OSError(28, "No space left on device", "somewhere")

    monkeypatch.setattr(TARGETS["gift"], "build", half_written)
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-j", "2", "-O", "scorm.sco=module")
    assert result.exit_code == 1
    assert "somewhere: error: cannot read: No space left on device" in result.stderr
    assert "nothing was changed in the output folder." in result.stderr
    assert snapshot(out) == before
    assert not any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir())


def test_the_first_failure_in_target_order_is_the_one_reported(tmp_path, monkeypatch):
    out, before = _built(tmp_path)

    def cannot_write(ctx):
        raise WriteError(28, "No space left on device", str(out / "x.mbz"))

    def cannot_read(ctx):
        raise OSError(13, "Permission denied", "image.png")

    monkeypatch.setattr(TARGETS["moodle"], "build", cannot_write)  # before gift in the order
    monkeypatch.setattr(TARGETS["gift"], "build", cannot_read)
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-j", "4")
    assert result.exit_code == 1
    assert "x.mbz: error: cannot write: No space left on device" in result.stderr
    assert "Permission denied" not in result.stderr
    assert snapshot(out) == before


def test_an_interrupted_parallel_build_leaves_no_debris(tmp_path, monkeypatch):
    out, before = _built(tmp_path)

    def interrupted(ctx):
        raise KeyboardInterrupt

    monkeypatch.setattr(TARGETS["moodle"], "build", interrupted)
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-j", "2")
    assert result.exit_code == 130
    assert "interrupted" in result.output
    assert snapshot(out) == before
    assert not any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir())


def test_an_internal_error_in_a_child_is_reported_as_in_a_serial_build(tmp_path, monkeypatch):
    def bug(ctx):
        raise RuntimeError("unexpected state")

    monkeypatch.setattr(TARGETS["site"], "build", bug)
    args = ("build", str(FIXTURE), "-t", "site", "-t", "gift", "-j", "2")
    result = run_cli(*args, "-o", str(tmp_path / "a"))
    assert result.exit_code == 70
    assert "internal error: RuntimeError: unexpected state — please report it" in result.output
    assert "Traceback" not in result.output
    debug = run_cli("--debug", *args, "-o", str(tmp_path / "b"))
    assert debug.exit_code == 70
    assert "in the process that built the target" in debug.output
    assert 'in bug\n    raise RuntimeError("unexpected state")' in debug.output
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())


def test_a_child_that_dies_without_a_result_fails_the_build(tmp_path, monkeypatch):
    out, before = _built(tmp_path)
    monkeypatch.setattr(TARGETS["cc"], "build", lambda ctx: os._exit(9))
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-j", "2")
    assert result.exit_code == 70
    assert "the process that built cc ended without a result" in result.output
    assert snapshot(out) == before


def test_output_errors_cross_from_a_child_whole():
    exc = OutputError([("dist/a.zip", "is a symbolic link; remove it, then build again")])
    copy = pickle.loads(pickle.dumps(exc))
    assert copy.problems == exc.problems and str(copy) == str(exc)


def test_jobs_default_to_the_usable_cores_and_must_be_positive(tmp_path):
    assert 1 <= build_module.default_jobs() <= build_module.MAX_JOBS
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
        assert build_module.default_jobs() == min(cores, build_module.MAX_JOBS)
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path / "out"), "-j", "0")
    assert result.exit_code == 2
    assert "-j" in result.output


@pytest.mark.parametrize("command", ["build", "release"])
def test_build_and_release_take_jobs(command):
    result = run_cli(command, "--help")
    assert "-j, --jobs N" in result.output


# -- what a build imports ---------------------------------------------------------------------

# What a build of the question bank alone has no use for: the other targets, the other
# commands, and Pillow (every image is in the cache)
UNNEEDED = (
    "packager.targets.html", "packager.targets.scorm", "packager.targets.moodle",
    "packager.targets.cc", "packager.verify", "packager.release", "packager.changes",
    "packager.skeleton", "PIL.Image", "multiprocessing",
)  # fmt: skip
_PROBE = """
import sys
from packager.cli import main
try:
    main(["build", sys.argv[1], "-o", sys.argv[2], "-q", "-t", "moodlexml"])
except SystemExit as exc:
    assert not exc.code, exc.code
print("\\n".join(sorted(sys.modules)))
"""


def test_a_question_bank_build_imports_only_what_it_needs(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for _ in range(2):  # the second time with the images cached, as most builds are
        found = subprocess.run(
            [sys.executable, "-c", _PROBE, str(FIXTURE), str(tmp_path / "out")],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    assert "packager.targets.banks.moodlexml" in found
    unneeded = [m for m in found if m.startswith(UNNEEDED)]
    assert not unneeded
    assert (tmp_path / "out" / "proben-kurs-0.1.0-questions.xml").is_file()


def test_notices_come_out_in_reading_order_however_the_targets_ran(tmp_path):
    """Sorted, the notices are the same list in a serial and a parallel build, by file in the
    course's reading order (set from the course when the caller gave none)."""
    course, _ = load_course(FIXTURE)
    names = ["gift", "cc", "moodlexml"]
    serial, parallel = Diagnostics(), Diagnostics()
    build_module.run_targets(course, tmp_path / "a", names, serial)
    build_module.run_targets(course, tmp_path / "b", names, parallel, jobs=3)
    shown = [str(d) for d in parallel.sorted()]
    assert shown and shown == [str(d) for d in serial.sorted()]
    order = build_module.reading_order(course)
    assert parallel.order == tuple(order)
    ranks = [order.index(d.path) for d in parallel.sorted()]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) > 1
