"""Moodle backups: the first bytes Moodle checks, well-formed XML and every file listed."""

from __future__ import annotations

from lxml import etree

from .report import Report

MOODLE_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>', b"<moodle_backup>", b"<information>")


def verify_backup(files: dict[str, bytes], report: Report) -> None:
    report.kind = "Moodle backup"
    head = files["moodle_backup.xml"][:200]
    for needle in MOODLE_HEAD:
        if needle not in head:
            report.problems.append(
                f"moodle_backup.xml must start with {needle.decode()} (Moodle checks)"
            )
    for name, data in files.items():
        if name.endswith(".xml"):
            try:
                etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                report.problems.append(f"{name} is not well-formed XML: {exc}")
    try:
        listed = etree.fromstring(files.get("files.xml", b"<files/>"))
    except etree.XMLSyntaxError:
        return
    for f in listed.iter("file"):
        digest = f.findtext("contenthash") or ""
        if f.findtext("filename") != "." and f"files/{digest[:2]}/{digest}" not in files:
            report.problems.append(
                f"files.xml lists {f.findtext('filename')} "
                f"but files/{digest[:2]}/{digest} is missing"
            )
    report.checked.append(f"{len(files)} files")
