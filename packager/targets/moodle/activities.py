"""The files every activity folder holds, and the page and question-bank activities."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...i18n import strings
from ...model import Lesson
from ..html import esc
from .files import Area, Files
from .plan import Activity, Inforef, Plan
from .records import El, box, rec, render

Entries = dict[str, bytes]


@dataclass(frozen=True)
class Completion:
    """A course module's completion rule."""

    view: bool = False  # complete when viewed
    passgrade: bool = False  # complete when the grade reaches the pass grade
    own: bool = False  # the module's own rules (in its <modname>.xml)

    @property
    def tracked(self) -> bool:
        return self.view or self.passgrade or self.own


VIEWED = Completion(view=True)
PASSED = Completion(passgrade=True)
OWN_RULES = Completion(own=True)
UNTRACKED = Completion()


def module_xml(plan: Plan, act: Activity, completion: Completion, visible: bool = True) -> El:
    fields = {
        "modulename": act.modname,
        "sectionid": act.section.id,
        "sectionnumber": act.section.number,
        "idnumber": act.idnumber,
        "added": plan.mtime,
        "score": 0,
        "indent": 0,
        "visible": visible,
        "visibleoncoursepage": visible,
        "visibleold": visible,
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


def grades_xml(items: list[El]) -> El:
    return box("activity_gradebook", [box("grade_items", items), box("grade_letters")])


def activity_files(
    plan: Plan,
    act: Activity,
    inner: El,
    completion: Completion,
    grade_items: list[El] = (),
    visible: bool = True,
) -> Entries:
    """module.xml, <modname>.xml and the files Moodle writes for every activity."""
    files = {
        "module.xml": module_xml(plan, act, completion, visible),
        f"{act.modname}.xml": wrap(act, inner),
        "roles.xml": roles_xml(),
        "inforef.xml": inforef_xml(act.inforef),
        "filters.xml": filters_xml(),
        "grades.xml": grades_xml(list(grade_items)),
        "grade_history.xml": box("grade_history", [box("grade_grades")]),
        "completion.xml": box("completions", [box("completionviews")]),
    }
    return {f"{act.directory}/{name}": render(el) for name, el in files.items()}


def roles_xml() -> El:
    return box("roles", [box("role_overrides"), box("role_assignments")])


def filters_xml() -> El:
    return box("filters", [box("filter_actives"), box("filter_configs")])


def page_files(plan: Plan, act: Activity, lesson: Lesson, files: Files) -> Entries:
    """A lesson as a Page: its objectives under a heading, then its text (Moodle shows the
    page's name as its title, so the text keeps no h1)."""
    s = strings(plan.course.language)
    area = Area(act.context, "mod_page", "content", 0, act.inforef.files)
    html = ""
    if lesson.objectives:
        items = "".join(f"<li>{o}</li>" for o in lesson.objectives)
        html = f"<h2>{esc(s['objectives'])}</h2>\n<ul>{items}</ul>\n"
    page = rec(
        "page",
        {
            "name": lesson.title,
            "intro": "",
            "introformat": 1,
            "content": files.text(html + re.sub(r"<(/?)h1\b", r"<\1h2", lesson.html), area),
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
    return activity_files(plan, act, page, VIEWED)


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
    return activity_files(plan, act, qbank, UNTRACKED, visible=False)
