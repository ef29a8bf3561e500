"""Matching: each item on the left gets one answer from a list (the right answers of all items,
then the distractors)."""

from __future__ import annotations

from collections import Counter

from ..markup import text_of
from ..model import Matching, Question
from . import Error, Kind, Resolve
from .common import esc


def options(q: Matching) -> list[str]:
    """The answers offered for every item: each distinct answer once, then the distractors."""
    return list(dict.fromkeys([p.answer for p in q.pairs] + q.distractors))


def _validate(q: Question, error: Error) -> None:
    assert isinstance(q, Matching)
    if len(q.pairs) < 2:
        error(f"a matching question needs at least two pairs, it has {len(q.pairs)}")
    prompts = Counter(text_of(p.prompt).lower() for p in q.pairs)
    dupes = sorted(p for p, n in prompts.items() if n > 1)
    if dupes:
        error(f'"{dupes[0]}" is matched twice: each item on the left must be different')


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    assert isinstance(q, Matching)
    choices = f'<option value="">{esc(s["choose"])}</option>' + "".join(
        f'<option value="{i}">{esc(o)}</option>' for i, o in enumerate(options(q))
    )
    rows = "".join(
        f'<tr><th scope="row" id="{qid}-p{i}">{resolve(p.prompt)}</th><td>'
        f'<select name="{qid}-{i}" aria-labelledby="{qid}-p{i}">{choices}</select></td></tr>'
        for i, p in enumerate(q.pairs)
    )
    return f'<table class="match-table"><tbody>{rows}</tbody></table>\n'


def _data(q: Question, resolve: Resolve) -> dict:
    assert isinstance(q, Matching)
    offered = options(q)
    return {
        "options": offered,
        "correct": [offered.index(p.answer) for p in q.pairs],
        "prompts": [text_of(p.prompt) for p in q.pairs],
        "shuffle": q.shuffle,
    }


KIND = Kind("matching", _validate, _form, _data)
