"""Releases: a strict build whose outputs are verified, with a checksum file, a record of what
the release holds (``release.json``) and, against an earlier release, a change report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import __version__, changes, inventory
from .archive import file_sha256
from .diagnostics import BuildError, Diagnostics, Severity
from .loader import load
from .messages import tr
from .model import Course
from .output import OutputError, Staging
from .readback import package_record
from .verify import verify_all

RECORD = "release.json"
SUMS = "SHA256SUMS"
REPORT = "CHANGES.md"
TARGET = "release"  # the name its own files go under in the output folder's manifest


def course_part(course: Course) -> dict[str, Any]:
    return {
        "title": course.title,
        "short_name": course.short_name,
        "version": course.version,
        "date": course.date.isoformat(),
        "language": course.language,
    }


def make_record(course: Course, files: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": 1,
        "course": course_part(course),
        "tool": {"name": "course-packager", "version": __version__},
        "files": files,
        "counts": inventory.counts(course),
        "contents": inventory.contents(course),
    }


def dumps(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def read_record(path: Path) -> dict[str, Any]:
    """A release record from ``release.json``, a folder holding one, a course folder (read from
    its sources), or a package (.mbz, SCORM zip) or build folder (its .mbz), read back.
    Raises ValueError with a message for the user."""
    if path.is_dir() and (path / RECORD).is_file():
        path = path / RECORD
    elif path.is_dir() and not (path / "course.yml").is_file():
        backups = sorted(path.glob("*.mbz"))
        if not backups:
            raise ValueError(tr("{path}: holds no release.json, course.yml or .mbz", path=path))
        path = backups[0]
    if path.suffix.lower() in (".mbz", ".zip"):
        return package_record(path)
    if path.is_dir():
        diags = Diagnostics()
        try:
            course = load(path, diags)
        except BuildError:
            errors = [d for d in diags.sorted() if d.severity is Severity.ERROR]
            first = errors[0] if errors else tr("no course")
            message = tr(
                "{path}: not a release folder, and its course has errors ({first})",
                path=path,
                first=first,
            )
            raise ValueError(message) from None
        return make_record(course, [])
    try:
        record = json.loads(path.read_text("utf-8"))
        record["course"]["version"], record["contents"]["lessons"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            tr("{path}: not a release record ({reason})", path=path, reason=exc)
        ) from None
    return record


def publish(
    staging: Staging,
    course: Course,
    built: list[tuple[str, list[str]]],
    schemas: Path | None,
    since: dict[str, Any] | None,
) -> None:
    """Verify the staged outputs and add the release files; raise OutputError to refuse."""
    files: list[dict[str, Any]] = []
    problems: list[tuple[str, str]] = []
    for target, rels in built:
        for rel in rels:
            staged = staging.root / rel
            for report in verify_all(staged, schemas):
                shown = str(staging.out_dir / Path(report.package).relative_to(staging.root))
                problems += [(shown, tr("verify: {problem}", problem=p)) for p in report.problems]
            if staged.is_file():
                size = staged.stat().st_size
                files.append(
                    {"path": rel, "target": target, "size": size, "sha256": file_sha256(staged)}
                )
    files.sort(key=lambda f: f["path"])
    previous = staging.out_dir / RECORD
    if previous.is_file() and not previous.is_symlink():
        problems += _same_version_check(previous, course, files)
    if problems:
        raise OutputError(problems)
    out = staging.target(TARGET)
    record = make_record(course, files)
    out.write_bytes(RECORD, dumps(record))
    extra = [RECORD]
    if since is not None:
        report = changes.markdown(changes.compare(since, record), course.title)
        out.write_bytes(REPORT, report.encode("utf-8"))
        extra.append(REPORT)
    lines = [f"{f['sha256']}  {f['path']}" for f in files]
    lines += [f"{file_sha256(staging.root / name)}  {name}" for name in extra]
    out.write_bytes(SUMS, ("\n".join(sorted(lines, key=lambda line: line[66:])) + "\n").encode())


def _same_version_check(
    previous: Path, course: Course, files: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    try:
        old = json.loads(previous.read_text("utf-8"))
        old_version = old["course"]["version"]
        old_files = {f["path"]: f["sha256"] for f in old["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return [(str(previous), tr("not a release record; move it away, then release again"))]
    if old_version != course.version:
        return []
    new_files = {f["path"]: f["sha256"] for f in files}
    if old_files == new_files:
        return []  # the same release, rebuilt byte for byte
    return [
        (
            str(previous),
            tr(
                "version {version} was already released with other contents; raise version "
                "in course.yml (a release is never replaced under the same number)",
                version=course.version,
            ),
        )
    ]
