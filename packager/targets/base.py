"""The target contract: what every target declares and what it gets to build with.

A target is one output format. It declares its name and description, its options, the
question kinds and the question and quiz features it can carry, and builds from the model
alone, writing through ``ctx.out``. What it cannot carry is reported once, in the same words
for every target, by :func:`carry_notices` before it builds; the target then leaves those
questions out (``ctx.questions``) and ignores those features.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from ..diagnostics import Diagnostics
from ..messages import N_, tr, trn
from ..model import Course, Question, Quiz, QuizSettings
from ..output import TargetOutput

# Every question kind of the model (Question.kind), in the order the docs list them.
KINDS = ("single", "multiple", "truefalse", "short", "numerical", "matching", "ordering",
         "essay", "cloze", "description")  # fmt: skip
KIND_NAMES = {
    "single": N_("single-choice"), "multiple": N_("multiple-choice"),
    "truefalse": N_("true/false"), "short": N_("short-answer"), "numerical": N_("numerical"),
    "matching": N_("matching"), "ordering": N_("ordering"), "essay": N_("essay"),
    "cloze": N_("fill-in-the-blanks"), "description": N_("description"),
}  # fmt: skip
# What a question may have beyond its kind's own fields.
QUESTION_FEATURES = (N_("points"), N_("hints"), N_("tags"), N_("combined feedback"))
# Quiz settings, as in QuizSettings; a target that writes no quiz (a question bank) has None.
QUIZ_SETTINGS = ("pass_percentage", "attempts", "time_limit", "shuffle_answers", "draw",
                 "feedback")  # fmt: skip


@dataclass(frozen=True)
class Option:
    """A ``-O key=value`` option of a target."""

    key: str
    choices: tuple[str, ...]
    default: str
    help: str


@dataclass
class BuildContext:
    course: Course
    out: TargetOutput  # every file goes through it, by its path relative to the output folder
    mtime: int  # every timestamp written into a package
    notices: Diagnostics  # what a format cannot carry; never fails a build
    options: dict[str, str] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset(KINDS)  # the kinds the target carries

    def package_name(self, suffix: str, ext: str) -> str:
        """<short name>-<version>[-suffix].ext"""
        c = self.course
        name = f"{c.short_name}-{c.version}" + (f"-{suffix}" if suffix else "")
        return f"{name}.{ext}"

    def questions(self, quiz: Quiz) -> list[Question]:
        """The quiz's questions this target carries (the others were reported)."""
        return [q for q in quiz.questions if q.kind in self.kinds]

    def option(self, key: str, default: str) -> str:
        return self.options.get(key, default)


class Target:
    """One output format. Subclasses set the class attributes and implement ``build``."""

    name: ClassVar[str]
    description: ClassVar[str]
    options: ClassVar[tuple[Option, ...]] = ()
    kinds: ClassVar[frozenset[str]] = frozenset(KINDS)
    question_features: ClassVar[frozenset[str]] = frozenset(QUESTION_FEATURES)
    quiz_settings: ClassVar[frozenset[str] | None] = frozenset(QUIZ_SETTINGS)
    # What to use instead when a kind cannot be carried, for the notice ("" when nothing).
    instead: ClassVar[str] = ""

    def build(self, ctx: BuildContext) -> list[str]:
        """Write the outputs; return their paths relative to the output folder."""
        raise NotImplementedError


def question_features(q: Question) -> set[str]:
    """The features (of QUESTION_FEATURES) a question uses."""
    used = set()
    if q.gradable and q.points != 1:
        used.add("points")
    if q.hints:
        used.add("hints")
    if q.tags:
        used.add("tags")
    if q.correct_feedback or q.partial_feedback or q.incorrect_feedback:
        used.add("combined feedback")
    return used


def quiz_settings(settings: QuizSettings, defaults: QuizSettings) -> set[str]:
    """The settings (of QUIZ_SETTINGS) a quiz sets to something other than the default."""
    used = {name for name in QUIZ_SETTINGS if getattr(settings, name) != getattr(defaults, name)}
    if settings.pools:
        used.add("draw")  # a stratified draw (so many per pool) is a draw
    return used


def carry_notices(target: Target, course: Course, notices: Diagnostics) -> None:
    """One notice for each thing the target cannot carry: questions of a kind it lacks, and
    per quiz, the question features and quiz settings it lacks."""
    instead = "; " + tr(target.instead) if target.instead else ""
    defaults = QuizSettings(pass_percentage=course.completion.pass_percentage)
    for quiz in course.quizzes:
        lost: dict[str, int] = {}
        for q in quiz.questions:
            if q.kind not in target.kinds:
                notices.warning(
                    q.location.path,
                    q.location.line,
                    tr(
                        '{target}: question "{title}" is left out: {kind} questions cannot be '
                        "carried{instead}",
                        target=target.name,
                        title=q.title,
                        kind=tr(KIND_NAMES[q.kind]),
                        instead=instead,
                    ),
                )
                continue
            for feature in question_features(q) - target.question_features:
                lost[feature] = lost.get(feature, 0) + 1
        if lost:
            what = ", ".join(
                trn("{name} ({n} question)", "{name} ({n} questions)", n, name=tr(name))
                for name, n in sorted(lost.items())
            )
            notices.warning(
                quiz.location.path,
                quiz.location.line,
                tr(
                    "{target}: cannot carry {what}; they are left out{instead}",
                    target=target.name,
                    what=what,
                    instead=instead,
                ),
            )
        if target.quiz_settings is not None:
            missing = sorted(quiz_settings(quiz.settings, defaults) - target.quiz_settings)
            if missing:
                notices.warning(
                    quiz.location.path,
                    quiz.location.line,
                    trn(
                        "{target}: cannot carry the quiz setting {names}; left out",
                        "{target}: cannot carry the quiz settings {names}; left out",
                        len(missing),
                        target=target.name,
                        names=", ".join(missing),
                    ),
                )


def option_values(targets: Iterable[Target]) -> dict[str, Option]:
    return {o.key: o for t in targets for o in t.options}
