"""imsmanifest.xml of a Common Cartridge 1.1, valid against the CC 1.1 profile schemas.

Moodle recognises a cartridge by the default namespace declaration in the first 1024 bytes of
the manifest, so that declaration opens the manifest's start tag.

What is for trainers only is a resource whose metadata names the Instructor as its intended end
user (the CC resource profile of LOM); Moodle's CC 1.1 importer makes such an activity hidden
from students.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ...markup import text_of
from ...model import Course
from ...names import xml_text
from .layout import GENERAL, ROOT, THEME_RES, Layout

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOMR = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROFILE = "http://www.imsglobal.org/profile/cc/ccv1p1"
SCHEMA_LOCATION = (
    f"{CP} {PROFILE}/ccv1p1_imscp_v1p2_v1p0.xsd {LOM} {PROFILE}/LOM/ccv1p1_lommanifest_v1p0.xsd "
    f"{LOMR} {PROFILE}/LOM/ccv1p1_lomresource_v1p0.xsd"
)

WEBCONTENT = "webcontent"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
TOPIC = "imsdt_xmlv1p1"
ROLES = "IMSGLC_CC_Rolesv1p1"
INSTRUCTOR = "Instructor"


@dataclass
class Resource:
    ident: str
    type: str
    files: list[str]
    href: str | None = None
    depends: list[str] = field(default_factory=list)
    instructor: bool = False  # for trainers only: hidden from learners


@dataclass
class Entry:
    """An item of the organization: a module (with children) or one of its items."""

    ident: str
    title: str
    resource: str | None = None
    children: list[Entry] = field(default_factory=list)


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrs: str):
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def write(
    course: Course, lay: Layout, tree: list[Entry], resources: list[Resource], general: bool
) -> bytes:
    root = etree.Element(
        f"{{{CP}}}manifest",
        nsmap={None: CP, "lomimscc": LOM, "lom": LOMR, "xsi": XSI},
        identifier=lay.ident("manifest", course.short_name),
    )
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    metadata = _sub(root, CP, "metadata")
    _sub(metadata, CP, "schema", "IMS Common Cartridge")
    _sub(metadata, CP, "schemaversion", "1.1.0")
    metadata.append(_lom(course))
    org = _sub(
        _sub(root, CP, "organizations"),
        CP,
        "organization",
        identifier=lay.ident("org", course.short_name),
        structure="rooted-hierarchy",
    )
    _sub(org, CP, "title", course.title)
    top = _sub(org, CP, "item", identifier=ROOT)
    if general:
        # Moodle makes the first top-level item its "General" section: keep it empty, so each
        # module gets a section of its own.
        _sub(_sub(top, CP, "item", identifier=GENERAL), CP, "title", course.title)
    for entry in tree:
        _item(top, entry)
    res_el = _sub(root, CP, "resources")
    for res in resources:
        attrs = {"identifier": res.ident, "type": res.type}
        if res.href is not None:
            attrs["href"] = res.href
        el = _sub(res_el, CP, "resource", **attrs)
        if res.instructor:
            _instructor_only(el)
        for href in dict.fromkeys(res.files):
            _sub(el, CP, "file", href=href)
        for dep in res.depends:
            _sub(el, CP, "dependency", identifierref=dep)
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _item(parent: etree._Element, entry: Entry) -> None:
    attrs = {"identifier": entry.ident}
    if entry.resource is not None:
        attrs["identifierref"] = entry.resource
    el = _sub(parent, CP, "item", **attrs)
    _sub(el, CP, "title", entry.title)
    for child in entry.children:
        _item(el, child)


def _instructor_only(resource: etree._Element) -> None:
    """Resource metadata naming the Instructor as the intended end user."""
    lom = _sub(_sub(resource, CP, "metadata"), LOMR, "lom")
    role = _sub(_sub(lom, LOMR, "educational"), LOMR, "intendedEndUserRole")
    _sub(role, LOMR, "source", ROLES)
    _sub(role, LOMR, "value", INSTRUCTOR)


def theme_resource(files: list[str]) -> Resource:
    return Resource(THEME_RES, WEBCONTENT, files)


def _lom(course: Course) -> etree._Element:
    """The course's metadata as the CC 1.1 manifest profile of IEEE LOM allows it."""
    lang = course.language
    lom = etree.Element(f"{{{LOM}}}lom")

    def langstring(parent: etree._Element, tag: str, text: str) -> None:
        _sub(_sub(parent, LOM, tag), LOM, "string", text, language=lang)

    general = _sub(lom, LOM, "general")
    langstring(general, "title", course.title)
    _sub(general, LOM, "language", lang)
    if course.summary:
        langstring(general, "description", text_of(course.summary))
    for keyword in course.keywords:
        langstring(general, "keyword", keyword)
    if course.authors:
        lifecycle = _sub(lom, LOM, "lifeCycle")
        for author in course.authors:
            contribute = _sub(lifecycle, LOM, "contribute")
            _sub(_sub(contribute, LOM, "role"), LOM, "value", "author")
            _sub(contribute, LOM, "entity", vcard(author))
    if course.license:
        rights = _sub(lom, LOM, "rights")
        _sub(_sub(rights, LOM, "copyrightAndOtherRestrictions"), LOM, "value", "yes")
        langstring(rights, "description", course.license)
    return lom


def vcard(name: str) -> str:
    """A vCard naming an author (LOM's form for a contributor)."""
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return f"BEGIN:VCARD\nVERSION:2.1\nFN:{escaped}\nEND:VCARD"
