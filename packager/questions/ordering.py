"""Ordering: items the learner puts in order with move-up and move-down buttons."""

from __future__ import annotations

from ..markup import text_of
from ..messages import tr
from ..model import Ordering, Question
from . import Kind, Report, Resolve, keys
from .common import esc, group, normal, repeats


def _validate(q: Question, report: Report) -> None:
    assert isinstance(q, Ordering)
    if len(q.items) < 2:
        report.error(
            tr(
                "an ordering question needs at least two items, it has {count}",
                count=len(q.items),
            )
        )
    texts = [text_of(i) for i in q.items]
    for i in repeats(texts):
        report.error(
            tr('"{item}" appears twice: the items must be different', item=normal(texts[i])), i
        )


def display(q: Ordering) -> list[int]:
    """The items in the page's order (indexes into ``q.items``): a fixed shuffle of this
    question, never the right order, so the HTML does not give it away."""
    return keys.order(keys.salt(q), "items", len(q.items))


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    assert isinstance(q, Ordering)
    shown = [q.items[i] for i in display(q)]
    rows = "".join(
        f'<li data-item="{i}"><span class="order-text" id="{qid}-i{i}">{resolve(t)}</span>'
        f'<button type="button" data-action="up" aria-describedby="{qid}-i{i}">'
        f"{esc(s['move_up'])}</button>"
        f'<button type="button" data-action="down" aria-describedby="{qid}-i{i}">'
        f"{esc(s['move_down'])}</button></li>"
        for i, t in enumerate(shown)
    )
    return f'<ol class="order-list" {group(qid)}>{rows}</ol>\n'


def _data(q: Question, resolve: Resolve) -> dict:
    """The items in the page's order (``data-item`` is the place there) and per right place a
    tag of the item that belongs in it (one share of the mark each); the order only in the
    hidden key (see keys.py)."""
    assert isinstance(q, Ordering)
    salt = keys.salt(q)
    shown = display(q)
    right = [shown.index(p) for p in range(len(q.items))]  # page numbers in the right order
    return {
        "salt": salt,
        "items": [text_of(q.items[i]) for i in shown],
        "places": [keys.tag(salt, f"place{p}", str(item)) for p, item in enumerate(right)],
        "key": keys.hidden(salt, "key", {"order": right}),
    }


KIND = Kind("ordering", _validate, _form, _data)
