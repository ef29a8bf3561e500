"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th edition.

Moodle reads manifests without namespaces, by their literal names: content-packaging elements
stay in the default namespace and the ADL and IMS SS prefixes are exactly adlcp, adlseq,
adlnav and imsss. Manifests validate against the official schemas (see the tests).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from ...markup import text_of
from ...model import Course
from ...names import ncname, xml_text

if TYPE_CHECKING:
    from .package import Group, Sco

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
MD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"

METADATA_FILE = "metadata.xml"


def write(course: Course, edition: str, groups: list[Group], assets: list[str]) -> dict[str, bytes]:
    """The manifest (and, for 1.2, its metadata file) as package entries."""
    if edition == "1.2":
        return {
            "imsmanifest.xml": _serialise(_manifest12(course, groups, assets)),
            METADATA_FILE: _serialise(_lom12(course)),
        }
    return {"imsmanifest.xml": _serialise(_manifest2004(course, groups, assets))}


def _serialise(root: etree._Element) -> bytes:
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrs: str):
    """A child element; an attribute named xml__lang is written as xml:lang."""
    names = {k: (f"{{{XML}}}lang" if k == "xml__lang" else k) for k in attrs}
    values = {names[k]: xml_text(v) for k, v in attrs.items()}
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", values)
    if text is not None:
        el.text = xml_text(text)  # the loader rejects what XML cannot carry; never crash here
    return el


def _ids(course: Course) -> tuple[str, str]:
    return ncname("MANIFEST", course.short_name), ncname("ORG", course.short_name)


def _resources(
    parent: etree._Element, ns: str, scos: list[Sco], assets: list[str], scormtype: str
) -> None:
    resources = _sub(parent, ns, "resources")
    for sco in scos:
        res = _sub(
            resources, ns, "resource", identifier=sco.resource, type="webcontent", href=sco.href
        )
        res.set(scormtype, "sco")
        for href in dict.fromkeys(sco.files):
            _sub(res, ns, "file", href=href)
        _sub(res, ns, "dependency", identifierref="RES_assets")
    common = _sub(resources, ns, "resource", identifier="RES_assets", type="webcontent")
    common.set(scormtype, "asset")
    for href in assets:
        _sub(common, ns, "file", href=href)


# ---------------------------------------------------------------------------------------------
# SCORM 1.2


def _manifest12(course: Course, groups: list[Group], assets: list[str]) -> etree._Element:
    manifest_id, org_id = _ids(course)
    root = etree.Element(
        f"{{{CP12}}}manifest",
        nsmap={None: CP12, "adlcp": ADLCP12, "xsi": XSI},
        identifier=manifest_id,
        version=xml_text(course.version),
    )
    root.set(
        f"{{{XSI}}}schemaLocation",
        f"{CP12} imscp_rootv1p1p2.xsd {MD12} imsmd_rootv1p2p1.xsd {ADLCP12} adlcp_rootv1p2.xsd",
    )
    metadata = _sub(root, CP12, "metadata")
    _sub(metadata, CP12, "schema", "ADL SCORM")
    _sub(metadata, CP12, "schemaversion", "1.2")
    _sub(metadata, ADLCP12, "location", METADATA_FILE)
    orgs = _sub(root, CP12, "organizations", default=org_id)
    org = _sub(orgs, CP12, "organization", identifier=org_id)
    _sub(org, CP12, "title", course.title)
    scos = []
    for group in groups:
        cluster = _sub(org, CP12, "item", identifier=group.ident, isvisible="true")
        _sub(cluster, CP12, "title", group.title)
        for sco in group.scos:
            item = _sub(
                cluster, CP12, "item", identifier=sco.ident, identifierref=sco.resource,
                isvisible="true",
            )  # fmt: skip
            _sub(item, CP12, "title", sco.title)
            if sco.pass_percentage is not None:
                _sub(item, ADLCP12, "masteryscore", f"{sco.pass_percentage:g}")
            scos.append(sco)
    _resources(root, CP12, scos, assets, f"{{{ADLCP12}}}scormtype")
    return root


