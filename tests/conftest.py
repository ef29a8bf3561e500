"""Shared fixtures: a copy of the Bulgarian fixture course and helpers to load and build it."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from packager.cli import main
from packager.diagnostics import BuildError, Diagnostics
from packager.loader import load

FIXTURE = Path(__file__).parent / "fixtures" / "course"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test session gets its own image cache, so tests never depend on a user's cache."""
    cache = tmp_path_factory.getbasetemp() / "media-cache"
    monkeypatch.setenv("PACKAGER_CACHE_DIR", str(cache))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """Tests read the tool's messages in English unless they choose Bulgarian, whatever the
    machine's locale; colour is off (tests that want it ask for it)."""
    from packager.messages import set_language

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture course."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def load_course(root: Path, strict: bool = False):
    diags = Diagnostics(strict=strict)
    return load(root, diags), diags


def problems(root: Path, strict: bool = False) -> list[str]:
    """Every diagnostic of loading ``root``, as printed."""
    diags = Diagnostics(strict=strict)
    with contextlib.suppress(BuildError):
        load(root, diags)
    return [str(d) for d in diags.sorted()]


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
