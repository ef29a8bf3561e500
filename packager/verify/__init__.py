"""Checking outputs before they go to an LMS: ``packager verify PATH…``.

Every kind of output the build writes can be checked: SCORM zips, Common Cartridges, Moodle
backups, the static
site (zip or folder), Moodle XML and GIFT banks (a file or the ``questions/`` folder), and a
release's ``SHA256SUMS`` and ``release.json``.
"""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

from ..messages import tr
from .archive import read_archive
from .banks import is_moodle_xml, verify_gift, verify_moodle_xml
from .cc import is_cartridge, verify_cc
from .moodle import verify_backup
from .release import verify_record, verify_sums
from .report import Report
from .scorm import scorm_schema, verify_scorm
from .site import is_site, verify_site

__all__ = ["Report", "scorm_schema", "verify", "verify_all"]

SKIPPED = {".md", ".txt"}  # reports beside the packages


def verify_all(path: Path, schemas: Path | None = None) -> list[Report]:
    """Reports for a file, or for every output in a folder of them."""
    if path.is_dir():
        if (path / "index.html").is_file():
            report = Report(str(path))
            verify_site(_folder_files(path), report)
            return [report]
        found = sorted(p for p in path.rglob("*") if p.suffix in (".xml", ".gift"))
        if not found:
            problem = tr("holds no site, question bank or package")
            return [Report(str(path), tr("folder"), [problem])]
        return [verify(p, schemas) for p in found]
    return [verify(path, schemas)]


def verify(path: Path, schemas: Path | None = None) -> Report:
    report = Report(str(path))
    if path.name == "SHA256SUMS":
        verify_sums(path, report)
        return report
    if path.name == "release.json":
        verify_record(path, report)
        return report
    if path.suffix.lower() in SKIPPED or path.name.startswith("."):
        report.kind, report.skipped = tr("not a package"), True
        return report
    data = path.read_bytes()
    if path.suffix.lower() == ".gift":
        verify_gift(data, report)
        return report
    if path.suffix.lower() == ".xml" or (data[:5] == b"<?xml" and is_moodle_xml(data)):
        verify_moodle_xml(data, report)
        return report
    try:
        files = read_archive(data)
    except (zipfile.BadZipFile, tarfile.TarError, OSError, ValueError) as exc:
        report.problems.append(tr("not a ZIP or tar.gz archive: {reason}", reason=exc))
        return report
    if "imsmanifest.xml" in files and is_cartridge(files["imsmanifest.xml"]):
        verify_cc(files, schemas, report)
    elif "imsmanifest.xml" in files:
        verify_scorm(files, schemas, report)
    elif "moodle_backup.xml" in files:
        verify_backup(files, report)
    elif is_site(files):
        verify_site(files, report)
    else:
        nested = [n for n in files if n.endswith("/imsmanifest.xml")]
        if nested:
            report.problems.append(
                tr(
                    "imsmanifest.xml is in {folder}/, not at the root of the zip: LMSs look for "
                    "it at the root",
                    folder=nested[0].rsplit("/", 1)[0],
                )
            )
        else:
            report.problems.append(
                tr("neither imsmanifest.xml (SCORM), moodle_backup.xml nor index.html at the root")
            )
    return report


def _folder_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
