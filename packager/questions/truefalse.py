"""True/false: a statement the learner marks right or wrong."""

from __future__ import annotations

from ..model import Question, TrueFalse
from . import Error, Kind, Resolve
from .common import esc, group


def _validate(q: Question, error: Error) -> None:
    pass  # the answer is a boolean: nothing to check


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    items = "".join(
        f'<li data-option="{v}"><label><input type="radio" name="{qid}" value="{v}">'
        f"<span>{esc(s[label])}</span></label></li>"
        for v, label in (("true", "true"), ("false", "false"))
    )
    return f'<fieldset {group(qid)}><ul class="choices">{items}</ul></fieldset>\n'


def _data(q: Question, resolve: Resolve) -> dict:
    assert isinstance(q, TrueFalse)
    feedback = {"true": resolve(q.feedback_true), "false": resolve(q.feedback_false)}
    return {"answer": q.answer, "optionFeedback": feedback}


KIND = Kind("truefalse", _validate, _form, _data)
