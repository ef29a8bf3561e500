"""One home per question kind.

The fields of each kind are its dataclass in :mod:`packager.model`; everything else a kind needs
lives in its module here and nowhere else: the checks every source format shares, the form the
HTML pages show, and the data the quiz player (``quiz.js``) and the SCORM runtime read, which
in turn keep each kind's scoring and SCORM interaction in one table (``kinds.js``). The targets
that write other formats (Moodle XML, GIFT, the backup, Common Cartridge) keep their own
writers for each kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ..model import Question

# A fraction of the mark at or above this is full marks (3 × 0.3333333 is full marks, as in
# Moodle); quiz.js and scorm.js receive it in the quiz data.
FULL_MARKS = 0.9999999

Resolve = Callable[[str], str]  # resolves a model HTML fragment for the page it goes into


class Report(Protocol):
    """Where a kind's checks report: at the question, or at one of its answers (``at``: the
    answer's index among the kind's answers: the choices, the accepted answers, the pairs then
    the extra answers of matching, the items of ordering, the options of every blank)."""

    def error(self, message: str, at: int | None = None) -> None: ...

    def warning(self, message: str, at: int | None = None) -> None: ...


@dataclass(frozen=True)
class Kind:
    name: str  # Question.kind
    validate: Callable[[Question, Report], None]
    # the answer controls of the form, after the question text (or the whole body: owns_text)
    form: Callable[[Question, str, Resolve, dict[str, str]], str]
    data: Callable[[Question, Resolve], dict]  # what the players need beyond the common fields
    owns_text: bool = False


def _registry() -> dict[str, Kind]:
    from . import choice, cloze, description, essay, matching, ordering, truefalse, typed

    kinds = (choice.SINGLE, choice.MULTIPLE, truefalse.KIND, typed.SHORT, typed.NUMERICAL,
             matching.KIND, ordering.KIND, essay.KIND, cloze.KIND, description.KIND)  # fmt: skip
    return {k.name: k for k in kinds}


KINDS: dict[str, Kind] = _registry()


def kind_of(q: Question) -> Kind:
    return KINDS[q.kind]
