"""Writing the files every activity folder holds, and the page and question-bank activities.

Write only: everything comes from the plan (plan.py); nothing here assigns an id.
"""

from __future__ import annotations

from collections.abc import Iterable

from .plan import Activity, GradeItem, Inforef, Page, Plan
from .records import El, box, dec, rec, render

Entries = dict[str, bytes]


def module_xml(plan: Plan, act: Activity) -> El:
    completion, visible = act.completion, act.visible
    fields = {
        "modulename": act.modname,
        "sectionid": act.section_id,
        "sectionnumber": act.section_number,
        "idnumber": act.idnumber,
        "added": plan.mtime,
        "score": 0,
        "indent": 0,
        "visible": visible,
        # hidden or not, an activity is listed on the course page (for those who may see it);
        # the question bank never is
        "visibleoncoursepage": act.modname != "qbank",
        "visibleold": act.visibleold,
        "groupmode": 0,
        "groupingid": 0,
        "completion": 2 if completion.tracked else 0,
        "completiongradeitemnumber": 0 if completion.passgrade else None,
        "completionpassgrade": completion.passgrade,
        "completionview": completion.view,
        "completionexpected": 0,
        "availability": None,
        "showdescription": 0,
        "downloadcontent": 1,
        "lang": None,
    }
    if plan.generation.major >= 5:
        fields |= {"enableaitools": None, "enabledaiactions": None}
    fields["tags"] = []
    return rec("module", fields, id=act.cmid, version=plan.generation.version)


def wrap(act: Activity, inner: El) -> El:
    """``<activity>`` around the module's own element; its contextid ties files and questions."""
    return box(
        "activity",
        [inner],
        id=act.instance,
        moduleid=act.cmid,
        modulename=act.modname,
        contextid=act.context,
    )


def inforef_xml(ref: Inforef) -> El:
    groups = [
        ("file", ref.files),
        ("grade_item", ref.grade_items),
        ("question_category", ref.question_categories),
    ]
    return box(
        "inforef",
        [box(f"{name}ref", [rec(name, {"id": i}) for i in ids]) for name, ids in groups if ids],
    )


def grade_item_xml(plan: Plan, item: GradeItem) -> El:
    fields = {
        "categoryid": item.category,
        "itemname": item.name,
        "itemtype": item.itemtype,
        "itemmodule": item.module,
        "iteminstance": item.instance,
        "itemnumber": 0 if item.itemtype == "mod" else None,
        "iteminfo": None,
        "idnumber": item.idnumber or None,
        "calculation": None,
        "gradetype": 1,
        "grademax": dec(item.grademax, 5),
        "grademin": dec(0, 5),
        "scaleid": None,
        "outcomeid": None,
        "gradepass": dec(item.gradepass, 5),
        "multfactor": dec(1, 5),
        "plusfactor": dec(0, 5),
        "aggregationcoef": dec(0, 5),
        "aggregationcoef2": dec(item.weight, 5),
        "weightoverride": 0,
        "sortorder": item.id,
        "display": 0,
        "decimals": None,
        "hidden": 0,
        "locked": 0,
        "locktime": 0,
        "needsupdate": 0,
        "timecreated": plan.mtime,
        "timemodified": plan.mtime,
        "grade_grades": [],
    }
    return rec("grade_item", fields, id=item.id)


def grades_xml(items: Iterable[El]) -> El:
    return box("activity_gradebook", [box("grade_items", list(items)), box("grade_letters")])


def activity_files(plan: Plan, act: Activity, inner: El, grading: El | None = None) -> Entries:
    """module.xml, <modname>.xml and the files Moodle writes for every activity (grading.xml
    only for modules with advanced grading: assignments and forums)."""
    files = {
        "module.xml": module_xml(plan, act),
        f"{act.modname}.xml": wrap(act, inner),
        "roles.xml": roles_xml(),
        "inforef.xml": inforef_xml(act.inforef),
        "filters.xml": filters_xml(),
        "grades.xml": grades_xml(grade_item_xml(plan, i) for i in act.grade_items),
        "grade_history.xml": box("grade_history", [box("grade_grades")]),
        "completion.xml": box("completions", [box("completionviews")]),
    }
    if grading is not None:
        files["grading.xml"] = grading
    return {f"{act.directory}/{name}": render(el) for name, el in files.items()}


def roles_xml() -> El:
    return box("roles", [box("role_overrides"), box("role_assignments")])


def filters_xml() -> El:
    return box("filters", [box("filter_actives"), box("filter_configs")])


def page_files(plan: Plan, act: Activity, page: Page) -> Entries:
    """A lesson as a Page (its text planned with its objectives and without an h1)."""
    inner = rec(
        "page",
        {
            "name": page.lesson.title,
            "intro": "",
            "introformat": 1,
            "content": page.content,
            "contentformat": 1,
            "legacyfiles": 0,
            "legacyfileslast": None,
            "display": 5,  # open in the course
            "displayoptions": 'a:2:{s:10:"printintro";i:0;s:17:"printlastmodified";i:1;}',
            "revision": 1,
            "timemodified": plan.mtime,
        },
        id=act.instance,
    )
    return activity_files(plan, act, inner)


def qbank_files(plan: Plan, act: Activity) -> Entries:
    """The 5.x question-bank module: hidden, never on the course page."""
    qbank = rec(
        "qbank",
        {
            "name": act.title,
            "timecreated": plan.mtime,
            "timemodified": plan.mtime,
            "intro": "",
            "introformat": 1,
            "type": "standard",
        },
        id=act.instance,
    )
    return activity_files(plan, act, qbank)
