"""A release's own files: ``SHA256SUMS`` (as ``sha256sum -c`` reads it) and ``release.json``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..archive import file_sha256
from ..messages import tr, trn
from ..safepath import UnsafePath, inside
from .report import Report

_SUM_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


def _local(folder: Path, rel: str, report: Report) -> Path | None:
    try:
        return inside(folder, rel)
    except UnsafePath:
        report.problems.append(
            tr('"{path}" is not a path inside {folder}', path=rel, folder=folder)
        )
        return None


def verify_sums(path: Path, report: Report) -> None:
    report.kind = "SHA256SUMS"
    folder = path.parent
    lines = path.read_text("utf-8").splitlines()
    checked = 0
    for no, line in enumerate(lines, 1):
        match = _SUM_LINE.match(line)
        if not match:
            report.problems.append(tr("line {line}: not a sha256sum line", line=no))
            continue
        expected, rel = match.groups()
        target = _local(folder, rel, report)
        if target is None:
            continue
        if not target.is_file():
            report.problems.append(tr("{path}: listed but missing", path=rel))
        elif file_sha256(target) != expected:
            report.problems.append(
                tr("{path}: checksum differs (the file changed after the release)", path=rel)
            )
        else:
            checked += 1
    report.checked.append(trn("{n} checksum matches", "{n} checksums match", checked))


def verify_record(path: Path, report: Report) -> None:
    report.kind = tr("release record")
    try:
        record = json.loads(path.read_text("utf-8"))
        files = record["files"]
        course = record["course"]
    except (ValueError, KeyError, TypeError) as exc:
        report.problems.append(tr("not a release record: {reason}", reason=exc))
        return
    for entry in files:
        target = _local(path.parent, str(entry.get("path", "")), report)
        if target is None:
            continue
        if not target.is_file():
            report.problems.append(tr("{path}: listed but missing", path=entry["path"]))
        elif target.stat().st_size != entry.get("size") or file_sha256(target) != entry.get(
            "sha256"
        ):
            report.problems.append(
                tr("{path}: size or checksum differs from the record", path=entry["path"])
            )
    report.checked.append(
        trn(
            "{course} {version}: {n} file as recorded",
            "{course} {version}: {n} files as recorded",
            len(files),
            course=course.get("short_name"),
            version=course.get("version"),
        )
    )
