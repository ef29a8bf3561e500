"""Planning each activity once its course module is placed: a page's text, a quiz with its
questions, an assignment, a forum, a SCORM package, the 5.x question bank; their grade items,
completion, visibility and inforef.

What is for trainers is hidden from learners (teachers see hidden activities and sections), is
not graded and tracks no completion, so nothing a learner cannot see can hold them back.

Plan only; the writers are activities.py, quiz.py, assign.py, forum.py and scorm_activity.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model import AnyItem, Assignment, Course, Forum, Lesson, Module, Quiz
from ..html import esc
from .plan import (
    OWN_RULES,
    PASSED,
    UNTRACKED,
    VIEWED,
    Activity,
    Area,
    Completion,
    GradeItem,
    Inforef,
    Notice,
    Page,
    idnumber,
    without_h1,
)
from .plan_assign import AssignPlan, assign_grade, plan_assign
from .plan_files import FileRegistry
from .plan_forum import ForumPlan, plan_forum
from .plan_questions import Bank, BankBuilder, QuestionPlanner
from .plan_quiz import QuizPlan, plan_quiz, quiz_grade
from .plan_scorm import ScormPlan, plan_scorm, scorm_grade, scorm_pass


@dataclass(frozen=True)
class Place:
    """An activity's course module, numbered before any content is planned."""

    modname: str
    cmid: int
    instance: int
    context: int
    title: str
    section_id: int
    section_number: int
    item: AnyItem | None = None
    module: Module | None = None  # the course module a SCORM activity carries
    section_hidden: bool = False  # in a trainers' module's section

    @property
    def source(self) -> str:
        return self.item.id if self.item else self.module.id if self.module else ""

    @property
    def for_trainers(self) -> bool:
        return self.item is not None and self.item.for_trainers

    @property
    def grade(self) -> float:
        """The activity's maximum grade (0: not graded)."""
        if isinstance(self.item, Quiz):
            return quiz_grade(self.item)
        if isinstance(self.item, Assignment):
            return assign_grade(self.item)
        return scorm_grade(self.module) if self.module is not None else 0.0


class ActivityPlanner:
    """Plans activities in course order; collects the question banks and notices on the way.

    ``total`` is the course's maximum grade, which each grade item's weight is a share of;
    ``qbank`` the 5.x question-bank module all quizzes share (None: each quiz has its bank).
    """

    def __init__(
        self,
        course: Course,
        mtime: int,
        strings: dict[str, str],
        ids: Callable[[str], int],
        files: FileRegistry,
        grade_category: int,
        total: float,
        qbank: Place | None,
    ):
        self.course, self.mtime, self.strings = course, mtime, strings
        self.ids, self.files = ids, files
        self.grade_category, self.total = grade_category, total
        self.questions = QuestionPlanner(files, ids, strings)
        self.notices: list[Notice] = []  # besides the questions'
        self.shared = (
            BankBuilder(course, ids, qbank.context, qbank.cmid, "qbank") if qbank else None
        )
        self._banks = [self.shared] if self.shared else []

    @property
    def banks(self) -> tuple[Bank, ...]:
        """The banks so far, in questions.xml order."""
        return tuple(b.frozen() for b in self._banks)

    def plan(self, p: Place) -> Activity:
        if isinstance(p.item, Lesson):
            area = Area(p.context, "mod_page", "content")
            # the parts apart: the lesson's text as it stands is sanitized once for all targets
            content = "".join(
                self.files.text(part, area) for part in _page_html(p.item, self.strings)
            )
            page = Page(p.item, content)
            return self._activity(p, page, VIEWED)
        if isinstance(p.item, Quiz):
            return self._quiz(p, p.item)
        if isinstance(p.item, Assignment):
            return self._assign(p, p.item)
        if isinstance(p.item, Forum):
            forum = plan_forum(p.item, p.context, self.files)
            return self._activity(p, forum, OWN_RULES)
        if p.module is not None:
            sco = plan_scorm(self.course, p.module, p.context, self.files, self.ids, self.mtime)
            item = self._grade_item(p, sco.grade, scorm_pass(p.module, sco.grade), "scorm")
            return self._activity(p, sco, OWN_RULES, (item,))
        raise ValueError(f"{p.modname} {p.cmid} carries nothing")

    def qbank(self, p: Place) -> Activity:
        """The question-bank module, after every quiz: its inforef lists all its categories."""
        shared = self.shared.frozen().categories if self.shared else ()
        categories = tuple(c.id for c in shared)
        return self._activity(p, None, UNTRACKED, categories=categories, visible=False)

    def _quiz(self, p: Place, quiz: Quiz) -> Activity:
        bank = self.shared or BankBuilder(self.course, self.ids, p.context, p.cmid, quiz.id)
        if bank is not self.shared:
            self._banks.append(bank)
        plan = plan_quiz(quiz, p.context, bank, self.questions, self.files, self.ids)
        items = ()
        if plan.grade > 0:
            passing = plan.grade * quiz.settings.pass_percentage / 100
            items = (self._grade_item(p, plan.grade, passing),)
        return self._activity(p, plan, PASSED if items else VIEWED, items, plan.categories)

    def _assign(self, p: Place, task: Assignment) -> Activity:
        """Complete when the learner submits; graded by a trainer (with a marking guide when
        the assignment has criteria), passed at its pass points."""
        plan = plan_assign(task, p.context, self.files, self.ids, self.strings, self.notices)
        items = ()
        if plan.grade:
            items = (self._grade_item(p, plan.grade, plan.gradepass, "assign"),)
        return self._activity(p, plan, OWN_RULES, items)

    def _grade_item(
        self, p: Place, grade: float, passing: float, module: str = "quiz"
    ) -> GradeItem:
        weight = grade / self.total if self.total else 0.0
        gid, source = self.ids("grade_item"), idnumber(p.source)
        category = self.grade_category
        return GradeItem(
            gid,
            category,
            p.title,
            p.instance,
            grade,
            passing,
            weight,
            module=module,
            idnumber=source,
        )

    def _activity(
        self,
        p: Place,
        content: Page | QuizPlan | ScormPlan | AssignPlan | ForumPlan | None,
        completion: Completion,
        grade_items: tuple[GradeItem, ...] = (),
        categories: tuple[int, ...] = (),
        visible: bool = True,
    ) -> Activity:
        """The activity, once its content is planned: its inforef lists its files. One for
        trainers is hidden and tracks no completion; hidden with its section only, it shows
        again when a teacher shows the section (Moodle's visibleold)."""
        files = self.files.ids_in(p.context, f"mod_{p.modname}")
        if p.for_trainers:
            visible, completion = False, UNTRACKED
        return Activity(
            modname=p.modname,
            cmid=p.cmid,
            instance=p.instance,
            context=p.context,
            title=p.title,
            section_id=p.section_id,
            section_number=p.section_number,
            source=p.source,
            content=content,
            completion=completion,
            visible=visible,
            visibleold=visible or p.section_hidden,
            grade_items=grade_items,
            inforef=Inforef(files, tuple(g.id for g in grade_items), categories),
        )


def _page_html(lesson: Lesson, strings: dict[str, str]) -> tuple[str, str]:
    """A lesson as a Page: its objectives under a heading, then its text (Moodle shows the
    page's name as its title, so the text keeps no h1)."""
    html = ""
    if lesson.objectives:
        items = "".join(f"<li>{o}</li>" for o in lesson.objectives)
        html = f"<h2>{esc(strings['objectives'])}</h2>\n<ul>{items}</ul>\n"
    return html, without_h1(lesson.html)
