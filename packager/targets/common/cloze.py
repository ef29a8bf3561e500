"""Moodle's embedded-answers (Cloze) syntax, one grammar for every Moodle format: the Moodle XML
bank writes each blank into the question text, the course backup keeps it as the text of each
blank's sub-question.

Moodle reads an answer up to the first ``~``, ``#`` or ``}`` that no ``\\`` (or ``&``) stands
before, then decodes HTML entities and turns ``\\}`` and ``\\#`` back into ``}`` and ``#``; a
``\\~`` would stay as it is. So: ``}`` and ``#`` are escaped with a backslash, ``~`` is written as
the entity ``&#126;``, the rest of the answer is HTML-escaped, and a trailing backslash becomes
``&#92;`` so it cannot escape the separator after it. Feedback ends at ``~`` or ``}`` and is
treated the same way.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from ...model import Gap, GapKind
from ...numbers import percent, plain

TILDE = "&#126;"
_KIND = {GapKind.DROPDOWN: "MULTICHOICE", GapKind.NUMERIC: "NUMERICAL"}


def answer_text(text: str, tilde: str = TILDE) -> str:
    escaped = html.escape(text, quote=False).replace("}", "\\}").replace("#", "\\#")
    escaped = escaped.replace("~", tilde)
    return escaped[:-1] + "&#92;" if escaped.endswith("\\") else escaped


def feedback_text(text: str, tilde: str = TILDE) -> str:
    """Feedback is HTML already: only the separators are escaped."""
    escaped = text.replace("}", "\\}").replace("~", tilde)
    return escaped[:-1] + "&#92;" if escaped.endswith("\\") else escaped


def gap_code(
    gap: Gap,
    weight: str,
    *,
    shuffle: bool = False,
    tilde: str = TILDE,
    feedback: Callable[[str], str] = lambda h: h,
) -> str:
    """One blank: ``{weight:TYPE:=right#feedback~%50%partly~wrong}``."""
    kind = _KIND.get(gap.kind) or ("SHORTANSWER_C" if gap.case_sensitive else "SHORTANSWER")
    if gap.kind is GapKind.DROPDOWN and shuffle:
        kind += "_S"
    options = []
    for o in gap.options:
        mark = "=" if o.fraction >= 1.0 else (f"%{percent(o.fraction)}%" if o.fraction else "")
        if gap.kind is GapKind.NUMERIC:
            value = plain(float(o.text)) + (f":{plain(o.tolerance)}" if o.tolerance else "")
        else:
            value = answer_text(o.text, tilde)
        fb = f"#{feedback_text(feedback(o.feedback), tilde)}" if o.feedback else ""
        options.append(f"{mark}{value}{fb}")
    return "{" + f"{weight}:{kind}:" + "~".join(options) + "}"
