"""SCORM zips: the manifest is at the root, names the right edition, its identifiers are unique
and every reference resolves to a file in the zip, as does every local link of its pages; with
``--schemas DIR`` (a folder holding the official XSD sets ``scorm12/`` and ``scorm2004-4th/``)
the manifest is also validated against the schemas."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..messages import tr, trn
from .report import Report
from .site import check_links, html_pages
from .xsd import LocalSchemas, offline_parser

SCORM12 = {
    "imscp": ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
    "adlcp": ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
}
SCORM2004 = {
    "imscp": ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
    "adlcp": ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
    "adlseq": ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
    "adlnav": ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
    "imsss": ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
    "lom": ("http://ltsc.ieee.org/xsd/LOM", "lom.xsd"),
}
_NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")


def load_schema(folder: Path, parts: dict[str, tuple[str, str]], xml_xsd: Path) -> etree.XMLSchema:
    """One schema importing every namespace a manifest uses (the lxml recipe for XSD sets)."""
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(folder / xsd).resolve().as_uri()}"/>'
        for ns, xsd in parts.values()
    )
    driver = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:packager:driver">{imports}</xs:schema>'
    )
    parser = offline_parser(LocalSchemas(xml_xsd=xml_xsd))
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=str(folder) + "/"))


def scorm_schema(schemas: Path, edition: str) -> etree.XMLSchema:
    if edition == "1.2":
        return load_schema(schemas / "scorm12", SCORM12, schemas / "scorm2004-4th" / "xml.xsd")
    folder = schemas / "scorm2004-4th"
    return load_schema(folder, SCORM2004, folder / "xml.xsd")


def verify_scorm(files: dict[str, bytes], schemas: Path | None, report: Report) -> None:
    try:
        doc = etree.fromstring(files["imsmanifest.xml"])
    except etree.XMLSyntaxError as exc:
        report.problems.append(tr("imsmanifest.xml is not well-formed XML: {reason}", reason=exc))
        return
    version = doc.findtext("{*}metadata/{*}schemaversion") or ""
    if version == "1.2":
        report.kind, edition = "SCORM 1.2", "1.2"
    elif version in ("2004 3rd Edition", "2004 4th Edition"):
        report.kind, edition = f"SCORM {version}", "2004"
    else:
        report.problems.append(
            tr(
                'schemaversion "{version}" is none of "1.2", "2004 3rd Edition", '
                '"2004 4th Edition": Moodle would run the package as SCORM 1.2',
                version=version,
            )
        )
        return
    for el in doc.iter():
        prefix = el.prefix
        if prefix and prefix not in ("adlcp", "adlseq", "adlnav", "imsss", "xsi"):
            report.problems.append(
                tr(
                    'prefix "{prefix}:" on <{tag}>: Moodle only reads adlcp, adlseq, adlnav, imsss',
                    prefix=prefix,
                    tag=el.tag,
                )
            )
            break
    ids: dict[str, int] = {}
    for el in doc.iter():
        ident = el.get("identifier")
        if ident is not None:
            if not _NCNAME.match(ident):
                report.problems.append(tr('identifier "{id}" is not an XML NCName', id=ident))
            ids[ident] = ids.get(ident, 0) + 1
    report.problems += [
        tr('identifier "{id}" is used {n} times', id=i, n=n) for i, n in ids.items() if n > 1
    ]
    resources = {r.get("identifier"): r for r in doc.iter("{*}resource")}
    for el in doc.iter("{*}item", "{*}dependency"):
        ref = el.get("identifierref")
        if ref is not None and ref not in resources:
            report.problems.append(tr('identifierref "{ref}" names no resource', ref=ref))
    orgs = doc.find("{*}organizations")
    default = orgs.get("default") if orgs is not None else None
    if default is None or default not in ids:
        report.problems.append(tr("organizations has no valid default organization"))
    for res in resources.values():
        for href in [res.get("href")] + [f.get("href") for f in res.iter("{*}file")]:
            if href and unquote(href.split("#")[0].split("?")[0]) not in files:
                report.problems.append(
                    tr(
                        'resource {id}: "{href}" is not in the zip',
                        id=res.get("identifier"),
                        href=href,
                    )
                )
    check_links(files, html_pages(files), tr("leaves the package"), report)
    report.checked.append(
        tr(
            "{resources}, {files}, every local link resolves",
            resources=trn("{n} resource", "{n} resources", len(resources)),
            files=trn("{n} file", "{n} files", len(files)),
        )
    )
    if schemas is not None:
        schema = scorm_schema(schemas, edition)
        if schema.validate(doc):
            report.checked.append(tr("manifest valid against the official XSDs"))
        else:
            for error in schema.error_log:
                report.problems.append(f"imsmanifest.xml:{error.line}: {error.message}")
