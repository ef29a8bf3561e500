"""GIFT answer syntax (``=right ~wrong #feedback``, ``#3.14:0.01``, ``a -> b``), shared by the
GIFT reader and the blanks of Markdown cloze questions.

Every option and pair keeps where it starts (``at``: an offset in the text given to
:func:`parse`), so that a problem can be reported at its column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..messages import tr
from ..numbers import plain as plain_number
from ..source import MAX_ANSWERS, number_hint, parse_number

# Escaped characters become private-use characters while the syntax is split.
_ESCAPES = {"\\\\": "\ue000", "\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003",
            "\\{": "\ue004", "\\}": "\ue005", "\\~": "\ue006", "\\n": "\ue007"}  # fmt: skip
_RESTORE = {"\ue000": "\\", "\ue001": ":", "\ue002": "#", "\ue003": "=", "\ue004": "{",
            "\ue005": "}", "\ue006": "~", "\ue007": "\n"}  # fmt: skip
_ESCAPE = re.compile(r"\\[\\:#={}~n]")
# a weight: %50%, %-33.33333%, %33,3% (a decimal comma too)
_WEIGHT = re.compile(r"^%(-?\d+(?:[.,]\d*)?)%")


def protect(text: str) -> str:
    for escaped, mark in _ESCAPES.items():
        text = text.replace(escaped, mark)
    return text


def protect_map(text: str) -> tuple[str, list[int]]:
    """:func:`protect`, and for each character of the result (and its end) the offset in
    ``text`` of what it stands for."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for match in _ESCAPE.finditer(text):
        out.append(text[pos : match.start()])
        where.extend(range(pos, match.start()))
        out.append(_ESCAPES[match[0]])
        where.append(match.start())
        pos = match.end()
    out.append(text[pos:])
    where.extend(range(pos, len(text) + 1))
    return "".join(out), where


def restore(text: str) -> str:
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text


def escape(text: str) -> str:
    """Escape GIFT's reserved characters in a text written into a GIFT file."""
    out = text.replace("\\", "\\\\")
    for char in ":#=~{}":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


@dataclass
class Option:
    text: str  # restored (unescaped) text
    fraction: float
    feedback: str = ""
    weighted: bool = False  # the fraction was written as %n%
    tolerance: float | None = None  # numeric answers
    number_error: str = ""  # numeric answers: why the text is not a number
    at: int = 0  # where the option starts (its "=" or "~")


@dataclass
class Answers:
    kind: str  # "truefalse", "choice", "short", "numeric", "match", "essay"
    options: list[Option] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    pair_at: list[int] = field(default_factory=list)  # where each pair starts
    general_feedback: str = ""
    truth: bool = False
    wrong_feedback: str = ""  # truefalse: shown for the wrong answer; numeric: any other answer
    right_feedback: str = ""
    errors: list[tuple[int, str]] = field(default_factory=list)  # where, and what


def _weight(text: str, default: float) -> tuple[float, str, bool]:
    match = _WEIGHT.match(text)
    if not match:
        return default, text, False
    return float(match[1].replace(",", ".")) / 100, text[match.end() :], True


def _feedback(text: str) -> tuple[str, str]:
    body, _, feedback = text.partition("#")
    return restore(body.strip()), restore(feedback.strip())


def parse(protected: str) -> Answers:
    """Parse the text between the braces of a GIFT question (already ``protect``-ed)."""
    base = len(protected) - len(protected.lstrip())
    text = protected.strip()
    general = ""
    if "####" in text:
        text, _, general = text.rpartition("####")
        text = text.rstrip()
    out = Answers("essay", general_feedback=restore(general.strip()))
    if not text:
        return out
    if text.startswith("#"):
        _numeric(text[1:], out, base + 1)
    elif "~" in text:
        _choice(text, out, base)
    elif "=" in text and "->" in text:
        _match(text, out, base)
    else:
        head = text.split("#", 1)[0].strip()
        if head in ("T", "TRUE", "F", "FALSE"):
            parts = [restore(p.strip()) for p in text.split("#", 2)]
            out.kind = "truefalse"
            out.truth = head in ("T", "TRUE")
            out.wrong_feedback = parts[1] if len(parts) > 1 else ""
            out.right_feedback = parts[2] if len(parts) > 2 else ""
        else:
            _short(text, out, base)
    return out


