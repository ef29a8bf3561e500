"""The cache stays within its size limit: once a build has written entries, the ones used
longest ago go, and nothing but the cache's own entries is ever removed."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from packager.cache import CacheAccess, size_limit
from packager.diagnostics import Diagnostics
from packager.loader import load

MIB = 1 << 20
HOUR_NS = 3600 * 10**9


def _key(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def _path(root: Path, key: str) -> Path:
    return root / key[:2] / key


def _age(path: Path, hours: float) -> None:
    """Make ``path`` look last used ``hours`` ago."""
    past = time.time_ns() - int(hours * HOUR_NS)
    os.utime(path, ns=(past, past), follow_symlinks=False)


def _filled(root: Path, sizes: list[int]) -> list[str]:
    """Entries of ``sizes`` bytes, the first the longest unused; their keys."""
    access = CacheAccess(root)
    keys = [_key(n) for n in range(len(sizes))]
    for i, (key, size) in enumerate(zip(keys, sizes, strict=True)):
        access.put(key, b"x" * size)
        _age(_path(root, key), len(sizes) - i)
    return keys


def test_over_the_limit_the_entries_used_longest_ago_go(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKAGER_CACHE_SIZE", "5")
    root = tmp_path / "cache"
    keys = _filled(root, [MIB] * 6)
    access = CacheAccess(root)
    assert access.get(keys[0]) == b"x" * MIB  # used now: the last to go
    access.put(_key(99), b"y" * 100)
    trimmed = access.trim()
    assert trimmed is not None and trimmed.files == 3 and trimmed.size == 3 * MIB
    left = {p.name for p in root.rglob("*") if p.is_file()}
    assert left == {keys[0], keys[4], keys[5], _key(99)}  # at most 80% of the limit is kept
    assert trimmed.kept == 3 * MIB + 100
    assert access.trim() is None  # nothing written since


def test_within_the_limit_nothing_goes(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKAGER_CACHE_SIZE", "10")
    root = tmp_path / "cache"
    keys = _filled(root, [MIB] * 5)
    access = CacheAccess(root)
    access.put(_key(99), b"y")
    trimmed = access.trim()
    assert trimmed is not None and trimmed.files == 0 and trimmed.kept == 5 * MIB + 1
    assert all(_path(root, k).exists() for k in keys)


def test_a_build_that_wrote_nothing_does_not_look(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKAGER_CACHE_SIZE", "1")
    root = tmp_path / "cache"
    keys = _filled(root, [MIB] * 3)
    access = CacheAccess(root)
    assert access.get(keys[0]) is not None
    assert access.trim() is None
    assert all(_path(root, k).exists() for k in keys)


def test_only_the_caches_own_files_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKAGER_CACHE_SIZE", "1")
    root = tmp_path / "cache"
    keys = _filled(root, [MIB, MIB])
    outside = tmp_path / "precious"
    outside.write_bytes(b"p" * (2 * MIB))
    folder = _path(root, keys[0]).parent
    link = folder / _key(50)
    link.symlink_to(outside)  # an entry's name, but a link: never followed nor removed
    _age(link, 100)
    other = folder / "notes.txt"
    other.write_bytes(b"n" * MIB)
    _age(other, 100)
    stale, fresh = folder / f".tmp-{'a' * 16}", folder / f".tmp-{'b' * 16}"
    stale.write_bytes(b"t")
    _age(stale, 2)
    fresh.write_bytes(b"t")
    access = CacheAccess(root)
    access.put(_key(99), b"y")
    trimmed = access.trim()
    assert trimmed is not None
    assert outside.read_bytes() == b"p" * (2 * MIB) and link.is_symlink()
    assert other.exists() and fresh.exists() and not stale.exists()
    assert not _path(root, keys[0]).exists() and not _path(root, keys[1]).exists()
    assert _path(root, _key(99)).exists()


@pytest.mark.parametrize("value", ["0", "-5", "1.5", "lots", "１０"])
def test_a_size_that_is_not_whole_mib_is_one_warning_and_no_cache(tmp_path, monkeypatch, value):
    root = tmp_path / "cache"
    keys = _filled(root, [MIB] * 2)
    monkeypatch.setenv("PACKAGER_CACHE_SIZE", value)
    assert size_limit() is None
    warned: list[str] = []
    access = CacheAccess(root, warn=lambda where, message: warned.append(message))
    assert access.get(keys[0]) is None
    access.put(_key(99), b"y")
    assert access.trim() is None
    assert warned == [
        "cache not used: PACKAGER_CACHE_SIZE must be a whole number of MiB, such as 1024; "
        f"it is {value!r}"
    ]
    assert all(_path(root, k).exists() for k in keys) and not _path(root, _key(99)).exists()


def test_the_default_limit(monkeypatch):
    monkeypatch.delenv("PACKAGER_CACHE_SIZE", raising=False)
    assert size_limit() == 1024 * MIB
    monkeypatch.setenv("PACKAGER_CACHE_SIZE", " 20 ")
    assert size_limit() == 20 * MIB


def test_a_build_keeps_the_cache_within_its_limit(course_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PACKAGER_CACHE_SIZE", "1")
    root = tmp_path / "cache"
    (old,) = _filled(root, [2 * MIB])  # from some long-gone build
    first = load(course_dir, Diagnostics(), cache_dir=root)
    assert not _path(root, old).exists()
    entries = [p for p in root.rglob("*") if p.is_file()]
    assert entries and sum(p.stat().st_size for p in entries) <= MIB
    assert load(course_dir, Diagnostics(), cache_dir=root) == first
