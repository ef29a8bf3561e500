"""IMS Common Cartridge 1.1: the manifest where Moodle looks for it (its namespace in the first
1024 bytes), unique identifiers, every reference resolved, every file present and every local
link of its pages leading to a file; with
``--schemas DIR`` the manifest, each QTI assessment and each discussion topic are validated
against the official CC 1.1 XSDs (``DIR/cc11``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..messages import tr, trn
from .report import Report
from .site import check_links, html_pages
from .xsd import LocalSchemas, offline_parser

CC11 = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
QTI = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
TOPIC = "imsdt_xmlv1p1"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def is_cartridge(manifest: bytes) -> bool:
    return b"IMS Common Cartridge" in manifest[:4000]


def verify_cc(files: dict[str, bytes], schemas: Path | None, report: Report) -> None:
    report.kind = "IMS Common Cartridge 1.1"  # a name
    head = files["imsmanifest.xml"][:1024].decode("utf-8", "replace").lower()
    compact = "".join(head.split()).replace('"', "").replace("'", "")
    if f"xmlns={CC11}" not in compact:
        report.problems.append(
            tr(
                "the CC 1.1 namespace is not declared in the first 1024 bytes of "
                "imsmanifest.xml: Moodle would not recognise the cartridge"
            )
        )
    try:
        doc = etree.fromstring(files["imsmanifest.xml"], _PARSER)
    except etree.XMLSyntaxError as exc:
        report.problems.append(tr("imsmanifest.xml is not well-formed XML: {reason}", reason=exc))
        return
    ids: dict[str, int] = {}
    for el in doc.iter():
        ident = el.get("identifier")
        if ident is not None:
            ids[ident] = ids.get(ident, 0) + 1
    report.problems += [
        tr('identifier "{id}" is used {n} times', id=i, n=n) for i, n in ids.items() if n > 1
    ]
    resources = {r.get("identifier"): r for r in doc.iter(f"{{{CC11}}}resource")}
    for el in doc.iter(f"{{{CC11}}}item", f"{{{CC11}}}dependency"):
        ref = el.get("identifierref")
        if ref is not None and ref not in resources:
            report.problems.append(tr('identifierref "{ref}" names no resource', ref=ref))
    assessments: list[str] = []
    topics: list[str] = []
    for res in resources.values():
        for href in [res.get("href")] + [f.get("href") for f in res.iter(f"{{{CC11}}}file")]:
            if href and unquote(href.split("#")[0]) not in files:
                report.problems.append(
                    tr('resource {id}: "{href}" is missing', id=res.get("identifier"), href=href)
                )
        descriptors = {QTI: assessments, TOPIC: topics}.get(res.get("type") or "")
        if descriptors is not None:
            descriptors += [f.get("href") for f in res.iter(f"{{{CC11}}}file")]
    counted = [
        trn("{n} resource", "{n} resources", len(resources)),
        trn("{n} assessment", "{n} assessments", len(assessments)),
    ]
    if topics:
        counted.append(trn("{n} discussion topic", "{n} discussion topics", len(topics)))
    pages = html_pages(files)
    check_links(files, pages, tr("leaves the package"), report)
    counted.append(tr("every local link resolves"))
    report.checked.append(", ".join(counted))
    if schemas is None:
        return
    folder = schemas / "cc11"
    try:
        manifest_schema = _schema(folder / "cc11libxml2validator.xsd")
        qti_schema = _schema(folder / "ccv1p1_qtiasiv1p2p1_v1p0.xsd")
        topic_schema = _schema(folder / "ccv1p1_imsdt_v1p1.xsd")
    except (OSError, etree.XMLSchemaParseError) as exc:
        report.problems.append(
            tr("cannot load the CC 1.1 schemas from {folder}: {reason}", folder=folder, reason=exc)
        )
        return
    if not manifest_schema.validate(doc):
        report.problems += [
            f"imsmanifest.xml:{e.line}: {e.message}" for e in manifest_schema.error_log
        ]
    for schema, hrefs in ((qti_schema, assessments), (topic_schema, topics)):
        for href in hrefs:
            _validate(files, href, schema, report)
    if not report.problems:
        report.checked.append(
            tr("manifest, assessments and topics valid against the official CC 1.1 XSDs")
        )


def _validate(files: dict[str, bytes], href: str, schema: etree.XMLSchema, report: Report) -> None:
    data = files.get(unquote(href or ""))
    if data is None:
        return  # reported as missing
    try:
        doc = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        report.problems.append(tr("{file} is not well-formed XML: {reason}", file=href, reason=exc))
        return
    if not schema.validate(doc):
        report.problems += [f"{href}:{e.line}: {e.message}" for e in schema.error_log]


def _schema(path: Path) -> etree.XMLSchema:
    parser = offline_parser(LocalSchemas(folder=path.parent))
    return etree.XMLSchema(etree.parse(str(path), parser))
