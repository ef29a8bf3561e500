"""Fill in the blanks (Cloze): text with blanks, each a drop-down, a typed answer or a number.

The pieces of text between blanks need not be whole HTML (``<p>Fill in`` … ``here.</p>``): the
form resolves them as one text with a slot per blank and puts each control in its slot
afterwards (the sanitizer would remove controls written into the text)."""

from __future__ import annotations

import re

from ..model import Cloze, Gap, GapKind, Question
from . import Error, Kind, Resolve
from .common import esc


def _validate(q: Question, error: Error) -> None:
    assert isinstance(q, Cloze)
    if not q.gaps:
        error("no {{blanks}} in the text")


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    assert isinstance(q, Cloze)
    text: list[str] = []
    controls: list[str] = []
    for part in q.parts:
        if isinstance(part, str):
            text.append(_NOT_SLOT.sub("", part))
            continue
        text.append(_SLOT.format(len(controls)))
        n = len(controls) + 1
        label = esc(s["blank"].format(n=n))
        name = f"{qid}-g{n - 1}"
        if part.kind is GapKind.DROPDOWN:
            opts = f'<option value="">{esc(s["choose"])}</option>' + "".join(
                f'<option value="{i}">{esc(o.text)}</option>' for i, o in enumerate(part.options)
            )
            controls.append(f'<select name="{name}" aria-label="{label}">{opts}</select>')
        else:
            mode = ' inputmode="decimal"' if part.kind is GapKind.NUMERIC else ""
            controls.append(
                f'<input type="text" class="gap-input" name="{name}" aria-label="{label}" '
                f'autocomplete="off"{mode}>'
            )
    body = _fill_slots(resolve("".join(text)), controls)
    return f'<div class="question-text">{body}</div>\n'


# Where a blank's control goes: private-use characters, which the sanitizer keeps as text.
_SLOT = "\ue000{}\ue001"
_SLOTS = re.compile("\ue000([0-9]+)\ue001")
_NOT_SLOT = re.compile("[\ue000\ue001]")
_TAG = re.compile(r"<[^>]*>")


def _fill_slots(html: str, controls: list[str]) -> str:
    """Each control in its slot. A slot that sanitizing removed or that ended up inside a tag
    (in an attribute) is dropped, and its control added at the end, so every blank has one."""
    html = _TAG.sub(lambda m: _SLOTS.sub("", m[0]), html)
    placed: set[int] = set()

    def put(match: re.Match[str]) -> str:
        index = int(match[1])
        if index >= len(controls) or index in placed:
            return ""
        placed.add(index)
        return controls[index]

    html = _SLOTS.sub(put, html)
    return html + "".join(c for i, c in enumerate(controls) if i not in placed)


def _gap_data(gap: Gap, resolve: Resolve) -> dict:
    options = [
        {"text": o.text, "fraction": o.fraction, "tolerance": o.tolerance,
         "feedback": resolve(o.feedback)}
        for o in gap.options
    ]  # fmt: skip
    return {
        "kind": gap.kind.value,
        "points": gap.points,
        "caseSensitive": gap.case_sensitive,
        "options": options,
    }


def _data(q: Question, resolve: Resolve) -> dict:
    assert isinstance(q, Cloze)
    return {"gaps": [_gap_data(g, resolve) for g in q.gaps]}


KIND = Kind("cloze", _validate, _form, _data, owns_text=True)
