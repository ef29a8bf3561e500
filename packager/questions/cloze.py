"""Fill in the blanks (Cloze): text with blanks, each a drop-down, a typed answer or a number.

The pieces of text between blanks need not be whole HTML (``<p>Fill in`` … ``here.</p>``): the
form resolves them as one text with a slot per blank and puts each control in its slot
afterwards (the sanitizer would remove controls written into the text)."""

from __future__ import annotations

import re

from ..messages import tr
from ..model import Cloze, Gap, GapKind, Question
from . import Kind, Report, Resolve, keys
from .common import esc, no_repeated_answers, wildcards


def _validate(q: Question, report: Report) -> None:
    assert isinstance(q, Cloze)
    if not q.gaps:
        report.error(tr("no {{blanks}} in the text"))
    first = 0  # the index of the blank's first option among all options
    for gap in q.gaps:
        texts = [o.text for o in gap.options]
        if gap.kind is not GapKind.NUMERIC:
            no_repeated_answers(texts, report, first, gap.case_sensitive)
        if gap.kind is GapKind.SHORT:
            wildcards(texts, report, first)
        first += len(texts)


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


def _gap_data(salt: str, n: int, gap: Gap, resolve: Resolve) -> dict:
    """One blank as the players check it (see keys.py): a drop-down's options in clear (the
    page shows them) with a seal each; typed answers as tags and seals; numbers hidden."""
    prefix = f"g{n}:"
    earned = [{"f": o.fraction, "fb": resolve(o.feedback)} for o in gap.options]
    out: dict = {"kind": gap.kind.value, "points": gap.points}
    if gap.kind is GapKind.DROPDOWN:
        out["texts"] = [o.text for o in gap.options]
        out["boxes"] = keys.choice_seals(salt, prefix, list(earned))
    elif gap.kind is GapKind.SHORT:
        typed = [(o.text, e) for o, e in zip(gap.options, earned, strict=True)]
        out["caseSensitive"] = gap.case_sensitive
        out["answers"] = keys.typed_answers(salt, prefix, typed, gap.case_sensitive)
    else:
        out["answers"] = [
            keys.hidden(salt, f"{prefix}number{j}", {"v": float(o.text), "t": o.tolerance, **e})
            for j, (o, e) in enumerate(zip(gap.options, earned, strict=True))
        ]
    return out


def _data(q: Question, resolve: Resolve) -> dict:
    """The blanks; their right answers only in the hidden key, with a SCORM pattern per blank
    when one is written without wildcards."""
    assert isinstance(q, Cloze)
    salt = keys.salt(q)
    rights = [gap.correct[0].text for gap in q.gaps]
    plain = [next((o.text for o in g.correct if "*" not in o.text), None) for g in q.gaps]
    key = {"gaps": rights, "patterns": plain}
    return {
        "salt": salt,
        "gaps": [_gap_data(salt, n, g, resolve) for n, g in enumerate(q.gaps)],
        "key": keys.hidden(salt, "key", key),
    }


KIND = Kind("cloze", _validate, _form, _data, owns_text=True)
