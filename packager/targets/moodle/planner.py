"""Plan a Moodle backup: walk the course model once, in a fixed order, and decide every id, file
and text (the records are in plan.py). The writers only read the result.

The walk: contexts, sections and course modules first (so every link to an activity is known),
then the activities in course order (plan_activities.py), the 5.x question bank, the section
and course summaries, and course completion.

A module for trainers is a hidden section (teachers see it, learners do not); an item for
trainers in a learners' module is a hidden activity. Course completion waits only for what
learners see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ...model import AnyItem, Assignment, Course, Forum, Lesson, Module, Quiz
from .plan import (
    COURSE_CONTEXT,
    CRITERIA_ACTIVITY,
    Activity,
    Aggregation,
    Area,
    Criterion,
    Generation,
    GradeItem,
    Inforef,
    Plan,
    Section,
)
from .plan_activities import ActivityPlanner, Place
from .plan_files import FileRegistry


class Ids:
    """The next id of each table."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self._last[table] = self._last.get(table, 0) + 1
        return self._last[table]


@dataclass(frozen=True)
class _Layout:
    """Sections and course modules, numbered before anything else."""

    section0: int
    modules: tuple[tuple[int, int, Module, tuple[Place, ...]], ...]  # id, number, its places
    qbank: Place | None

    @property
    def places(self) -> tuple[Place, ...]:
        """In course order (the question bank is in section 0)."""
        first = (self.qbank,) if self.qbank else ()
        return first + tuple(p for *_, places in self.modules for p in places)


def make_plan(
    course: Course,
    generation: Generation,
    mtime: int,
    scorm: bool,
    strings: dict[str, str],
    filename: str,
) -> Plan:
    """Section 0 for the course, one section per module; pages and quizzes, or one SCORM each."""
    ids = Ids()
    ids("context")  # the system context
    ids("context")  # the course context
    layout = _layout(course, generation, scorm, ids, strings["question_bank"])
    files = FileRegistry(course, lambda: ids("file"), _links(layout.places))
    grade_category, course_item = ids("grade_category"), ids("grade_item")
    total = sum(p.grade for p in layout.places)
    planner = ActivityPlanner(
        course, mtime, strings, ids, files, grade_category, total, layout.qbank
    )
    activities = {p.cmid: planner.plan(p) for p in layout.places if p is not layout.qbank}
    if layout.qbank is not None:
        activities[layout.qbank.cmid] = planner.qbank(layout.qbank)

    rows = [
        (layout.section0, 0, None, course.summary, (layout.qbank,) if layout.qbank else (), True)
    ]
    rows += [
        (sid, n, m.title, m.summary, places, not m.for_trainers)
        for sid, n, m, places in layout.modules
    ]
    sections = tuple(
        _section(sid, n, name, html, tuple(activities[p.cmid] for p in places), files, shown)
        for sid, n, name, html, places, shown in rows
    )
    summary = files.text(course.summary, Area(COURSE_CONTEXT, "course", "summary"))
    required = _required(course, [a for s in sections for a in s.activities])
    criteria = tuple(Criterion(ids("criteria"), a.modname, a.cmid) for a in required)
    aggregations: tuple[Aggregation, ...] = ()
    if required:
        aggregations = tuple(Aggregation(ids("aggr"), t) for t in (None, CRITERIA_ACTIVITY))
    stored, blobs = files.frozen()
    return Plan(
        course=course,
        generation=generation,
        mtime=mtime,
        filename=filename,
        summary=summary,
        inforef=Inforef(files.ids_in(COURSE_CONTEXT, "course", "summary")),
        sections=sections,
        banks=planner.banks,
        files=stored,
        blobs=blobs,
        grade_category=grade_category,
        course_grade=GradeItem(
            course_item, None, None, grade_category, total, 0.0, 0.0, "course", module=None
        ),
        criteria=criteria,
        aggregations=aggregations,
        notices=(*planner.questions.notices, *planner.notices),
    )


MODNAMES: dict[type, str] = {Lesson: "page", Quiz: "quiz", Assignment: "assign", Forum: "forum"}


def _layout(
    course: Course, generation: Generation, scorm: bool, ids: Ids, bank_name: str
) -> _Layout:
    section0 = ids("section")
    modules = []
    for number, module in enumerate(course.modules, start=1):
        sid = ids("section")
        hidden = module.for_trainers
        items: list[AnyItem] = list(module.items)
        places: list[Place] = []
        if scorm and not hidden:
            # One SCORM activity for what learners read and answer; what Moodle does better
            # itself (handing in work, discussing) and what is for trainers stay activities.
            sco = [i for i in items if isinstance(i, Lesson | Quiz) and not i.for_trainers]
            if sco:
                carried = replace(module, items=sco)
                places.append(_place(ids, "scorm", module.title, sid, number, module=carried))
            items = [i for i in items if not any(i is c for c in sco)]
        places += [
            _place(ids, MODNAMES[type(i)], i.title, sid, number, item=i, section_hidden=hidden)
            for i in items
        ]
        modules.append((sid, number, module, tuple(places)))
    qbank = None
    if generation.qbank and any(p.modname == "quiz" for *_, places in modules for p in places):
        qbank = _place(ids, "qbank", bank_name, section0, 0)
    return _Layout(section0, tuple(modules), qbank)


def _place(
    ids: Ids,
    modname: str,
    title: str,
    section: int,
    number: int,
    item: AnyItem | None = None,
    module: Module | None = None,
    section_hidden: bool = False,
) -> Place:
    cmid, instance, context = ids("cm"), ids(modname), ids("context")
    return Place(
        modname, cmid, instance, context, title, section, number, item, module, section_hidden
    )


def _links(places: tuple[Place, ...]) -> dict[str, str]:
    """Links to a lesson or quiz go to the activity that holds it."""
    links = {}
    for p in places:
        items = [p.item] if p.item else p.module.items if p.module else []
        for item in items:
            links[item.id] = f"$@{p.modname.upper()}VIEWBYID*{p.cmid}@$"
    return links


def _section(
    sid: int,
    number: int,
    name: str | None,
    html: str,
    activities: tuple[Activity, ...],
    files: FileRegistry,
    visible: bool,
) -> Section:
    summary = files.text(html, Area(COURSE_CONTEXT, "course", "section", sid))
    inforef = Inforef(files.ids_in(COURSE_CONTEXT, "course", "section", sid))
    return Section(sid, number, name, summary, activities, inforef, visible)


def _required(course: Course, activities: list[Activity]) -> list[Activity]:
    """The activities course completion waits for, as the course file asks: the pages and
    quizzes (or SCORM activities), the assignments and the forums. Never a hidden one."""
    need = course.completion
    wanted = {
        "page": need.lessons_required,
        "quiz": need.quizzes_required,
        "scorm": need.lessons_required or need.quizzes_required,
        "assign": need.assignments_required,
        "forum": need.forums_required,
    }
    return [a for a in activities if wanted.get(a.modname) and a.visible and a.completion.tracked]
