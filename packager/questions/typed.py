"""Answers the learner types: short answer (text, with * as a wildcard) and numerical (a number
within a tolerance)."""

from __future__ import annotations

from ..messages import tr
from ..model import Numerical, Question, ShortAnswer
from . import Kind, Report, Resolve, keys
from .common import esc, no_repeated_answers, wildcards


def _validate(q: Question, report: Report) -> None:
    assert isinstance(q, ShortAnswer | Numerical)
    if not q.answers:
        report.error(tr('no accepted answer: add one such as "- = answer"'))
    elif not any(a.fraction >= 1.0 for a in q.answers):
        report.error(tr("no answer is worth 100%"))
    if isinstance(q, ShortAnswer):
        texts = [a.text for a in q.answers]
        no_repeated_answers(texts, report, case_sensitive=q.case_sensitive)
        wildcards(texts, report)


def _form(q: Question, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    mode = ' inputmode="decimal"' if isinstance(q, Numerical) else ""
    return (
        f'<p><label for="{qid}-answer">{esc(s["your_answer"])}</label> '
        f'<input type="text" id="{qid}-answer" name="{qid}" autocomplete="off"{mode}></p>\n'
    )


def _short_data(q: Question, resolve: Resolve) -> dict:
    """Accepted answers as tags and seals (see keys.py); the right answer only in the hidden
    key, with a SCORM pattern when one is written without wildcards."""
    assert isinstance(q, ShortAnswer)
    salt = keys.salt(q)
    earned = [(a.text, {"f": a.fraction, "fb": resolve(a.feedback)}) for a in q.answers]
    right = [a.text for a in q.answers if a.fraction >= 1]
    plain = [t for t in right if "*" not in t]
    key = {"text": right[0] if right else "", "pattern": plain[0] if plain else None}
    return {
        "salt": salt,
        "answers": keys.typed_answers(salt, "", earned, q.case_sensitive),
        "caseSensitive": q.case_sensitive,
        "key": keys.hidden(salt, "key", key),
    }


def moodle_spellings(text: str) -> list[str]:
    """The spellings of an accepted answer that Moodle's short answer needs in order to accept
    what the site and SCORM accept (see keys.normalise): the answer as written first, then
    with straight, „…“ and “…” quotes (when it has quotes), each without and with a final full
    stop. Letter case is Moodle's own setting and it trims spaces at the ends; other trailing
    punctuation and runs of spaces Moodle still counts."""
    t = " ".join(text.translate(keys.QUOTES).split())
    stem = keys.TRAILING.sub("", t) or t
    quoted = [stem]
    if stem.count('"') >= 2 and stem.count('"') % 2 == 0:
        parts = stem.split('"')
        for left, right in (("\u201e", "\u201c"), ("\u201c", "\u201d")):
            quoted.append(
                parts[0] + "".join((left, right)[k % 2] + p for k, p in enumerate(parts[1:]))
            )
    if "'" in stem:
        quoted += [v.replace("'", "\u2019") for v in quoted]
    out = [text]
    for v in quoted:
        out += [v] if v.endswith("*") else [v, v + "."]
    return list(dict.fromkeys(out))


def _number_key(value: float, tolerance: float) -> dict:
    """The right number as the player shows it and SCORM reports it: exact decimal texts."""
    low, high = keys.bounds(value, tolerance)
    return {
        "value": keys.exact(value),
        "tolerance": keys.exact(tolerance) if tolerance else "",
        "low": low,
        "high": high,
    }


def _numerical_data(q: Question, resolve: Resolve) -> dict:
    """Each answer's number, tolerance, grade and feedback hidden under a key from the salt
    alone (a range cannot be tagged: obfuscated, not secret); the unit in clear."""
    assert isinstance(q, Numerical)
    salt = keys.salt(q)
    answers = [
        keys.hidden(
            salt,
            f"number{i}",
            {"v": a.value, "t": a.tolerance, "f": a.fraction, "fb": resolve(a.feedback)},
        )
        for i, a in enumerate(q.answers)
    ]
    right = next((a for a in q.answers if a.fraction >= 1), None)
    key = _number_key(right.value, right.tolerance) if right else {}
    return {
        "salt": salt,
        "unit": q.unit,
        "answers": answers,
        "key": keys.hidden(salt, "key", key),
    }


SHORT = Kind("short", _validate, _form, _short_data)
NUMERICAL = Kind("numerical", _validate, _form, _numerical_data)
