"""Single choice (one right answer, radio buttons) and multiple choice (checkboxes, shares of
the mark that add up to 100%)."""

from __future__ import annotations

from ..markup import text_of
from ..model import MultipleChoice, Question, SingleChoice
from . import Error, Kind, Resolve
from .common import group, need_choices


def _validate_single(q: Question, error: Error) -> None:
    assert isinstance(q, SingleChoice)
    need_choices(q.choices, error)
    right = [c for c in q.choices if c.fraction >= 1.0]
    if not right:
        error("no right answer: mark one with (x)")
    elif len(right) > 1:
        error(
            f"{len(right)} right answers in a single-choice question: mark one with (x), "
            "or use [x] checkboxes to let learners choose several"
        )


def _validate_multiple(q: Question, error: Error) -> None:
    assert isinstance(q, MultipleChoice)
    need_choices(q.choices, error)
    positive = sum(c.fraction for c in q.choices if c.fraction > 0)
    if not any(c.fraction > 0 for c in q.choices):
        error("no right answer: mark at least one with [x]")
    elif round(positive, 2) != 1.0:
        error(f"the grades of the right answers add up to {round(positive * 100, 2):g}%, not 100%")


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    assert isinstance(q, SingleChoice | MultipleChoice)
    control = "radio" if isinstance(q, SingleChoice) else "checkbox"
    items = "".join(
        f'<li data-option="{i}"><label><input type="{control}" name="{qid}" value="{i}">'
        f"<span>{resolve(c.text)}</span></label></li>"
        for i, c in enumerate(q.choices)
    )
    return f'<fieldset {group(qid)}><ul class="choices">{items}</ul></fieldset>\n'


def _data(q: Question, resolve: Resolve) -> dict:
    assert isinstance(q, SingleChoice | MultipleChoice)
    options = [
        {"fraction": c.fraction, "feedback": resolve(c.feedback), "text": text_of(c.text)}
        for c in q.choices
    ]
    return {"options": options, "shuffle": q.shuffle}


SINGLE = Kind("single", _validate_single, _form, _data)
MULTIPLE = Kind("multiple", _validate_multiple, _form, _data)
