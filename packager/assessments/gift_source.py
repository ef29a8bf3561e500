"""Reading GIFT question files, so existing Moodle banks can be reused as they are."""

from __future__ import annotations

import html as htmllib
import re

from ..messages import tr
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

Places = dict[int, list[tuple[int, int]]]  # id(question) -> (line, column) of each answer


def chunks(text: str) -> list[tuple[list[int], str]]:
    """Questions separated by blank lines, each with the line of each of its lines; comment
    lines are left out."""
    out: list[tuple[list[int], str]] = []
    current: list[str] = []
    numbers: list[int] = []
    for no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            if current:
                out.append((numbers, "\n".join(current)))
                current, numbers = [], []
            continue
        if line.strip().startswith("//"):
            continue
        current.append(line)
        numbers.append(no)
    if current:
        out.append((numbers, "\n".join(current)))
    return out


def read(
    ctx: Context, text: str, ids: IdRegistry, stem: str, places: Places | None = None
) -> list[Question]:
    """The questions of a GIFT file; ``places`` receives where each one's answers are."""
    questions = []
    refused = getattr(ctx, "refused", None)  # the loader's contexts know the file's limits
    for numbers, chunk in chunks(text):
        if refused is not None and refused():
            break
        question = _Chunk(ctx, chunk, numbers).question(ids, stem, places)
        if question is not None:
            questions.append(question)
    return questions


class _Chunk:
    """One question as written, and where each of its characters is in the file."""

    def __init__(self, ctx: Context, chunk: str, numbers: list[int]) -> None:
        self.ctx = ctx
        self.chunk = chunk
        self.numbers = numbers
        self.line = numbers[0]
        self.protected, self.map = gift_syntax.protect_map(chunk)

    def place(self, offset: int) -> tuple[int, int]:
        """Line and column of an offset in the protected text."""
        at = self.map[min(offset, len(self.map) - 1)]
        row = self.chunk.count("\n", 0, at)
        return self.numbers[row], at - (self.chunk.rfind("\n", 0, at) + 1) + 1

    def error(self, offset: int, message: str) -> None:
        line, col = self.place(offset)
        self.ctx.diags.error(self.ctx.rel, line, message, col)

    def question(self, ids: IdRegistry, stem: str, places: Places | None) -> Question | None:
        ctx = self.ctx
        diags = ctx.diags
        text = self.protected.strip()
        base = len(self.protected) - len(self.protected.lstrip())  # where text starts
        if text.startswith("$CATEGORY:"):
            return None
        name = ""
        if text.startswith("::"):
            end = text.find("::", 2)
            if end > 0:
                name = gift_syntax.restore(text[2:end]).strip()
                rest = text[end + 2 :]
                base += end + 2 + len(rest) - len(rest.lstrip())
                text = rest.strip()
        start, finish = text.find("{"), text.find("}")
        if (start < 0) != (finish < 0) or (start >= 0 and finish < start):
            self.error(
                base + (finish if finish >= 0 else start),
                tr('the answers of a GIFT question go between "{" and "}"'),
            )
            return None
        line = self.line
        if start < 0:
            answers = None
            question_text = text
        else:
            answers = gift_syntax.parse(text[start + 1 : finish])
            if len(answers.options) + len(answers.pairs) > MAX_ANSWERS:
                self.error(base + start, too_many_answers())
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
        plugin = self.chunk.find("@@PLUGINFILE@@")
        if plugin >= 0:
            row = self.chunk.count("\n", 0, plugin)
            diags.warning(
                ctx.rel,
                self.numbers[row],
                tr(
                    "this GIFT question refers to files of another Moodle (@@PLUGINFILE@@), "
                    "which a GIFT file cannot carry: put the images beside it and link them"
                ),
                plugin - (self.chunk.rfind("\n", 0, plugin) + 1) + 1,
            )
        if answers is None:
            return Description(**common)
        inside = base + start + 1  # where the answers start
        if answers.errors:
            for at, error in answers.errors:
                self.error(inside + at, tr("GIFT matching pair {problem}", problem=error))
            return None  # a pair left out would only make the question look short of pairs
        question = self._build(answers, common, render, text[start + 1 : finish], inside)
        if question is not None and places is not None:
            spots = [o.at for o in answers.options]
            if answers.kind == "match":
                pairs = list(zip(answers.pairs, answers.pair_at, strict=True))
                spots = [at for (left, _), at in pairs if left]
                spots += [at for (left, _), at in pairs if not left]
            places[id(question)] = [self.place(inside + at) for at in spots]
        return question

    def _build(self, answers, common: dict, render, inner: str, inside: int) -> Question | None:
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
                self.error(
                    inside + option.at,
                    tr(
                        'answer "{answer}": Moodle cannot store a grade of {grade}%: '
                        "the nearest grade it can store is {nearest}%",
                        answer=option.text,
                        grade=percent(option.fraction),
                        nearest=percent(near),
                    ),
                )
                return None
        if kind == "choice":
            choices = [
                Choice(render(o.text), o.fraction, render(o.feedback)) for o in answers.options
            ]
            single = "=" in inner.split("####")[0]
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
                    self.error(
                        inside + option.at,
                        tr("numerical answer {problem}", problem=option.number_error),
                    )
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
