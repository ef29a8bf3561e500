"""Moodle course backup (.mbz): one section per module, lessons as Pages, quizzes as Moodle
quizzes with their questions in the question bank, grades, activity and course completion.

Options: ``moodle.version`` 4 (default: the Moodle 4.5 format) or 5 (the 5.x layout, questions
in a question-bank module); ``moodle.activities`` native (default) or scorm (one SCORM package
per module instead of pages and quizzes).
"""

from __future__ import annotations

from ...diagnostics import Diagnostics
from ...i18n import strings
from ...model import Course, Lesson, Quiz
from ..base import BuildContext, Option, Target
from .activities import page_files, qbank_files
from .course import (
    completion_xml,
    course_files,
    gradebook_xml,
    moodle_backup_xml,
    root_files,
    section_files,
)
from .files import Files
from .plan import MOODLE_45, MOODLE_50, Activity, Generation, make_plan
from .questions import Bank, QuestionWriter, add_category, new_bank, questions_xml
from .quiz import course_grade_item, quiz_files, quiz_grade
from .scorm_activity import scorm_files, scorm_grade

VERSIONS = {"4": MOODLE_45, "4.5": MOODLE_45, "5": MOODLE_50, "5.0": MOODLE_50, "5.1": MOODLE_50}
ACTIVITIES = ("native", "scorm")
OPTIONS = (
    Option(
        "moodle.version",
        tuple(VERSIONS),
        "4",
        "the Moodle 4.5 layout (4, which 5.x also restores) or the 5.x layout (5)",
    ),
    Option(
        "moodle.activities",
        ACTIVITIES,
        "native",
        "pages and quizzes (native) or one SCORM 1.2 activity per module (scorm)",
    ),
)


class MoodleBackup(Target):
    name = "moodle"
    description = "Moodle course backup (.mbz): pages, quizzes, question bank, grades, completion"
    options = OPTIONS

    def build(self, ctx: BuildContext) -> list[str]:
        generation, scorm = read_options(ctx.options)
        name = ctx.package_name("", "mbz")
        entries = backup_entries(ctx.course, generation, scorm, ctx.mtime, ctx.notices, name)
        return [ctx.out.write_zip(name, entries, ctx.mtime)]


def read_options(options: dict[str, str]) -> tuple[Generation, bool]:
    """The Moodle generation and whether modules become SCORM activities (values checked by
    :func:`packager.targets.option_problems` before the build)."""
    version = options.get("moodle.version", "4")
    return VERSIONS[version], options.get("moodle.activities", "native") == "scorm"


def backup_entries(
    course: Course,
    generation: Generation,
    scorm: bool,
    mtime: int,
    notices: Diagnostics,
    filename: str,
) -> dict[str, bytes]:
    """Every file of the backup, by its path in the archive."""
    s = strings(course.language)
    plan = make_plan(course, generation, mtime, scorm, s["question_bank"])
    files = Files(plan)
    for act in plan.activities:  # links to a lesson or quiz go to the activity that holds it
        items = [act.item] if act.item else act.module.items if act.module else []
        for item in items:
            files.link(item.id, act.modname, act.cmid)
    writer = QuestionWriter(plan, files, notices, s)
    grade_category, course_item = plan.ids("grade_category"), plan.ids("grade_item")
    grades = {a.cmid: _grade(a) for a in plan.activities}
    total = sum(grades.values())
    shared = new_bank(plan, plan.qbank.context, plan.qbank.cmid, "qbank") if plan.qbank else None
    banks: list[Bank] = [shared] if shared else []
    entries: dict[str, bytes] = {}
    for act in plan.activities:
        weight = grades[act.cmid] / total if total else 0.0
        if isinstance(act.item, Lesson):
            entries |= page_files(plan, act, act.item, files)
        elif isinstance(act.item, Quiz):
            bank = shared or new_bank(plan, act.context, act.cmid, act.item.id)
            if bank is not shared:
                banks.append(bank)
            category = add_category(plan, bank, act.title, act.item.id)
            entries |= quiz_files(
                plan, act, act.item, files, writer, bank, category, grade_category, weight
            )
        elif act.module is not None:
            entries |= scorm_files(plan, act, act.module, files, grade_category, weight)
    if plan.qbank is not None and shared is not None:
        plan.qbank.inforef.question_categories = [c.id for c in shared.categories]
        entries |= qbank_files(plan, plan.qbank)
    entries |= section_files(plan, files)
    entries |= course_files(plan, files)
    item = course_grade_item(plan, course_item, grade_category, total)
    entries |= root_files(
        plan,
        gradebook_xml(plan, grade_category, item),
        completion_xml(plan, _required(course, plan.activities)),
        questions_xml(banks),
        files.xml(),
    )
    entries |= files.entries()
    entries["moodle_backup.xml"] = moodle_backup_xml(plan, filename)
    return entries


def _grade(act: Activity) -> float:
    if isinstance(act.item, Quiz):
        return quiz_grade(act.item)
    return scorm_grade(act.module) if act.module is not None else 0.0


def _required(course: Course, activities: list[Activity]) -> list[Activity]:
    """The activities course completion waits for, as the course file asks."""
    need = course.completion
    wanted = {
        "page": need.lessons_required,
        "quiz": need.quizzes_required,
        "scorm": need.lessons_required or need.quizzes_required,
    }
    return [a for a in activities if wanted.get(a.modname)]
