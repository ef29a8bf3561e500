"""Moodle course backup (.mbz): one section per module, lessons as Pages, quizzes as Moodle
quizzes with their questions in the question bank, assignments (with a marking guide) and
forums, grades, activity and course completion; what is for trainers hidden from learners.

Options: ``moodle.version`` 4 (default: the Moodle 4.5 format) or 5 (the 5.x layout, questions
in a question-bank module); ``moodle.activities`` native (default) or scorm (one SCORM package
per module instead of pages and quizzes).

A backup is planned, then written: :func:`~.planner.make_plan` decides every id, file and text
into a frozen :class:`~.plan.Plan`; the writers in :data:`WRITERS` each turn the plan into some
of the archive's entries and change nothing, so the order they run in does not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ...diagnostics import Diagnostics
from ...i18n import strings
from ...model import Course
from ..base import BuildContext, Option, Target
from .activities import Entries, page_files, qbank_files
from .assign import assign_files
from .course import (
    completion_file,
    course_files,
    gradebook_file,
    moodle_backup_file,
    root_files,
    section_files,
)
from .files import blob_entries, files_file
from .forum import forum_files
from .plan import MOODLE_45, MOODLE_50, Activity, Generation, Page, Plan
from .plan_assign import AssignPlan
from .plan_forum import ForumPlan
from .plan_quiz import QuizPlan
from .plan_scorm import ScormPlan
from .planner import make_plan
from .questions import questions_file
from .quiz import quiz_files
from .scorm_activity import scorm_files

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
        "pages and quizzes (native) or one SCORM 1.2 activity per module for its lessons and "
        "quizzes (scorm)",
    ),
)


class MoodleBackup(Target):
    name = "moodle"
    description = (
        "Moodle course backup (.mbz): pages, quizzes, question bank, assignments, forums, "
        "grades, completion"
    )
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
    """Every file of the backup, by its path in the archive: planned, then written."""
    plan = make_plan(course, generation, mtime, scorm, strings(course.language), filename)
    for notice in plan.notices:
        notices.warning(notice.path, notice.line, notice.message)
    return write_entries(plan)


Writer = Callable[[Plan], Entries]


def activity_entries(plan: Plan, act: Activity) -> Entries:
    """One activity's folder."""
    if isinstance(act.content, Page):
        return page_files(plan, act, act.content)
    if isinstance(act.content, QuizPlan):
        return quiz_files(plan, act, act.content)
    if isinstance(act.content, AssignPlan):
        return assign_files(plan, act, act.content)
    if isinstance(act.content, ForumPlan):
        return forum_files(plan, act, act.content)
    if isinstance(act.content, ScormPlan):
        return scorm_files(plan, act, act.content)
    return qbank_files(plan, act)


def activities_files(plan: Plan) -> Entries:
    return {k: v for act in plan.activities for k, v in activity_entries(plan, act).items()}


WRITERS: tuple[Writer, ...] = (
    activities_files,
    section_files,
    course_files,
    root_files,
    questions_file,
    gradebook_file,
    completion_file,
    files_file,
    blob_entries,
    moodle_backup_file,
)
"""Every part of the archive; each reads the plan only, so their order does not matter."""


def write_entries(plan: Plan, writers: Iterable[Writer] = WRITERS) -> Entries:
    entries: Entries = {}
    for writer in writers:
        part = writer(plan)
        if clash := entries.keys() & part.keys():
            raise ValueError(f"{writer.__name__} writes {min(clash)} again")
        entries |= part
    return entries
