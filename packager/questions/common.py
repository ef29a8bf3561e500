"""Small pieces the kinds share."""

from __future__ import annotations

import html

from ..model import Choice


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def group(qid: str) -> str:
    """The label of a group of controls: the question's title and text."""
    return f'aria-labelledby="{qid}-title {qid}-text"'


def need_choices(choices: list[Choice], error) -> None:
    if len(choices) < 2:
        error(f"a choice question needs at least two answers, it has {len(choices)}")
