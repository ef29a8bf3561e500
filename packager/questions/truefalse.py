"""True/false: a statement the learner marks right or wrong."""

from __future__ import annotations

from ..model import Question, TrueFalse
from . import Kind, Report, Resolve, keys
from .common import esc, group


def _validate(q: Question, report: Report) -> None:
    pass  # the answer is a boolean: nothing to check


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    items = "".join(
        f'<li data-option="{v}"><label><input type="radio" name="{qid}" value="{v}">'
        f"<span>{esc(s[label])}</span></label></li>"
        for v, label in (("true", "true"), ("false", "false"))
    )
    return f'<fieldset {group(qid)}><ul class="choices">{items}</ul></fieldset>\n'


def _data(q: Question, resolve: Resolve) -> dict:
    """A seal for "true" and one for "false" (grade and feedback); the answer only in the
    hidden key (see keys.py)."""
    assert isinstance(q, TrueFalse)
    salt = keys.salt(q)
    feedback = {True: resolve(q.feedback_true), False: resolve(q.feedback_false)}
    boxes = {
        str(v).lower(): keys.seal(
            salt, "choice", str(v).lower(), {"f": 1.0 if v == q.answer else 0.0, "fb": feedback[v]}
        )
        for v in (True, False)
    }
    return {"salt": salt, "boxes": boxes, "key": keys.hidden(salt, "key", {"answer": q.answer})}


KIND = Kind("truefalse", _validate, _form, _data)
