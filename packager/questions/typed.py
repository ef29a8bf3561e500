"""Answers the learner types: short answer (text, with * as a wildcard) and numerical (a number
within a tolerance)."""

from __future__ import annotations

from ..model import Numerical, Question, ShortAnswer
from . import Error, Kind, Resolve
from .common import esc


def _validate(q: Question, error: Error) -> None:
    assert isinstance(q, ShortAnswer | Numerical)
    if not q.answers:
        error('no accepted answer: add one such as "- = answer"')
    elif not any(a.fraction >= 1.0 for a in q.answers):
        error("no answer is worth 100%")


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    mode = ' inputmode="decimal"' if isinstance(q, Numerical) else ""
    return (
        f'<p><label for="{qid}-answer">{esc(s["your_answer"])}</label> '
        f'<input type="text" id="{qid}-answer" name="{qid}" autocomplete="off"{mode}></p>\n'
    )


def _short_data(q: Question, resolve: Resolve) -> dict:
    assert isinstance(q, ShortAnswer)
    answers = [
        {"text": a.text, "fraction": a.fraction, "feedback": resolve(a.feedback)} for a in q.answers
    ]
    return {"answers": answers, "caseSensitive": q.case_sensitive}


def _numerical_data(q: Question, resolve: Resolve) -> dict:
    assert isinstance(q, Numerical)
    answers = [
        {"value": a.value, "tolerance": a.tolerance, "fraction": a.fraction,
         "feedback": resolve(a.feedback)}
        for a in q.answers
    ]  # fmt: skip
    return {"answers": answers}


SHORT = Kind("short", _validate, _form, _short_data)
NUMERICAL = Kind("numerical", _validate, _form, _numerical_data)
