"""Small pieces the kinds share."""

from __future__ import annotations

import html

from ..messages import tr
from ..model import Choice
from . import Report


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def group(qid: str) -> str:
    """The label of a group of controls: the question's title and text."""
    return f'aria-labelledby="{qid}-title {qid}-text"'


def need_choices(choices: list[Choice], report: Report) -> None:
    if len(choices) < 2:
        report.error(
            tr(
                "a choice question needs at least two answers, it has {count}",
                count=len(choices),
            )
        )


def normal(text: str, case_sensitive: bool = False) -> str:
    """An answer as learners tell answers apart: spaces collapsed, and case ignored unless
    the question minds it."""
    text = " ".join(text.split())
    return text if case_sensitive else text.casefold()


def repeats(texts: list[str], case_sensitive: bool = False) -> list[int]:
    """The indexes of the texts that repeat an earlier one (see :func:`normal`); empty texts
    are left out (other checks report them)."""
    seen: set[str] = set()
    out: list[int] = []
    for i, text in enumerate(texts):
        key = normal(text, case_sensitive)
        if key in seen:
            out.append(i)
        elif key:
            seen.add(key)
    return out


def no_repeated_answers(
    texts: list[str], report: Report, first: int = 0, case_sensitive: bool = False
) -> None:
    """An error at each answer that repeats an earlier one, even if one is right and the other
    wrong: learners could not tell them apart. ``first``: the index of texts[0] among the
    kind's answers."""
    for i in repeats(texts, case_sensitive):
        report.error(
            tr(
                'the answer "{answer}" appears twice: each answer must be different',
                answer=" ".join(texts[i].split()),
            ),
            first + i,
        )


def wildcards(texts: list[str], report: Report, first: int = 0) -> None:
    """A warning at each accepted answer whose "*" lets almost anything through: fewer than two
    letters or digits besides the wildcards ("*", "*x*")."""
    for i, text in enumerate(texts):
        if "*" in text and sum(ch.isalnum() for ch in text) < 2:
            report.warning(
                tr(
                    'the accepted answer "{answer}" matches almost anything a learner types: '
                    'write more of the answer around "*"',
                    answer=text,
                ),
                first + i,
            )
