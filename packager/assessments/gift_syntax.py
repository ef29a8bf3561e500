"""GIFT answer syntax (``=right ~wrong #feedback``, ``#3.14:0.01``, ``a -> b``), shared by the
GIFT reader and the blanks of Markdown cloze questions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..numbers import plain as plain_number
from ..source import MAX_ANSWERS, parse_number

# Escaped characters become private-use characters while the syntax is split.
_ESCAPES = {"\\\\": "\ue000", "\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003",
            "\\{": "\ue004", "\\}": "\ue005", "\\~": "\ue006", "\\n": "\ue007"}  # fmt: skip
_RESTORE = {"\ue000": "\\", "\ue001": ":", "\ue002": "#", "\ue003": "=", "\ue004": "{",
            "\ue005": "}", "\ue006": "~", "\ue007": "\n"}  # fmt: skip
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")


def protect(text: str) -> str:
    for escaped, mark in _ESCAPES.items():
        text = text.replace(escaped, mark)
    return text


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


@dataclass
class Answers:
    kind: str  # "truefalse", "choice", "short", "numeric", "match", "essay"
    options: list[Option] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    general_feedback: str = ""
    truth: bool = False
    wrong_feedback: str = ""  # truefalse: shown for the wrong answer; numeric: any other answer
    right_feedback: str = ""
    errors: list[str] = field(default_factory=list)


def _weight(text: str, default: float) -> tuple[float, str, bool]:
    match = _WEIGHT.match(text)
    if not match:
        return default, text, False
    return float(match[1]) / 100, text[match.end() :], True


def _feedback(text: str) -> tuple[str, str]:
    body, _, feedback = text.partition("#")
    return restore(body.strip()), restore(feedback.strip())


def parse(protected: str) -> Answers:
    """Parse the text between the braces of a GIFT question (already ``protect``-ed)."""
    text = protected.strip()
    general = ""
    if "####" in text:
        text, _, general = text.rpartition("####")
        text = text.strip()
    out = Answers("essay", general_feedback=restore(general.strip()))
    if not text:
        return out
    if text.startswith("#"):
        _numeric(text[1:], out)
    elif "~" in text:
        _choice(text, out)
    elif "=" in text and "->" in text:
        _match(text, out)
    else:
        head = text.split("#", 1)[0].strip()
        if head in ("T", "TRUE", "F", "FALSE"):
            parts = [restore(p.strip()) for p in text.split("#", 2)]
            out.kind = "truefalse"
            out.truth = head in ("T", "TRUE")
            out.wrong_feedback = parts[1] if len(parts) > 1 else ""
            out.right_feedback = parts[2] if len(parts) > 2 else ""
        else:
            _short(text, out)
    return out


def _pieces(text: str, sep: str) -> list[str]:
    """The parts between ``sep``; one more than MAX_ANSWERS at most, which readers report."""
    out: list[str] = []
    for piece in text.split(sep):
        if piece.strip():
            out.append(piece.strip())
            if len(out) > MAX_ANSWERS:
                break
    return out


def _choice(text: str, out: Answers) -> None:
    out.kind = "choice"
    for raw in _pieces(text.replace("=", "~="), "~"):
        if raw.startswith("="):
            fraction, body, weighted = _weight(raw[1:].strip(), 1.0)
        else:
            fraction, body, weighted = _weight(raw, 0.0)
        answer, feedback = _feedback(body)
        out.options.append(Option(answer, fraction, feedback, weighted))


def _short(text: str, out: Answers) -> None:
    out.kind = "short"
    for raw in _pieces(text, "="):
        fraction, body, weighted = _weight(raw, 1.0)
        answer, feedback = _feedback(body)
        out.options.append(Option(answer, fraction, feedback, weighted))


def _match(text: str, out: Answers) -> None:
    out.kind = "match"
    for raw in _pieces(text, "="):
        if "->" not in raw:
            out.errors.append(f'"{restore(raw)}" has no "->"')
            continue
        left, _, right = raw.partition("->")
        out.pairs.append((restore(left.strip()), restore(right.strip())))


def _numeric(text: str, out: Answers) -> None:
    out.kind = "numeric"
    if "~" in text:
        text, _, wrong = text.partition("~")
        out.wrong_feedback = _feedback(wrong)[1] if "#" in wrong else restore(wrong.strip())
    pieces = _pieces(text, "=")
    for raw in pieces:
        fraction, body, weighted = _weight(raw, 1.0)
        answer, feedback = _feedback(body)
        option = Option(answer, fraction, feedback, weighted)
        value, tolerance, error = parse_numeric(answer)
        option.number_error = error
        if not error:
            option.text = plain_number(value)
            option.tolerance = tolerance
        out.options.append(option)


def parse_numeric(text: str) -> tuple[float, float, str]:
    """``3.14:0.01``, ``1..5`` or ``42`` as value and tolerance; an error text when invalid."""
    text = text.strip()
    if ".." in text[1:]:
        low_text, _, high_text = text.partition("..")
        low, high = parse_number(low_text), parse_number(high_text)
        if low is None or high is None or high < low:
            return 0.0, 0.0, f'"{text}" is not a range of numbers such as 1..5'
        return (low + high) / 2, (high - low) / 2, ""
    for sep in (":", "±", "+-"):
        if sep in text:
            value_text, _, tol_text = text.partition(sep)
            value, tol = parse_number(value_text), parse_number(tol_text)
            if value is None or tol is None or tol < 0:
                return 0.0, 0.0, f'"{text}" is not a number with a tolerance such as 3.14 ± 0.01'
            return value, tol, ""
    value = parse_number(text)
    if value is None:
        hint = " (write decimals with a point: 1.5)" if re.fullmatch(r"-?\d+,\d+", text) else ""
        return 0.0, 0.0, f'"{text}" is not a number{hint}'
    return value, 0.0, ""