def _lom12(course: Course) -> etree._Element:
    """The course's metadata as IMS Metadata 1.2.1 (IEEE LOM), which 1.2 manifests point to."""
    lang = course.language
    lom = etree.Element(f"{{{MD12}}}lom", nsmap={None: MD12})
    general = _sub(lom, MD12, "general")
    _sub(_sub(general, MD12, "title"), MD12, "langstring", course.title, **{"xml__lang": lang})
    _sub(general, MD12, "language", lang)
    if course.summary:
        description = _sub(general, MD12, "description")
        _sub(description, MD12, "langstring", text_of(course.summary), **{"xml__lang": lang})
    for keyword in course.keywords:
        _sub(_sub(general, MD12, "keyword"), MD12, "langstring", keyword, **{"xml__lang": lang})
    lifecycle = _sub(lom, MD12, "lifecycle")
    _sub(
        _sub(lifecycle, MD12, "version"), MD12, "langstring", course.version, **{"xml__lang": lang}
    )
    metametadata = _sub(lom, MD12, "metametadata")
    _sub(metametadata, MD12, "metadatascheme", "ADL SCORM 1.2")
    if course.license:
        rights = _sub(lom, MD12, "rights")
        _sub(
            _sub(rights, MD12, "description"),
            MD12,
            "langstring",
            course.license,
            **{"xml__lang": lang},
        )
    return lom


# ---------------------------------------------------------------------------------------------
# SCORM 2004 4th edition


def _manifest2004(course: Course, groups: list[Group], assets: list[str]) -> etree._Element:
    manifest_id, org_id = _ids(course)
    root = etree.Element(
        f"{{{CP}}}manifest",
        nsmap={
            None: CP,
            "adlcp": ADLCP,
            "adlseq": ADLSEQ,
            "adlnav": ADLNAV,
            "imsss": IMSSS,
            "xsi": XSI,
        },
        identifier=manifest_id,
        version=xml_text(course.version),
    )
    root.set(
        f"{{{XSI}}}schemaLocation",
        " ".join(
            f"{ns} {xsd}"
            for ns, xsd in (
                (CP, "imscp_v1p1.xsd"),
                (ADLCP, "adlcp_v1p3.xsd"),
                (ADLSEQ, "adlseq_v1p3.xsd"),
                (ADLNAV, "adlnav_v1p3.xsd"),
                (IMSSS, "imsss_v1p0.xsd"),
                (LOM, "lom.xsd"),
            )
        ),
    )
    metadata = _sub(root, CP, "metadata")
    _sub(metadata, CP, "schema", "ADL SCORM")
    _sub(metadata, CP, "schemaversion", "2004 4th Edition")
    metadata.append(_lom2004(course))
    orgs = _sub(root, CP, "organizations", default=org_id)
    org = _sub(orgs, CP, "organization", identifier=org_id)
    org.set(f"{{{ADLSEQ}}}objectivesGlobalToSystem", "false")
    _sub(org, CP, "title", course.title)
    completion = course.completion
    lessons, quizzes = completion.lessons_required, completion.quizzes_required
    scos = []
    for group in groups:
        cluster = _sub(org, CP, "item", identifier=group.ident)
        _sub(cluster, CP, "title", group.title)
        for sco in group.scos:
            item = _sub(cluster, CP, "item", identifier=sco.ident, identifierref=sco.resource)
            _sub(item, CP, "title", sco.title)
            _sco_sequencing(item, sco, lessons, quizzes)
            scos.append(sco)
        # a module takes part in the course's rollup only through SCOs that count: a module
        # of lessons only is never satisfied nor failed, and must not hold the course back
        satisfies = any(_satisfies(sco, quizzes) for sco in group.scos)
        completes = any(_completes(sco, lessons, quizzes) for sco in group.scos)
        _cluster_sequencing(cluster, satisfies=satisfies, completes=completes)
    _cluster_sequencing(org, satisfies=True, completes=True)
    _resources(root, CP, scos, assets, f"{{{ADLCP}}}scormType")
    return root


def _satisfies(sco: Sco, quizzes_count: bool) -> bool:
    """The SCO's objective takes part in satisfaction: it holds a quiz that counts."""
    return sco.pass_percentage is not None and quizzes_count


def _completes(sco: Sco, lessons_count: bool, quizzes_count: bool) -> bool:
    """The SCO takes part in completion: a quiz (completed once attempted) or a page read to
    its end (lessons, assignments and forums count as lessons do) that counts."""
    return (sco.pass_percentage is not None and quizzes_count) or (
        bool(sco.pages) and lessons_count
    )


