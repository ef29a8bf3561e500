"""Matching: each item on the left gets one answer from a list (the right answers of all items,
then the distractors)."""

from __future__ import annotations

from ..markup import text_of
from ..messages import tr
from ..model import Matching, Question
from . import Kind, Report, Resolve, keys
from .common import esc, no_repeated_answers, normal, repeats


def options(q: Matching) -> list[str]:
    """The answers offered for every item: each distinct answer once, the distractors among
    them, in a fixed order of this question that does not follow the items (see keys.order)."""
    offered = list(dict.fromkeys([p.answer for p in q.pairs] + q.distractors))
    return [offered[i] for i in keys.order(keys.salt(q), "options", len(offered))]


def _validate(q: Question, report: Report) -> None:
    """At least two pairs, each item on the left different; an extra answer neither repeats
    another nor an answer of a pair (several pairs may share an answer)."""
    assert isinstance(q, Matching)
    if len(q.pairs) < 2:
        report.error(
            tr(
                "a matching question needs at least two pairs, it has {count}",
                count=len(q.pairs),
            )
        )
    prompts = [text_of(p.prompt) for p in q.pairs]
    for i in repeats(prompts):
        report.error(
            tr(
                '"{item}" is matched twice: each item on the left must be different',
                item=normal(prompts[i]),
            ),
            i,
        )
    answers = {normal(p.answer) for p in q.pairs}
    first = len(q.pairs)  # the extra answers come after the pairs
    for i, extra in enumerate(q.distractors):
        if normal(extra) in answers:
            report.error(
                tr(
                    'the extra answer "{answer}" is already the answer of a pair: '
                    "learners would see it only once; remove it or change it",
                    answer=extra,
                ),
                first + i,
            )
    no_repeated_answers(q.distractors, report, first)


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
    """Per item a tag of its right answer's number (one share of the mark each); the pairs
    only in the hidden key (see keys.py)."""
    assert isinstance(q, Matching)
    salt = keys.salt(q)
    offered = options(q)
    correct = [offered.index(p.answer) for p in q.pairs]
    return {
        "salt": salt,
        "options": offered,
        "prompts": [text_of(p.prompt) for p in q.pairs],
        "pairs": [keys.tag(salt, f"pair{i}", str(c)) for i, c in enumerate(correct)],
        "shuffle": q.shuffle,
        "key": keys.hidden(salt, "key", {"correct": correct}),
    }


KIND = Kind("matching", _validate, _form, _data)
