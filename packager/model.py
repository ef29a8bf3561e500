"""The course model: what the loader reads and every target writes from.

Texts are HTML fragments. A link to another lesson or quiz is written ``href="doc:ID"`` (with an
optional ``#anchor``) and a reference to a media file ``src="media:ID"`` / ``href="media:ID"``;
each target resolves these with :func:`packager.refs.resolve`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path


@dataclass(frozen=True)
class Location:
    path: str  # relative to the content folder, with forward slashes
    line: int = 1


@dataclass
class Media:
    id: str  # the source path relative to the content folder
    source: Path
    name: str  # output file name, unique within the course
    mime: str
    sha256: str  # of the file as it is written into packages
    size: int
    width: int | None = None  # images only, after downscaling
    height: int | None = None
    # The bytes written into packages, read once by the loader (for images: the processed
    # ones), so every target writes what was checked. None: read ``source`` when needed.
    data: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    def read(self) -> bytes:
        return self.data if self.data is not None else self.source.read_bytes()


# ---------------------------------------------------------------------------------------------
# Questions


class FeedbackTiming(Enum):
    """When a learner sees feedback on a quiz question."""

    IMMEDIATE = "immediate"  # after checking each question
    AFTER_ATTEMPT = "after_attempt"  # once the attempt is submitted
    NEVER = "never"


class ShowAnswers(Enum):
    """When a learner sees the right answers of a submitted quiz attempt."""

    AFTER_LAST_ATTEMPT = "after_last_attempt"  # unlimited attempts: after one that passed
    AFTER_PASS = "after_pass"
    ALWAYS = "always"
    NEVER = "never"


@dataclass(kw_only=True)
class Question:
    id: str
    title: str
    text: str  # HTML
    points: float = 1.0
    general_feedback: str = ""
    correct_feedback: str = ""
    partial_feedback: str = ""
    incorrect_feedback: str = ""
    hints: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    location: Location = field(default_factory=lambda: Location(""))

    kind = "question"

    @property
    def gradable(self) -> bool:
        return True


@dataclass
class Choice:
    text: str  # HTML
    fraction: float  # share of the points, -1..1
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.fraction > 0


@dataclass(kw_only=True)
class SingleChoice(Question):
    choices: list[Choice]
    shuffle: bool | None = None  # None: the quiz's setting
    kind = "single"


@dataclass(kw_only=True)
class MultipleChoice(Question):
    choices: list[Choice]
    shuffle: bool | None = None
    kind = "multiple"


@dataclass(kw_only=True)
class TrueFalse(Question):
    answer: bool
    feedback_true: str = ""  # shown when the learner answers "true"
    feedback_false: str = ""
    kind = "truefalse"


@dataclass
class TextAnswer:
    text: str  # plain text; ``*`` is a wildcard
    fraction: float = 1.0
    feedback: str = ""


@dataclass(kw_only=True)
class ShortAnswer(Question):
    answers: list[TextAnswer]
    case_sensitive: bool = False
    kind = "short"


@dataclass
class NumericAnswer:
    value: float
    tolerance: float = 0.0
    fraction: float = 1.0
    feedback: str = ""


@dataclass(kw_only=True)
class Numerical(Question):
    answers: list[NumericAnswer]
    unit: str = ""  # a unit the learner may type after the number: "%", "думи"
    kind = "numerical"


@dataclass
class Pair:
    prompt: str  # HTML
    answer: str  # plain text


@dataclass(kw_only=True)
class Matching(Question):
    pairs: list[Pair]
    distractors: list[str] = field(default_factory=list)  # extra wrong answers
    shuffle: bool | None = None
    kind = "matching"


@dataclass(kw_only=True)
class Ordering(Question):
    items: list[str]  # HTML, in the correct order
    kind = "ordering"


@dataclass(kw_only=True)
class Essay(Question):
    min_words: int | None = None
    max_words: int | None = None
    lines: int = 10
    grader_info: str = ""  # HTML, for graders only
    template: str = ""  # plain text the answer box starts with
    kind = "essay"


class GapKind(Enum):
    DROPDOWN = "dropdown"
    SHORT = "short"
    NUMERIC = "numeric"


@dataclass
class GapOption:
    text: str  # plain text (a number for numeric gaps)
    fraction: float = 1.0
    feedback: str = ""
    tolerance: float = 0.0


@dataclass
class Gap:
    kind: GapKind
    options: list[GapOption]
    points: float = 1.0
    case_sensitive: bool = False

    @property
    def correct(self) -> list[GapOption]:
        return [o for o in self.options if o.fraction >= 1.0] or [
            max(self.options, key=lambda o: o.fraction)
        ]


@dataclass(kw_only=True)
class Cloze(Question):
    parts: list[str | Gap]  # HTML fragments and gaps, in reading order
    kind = "cloze"

    @property
    def gaps(self) -> list[Gap]:
        return [p for p in self.parts if isinstance(p, Gap)]


@dataclass(kw_only=True)
class Description(Question):
    points: float = 0.0
    kind = "description"

    @property
    def gradable(self) -> bool:
        return False


QUESTION_KINDS: tuple[type[Question], ...] = (
    SingleChoice,
    MultipleChoice,
    TrueFalse,
    ShortAnswer,
    Numerical,
    Matching,
    Ordering,
    Essay,
    Cloze,
    Description,
)


# ---------------------------------------------------------------------------------------------
# Course structure


@dataclass(frozen=True)
class Pool:
    """Questions tagged ``tag``, of which ``count`` are drawn at random for each attempt."""

    tag: str
    count: int


@dataclass
class QuizSettings:
    pass_percentage: float = 70.0
    attempts: int = 0  # 0: unlimited
    time_limit: int = 0  # minutes, 0: none
    shuffle_answers: bool = True
    draw: int | None = None  # questions drawn at random per attempt; None: all
    pools: tuple[Pool, ...] = ()  # a stratified draw: so many from each pool (then draw is None)
    feedback: FeedbackTiming = FeedbackTiming.IMMEDIATE
    show_answers: ShowAnswers = ShowAnswers.AFTER_LAST_ATTEMPT


class Audience(Enum):
    """Who a module or an item is for."""

    LEARNERS = "learners"
    TRAINERS = "trainers"  # the people who run the course: hidden from learners


@dataclass(kw_only=True)
class Item:
    """A lesson, a quiz, an assignment or a forum: one page or activity of a module."""

    id: str
    title: str
    location: Location
    minutes: int | None = None
    media: list[str] = field(default_factory=list)  # ids of the media it uses, in order
    audience: Audience = Audience.LEARNERS  # the module's, unless the item sets its own

    @property
    def for_trainers(self) -> bool:
        return self.audience is Audience.TRAINERS


@dataclass(kw_only=True)
class Lesson(Item):
    html: str
    objectives: list[str] = field(default_factory=list)  # HTML, inline


@dataclass(kw_only=True)
class Quiz(Item):
    intro: str = ""  # HTML
    settings: QuizSettings = field(default_factory=QuizSettings)
    questions: list[Question] = field(default_factory=list)

    @property
    def graded_questions(self) -> list[Question]:
        return [q for q in self.questions if q.gradable]

    @property
    def questions_per_attempt(self) -> int:
        graded = len(self.graded_questions)
        if self.settings.pools:
            return sum(p.count for p in self.settings.pools)
        return min(self.settings.draw, graded) if self.settings.draw else graded

    def pool_questions(self, pool: Pool) -> list[Question]:
        """The graded questions a pool draws from (each graded question is in exactly one)."""
        return [q for q in self.graded_questions if pool.tag in q.tags]


class Submission(Enum):
    """What a learner hands in for an assignment."""

    TEXT = "text"  # typed online
    FILE = "file"  # uploaded files


@dataclass
class Criterion:
    text: str  # HTML, inline
    points: float


@dataclass(kw_only=True)
class Assignment(Item):
    """A task a learner does and hands in, graded by a trainer."""

    html: str  # the instructions
    points: float = 10.0
    pass_points: float | None = None
    submission: tuple[Submission, ...] = (Submission.TEXT, Submission.FILE)
    criteria: list[Criterion] = field(default_factory=list)


@dataclass(kw_only=True)
class Forum(Item):
    """A discussion among the learners of a group, opened by a prompt."""

    html: str  # the prompt


AnyItem = Lesson | Quiz | Assignment | Forum


@dataclass
class Module:
    id: str
    title: str
    order: int
    summary: str  # HTML
    location: Location
    items: list[AnyItem] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    audience: Audience = Audience.LEARNERS

    @property
    def for_trainers(self) -> bool:
        return self.audience is Audience.TRAINERS

    @property
    def lessons(self) -> list[Lesson]:
        return [i for i in self.items if isinstance(i, Lesson)]

    @property
    def quizzes(self) -> list[Quiz]:
        return [i for i in self.items if isinstance(i, Quiz)]

    @property
    def assignments(self) -> list[Assignment]:
        return [i for i in self.items if isinstance(i, Assignment)]

    @property
    def forums(self) -> list[Forum]:
        return [i for i in self.items if isinstance(i, Forum)]

    def for_learners(self) -> Module:
        """The module as learners see it: without what is for trainers only (a shallow copy)."""
        return replace(self, items=[i for i in self.items if not i.for_trainers])


@dataclass
class Completion:
    """When the LMS counts the course as complete and passed."""

    lessons_required: bool = True  # every lesson must be opened to its end
    quizzes_required: bool = True  # every quiz must be passed
    assignments_required: bool = True  # every assignment must be handed in
    forums_required: bool = False  # every forum must have the learner's posts
    pass_percentage: float = 70.0  # default pass mark of quizzes


@dataclass
class Course:
    id: str
    title: str
    short_name: str
    language: str
    version: str
    authors: list[str]
    license: str
    summary: str  # HTML
    date: dt.date  # release date: archive timestamps when SOURCE_DATE_EPOCH is unset
    start_date: dt.date
    completion: Completion
    root: Path
    modules: list[Module] = field(default_factory=list)
    media: dict[str, Media] = field(default_factory=dict)
    iframe_hosts: list[str] = field(default_factory=list)
    max_image_width: int = 1600
    keywords: list[str] = field(default_factory=list)
    typography: bool = True  # Bulgarian typography was applied to the texts (language bg)

    def items(self) -> Iterator[AnyItem]:
        for module in self.modules:
            yield from module.items

    @property
    def lessons(self) -> list[Lesson]:
        return [i for i in self.items() if isinstance(i, Lesson)]

    @property
    def quizzes(self) -> list[Quiz]:
        return [i for i in self.items() if isinstance(i, Quiz)]

    @property
    def assignments(self) -> list[Assignment]:
        return [i for i in self.items() if isinstance(i, Assignment)]

    @property
    def forums(self) -> list[Forum]:
        return [i for i in self.items() if isinstance(i, Forum)]

    @property
    def has_trainers_part(self) -> bool:
        return any(i.for_trainers for i in self.items())

    def for_learners(self) -> Course:
        """The course as learners see it: modules and items for trainers left out."""
        modules = [m.for_learners() for m in self.modules if not m.for_trainers]
        return replace(self, modules=[m for m in modules if m.items])

    @property
    def questions(self) -> list[Question]:
        return [q for quiz in self.quizzes for q in quiz.questions]

    @property
    def images(self) -> list[Media]:
        return [m for m in self.media.values() if m.is_image]

    def module_of(self, item: AnyItem) -> Module:
        for module in self.modules:
            if any(i is item for i in module.items):
                return module
        raise KeyError(item.id)

    def find(self, item_id: str) -> AnyItem:
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)
