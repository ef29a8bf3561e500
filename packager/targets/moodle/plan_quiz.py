"""Planning a quiz: its category of questions, its slots (fixed, drawn at random from its
category, or drawn so many from each pool, one category under the quiz's for each pool), its
intro and its grade. The writer is quiz.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model import Pool, Question, Quiz
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
    category: int | None = None  # the category a drawn slot draws from


@dataclass(frozen=True)
class PoolPlan:
    """A pool of a stratified draw: its category and how many of its questions an attempt
    draws, each worth ``points``."""

    tag: str
    category: int
    count: int
    points: float


@dataclass(frozen=True)
class QuizPlan:
    quiz: Quiz
    bank_context: int  # where its questions are
    top_category: int  # the bank's top category
    category: int  # the quiz's own category, which drawn slots draw from
    pools: tuple[PoolPlan, ...]  # the categories under it of a stratified draw
    slots: tuple[Slot, ...]
    section: int  # its one quiz_sections row
    intro: str  # as the backup stores it
    grade: float  # the maximum grade; 0: not graded (a trainers' quiz)
    sumgrades: float  # the marks of the slots

    @property
    def categories(self) -> tuple[int, ...]:
        """Every category the quiz uses, parents first (its inforef lists them)."""
        return (self.top_category, self.category, *(p.category for p in self.pools))


def _writable(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.gradable and type(q) in PAYLOADS]


def _drawn(quiz: Quiz, pool: Pool) -> tuple[int, float]:
    """How many questions an attempt draws from the pool, and the points of each (the pool's
    questions have the same points; only those Moodle has a type for can be drawn)."""
    questions = _writable(quiz.pool_questions(pool))
    return min(pool.count, len(questions)), questions[0].points if questions else 0.0


def quiz_marks(quiz: Quiz) -> float:
    """The marks of an attempt: the points of its questions, or of the questions drawn."""
    if quiz.settings.pools:
        return sum(n * points for n, points in (_drawn(quiz, p) for p in quiz.settings.pools))
    graded = _writable(quiz.questions)
    if quiz.settings.draw and graded:
        return min(quiz.settings.draw, len(graded)) * graded[0].points
    return sum(q.points for q in graded)


def quiz_grade(quiz: Quiz) -> float:
    """The quiz's maximum grade: its marks; a trainers' quiz is not graded (no grade item)."""
    return 0.0 if quiz.for_trainers else quiz_marks(quiz)


Layout = tuple[float, int, int | None, int | None]  # maxmark, page, entry, category drawn from


def make_slots(
    quiz: Quiz, questions: list[Question], entries: list[int], category: int
) -> list[Layout]:
    """One question a page; a description shares the page of the question after it.
    Drawn slots come after the descriptions, which are not drawn."""
    slots: list[Layout] = []
    page = 1
    pairs = list(zip(questions, entries, strict=True))
    graded = [q for q in questions if q.gradable]
    if quiz.settings.draw and graded:
        slots += [(0.0, page, e, None) for q, e in pairs if not q.gradable]
        for _ in range(min(quiz.settings.draw, len(graded))):
            slots.append((graded[0].points, page, None, category))
            page += 1
        return slots
    for q, e in pairs:
        slots.append((q.points if q.gradable else 0.0, page, e, None))
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
    """The quiz in activity ``context``; its questions go to a new category of ``bank``. With
    a stratified draw each pool has a category of its own under the quiz's, named after its
    tag, with the pool's questions, and ``count`` slots draw from it; the descriptions, which
    are not drawn, stay in the quiz's category as fixed slots before them."""
    category = next_id("question_category")
    pools = quiz.settings.pools
    homes = {p.tag: next_id("question_category") for p in pools}

    def home(q: Question) -> int:
        tag = next((p.tag for p in pools if q.gradable and p.tag in q.tags), None)
        return category if tag is None else homes[tag]

    shuffle = quiz.settings.shuffle_answers
    writable = [q for q in quiz.questions if questions.can_write(q)]
    planned = [questions.plan(q, bank.context, home(q), shuffle) for q in writable]
    bank.add(category, quiz.title, quiz.id, [p for p in planned if p.category == category])
    layout: list[Layout]
    if pools:
        layout = [(0.0, 1, p.id, None) for p in planned if p.category == category]
        drawn, page = [], 1
        for pool in pools:
            key = f"{quiz.id}\0pool\0{pool.tag}"
            members = [p for p in planned if p.category == homes[pool.tag]]
            bank.add(homes[pool.tag], pool.tag, key, members, parent=category)
            count, points = _drawn(quiz, pool)
            drawn.append(PoolPlan(pool.tag, homes[pool.tag], count, points))
            for _ in range(count):
                layout.append((points, page, None, homes[pool.tag]))
                page += 1
        plans = tuple(drawn)
    else:
        layout = make_slots(quiz, writable, [p.id for p in planned], category)
        plans = ()
    intro = files.text(quiz.intro, Area(context, "mod_quiz", "intro"))
    slots = []
    for number, (maxmark, page, entry, drawn_from) in enumerate(layout, start=1):
        sid = next_id("slot")
        reference = next_id("set_reference") if entry is None else None
        slots.append(Slot(sid, number, page, maxmark, entry, reference, drawn_from))
    section = next_id("quiz_section")
    return QuizPlan(
        quiz,
        bank.context,
        bank.top,
        category,
        plans,
        tuple(slots),
        section,
        intro,
        quiz_grade(quiz),
        quiz_marks(quiz),
    )
