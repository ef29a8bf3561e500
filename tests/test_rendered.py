"""Markdown converted in an earlier build is taken from the cache: the same model, the same
packages, and nothing in the cache can put into a package what the text itself could not."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import markdown
import pytest

from packager import rendered
from packager.build import run_targets
from packager.diagnostics import BuildError, Diagnostics
from packager.loader import load

from .conftest import FIXTURE, write

LESSON = "Текст с **удебелен** текст и [връзка](https://example.org).\n\n| а | б |\n|---|---|\n| 1 | 2 |\n"


def _course(root: Path, body: str = LESSON) -> Path:
    write(root / "course.yml", "title: Курс\nshort_name: kurs\nversion: 1.0\ndate: 2026-01-01\n")
    write(root / "01-m" / "module.md", "---\ntitle: Модул\n---\nОписание.\n")
    write(root / "01-m" / "01-urok.md", f"---\ntitle: Урок\n---\n{body}")
    return root


def _conversions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    real = markdown.Markdown.convert
    monkeypatch.setattr(
        markdown.Markdown, "convert", lambda self, text: texts.append(text) or real(self, text)
    )
    return texts


def test_a_second_build_converts_nothing_and_writes_the_same(tmp_path, monkeypatch):
    cache, course = tmp_path / "cache", tmp_path / "course"
    shutil.copytree(FIXTURE, course)
    texts = _conversions(monkeypatch)
    first = load(course, Diagnostics(), cache_dir=cache)
    converted = len(texts)
    assert converted > 3
    second = load(course, Diagnostics(), cache_dir=cache)
    assert len(texts) == converted  # every conversion came from the cache
    fresh = load(course, Diagnostics(), use_cache=False)
    assert len(texts) == 2 * converted
    assert first == second == fresh
    outs = []
    for name, model in (("kept", second), ("fresh", fresh)):
        run_targets(model, tmp_path / name, ["site", "scorm12", "moodle"], Diagnostics(), jobs=1)
        outs.append({p.relative_to(tmp_path / name): p.read_bytes()
                     for p in (tmp_path / name).rglob("*") if p.is_file()})  # fmt: skip
    assert outs[0] == outs[1]


def test_a_changed_text_or_language_is_converted_anew(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    course = _course(tmp_path / "course")
    texts = _conversions(monkeypatch)
    load(course, Diagnostics(), cache_dir=cache)
    assert len(texts) == 1
    write(course / "01-m" / "01-urok.md", f"---\ntitle: Урок\n---\n{LESSON}Още.\n")
    load(course, Diagnostics(), cache_dir=cache)
    assert len(texts) == 2
    yml = course / "course.yml"
    yml.write_text(yml.read_text("utf-8") + "language: en\n", "utf-8")
    load(course, Diagnostics(), cache_dir=cache)
    assert len(texts) == 3


def _entries(cache: Path) -> list[Path]:
    return [
        p for p in cache.rglob("*") if p.is_file() and p.read_bytes().startswith(rendered._MAGIC)
    ]


def _plant(entry: Path, html: str) -> None:
    """Replace an entry's HTML, with a header that checks out."""
    key = entry.name
    data = html.encode()
    header = {"key": key, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    entry.write_bytes(rendered._MAGIC + json.dumps(header).encode() + b"\n" + data)


def test_a_planted_entry_is_checked_like_any_conversion(tmp_path):
    """The cache is the user's own folder (checked as the image cache is); what comes out of it
    still goes through the allow-list: forbidden HTML fails the build, as in a lesson."""
    cache = tmp_path / "cache"
    course = _course(tmp_path / "course")
    load(course, Diagnostics(), cache_dir=cache)
    (entry,) = _entries(cache)
    _plant(entry, '<p onclick="x()">Подменен</p><script>alert(1)</script>')
    diags = Diagnostics()
    with pytest.raises(BuildError):
        load(course, diags, cache_dir=cache)
    shown = "\n".join(str(d) for d in diags)
    assert "script" in shown and "onclick" in shown
    _plant(entry, "<p>Подменен</p>")
    assert "Подменен" in load(course, Diagnostics(), cache_dir=cache).lessons[0].html


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],  # cut short
        lambda data: data[:-1] + b"X",  # a byte changed
        lambda data: data.replace(b'"key": "', b'"key": "0', 1),  # another entry's header
        lambda data: b"junk",
    ],
)
def test_a_damaged_entry_is_converted_anew(tmp_path, monkeypatch, damage):
    cache = tmp_path / "cache"
    course = _course(tmp_path / "course")
    first = load(course, Diagnostics(), cache_dir=cache)
    (entry,) = _entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    texts = _conversions(monkeypatch)
    again = load(course, Diagnostics(), cache_dir=cache)
    assert len(texts) == 1
    assert again == first


def test_no_cache_writes_nothing(tmp_path):
    cache = tmp_path / "cache"
    load(_course(tmp_path / "course"), Diagnostics(), cache_dir=cache, use_cache=False)
    assert not cache.exists()


def test_without_the_code_to_name_entries_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(rendered, "_code", lambda: None)
    cache = tmp_path / "cache"
    course = _course(tmp_path / "course")
    texts = _conversions(monkeypatch)
    first = load(course, Diagnostics(), cache_dir=cache)
    assert load(course, Diagnostics(), cache_dir=cache) == first
    assert len(texts) == 2 and not _entries(cache)


def test_another_python_markdown_names_other_entries(tmp_path, monkeypatch):
    """Python-Markdown is named by its version module, read where it is installed."""
    installed = Path(markdown.__file__).parent
    other = tmp_path / "markdown"
    other.mkdir()
    meta = (installed / "__meta__.py").read_text("utf-8")
    (other / "__meta__.py").write_text(meta + "\n# another release\n", "utf-8")
    rendered._code.cache_clear()
    here = rendered._code()
    spec = type("Spec", (), {"submodule_search_locations": [str(other)]})()
    monkeypatch.setattr("importlib.util.find_spec", lambda name: spec)
    rendered._code.cache_clear()
    try:
        there = rendered._code()
        assert here and there and here != there
        monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
        rendered._code.cache_clear()
        assert rendered._code() is None
    finally:
        rendered._code.cache_clear()
