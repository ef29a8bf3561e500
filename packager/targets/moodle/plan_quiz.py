"""Planning a quiz: its category of questions, its slots (fixed or drawn at random from its
category), its intro and its grade. The writer is quiz.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model import Question, Quiz
from .plan import Area
from .plan_files import FileRegistry
from .plan_questions import BankBuilder, QuestionPlanner
from .qtypes import PAYLOADS


@dataclass(frozen=True)
class Slot:
    id: int  # the question instance's and its question reference's
    number: int
    page: int
    maxmark: float
    entry: int | None  # a fixed question's bank entry; None: drawn at random
    set_reference: int | None  # a drawn slot's question_set_reference


@dataclass(frozen=True)
class QuizPlan:
    quiz: Quiz
    bank_context: int  # where its questions are
    top_category: int  # the bank's top category
    category: int  # the quiz's own category, which drawn slots draw from
    slots: tuple[Slot, ...]
    section: int  # its one quiz_sections row
    intro: str  # as the backup stores it
    grade: float


def quiz_grade(quiz: Quiz) -> float:
    """The quiz's maximum grade: the points of its questions, or of the questions drawn."""
    graded = [q for q in quiz.questions if q.gradable and type(q) in PAYLOADS]
    if quiz.settings.draw and graded:
        return min(quiz.settings.draw, len(graded)) * graded[0].points
    return sum(q.points for q in graded)


Layout = tuple[float, int, int | None]  # maxmark, page, bank entry (None: drawn)


def make_slots(quiz: Quiz, questions: list[Question], entries: list[int]) -> list[Layout]:
    """One question a page; a description shares the page of the question after it."""
    slots: list[Layout] = []
    page = 1
    pairs = list(zip(questions, entries, strict=True))
    graded = [q for q in questions if q.gradable]
    if quiz.settings.draw and graded:
        slots += [(0.0, page, e) for q, e in pairs if not q.gradable]
        for _ in range(min(quiz.settings.draw, len(graded))):
            slots.append((graded[0].points, page, None))
            page += 1
        return slots
    for q, e in pairs:
        slots.append((q.points if q.gradable else 0.0, page, e))
        if q.gradable:
            page += 1
    return slots


def plan_quiz(
    quiz: Quiz,
    context: int,
    bank: BankBuilder,
    questions: QuestionPlanner,
    files: FileRegistry,
    next_id: Callable[[str], int],
) -> QuizPlan:
    """The quiz in activity ``context``; its questions go to a new category of ``bank``."""
    category = next_id("question_category")
    shuffle = quiz.settings.shuffle_answers
    writable = [q for q in quiz.questions if questions.can_write(q)]
    planned = [questions.plan(q, bank.context, category, shuffle) for q in writable]
    bank.add(category, quiz.title, quiz.id, planned)
    layout = make_slots(quiz, writable, [p.id for p in planned])
    intro = files.text(quiz.intro, Area(context, "mod_quiz", "intro"))
    slots = []
    for number, (maxmark, page, entry) in enumerate(layout, start=1):
        sid = next_id("slot")
        reference = next_id("set_reference") if entry is None else None
        slots.append(Slot(sid, number, page, maxmark, entry, reference))
    section = next_id("quiz_section")
    grade = quiz_grade(quiz)
    return QuizPlan(quiz, bank.context, bank.top, category, tuple(slots), section, intro, grade)
