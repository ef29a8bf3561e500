"""Shared fixtures: a copy of the Bulgarian fixture course and helpers to load and build it."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from packager.cli import main
from packager.diagnostics import BuildError, Diagnostics
from packager.loader import load

FIXTURE = Path(__file__).parent / "fixtures" / "course"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test session gets its own cache, so tests never depend on a user's cache."""
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


def front_matter(text: str) -> object:
    """A file's front matter as plain PyYAML reads it (None: it has none)."""
    match = re.match(r"---[ \t]*\n(.*?)\n---[ \t]*(\n|$)", text.lstrip("\ufeff"), re.S)
    return yaml.safe_load(match[1]) if match else None


def plain_yaml_sources(root: Path) -> list[tuple[Path, str, object]]:
    """The course file and every front matter of a course folder as (path, kind, data), the
    kind naming its JSON Schema, read as plain PyYAML reads them (not as the loader does)."""
    found: list[tuple[Path, str, object]] = [
        (root / "course.yml", "course", yaml.safe_load((root / "course.yml").read_text("utf-8")))
    ]
    for path in sorted(root.glob("*/*.md")):
        data = front_matter(path.read_text("utf-8"))
        if data is None:
            continue
        kind = "module" if path.name == "module.md" else "lesson"
        if isinstance(data, dict) and data.get("type") in ("quiz", "assignment", "forum"):
            kind = str(data["type"])
        found.append((path, kind, data))
    return found


KINDS_JS = Path(__file__).parents[1] / "packager" / "targets" / "html" / "theme" / "kinds.js"
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


def kinds_node(calls: list[dict]) -> list:
    """The answers of the quiz player's kind table (kinds.js) to ``calls``, run by Node.js
    (tests/kinds_node.js)."""
    done = subprocess.run(
        ["node", str(Path(__file__).parent / "kinds_node.js"), str(KINDS_JS)],
        input=json.dumps(calls, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's) through Playwright, for the browser tests."""
    from playwright.sync_api import sync_playwright

    from .browser_support import ARGS, CHROMIUM

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
