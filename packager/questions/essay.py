"""Essay: a text the learner writes and a person grades; never scored automatically."""

from __future__ import annotations

from ..messages import tr
from ..model import Essay, Question
from . import Kind, Report, Resolve
from .common import esc


def _validate(q: Question, report: Report) -> None:
    assert isinstance(q, Essay)
    if q.min_words is not None and q.max_words is not None and q.min_words > q.max_words:
        report.error(
            tr(
                "min_words ({min}) is more than max_words ({max})",
                min=q.min_words,
                max=q.max_words,
            )
        )


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    assert isinstance(q, Essay)
    limits = []
    if q.min_words:
        limits.append(s["min_words"].format(n=q.min_words))
    if q.max_words:
        limits.append(s["max_words"].format(n=q.max_words))
    hint = f' <span class="meta">({esc(", ".join(limits))})</span>' if limits else ""
    return (
        f'<p><label for="{qid}-answer">{esc(s["your_answer"])}</label>{hint}</p>'
        f'<textarea id="{qid}-answer" name="{qid}" rows="{q.lines}">{esc(q.template)}</textarea>\n'
    )


def _data(q: Question, resolve: Resolve) -> dict:
    assert isinstance(q, Essay)
    return {"minWords": q.min_words, "maxWords": q.max_words}


KIND = Kind("essay", _validate, _form, _data)
