"""A module as one SCORM 1.2 activity (``-O moodle.activities=scorm``).

The package comes from the SCORM target. The backup holds it twice, as Moodle's own backups do:
the zip (``mod_scorm/package``) and its files unpacked (``mod_scorm/content``), with the SCO rows
Moodle's SCORM 1.2 reader makes from the manifest, because restore reads neither the zip nor the
manifest again.
"""

from __future__ import annotations

import hashlib
import re
from xml.etree import ElementTree as ET

from ...archive import zip_bytes
from ...model import Module
from .. import scorm
from .activities import OWN_RULES, Entries, activity_files
from .files import Area, Files
from .plan import Activity, Plan
from .quiz import grade_item
from .records import El, rec

CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
GRADE_SCOES, GRADE_AVERAGE = 0, 2  # grade: completed SCOs, or the average score of the quizzes
STATUS_PASSED_OR_COMPLETED = 6  # completion: every SCO passed (quizzes) or completed (lessons)


def scorm_grade(module: Module) -> float:
    """The activity's maximum grade: a score out of 100, or the number of lessons."""
    return 100.0 if module.quizzes else float(len(module.items))


def scorm_files(
    plan: Plan, act: Activity, module: Module, files: Files, grade_category: int, weight: float
) -> Entries:
    package = scorm.package_entries(plan.course, "1.2", [module])
    data = zip_bytes(package, plan.mtime)
    reference = re.sub(r"[^\w.-]+", "-", module.id).strip("-") + ".zip"
    files.add_data(data, Area(act.context, "mod_scorm", "package", 0, act.inforef.files), reference)
    content = Area(act.context, "mod_scorm", "content", 0, act.inforef.files)
    for path in sorted(package):
        files.add_data(package[path], content, path)
    scoes, launch = _scoes(plan, ET.fromstring(package["imsmanifest.xml"]))
    grade = scorm_grade(module)
    passing = max((q.settings.pass_percentage for q in module.quizzes), default=0.0)
    intro = files.text(
        module.summary, Area(act.context, "mod_scorm", "intro", 0, act.inforef.files)
    )
    fields = {
        "name": module.title,
        "scormtype": "local",
        "reference": reference,
        "intro": intro,
        "introformat": 1,
        "version": "SCORM_1.2",
        "maxgrade": int(grade),
        "grademethod": GRADE_AVERAGE if module.quizzes else GRADE_SCOES,
        "whatgrade": 0,  # the highest attempt
        "maxattempt": 0,
        "forcecompleted": 0,
        "forcenewattempt": 0,
        "lastattemptlock": 0,
        "masteryoverride": 1,
        "displayattemptstatus": 1,
        "displaycoursestructure": 0,
        "updatefreq": 0,
        "sha1hash": hashlib.sha1(data).hexdigest(),
        "md5hash": "",
        "revision": 1,
        "launch": launch,
        "skipview": 0,
        "hidebrowse": 0,
        "hidetoc": 0,
        "nav": 1,
        "navpositionleft": -100,
        "navpositiontop": -100,
        "auto": 0,
        "popup": 0,
        "options": "",
        "width": 100,
        "height": 500,
        "timeopen": 0,
        "timeclose": 0,
        "timemodified": plan.mtime,
        "completionstatusrequired": STATUS_PASSED_OR_COMPLETED,
        "completionscorerequired": None,
        "completionstatusallscos": 1,
        "autocommit": 0,
        "scoes": scoes,
    }
    gid = plan.ids("grade_item")
    act.inforef.grade_items.append(gid)
    item = grade_item(
        plan,
        gid,
        grade_category,
        module.title,
        act.instance,
        grade,
        grade * passing / 100,
        weight,
        module="scorm",
        idnumber=act.idnumber,
    )
    inner = rec("scorm", fields, id=act.instance)
    return activity_files(plan, act, inner, OWN_RULES, [item])


def _scoes(plan: Plan, manifest: ET.Element) -> tuple[list[El], int]:
    """The scorm_scoes rows of the manifest's organizations and items, in document order."""
    ident = manifest.get("identifier", "")
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    rows: list[El] = []
    launch = 0

    def row(el: ET.Element, organization: str, parent: str) -> None:
        nonlocal launch
        sid = plan.ids("sco")
        resource = resources.get(el.get("identifierref"))
        href = resource.get("href", "") if resource is not None else ""
        if el.tag == f"{CP}item" and href:
            href += el.get("parameters", "")
        kind = "" if el.tag == f"{CP}organization" else "asset"
        if resource is not None:
            kind = resource.get(f"{ADLCP}scormtype", "asset")
        if href and kind == "sco" and not launch:
            launch = sid
        datas: list[El] = []
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
            datas = [
                rec("sco_data", {"name": n, "value": v}, id=plan.ids("sco_data")) for n, v in values
            ]
        fields = {
            "manifest": ident,
            "organization": organization,
            "parent": parent,
            "identifier": el.get("identifier", ""),
            "launch": href,
            "scormtype": kind,
            "title": el.findtext(f"{CP}title", ""),
            "sortorder": len(rows) + 1,
            "sco_datas": datas,
            "seq_ruleconds": [],
            "seq_rolluprules": [],
            "seq_objectives": [],
            "sco_tracks": [],
        }
        rows.append(rec("sco", fields, id=sid))
        for child in el.iterfind(f"{CP}item"):
            row(child, organization or el.get("identifier", ""), el.get("identifier", ""))

    for org in manifest.iterfind(f"{CP}organizations/{CP}organization"):
        row(org, "", "/")
    return rows, launch
