"""Reading GIFT question files, so existing Moodle banks can be reused as they are."""

from __future__ import annotations

import html as htmllib
import re

from ..model import (
    Choice,
    Description,
    Essay,
    Location,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Pair,
    Question,
    ShortAnswer,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from ..numbers import percent
from ..source import MAX_ANSWERS, too_many_answers
from . import gift_syntax, grades
from .context import Context, IdRegistry

_FORMAT = re.compile(r"^\[(html|markdown|plain|moodle)\]", re.I)


def chunks(text: str) -> list[tuple[int, str]]:
    """Questions separated by blank lines, with their first line; comment lines dropped."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 1
    for no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            if current:
                out.append((start, "\n".join(current)))
                current = []
            continue
        if line.strip().startswith("//"):
            continue
        if not current:
            start = no
        current.append(line)
    if current:
        out.append((start, "\n".join(current)))
    return out


def read(ctx: Context, text: str, ids: IdRegistry, stem: str) -> list[Question]:
    questions = []
    refused = getattr(ctx, "refused", None)  # the loader's contexts know the file's limits
    for line, chunk in chunks(text):
        if refused is not None and refused():
            break
        question = _question(ctx, chunk, line, ids, stem)
        if question is not None:
            questions.append(question)
    return questions


def _question(ctx: Context, chunk: str, line: int, ids: IdRegistry, stem: str) -> Question | None:
    diags = ctx.diags
    text = gift_syntax.protect(chunk.strip())
    if text.startswith("$CATEGORY:"):
        return None
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end > 0:
            name = gift_syntax.restore(text[2:end]).strip()
            text = text[end + 2 :].strip()
    start, finish = text.find("{"), text.find("}")
    if (start < 0) != (finish < 0) or (start >= 0 and finish < start):
        diags.error(ctx.rel, line, 'the answers of a GIFT question go between "{" and "}"')
        return None
    if start < 0:
        answers = None
        question_text = text
    else:
        answers = gift_syntax.parse(text[start + 1 : finish])
        if len(answers.options) + len(answers.pairs) > MAX_ANSWERS:
            diags.error(ctx.rel, line, too_many_answers())
            return None
        after = text[finish + 1 :].strip()
        question_text = text[:start] + ("_____" + text[finish + 1 :] if after else "")
    question_text = question_text.strip()
    fmt_match = _FORMAT.match(question_text)
    fmt = fmt_match[1].lower() if fmt_match else "moodle"
    if fmt_match:
        question_text = question_text[fmt_match.end() :]

    def render(raw: str) -> str:
        return _render(ctx, raw, fmt, line)

    plain_text = gift_syntax.restore(question_text).strip()
    title = name or _default_name(plain_text)
    common = {
        "id": ids.claim(None, f"{stem}-{title}"),
        "title": title,
        "text": _render(ctx, plain_text, fmt, line),
        "location": Location(ctx.rel, line),
        "general_feedback": render(answers.general_feedback) if answers else "",
    }
    if "@@PLUGINFILE@@" in chunk:
        diags.warning(
            ctx.rel,
            line,
            "this GIFT question refers to files of another Moodle (@@PLUGINFILE@@), "
            "which a GIFT file cannot carry: put the images beside it and link them",
        )
    for error in answers.errors if answers else []:
        diags.error(ctx.rel, line, f"GIFT matching pair {error}")
    if answers is None:
        return Description(**common)
    kind = answers.kind
    if kind == "essay":
        return Essay(**common)
    if kind == "truefalse":
        right, wrong = render(answers.right_feedback), render(answers.wrong_feedback)
        return TrueFalse(
            **common,
            answer=answers.truth,
            feedback_true=right if answers.truth else wrong,
            feedback_false=wrong if answers.truth else right,
        )
    for option in answers.options:
        if grades.snap(option.fraction) is None:
            near = grades.nearest(option.fraction)
            diags.error(
                ctx.rel,
                line,
                f'answer "{option.text}": Moodle cannot store a grade of '
                f"{percent(option.fraction)}%: the nearest grade it can store is "
                f"{percent(near)}%",
            )
            return None
    if kind == "choice":
        choices = [Choice(render(o.text), o.fraction, render(o.feedback)) for o in answers.options]
        single = "=" in text[start + 1 : finish].split("####")[0]
        cls = SingleChoice if single else MultipleChoice
        return cls(**common, choices=choices)
    if kind == "short":
        return ShortAnswer(
            **common,
            answers=[
                TextAnswer(_without_format(o.text), o.fraction, render(o.feedback))
                for o in answers.options
            ],
        )
    if kind == "numeric":
        for option in answers.options:
            if option.number_error:
                diags.error(ctx.rel, line, f"numerical answer {option.number_error}")
                return None
        if answers.wrong_feedback:
            common["incorrect_feedback"] = render(answers.wrong_feedback)
        return Numerical(
            **common,
            answers=[
                NumericAnswer(float(o.text), o.tolerance or 0.0, o.fraction, render(o.feedback))
                for o in answers.options
            ],
        )
    pairs = [Pair(render(left), right) for left, right in answers.pairs if left]
    distractors = [right for left, right in answers.pairs if not left]
    return Matching(**common, pairs=pairs, distractors=distractors)


def _without_format(text: str) -> str:
    """A plain-text answer: Moodle drops a [format] marker in front of it, and so do we."""
    marker = _FORMAT.match(text)
    return text[marker.end() :].strip() if marker else text


def _render(ctx: Context, text: str, fmt: str, line: int) -> str:
    marker = _FORMAT.match(text)
    if marker:  # a text's own [format] comes before the question's, as in Moodle
        fmt, text = marker[1].lower(), text[marker.end() :].strip()
    if not text:
        return ""
    if fmt == "markdown":
        return ctx.snippet(text, line)
    if fmt == "plain":
        return htmllib.escape(text).replace("\n", "<br>")
    if fmt == "moodle":
        text = text.replace("\n", "<br>\n")
    return ctx.html(text, line)


def _default_name(text: str) -> str:
    plain = re.sub(r"<[^<>]+>", "", text)  # [^<>]: a run of "<" is not rescanned
    plain = re.sub(r"\s+", " ", plain).strip()
    return plain[:60] or "Въпрос"
