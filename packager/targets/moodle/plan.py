"""Which sections and activities a Moodle backup holds, and the ids that tie its files together.

Ids are numbered per table in the order the model is walked, so the same course always gives the
same ids; they only have to agree within one backup.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ...model import Course, Lesson, Module, Quiz


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


class Ids:
    """The next id of each table."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self._last[table] = self._last.get(table, 0) + 1
        return self._last[table]


@dataclass
class Inforef:
    """What a task's inforef.xml lists: restore skips files and categories it does not name."""

    files: list[int] = field(default_factory=list)
    grade_items: list[int] = field(default_factory=list)
    question_categories: list[int] = field(default_factory=list)


@dataclass
class Activity:
    modname: str  # page, quiz, qbank, scorm
    cmid: int
    instance: int
    context: int
    title: str
    section: Section
    item: Lesson | Quiz | None = None
    module: Module | None = None  # the course module a SCORM activity carries
    inforef: Inforef = field(default_factory=Inforef)

    @property
    def key(self) -> str:
        return f"{self.modname}_{self.cmid}"

    @property
    def idnumber(self) -> str:
        """The source id of what the activity carries: the same in every version of the course,
        so an administrator (and Moodle's gradebook) can match activities across updates."""
        source = self.item.id if self.item else self.module.id if self.module else ""
        return idnumber(source)

    @property
    def directory(self) -> str:
        return f"activities/{self.key}"


@dataclass
class Section:
    id: int
    number: int
    name: str | None  # None: Moodle's default name (section 0)
    summary: str  # HTML from the model
    activities: list[Activity] = field(default_factory=list)
    inforef: Inforef = field(default_factory=Inforef)

    @property
    def key(self) -> str:
        return f"section_{self.id}"

    @property
    def directory(self) -> str:
        return f"sections/{self.key}"


COURSE_ID = 2
COURSE_CONTEXT = 2  # context 1 is the system context


@dataclass
class Plan:
    course: Course
    generation: Generation
    mtime: int
    ids: Ids
    sections: list[Section]
    qbank: Activity | None
    inforef: Inforef = field(default_factory=Inforef)  # the course's

    @property
    def activities(self) -> list[Activity]:
        return [a for s in self.sections for a in s.activities]

    def stamp(self, *parts: str) -> str:
        """A stable, unique stamp for a question or category (Moodle matches them on restore)."""
        digest = hashlib.sha1("\0".join((self.course.id, *parts)).encode()).hexdigest()[:12]
        return f"course-packager+{self.course.short_name}+{digest}"[:255]


def make_plan(
    course: Course, generation: Generation, mtime: int, scorm: bool, bank_name: str
) -> Plan:
    """Section 0 for the course, one section per module; pages and quizzes, or one SCORM each."""
    ids = Ids()
    ids("context")  # the system context
    ids("context")  # the course context
    section0 = Section(ids("section"), 0, None, course.summary)
    sections = [section0]
    for number, module in enumerate(course.modules, start=1):
        section = Section(ids("section"), number, module.title, module.summary)
        sections.append(section)
        if scorm:
            section.activities.append(_activity(ids, "scorm", module.title, section, module=module))
            continue
        for item in module.items:
            kind = "quiz" if isinstance(item, Quiz) else "page"
            section.activities.append(_activity(ids, kind, item.title, section, item=item))
    qbank = None
    if generation.qbank and not scorm and course.quizzes:
        qbank = _activity(ids, "qbank", bank_name, section0)
        section0.activities.append(qbank)
    return Plan(course, generation, mtime, ids, sections, qbank)


def _activity(
    ids: Ids, modname: str, title: str, section: Section, **kw: Lesson | Quiz | Module
) -> Activity:
    return Activity(modname, ids("cm"), ids(modname), ids("context"), title, section, **kw)


def idnumber(source: str, limit: int = 100) -> str:
    """An id number Moodle can store (at most 100 characters); a longer id keeps a hash."""
    if len(source) <= limit:
        return source
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]
    return f"{source[: limit - 11]}~{digest}"