def _cluster_sequencing(parent: etree._Element, satisfies: bool, completes: bool) -> None:
    """A module's or the course's sequencing: choice and flow; failed as soon as any child
    that counts is failed (an explicit rule: the default waits for every child's status);
    satisfied, by the default rule, when every child that counts is satisfied."""
    seq = _sub(parent, IMSSS, "sequencing")
    _sub(seq, IMSSS, "controlMode", choice="true", flow="true")
    rollup = {}
    if not satisfies:
        rollup["rollupObjectiveSatisfied"] = "false"
    if not completes:
        rollup["rollupProgressCompletion"] = "false"
    rules = _sub(seq, IMSSS, "rollupRules", **rollup)
    if satisfies:
        rule = _sub(rules, IMSSS, "rollupRule", childActivitySet="any")
        conditions = _sub(rule, IMSSS, "rollupConditions")
        _sub(conditions, IMSSS, "rollupCondition", operator="not", condition="satisfied")
        _sub(rule, IMSSS, "rollupAction", action="notSatisfied")
    if not len(rules) and not rules.attrib:
        seq.remove(rules)


def _sco_sequencing(item: etree._Element, sco: Sco, lessons_count: bool, quizzes_count: bool):
    """Completion rolls up from the SCOs that count; satisfaction only from the quizzes. A SCO
    of one quiz is satisfied by its measure (the pass mark, cmi.scaled_passing_score); a SCO
    of a module with several quizzes reports its own success (each has its own pass mark)."""
    seq = _sub(item, IMSSS, "sequencing")
    rollup = {}
    if not _satisfies(sco, quizzes_count):
        rollup["rollupObjectiveSatisfied"] = "false"
    if not _completes(sco, lessons_count, quizzes_count):
        rollup["rollupProgressCompletion"] = "false"
    if rollup:
        _sub(seq, IMSSS, "rollupRules", **rollup)
    if sco.pass_percentage is not None:
        objectives = _sub(seq, IMSSS, "objectives")
        if len(sco.quizzes) == 1:
            primary = _sub(
                objectives, IMSSS, "primaryObjective", objectiveID=sco.ident,
                satisfiedByMeasure="true",
            )  # fmt: skip
            _sub(primary, IMSSS, "minNormalizedMeasure", f"{sco.pass_percentage / 100:g}")
        else:
            _sub(objectives, IMSSS, "primaryObjective", objectiveID=sco.ident)
    _sub(
        seq, IMSSS, "deliveryControls", completionSetByContent="true", objectiveSetByContent="true"
    )


def _lom2004(course: Course) -> etree._Element:
    lang = course.language
    lom = etree.Element(f"{{{LOM}}}lom", nsmap={None: LOM})
    general = _sub(lom, LOM, "general")
    _sub(_sub(general, LOM, "title"), LOM, "string", course.title, language=lang)
    _sub(general, LOM, "language", lang)
    if course.summary:
        _sub(
            _sub(general, LOM, "description"), LOM, "string", text_of(course.summary), language=lang
        )
    for keyword in course.keywords:
        _sub(_sub(general, LOM, "keyword"), LOM, "string", keyword, language=lang)
    lifecycle = _sub(lom, LOM, "lifeCycle")
    _sub(_sub(lifecycle, LOM, "version"), LOM, "string", course.version, language=lang)
    for author in course.authors:
        contribute = _sub(lifecycle, LOM, "contribute")
        role = _sub(contribute, LOM, "role")
        _sub(role, LOM, "source", "LOMv1.0")
        _sub(role, LOM, "value", "author")
        _sub(contribute, LOM, "entity", _vcard(author))
    meta = _sub(lom, LOM, "metaMetadata")
    _sub(meta, LOM, "metadataSchema", "LOMv1.0")
    _sub(meta, LOM, "language", lang)
    technical = _sub(lom, LOM, "technical")
    _sub(technical, LOM, "format", "text/html")
    if course.license:
        rights = _sub(lom, LOM, "rights")
        _sub(_sub(rights, LOM, "description"), LOM, "string", course.license, language=lang)
    return lom


def _vcard(name: str) -> str:
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return f"BEGIN:VCARD\nVERSION:2.1\nFN:{escaped}\nEND:VCARD"
