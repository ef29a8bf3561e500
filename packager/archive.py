"""Reproducible archives, written atomically.

Same entries, same bytes: entries are sorted, timestamps fixed, permissions fixed. An archive is
written to a temporary file beside its destination and renamed into place, so an interrupted
build never leaves half an archive and never removes the previous one.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .messages import tr
from .safepath import check_relpath

Entries = Mapping[str, bytes]
ZIP_EPOCH = 315532800  # 1980-01-01, the earliest time a ZIP entry can hold


def build_timestamp(release_date: dt.date) -> int:
    """SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the release date."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    return int(dt.datetime(release_date.year, release_date.month, release_date.day,
                           tzinfo=dt.UTC).timestamp())  # fmt: skip


@contextmanager
def atomic_file(path: Path, mode: int = 0o644):
    """Yield a binary file that replaces ``path`` only when the block finishes without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_bytes(path: Path, data: bytes, mode: int = 0o644) -> None:
    with atomic_file(path, mode) as fh:
        fh.write(data)


def _check_names(entries: Entries) -> list[str]:
    names = sorted(entries)
    for name in names:
        check_relpath(name)
    return names


# Formats that are compressed already: deflating them again costs time and saves nothing.
STORED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".mbz", ".gz", ".mp3", ".mp4")


def zip_to(fh: BinaryIO, entries: Entries, mtime: int) -> None:
    when = time.gmtime(max(mtime, ZIP_EPOCH))[:6]
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in _check_names(entries):
            info = zipfile.ZipInfo(name, date_time=when)
            stored = name.lower().endswith(STORED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read
            info.external_attr = (0o100644 & 0xFFFF) << 16
            # zipfile sets the UTF-8 flag (bit 11) itself for names that are not ASCII.
            zf.writestr(info, entries[name], compresslevel=9)


def write_zip(path: Path, entries: Entries, mtime: int) -> None:
    with atomic_file(path) as fh:
        zip_to(fh, entries, mtime)


def zip_bytes(entries: Entries, mtime: int) -> bytes:
    buf = io.BytesIO()
    zip_to(buf, entries, mtime)
    return buf.getvalue()


def tar_gz_to(fh: BinaryIO, entries: Entries, mtime: int) -> None:
    """A gzip-compressed tar in strict USTAR: no PAX or GNU headers, which some readers
    (Moodle's among them) turn into junk files."""
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=mtime, compresslevel=9) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT, encoding="utf-8") as tar,
    ):
        for name in _check_names(entries):
            if len(name.encode("utf-8")) > 255:
                raise ValueError(tr("name too long for a USTAR archive: {name}", name=name))
            info = tarfile.TarInfo(name)
            info.size = len(entries[name])
            info.mtime = mtime
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(entries[name]))


def write_tar_gz(path: Path, entries: Entries, mtime: int) -> None:
    with atomic_file(path) as fh:
        tar_gz_to(fh, entries, mtime)
