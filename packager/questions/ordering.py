"""Ordering: items the learner puts in order with move-up and move-down buttons."""

from __future__ import annotations

from collections import Counter

from ..markup import text_of
from ..model import Ordering, Question
from . import Error, Kind, Resolve
from .common import esc, group


def _validate(q: Question, error: Error) -> None:
    assert isinstance(q, Ordering)
    if len(q.items) < 2:
        error(f"an ordering question needs at least two items, it has {len(q.items)}")
    norm = Counter(text_of(i).lower() for i in q.items)
    dupes = sorted(i for i, n in norm.items() if n > 1)
    if dupes:
        error(f'"{dupes[0]}" appears twice: the items must be different')


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    assert isinstance(q, Ordering)
    rows = "".join(
        f'<li data-item="{i}"><span class="order-text" id="{qid}-i{i}">{resolve(t)}</span>'
        f'<button type="button" data-action="up" aria-describedby="{qid}-i{i}">'
        f"{esc(s['move_up'])}</button>"
        f'<button type="button" data-action="down" aria-describedby="{qid}-i{i}">'
        f"{esc(s['move_down'])}</button></li>"
        for i, t in enumerate(q.items)
    )
    return f'<ol class="order-list" {group(qid)}>{rows}</ol>\n'


def _data(q: Question, resolve: Resolve) -> dict:
    assert isinstance(q, Ordering)
    return {"items": [text_of(i) for i in q.items]}


KIND = Kind("ordering", _validate, _form, _data)
