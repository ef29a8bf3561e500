"""Archives are reproducible, UTF-8 named and written atomically."""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile

import pytest

from packager import archive
from packager.archive import write_tar_gz, write_zip

from .conftest import run_cli

ENTRIES = {"b.txt": b"bee", "a/урок.html": "<p>Урок</p>".encode(), "imsmanifest.xml": b"<m/>"}


def test_compressed_formats_are_stored(tmp_path):
    write_zip(tmp_path / "m.zip", {"media/снимка.jpg": b"\xff\xd8" * 50, "a.html": b"<p/>" * 50}, 0)
    with zipfile.ZipFile(tmp_path / "m.zip") as zf:
        assert zf.getinfo("media/снимка.jpg").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("a.html").compress_type == zipfile.ZIP_DEFLATED
        assert zf.read("media/снимка.jpg") == b"\xff\xd8" * 50


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_zip_is_byte_identical_and_sorted(tmp_path):
    write_zip(tmp_path / "one.zip", ENTRIES, 1767225600)
    write_zip(tmp_path / "two.zip", dict(reversed(ENTRIES.items())), 1767225600)
    assert sha(tmp_path / "one.zip") == sha(tmp_path / "two.zip")
    with zipfile.ZipFile(tmp_path / "one.zip") as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == sorted(ENTRIES)
        for info in infos:
            assert info.date_time == (2026, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert info.compress_type == zipfile.ZIP_DEFLATED  # text; images are stored
        cyrillic = zf.getinfo("a/урок.html")
        assert cyrillic.flag_bits & 0x800  # the UTF-8 name flag Moodle's unzip relies on
        assert not zf.getinfo("b.txt").flag_bits & 0x800


def test_tar_is_strict_ustar_and_reproducible(tmp_path):
    entries = {
        "moodle_backup.xml": b"<x/>",
        "files/ab/" + "a" * 40: b"data",
        "course/course.xml": b"c",
    }
    write_tar_gz(tmp_path / "one.tar.gz", entries, 1767225600)
    write_tar_gz(tmp_path / "two.tar.gz", entries, 1767225600)
    assert sha(tmp_path / "one.tar.gz") == sha(tmp_path / "two.tar.gz")
    raw = (tmp_path / "one.tar.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    import gzip

    tar_bytes = gzip.decompress(raw)
    # every header is ustar and a regular file; no PAX (x/g) or GNU long-name (L/K) headers
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == sorted(entries)
        assert all(m.type == tarfile.REGTYPE for m in members)
    for offset in range(0, len(tar_bytes), 512):
        block = tar_bytes[offset : offset + 512]
        if block[257:263] == b"ustar\x00":
            assert block[156:157] == b"0"


def test_source_date_epoch_wins(tmp_path, monkeypatch):
    import datetime as dt

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert archive.build_timestamp(dt.date(2026, 1, 1)) == 1700000000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert archive.build_timestamp(dt.date(2026, 1, 1)) == 1767225600


def test_failed_write_keeps_the_previous_archive(tmp_path, monkeypatch):
    target = tmp_path / "course.zip"
    write_zip(target, ENTRIES, 1767225600)
    before = sha(target)

    def broken(self, name, data, compresslevel=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken)
    with pytest.raises(OSError):
        write_zip(target, ENTRIES, 1767225600)
    assert sha(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["course.zip"]  # no temporary file left


def test_two_builds_are_byte_identical(course_dir, tmp_path):
    run_cli("build", str(course_dir), "-o", str(tmp_path / "d1"), "-q")
    run_cli("build", str(course_dir), "-o", str(tmp_path / "d2"), "-q")
    one = sorted(p.name for p in (tmp_path / "d1").glob("*.*"))
    assert one, "nothing was built"
    for name in one:
        assert sha(tmp_path / "d1" / name) == sha(tmp_path / "d2" / name), name
