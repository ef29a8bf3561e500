"""Description: text between the questions, with nothing to answer."""

from __future__ import annotations

from ..model import Question
from . import Kind, Report, Resolve


def _validate(q: Question, report: Report) -> None:
    pass


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    return ""


def _data(q: Question, resolve: Resolve) -> dict:
    return {}


KIND = Kind("description", _validate, _form, _data)
