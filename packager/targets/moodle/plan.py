"""The plan of a Moodle backup: what it holds and every id that ties its files together.

Plan, then write. :func:`~.planner.make_plan` walks the course model once and records everything
here, in frozen records of tuples: the ids of every table, the files with their content hashes
and areas, each HTML text as the backup stores it, inforefs, grade items and completion. The
writers (course.py, activities.py, quiz.py, questions.py, assign.py, forum.py,
scorm_activity.py, files.py) read a plan and return archive entries; they change nothing, so
they may run in any order.

Ids are numbered per table in the order the model is walked, so the same course always gives the
same ids; they only have to agree within one backup. The records of a quiz, its questions, an
assignment, a forum and a SCORM activity are in plan_quiz.py, plan_questions.py,
plan_assign.py, plan_forum.py and plan_scorm.py.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...model import Course, Lesson

if TYPE_CHECKING:
    from .plan_assign import AssignPlan
    from .plan_forum import ForumPlan
    from .plan_questions import Bank
    from .plan_quiz import QuizPlan
    from .plan_scorm import ScormPlan


@dataclass(frozen=True)
class Generation:
    """The Moodle release a backup is written for."""

    major: int
    version: int  # moodle_version and backup_version
    release: str  # backup_release: major.minor only

    @property
    def qbank(self) -> bool:
        """5.x keeps questions in question-bank modules, never in the course."""
        return self.major >= 5


MOODLE_45 = Generation(4, 2024100700, "4.5")
MOODLE_50 = Generation(5, 2025041400, "5.0")

COURSE_ID = 2
COURSE_CONTEXT = 2  # context 1 is the system context
CRITERIA_ACTIVITY = 4  # course completion criterion: an activity is complete


@dataclass(frozen=True)
class Area:
    """A file area: the context, component, area and item a file belongs to."""

    context: int
    component: str
    filearea: str
    itemid: int = 0


@dataclass(frozen=True)
class StoredFile:
    """A row of files.xml; its content is the blob with its SHA-1."""

    id: int
    sha1: str
    size: int
    area: Area
    filepath: str  # "/" or "/folder/"
    filename: str
    mime: str


@dataclass(frozen=True)
class Blob:
    """A file's content, stored once under ``files/`` however many areas use it."""

    sha1: str
    data: bytes


@dataclass(frozen=True)
class Inforef:
    """What a task's inforef.xml lists: restore skips files and categories it does not name."""

    files: tuple[int, ...] = ()
    grade_items: tuple[int, ...] = ()
    question_categories: tuple[int, ...] = ()


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


@dataclass(frozen=True)
class GradeItem:
    id: int
    category: int | None  # None: the course total, which has no category
    name: str | None
    instance: int  # the activity's instance, or the course total's grade category
    grademax: float
    gradepass: float
    weight: float  # the share of the course total
    itemtype: str = "mod"
    module: str | None = "quiz"
    idnumber: str | None = None


@dataclass(frozen=True)
class Notice:
    """A warning about what Moodle cannot keep, reported when the backup is planned."""

    path: str
    line: int
    message: str


@dataclass(frozen=True)
class Page:
    lesson: Lesson
    content: str  # the page's HTML as the backup stores it


@dataclass(frozen=True)
class Activity:
    modname: str  # page, quiz, assign, forum, qbank, scorm
    cmid: int
    instance: int
    context: int
    title: str
    section_id: int
    section_number: int
    source: str  # the model id of what it carries; "" for the question bank
    content: Page | QuizPlan | ScormPlan | AssignPlan | ForumPlan | None  # None: the qbank
    completion: Completion
    visible: bool  # False: hidden from learners (teachers see it)
    visibleold: bool  # hidden only with its section: shown again when the section is shown
    grade_items: tuple[GradeItem, ...]
    inforef: Inforef

    @property
    def key(self) -> str:
        return f"{self.modname}_{self.cmid}"

    @property
    def idnumber(self) -> str:
        """The source id of what the activity carries: the same in every version of the course,
        so an administrator (and Moodle's gradebook) can match activities across updates."""
        return idnumber(self.source)

    @property
    def directory(self) -> str:
        return f"activities/{self.key}"


@dataclass(frozen=True)
class Section:
    id: int
    number: int
    name: str | None  # None: Moodle's default name (section 0)
    summary: str  # as the backup stores it
    activities: tuple[Activity, ...]
    inforef: Inforef
    visible: bool = True  # False: a trainers' module, hidden from learners

    @property
    def key(self) -> str:
        return f"section_{self.id}"

    @property
    def directory(self) -> str:
        return f"sections/{self.key}"


@dataclass(frozen=True)
class Criterion:
    """A course completion criterion: the activity ``cmid`` is complete."""

    id: int
    modname: str
    cmid: int


@dataclass(frozen=True)
class Aggregation:
    """How course completion combines criteria (None: overall, else of one criteria type)."""

    id: int
    criteriatype: int | None


@dataclass(frozen=True)
class Plan:
    course: Course
    generation: Generation
    mtime: int
    filename: str  # the archive's name, as moodle_backup.xml gives it
    summary: str  # the course summary as the backup stores it
    inforef: Inforef  # the course's
    sections: tuple[Section, ...]
    banks: tuple[Bank, ...]  # in questions.xml order
    files: tuple[StoredFile, ...]  # by id
    blobs: tuple[Blob, ...]
    grade_category: int
    course_grade: GradeItem
    criteria: tuple[Criterion, ...]
    aggregations: tuple[Aggregation, ...]
    notices: tuple[Notice, ...]

    @property
    def activities(self) -> tuple[Activity, ...]:
        return tuple(a for s in self.sections for a in s.activities)

    def stamp(self, *parts: str) -> str:
        return stamp(self.course, *parts)


def stamp(course: Course, *parts: str) -> str:
    """A stable, unique stamp for a question or category (Moodle matches them on restore)."""
    digest = hashlib.sha1("\0".join((course.id, *parts)).encode()).hexdigest()[:12]
    return f"course-packager+{course.short_name}+{digest}"[:255]


def idnumber(source: str, limit: int = 100) -> str:
    """An id number Moodle can store (at most 100 characters); a longer id keeps a hash."""
    if len(source) <= limit:
        return source
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]
    return f"{source[: limit - 11]}~{digest}"


def without_h1(html: str) -> str:
    """A text under an activity's name, which Moodle shows as the page's title: h1 become h2."""
    return re.sub(r"<(/?)h1\b", r"<\1h2", html)