def _pieces(text: str, seps: str, base: int, keep: bool = False) -> list[tuple[int, str]]:
    """The parts between any of ``seps``, stripped, each with where it starts (its separator,
    or its first character), ``base`` added; the separator kept in front of the part when
    ``keep``. One more than MAX_ANSWERS at most, which readers report."""
    out: list[tuple[int, str]] = []
    begin, opened = 0, False  # opened: the part starts with its separator
    bounds = re.finditer(f"[{re.escape(seps)}]", text)
    while True:
        bound = next(bounds, None)
        end = bound.start() if bound else len(text)
        piece = text[begin:end]
        inner = piece[1:] if opened else piece
        if inner.strip():
            lead = len(inner) - len(inner.lstrip())
            at = begin if opened else begin + lead
            out.append((base + at, (piece[:1] if opened and keep else "") + inner.strip()))
            if len(out) > MAX_ANSWERS:
                break
        if bound is None:
            break
        begin, opened = end, True
    return out


def _choice(text: str, out: Answers, base: int) -> None:
    out.kind = "choice"
    for at, raw in _pieces(text, "~=", base, keep=True):
        if raw.startswith("="):
            fraction, body, weighted = _weight(raw[1:].strip(), 1.0)
        else:
            fraction, body, weighted = _weight(raw.removeprefix("~").strip(), 0.0)
        answer, feedback = _feedback(body)
        out.options.append(Option(answer, fraction, feedback, weighted, at=at))


def _short(text: str, out: Answers, base: int) -> None:
    out.kind = "short"
    for at, raw in _pieces(text, "=", base):
        fraction, body, weighted = _weight(raw, 1.0)
        answer, feedback = _feedback(body)
        out.options.append(Option(answer, fraction, feedback, weighted, at=at))


def _match(text: str, out: Answers, base: int) -> None:
    out.kind = "match"
    for at, raw in _pieces(text, "=", base):
        if "->" not in raw:
            out.errors.append((at, tr('"{pair}" has no "->"', pair=restore(raw))))
            continue
        left, _, right = raw.partition("->")
        out.pairs.append((restore(left.strip()), restore(right.strip())))
        out.pair_at.append(at)


def _numeric(text: str, out: Answers, base: int) -> None:
    out.kind = "numeric"
    if "~" in text:
        text, _, wrong = text.partition("~")
        out.wrong_feedback = _feedback(wrong)[1] if "#" in wrong else restore(wrong.strip())
    for at, raw in _pieces(text, "=", base):
        fraction, body, weighted = _weight(raw, 1.0)
        answer, feedback = _feedback(body)
        option = Option(answer, fraction, feedback, weighted, at=at)
        value, tolerance, error = parse_numeric(answer)
        option.number_error = error
        if not error:
            option.text = plain_number(value)
            option.tolerance = tolerance
        out.options.append(option)


def parse_numeric(text: str) -> tuple[float, float, str]:
    """``3.14:0.01``, ``3,14 ± 0,01``, ``1..5`` or ``42`` as value and tolerance; an error text
    when invalid. A decimal comma is read as a decimal point."""
    text = text.strip()
    if ".." in text[1:]:
        low_text, _, high_text = text.partition("..")
        low, high = parse_number(low_text), parse_number(high_text)
        if low is None or high is None or high < low:
            return 0.0, 0.0, tr('"{text}" is not a range of numbers such as 1..5', text=text)
        return (low + high) / 2, (high - low) / 2, ""
    for sep in (":", "±", "+-"):
        if sep in text:
            value_text, _, tol_text = text.partition(sep)
            value, tol = parse_number(value_text), parse_number(tol_text)
            if value is None or tol is None or tol < 0:
                return (
                    0.0,
                    0.0,
                    tr(
                        '"{text}" is not a number with a tolerance such as 3.14 ± 0.01',
                        text=text,
                    ),
                )
            return value, tol, ""
    value = parse_number(text)
    if value is None:
        return 0.0, 0.0, tr('"{text}" is not a number', text=text) + number_hint(text)
    return value, 0.0, ""
