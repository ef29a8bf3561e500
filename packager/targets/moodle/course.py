"""Writing the course, its sections and the files at the root of a Moodle backup.

Write only: texts, ids, grades and completion criteria come from the plan (planner.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from .activities import Entries, filters_xml, grade_item_xml, inforef_xml, roles_xml
from .plan import COURSE_CONTEXT, COURSE_ID, CRITERIA_ACTIVITY, Plan
from .records import El, box, rec, render

AGGREGATION_ALL = 1


def _day(date: dt.date) -> int:
    return int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())


def course_files(plan: Plan) -> Entries:
    c = plan.course
    fields = {
        "shortname": c.short_name,
        "fullname": c.title[:254],
        "idnumber": "",
        "summary": plan.summary,
        "summaryformat": 1,
        "format": "topics",
        "showgrades": 1,
        "newsitems": 0,
        "startdate": _day(c.start_date),
        "enddate": 0,
        "marker": 0,
        "maxbytes": 0,
        "legacyfiles": 0,
        "showreports": 0,
        "visible": 1,
        "groupmode": 0,
        "groupmodeforce": 0,
        "defaultgroupingid": 0,
        "lang": c.language,
        "theme": "",
        "timecreated": plan.mtime,
        "timemodified": plan.mtime,
        "requested": 0,
        "showactivitydates": 0,
        "showcompletionconditions": 1,
        "pdfexportfont": None,
        "enablecompletion": 1,
        "completionnotify": 0,
    }
    if plan.generation.major >= 5:
        fields["enableaitools"] = None
    options = [
        rec("courseformatoption", {"format": "topics", "sectionid": 0, "name": n, "value": v})
        for n, v in (("hiddensections", 1), ("coursedisplay", 0))
    ]
    fields |= {
        "category": rec("category", {"name": "", "description": None}, id=1),
        "tags": [],
        "customfields": [],
        "courseformatoptions": options,
    }
    xml = {
        "course.xml": rec("course", fields, id=COURSE_ID, contextid=COURSE_CONTEXT),
        "roles.xml": roles_xml(),
        "inforef.xml": inforef_xml(plan.inforef),
        "filters.xml": filters_xml(),
        "completiondefaults.xml": box("course_completion_defaults"),
    }
    return {f"course/{name}": render(el) for name, el in xml.items()}


def section_files(plan: Plan) -> Entries:
    out: Entries = {}
    for s in plan.sections:
        fields = {
            "number": s.number,
            "name": s.name[:255] if s.name else None,
            "summary": s.summary,
            "summaryformat": 1,
            "sequence": ",".join(str(a.cmid) for a in s.activities),
            "visible": s.visible,
            "availabilityjson": None,
            "component": None,
            "itemid": None,
            "timemodified": plan.mtime,
        }
        out[f"{s.directory}/section.xml"] = render(rec("section", fields, id=s.id))
        out[f"{s.directory}/inforef.xml"] = render(inforef_xml(s.inforef))
    return out


def gradebook_xml(plan: Plan) -> El:
    category = plan.grade_category
    fields = {
        "parent": None,
        "depth": 1,
        "path": f"/{category}/",
        "fullname": "?",
        "aggregation": 13,  # natural: the sum of the quiz grades
        "keephigh": 0,
        "droplow": 0,
        "aggregateonlygraded": 1,
        "aggregateoutcomes": 0,
        "timecreated": plan.mtime,
        "timemodified": plan.mtime,
        "hidden": 0,
    }
    setting = rec("grade_setting", {"name": "minmaxtouse", "value": 1}, id="")
    return box(
        "gradebook",
        [
            box("attributes"),
            box("grade_categories", [rec("grade_category", fields, id=category)]),
            box("grade_items", [grade_item_xml(plan, plan.course_grade)]),
            box("grade_letters"),
            box("grade_settings", [setting]),
        ],
    )


def completion_xml(plan: Plan) -> El:
    """Course completion: every required activity complete (none: no criteria)."""
    children: list[El] = []
    for criterion in plan.criteria:
        fields = {
            "course": COURSE_ID,
            "criteriatype": CRITERIA_ACTIVITY,
            "module": criterion.modname,
            "moduleinstance": criterion.cmid,
            "courseinstanceshortname": None,
            "enrolperiod": None,
            "timeend": None,
            "gradepass": None,
            "role": None,
            "roleshortname": None,
            "course_completion_crit_completions": [],
        }
        children.append(rec("course_completion_criteria", fields, id=criterion.id))
    for aggregation in plan.aggregations:
        fields = {
            "course": COURSE_ID,
            "criteriatype": aggregation.criteriatype,
            "method": AGGREGATION_ALL,
            "value": None,
        }
        children.append(rec("course_completion_aggr_methd", fields, id=aggregation.id))
    return box("course_completion", children)


def gradebook_file(plan: Plan) -> Entries:
    return {"gradebook.xml": render(gradebook_xml(plan))}


def completion_file(plan: Plan) -> Entries:
    return {"completion.xml": render(completion_xml(plan))}


def root_files(plan: Plan) -> Entries:
    """The root files a course backup without users holds empty."""
    xml = {
        "groups.xml": box(
            "groups", [box("groupcustomfields"), box("groupings", [box("groupingcustomfields")])]
        ),
        "scales.xml": box("scales_definition"),
        "outcomes.xml": box("outcomes_definition"),
        "roles.xml": box("roles_definition"),
        "users.xml": box("users"),
        "badges.xml": box("badges"),
        "grade_history.xml": box("grade_history", [box("grade_grades")]),
    }
    return {name: render(el) for name, el in xml.items()}


ROOT_SETTINGS = (
    ("imscc11", 0),
    ("users", 0),
    ("anonymize", 0),
    ("role_assignments", 0),
    ("activities", 1),
    ("blocks", 0),
    ("files", 1),
    ("filters", 1),
    ("comments", 0),
    ("badges", 0),
    ("calendarevents", 0),
    ("userscompletion", 0),
    ("logs", 0),
    ("grade_histories", 0),
    ("questionbank", 1),
    ("groups", 0),
    ("competencies", 0),
    ("customfield", 0),
    ("contentbankcontent", 0),
    ("xapistate", 0),
    ("legacyfiles", 0),
)


def moodle_backup_file(plan: Plan) -> Entries:
    return {"moodle_backup.xml": moodle_backup_xml(plan)}


def moodle_backup_xml(plan: Plan) -> bytes:
    """The index Moodle reads first: what the backup holds and which restore options it offers."""
    c, g = plan.course, plan.generation
    ident = hashlib.md5(f"{c.id}\0{c.version}\0{g.release}".encode()).hexdigest()
    site = hashlib.md5(f"course-packager\0{c.id}".encode()).hexdigest()
    activities = [
        rec(
            "activity",
            {
                "moduleid": a.cmid,
                "sectionid": a.section_id,
                "modulename": a.modname,
                "title": a.title,
                "directory": a.directory,
                "insubsection": "",
            },
        )
        for a in plan.activities
    ]
    sections = [
        rec(
            "section",
            {
                "sectionid": s.id,
                "title": s.name or str(s.number),
                "directory": s.directory,
                "parentcmid": "",
                "modname": "",
            },
        )
        for s in plan.sections
    ]
    filename = plan.filename
    settings = [_setting("root", None, "filename", filename)]
    settings += [
        _setting("root", None, n, v) for n, v in ROOT_SETTINGS if n != "questionbank" or not g.qbank
    ]
    for s in plan.sections:
        settings += [_setting("section", s.key, f"{s.key}_{n}", v) for n, v in _INCLUDED]
        for a in s.activities:
            settings += [_setting("activity", a.key, f"{a.key}_{n}", v) for n, v in _INCLUDED]
    detail = rec(
        "detail",
        {
            "type": "course",
            "format": "moodle2",
            "interactive": 1,
            "mode": 10,
            "execution": 1,
            "executiontime": 0,
        },
        backup_id=ident,
    )
    info = {
        "name": filename,
        "moodle_version": g.version,
        "moodle_release": f"{g.release} (course packager)",
        "backup_version": g.version,
        "backup_release": g.release,
        "backup_date": plan.mtime,
        "mnet_remoteusers": 0,
        "include_files": 1,
        "include_file_references_to_external_content": 0,
        "original_wwwroot": "https://course-packager.invalid",
        "original_site_identifier_hash": site,
        "original_course_id": COURSE_ID,
        "original_course_format": "topics",
        "original_course_fullname": c.title,
        "original_course_shortname": c.short_name,
        "original_course_startdate": _day(c.start_date),
        "original_course_enddate": 0,
        "original_course_contextid": COURSE_CONTEXT,
        "original_system_contextid": 1,
        "details": [detail],
        "contents": [
            box("activities", activities),
            box("sections", sections),
            rec("course", {"courseid": COURSE_ID, "title": c.short_name, "directory": "course"}),
        ],
        "settings": settings,
    }
    return render(box("moodle_backup", [rec("information", info)]))


_INCLUDED = (("included", 1), ("userinfo", 0))


def _setting(level: str, owner: str | None, name: str, value: str | int) -> El:
    fields: dict[str, str | int] = {"level": level}
    if owner is not None:
        fields[level] = owner
    return rec("setting", {**fields, "name": name, "value": value})
