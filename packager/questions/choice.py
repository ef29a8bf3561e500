"""Single choice (one right answer, radio buttons) and multiple choice (checkboxes, shares of
the mark that add up to 100%)."""

from __future__ import annotations

from ..markup import text_of
from ..messages import tr
from ..model import MultipleChoice, Question, SingleChoice
from . import Kind, Report, Resolve, keys
from .common import group, need_choices, no_repeated_answers


def _validate_single(q: Question, report: Report) -> None:
    assert isinstance(q, SingleChoice)
    need_choices(q.choices, report)
    no_repeated_answers([text_of(c.text) for c in q.choices], report)
    right = [c for c in q.choices if c.fraction >= 1.0]
    if not right:
        report.error(tr("no right answer: mark one with (x)"))
    elif len(right) > 1:
        report.error(
            tr(
                "{count} right answers in a single-choice question: mark one with (x), "
                "or use [x] checkboxes to let learners choose several",
                count=len(right),
            )
        )


def _validate_multiple(q: Question, report: Report) -> None:
    assert isinstance(q, MultipleChoice)
    need_choices(q.choices, report)
    no_repeated_answers([text_of(c.text) for c in q.choices], report)
    positive = sum(c.fraction for c in q.choices if c.fraction > 0)
    if not any(c.fraction > 0 for c in q.choices):
        report.error(tr("no right answer: mark at least one with [x]"))
    elif round(positive, 2) != 1.0:
        report.error(
            tr(
                "the grades of the right answers add up to {total}%, not 100%",
                total=f"{round(positive * 100, 2):g}",
            )
        )


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
    """Each option's text (the page shows it anyway) and a seal with its grade and feedback
    that choosing it opens; the right options only in the hidden key (see keys.py)."""
    assert isinstance(q, SingleChoice | MultipleChoice)
    salt = keys.salt(q)
    seals = keys.choice_seals(
        salt, "", [{"f": c.fraction, "fb": resolve(c.feedback)} for c in q.choices]
    )
    options = [
        {"text": text_of(c.text), "box": box} for c, box in zip(q.choices, seals, strict=True)
    ]
    single = isinstance(q, SingleChoice)
    right = [i for i, c in enumerate(q.choices) if (c.fraction >= 1 if single else c.fraction > 0)]
    key = keys.hidden(salt, "key", {"right": right})
    return {"salt": salt, "options": options, "shuffle": q.shuffle, "key": key}


SINGLE = Kind("single", _validate_single, _form, _data)
MULTIPLE = Kind("multiple", _validate_multiple, _form, _data)
