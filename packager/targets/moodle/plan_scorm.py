"""Planning a module as one SCORM 1.2 activity (``-O moodle.activities=scorm``); the writer is
scorm_activity.py.

The package comes from the SCORM target. The backup holds it twice, as Moodle's own backups do:
the zip (``mod_scorm/package``) and its files unpacked (``mod_scorm/content``), with the SCO rows
Moodle's SCORM 1.2 reader makes from the manifest, because restore reads neither the zip nor the
manifest again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ...archive import zip_bytes
from ...model import Course, Module
from .. import scorm
from .plan import Area
from .plan_files import FileRegistry

CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"


@dataclass(frozen=True)
class ScoData:
    id: int
    name: str
    value: str


@dataclass(frozen=True)
class Sco:
    """A scorm_scoes row: an organization or an item of the manifest."""

    id: int
    manifest: str
    organization: str
    parent: str
    identifier: str
    launch: str
    scormtype: str
    title: str
    sortorder: int
    data: tuple[ScoData, ...]


@dataclass(frozen=True)
class ScormPlan:
    module: Module
    reference: str  # the zip's file name
    sha1: str  # the zip's
    scoes: tuple[Sco, ...]  # in document order
    launch: int  # the first SCO with something to launch
    intro: str  # as the backup stores it
    grade: float


def scorm_grade(module: Module) -> float:
    """The activity's maximum grade: a score out of 100, or the number of lessons."""
    return 100.0 if module.quizzes else float(len(module.items))


def scorm_pass(module: Module, grade: float) -> float:
    """The pass grade: the strictest of the module's quizzes."""
    passing = max((q.settings.pass_percentage for q in module.quizzes), default=0.0)
    return grade * passing / 100


def plan_scorm(
    course: Course,
    module: Module,
    context: int,
    files: FileRegistry,
    next_id: Callable[[str], int],
    mtime: int,
) -> ScormPlan:
    package = scorm.package_entries(course, "1.2", [module])
    data = zip_bytes(package, mtime)
    reference = re.sub(r"[^\w.-]+", "-", module.id).strip("-") + ".zip"
    files.data(data, Area(context, "mod_scorm", "package"), reference)
    content = Area(context, "mod_scorm", "content")
    for path in sorted(package):
        files.data(package[path], content, path)
    scoes, launch = _scoes(next_id, ET.fromstring(package["imsmanifest.xml"]))
    intro = files.text(module.summary, Area(context, "mod_scorm", "intro"))
    sha1 = hashlib.sha1(data).hexdigest()
    return ScormPlan(module, reference, sha1, scoes, launch, intro, scorm_grade(module))


def _scoes(next_id: Callable[[str], int], manifest: ET.Element) -> tuple[tuple[Sco, ...], int]:
    """The rows of the manifest's organizations and items, in document order, and the launch."""
    ident = manifest.get("identifier", "")
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    rows: list[Sco] = []
    launch = 0

    def row(el: ET.Element, organization: str, parent: str) -> None:
        nonlocal launch
        sid = next_id("sco")
        resource = resources.get(el.get("identifierref"))
        href = resource.get("href", "") if resource is not None else ""
        if el.tag == f"{CP}item" and href:
            href += el.get("parameters", "")
        kind = "" if el.tag == f"{CP}organization" else "asset"
        if resource is not None:
            kind = resource.get(f"{ADLCP}scormtype", "asset")
        if href and kind == "sco" and not launch:
            launch = sid
        data: tuple[ScoData, ...] = ()
        if el.tag == f"{CP}item":
            values = [
                ("isvisible", el.get("isvisible", "true")),
                ("parameters", el.get("parameters", "")),
            ]
            values += [
                (c.tag.removeprefix(ADLCP), (c.text or "").strip())
                for c in el
                if c.tag.startswith(ADLCP)
            ]
            data = tuple(ScoData(next_id("sco_data"), n, v) for n, v in values)
        identifier, title = el.get("identifier", ""), el.findtext(f"{CP}title", "")
        sortorder = len(rows) + 1
        rows.append(
            Sco(sid, ident, organization, parent, identifier, href, kind, title, sortorder, data)
        )
        for child in el.iterfind(f"{CP}item"):
            row(child, organization or identifier, identifier)

    for org in manifest.iterfind(f"{CP}organizations/{CP}organization"):
        row(org, "", "/")
    return tuple(rows), launch
