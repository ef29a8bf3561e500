"""Questions written in Markdown.

A question is a ``## heading`` followed by its text and its answers::

    ## Столица {#capital points=2}
    Коя е столицата на Испания?

    - (x) Мадрид
      > Да, от 1561 г.
    - ( ) Барселона

    Обратна връзка: Мадрид е столица от XVI век.

Answers: ``(x)``/``( )`` one right answer, ``[x]``/``[ ]`` several, ``= text`` accepted
answers (numbers make a numerical question), ``a -> b`` matching pairs, ``{{…}}`` blanks in
the text. Essays, ordering and descriptions say so with ``{type=…}``.
See docs/assessments.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import schema
from ..diagnostics import did_you_mean
from ..model import (
    Choice,
    Cloze,
    Description,
    Essay,
    Gap,
    GapKind,
    GapOption,
    Location,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Ordering,
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

# the question settings and the words for each type: declared once, in packager/schema.py
TYPES = schema.QUESTION_TYPES
ATTRS = schema.QUESTION.names()
LABELS = {
    "general_feedback": ("обратна връзка", "обща обратна връзка", "feedback", "general feedback"),
    "correct_feedback": ("при верен отговор", "correct feedback", "correct"),
    "partial_feedback": ("при частично верен отговор", "partially correct feedback",
                         "partially correct"),
    "incorrect_feedback": ("при грешен отговор", "при неверен отговор", "incorrect feedback",
                           "incorrect"),
    "hint": ("подсказка", "hint"),
    "grader_info": ("указания за оценяващия", "за оценяващия", "information for graders",
                    "grader info"),
    "template": ("шаблон за отговора", "шаблон", "response template", "template"),
}  # fmt: skip
_LABEL_OF = {alias: key for key, aliases in LABELS.items() for alias in aliases}
# whitespace is matched possessively (*+): a long run of spaces is not split every way
_LABEL = re.compile(
    r"^(?P<quote>>\s?)?\s*+(?:(?:\*\*|__)\s*+)?(?P<label>"
    + "|".join(re.escape(a) for a in sorted(_LABEL_OF, key=len, reverse=True))
    + r")\s*+(?:(?:\*\*|__)\s*+:|:\s*+(?:\*\*|__)?)\s*+(?P<rest>.*)$",
    re.I,
)
_HEADING = re.compile(r"^##(?!#)\s*(?P<text>.*?)\s*#*\s*$")
_ATTRS = re.compile(r"\s\{(?P<attrs>[^{}]*)\}\s*$")
_TOKEN = re.compile(
    r"#(?P<id>[^\s}]+)"
    r"|(?P<key>[\w-]+)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"']+))"
    r"|(?P<bad>\S+)"
)
_ITEM = re.compile(r"^(?P<indent> {0,3})(?P<bullet>[-*+]|\d{1,3}[.)])[ \t]+(?P<rest>.*)$")
_RADIO = re.compile(r"^\((?P<mark>[xXхХ ]?)\)\s*(?P<text>.*)$")
_CHECK = re.compile(r"^\[(?P<mark>[xXхХ ]?)\]\s*(?P<text>.*)$")
_ACCEPT = re.compile(r"^=\s*(?P<text>.*)$")
_WEIGHT = re.compile(r"(?<!\s)\s*+\{\s*+(?P<pct>[+-]?\d+(?:[.,]\d+)?)\s*+%\s*+\}\s*+$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_GAP_TOKEN = "\u2063gap{}\u2063"
_GAP_SPLIT = re.compile("\u2063gap(\\d+)\u2063")
_TRUE_WORDS = {"вярно", "true"}
_FALSE_WORDS = {"невярно", "false"}


@dataclass
class Line:
    no: int
    text: str


@dataclass
class Block:
    """One question as written: its heading and the lines under it."""

    line: int
    heading: str
    lines: list[Line]
    col: int = 1  # the heading text's column


@dataclass
class Entry:
    """An answer item or a labelled text after the question text."""

    kind: str  # "radio", "check", "accept", "pair", "plain" or a LABELS key
    line: int
    text: list[str]
    feedback: list[str] = field(default_factory=list)
    feedback_line: int = 0
    mark: bool = False
    weight: float | None = None


def split(body: str, first_line: int) -> tuple[str, int, list[Block]]:
    """The text before the first question, its line, and the questions."""
    intro: list[str] = []
    blocks: list[Block] = []
    fenced = False
    for offset, text in enumerate(body.split("\n")):
        no = first_line + offset
        if _FENCE.match(text):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(text)
        if heading:
            blocks.append(Block(no, heading["text"], [], heading.start("text") + 1))
        elif blocks:
            blocks[-1].lines.append(Line(no, text))
        else:
            intro.append(text)
    return "\n".join(intro), first_line, blocks


def explicit_id(block: Block) -> tuple[str, int] | None:
    """The ``{#id}`` of a question heading and its column, if any."""
    match = _ATTRS.search(" " + block.heading)
    if match:
        for token in _TOKEN.finditer(match["attrs"]):
            if token["id"]:
                return token["id"], block.col + match.start("attrs") + token.start() - 1
    return None


def parse_question(ctx: Context, block: Block, ids: IdRegistry) -> Question | None:
    return _QuestionParser(ctx, block, ids).parse()


class _QuestionParser:
    def __init__(self, ctx: Context, block: Block, ids: IdRegistry) -> None:
        self.ctx = ctx
        self.block = block
        self.ids = ids
        self.ok = True

    def error(self, line: int, message: str) -> None:
        self.ok = False
        self.ctx.diags.error(self.ctx.rel, line, message)

    def warning(self, line: int, message: str) -> None:
        self.ctx.diags.warning(self.ctx.rel, line, message)

    # ---------------------------------------------------------------------------------------

    def parse(self) -> Question | None:
        block = self.block
        title, attrs = self._heading()
        text_lines, entries = self._body()
        kind = self._kind(attrs.get("type"), entries, text_lines)
        if kind is None:
            return None
        if kind == "ordering" and not any(e.kind == "plain" for e in entries):
            text_lines, entries = self._ordering_items(text_lines, entries)
        if len(entries) > MAX_ANSWERS:
            self.error(entries[MAX_ANSWERS].line, too_many_answers())
            return None
        common = self._common(title, attrs, entries, kind)
        common["text"] = ""
        builder = getattr(self, f"_build_{kind}")
        question = builder(common, attrs, text_lines, entries)
        if question is None:
            return None
        if not isinstance(question, Cloze):
            question.text = self._text(text_lines) or self.ctx.snippet(title, block.line)
        return question if self.ok else None

    def _heading(self) -> tuple[str, dict[str, tuple[str, int]]]:
        text = self.block.heading
        attrs: dict[str, tuple[str, int]] = {}
        match = _ATTRS.search(" " + text)
        if match:
            text = (" " + text)[: match.start()].strip()
            for token in _TOKEN.finditer(match["attrs"]):
                if token["id"]:
                    attrs["id"] = (token["id"], self.block.line)
                elif token["key"]:
                    key = token["key"]
                    value = token["dq"] if token["dq"] is not None else token["sq"]
                    value = value if value is not None else token["bare"]
                    if key not in ATTRS:
                        self.warning(
                            self.block.line,
                            f'unknown question setting "{key}"{did_you_mean(key, ATTRS)}; '
                            "it is ignored",
                        )
                    attrs[key] = (value, self.block.line)
                else:
                    self.warning(
                        self.block.line,
                        f'"{token["bad"]}" in the question\'s {{…}} is not "key=value" or "#id"; '
                        "it is ignored",
                    )
        if not text:
            self.error(self.block.line, "the question needs a title after ##")
            text = "?"
        return text, attrs

    def _body(self) -> tuple[list[Line], list[Entry]]:
        lines = self.block.lines
        fenced = False
        split_at = len(lines)
        for i, line in enumerate(lines):
            if _FENCE.match(line.text):
                fenced = not fenced
            if not fenced and (self._answer_item(line.text) or _LABEL.match(line.text)):
                split_at = i
                break
        text_lines = lines[:split_at]
        entries: list[Entry] = []
        current: Entry | None = None
        quoted = False
        for line in lines[split_at:]:
            raw = line.text
            label = _LABEL.match(raw)
            item = self._answer_item(raw)
            if label:
                key = _LABEL_OF[label["label"].lower()]
                current = Entry(key, line.no, [label["rest"]])
                quoted = bool(label["quote"])
                entries.append(current)
            elif item:
                current = item
                item.line = line.no
                entries.append(current)
                quoted = False
            elif not raw.strip():
                if current is not None:
                    current.text.append("")
            elif current is not None and current.kind in LABELS:
                current.text.append(re.sub(r"^>\s?", "", raw) if quoted else raw)
            elif current is not None and raw.startswith(("  ", "\t")):
                inner = raw.strip()
                if inner.startswith(">"):
                    if not current.feedback:
                        current.feedback_line = line.no
                    current.feedback.append(re.sub(r"^>\s?", "", inner))
                elif current.feedback:
                    current.feedback.append(inner)
                else:
                    current.text.append(inner)
            else:
                self.error(
                    line.no,
                    "text after the answers must start with a label such as "
                    '"Обратна връзка:" or "Подсказка:", or be indented under an answer',
                )
                current = None
        return text_lines, entries

    def _answer_item(self, raw: str) -> Entry | None:
        match = _ITEM.match(raw)
        if not match or match["bullet"][0].isdigit():
            return None
        rest = match["rest"]
        for kind, pattern in (("radio", _RADIO), ("check", _CHECK), ("accept", _ACCEPT)):
            found = pattern.match(rest)
            if found:
                text = found["text"]
                mark = kind != "accept" and found["mark"].strip() != ""
                return Entry(kind, 0, [text], mark=mark)
        if "->" in rest:
            return Entry("pair", 0, [rest])
        return None

    def _ordering_items(
        self, text_lines: list[Line], entries: list[Entry]
    ) -> tuple[list[Line], list[Entry]]:
        """For an ordering question: the last list of the text holds the items."""
        end = len(text_lines)
        while end and not text_lines[end - 1].text.strip():
            end -= 1
        start = end
        while start > 0:
            line = text_lines[start - 1]
            if _ITEM.match(line.text) or (line.text.startswith(("  ", "\t")) and start < end):
                start -= 1
            else:
                break
        items: list[Entry] = []
        for line in text_lines[start:end]:
            match = _ITEM.match(line.text)
            if match:
                items.append(Entry("plain", line.no, [match["rest"]]))
            elif items:
                items[-1].text.append(line.text.strip())
        return text_lines[:start], items + entries

    def _kind(
        self, declared: tuple[str, int] | None, entries: list[Entry], text: list[Line]
    ) -> str | None:
        kinds = {e.kind for e in entries if e.kind in ("radio", "check", "accept", "pair")}
        if declared:
            name, line = declared
            kind = TYPES.get(name.lower())
            if kind is None:
                self.error(line, f'unknown question type "{name}"{did_you_mean(name, TYPES)}')
                return None
            return kind
        if len(kinds) > 1:
            self.error(
                self.block.line,
                "the answers mix different kinds of markers ("
                + ", ".join(sorted(_MARKER_NAMES[k] for k in kinds))
                + "): use one kind per question",
            )
            return None
        if kinds == {"radio"}:
            radios = [e for e in entries if e.kind == "radio"]
            words = {_plain(" ".join(e.text)).lower() for e in radios}
            if len(radios) == 2 and words in ({"вярно", "невярно"}, {"true", "false"}):
                return "truefalse"
            return "single"
        if kinds == {"check"}:
            return "multiple"
        if kinds == {"pair"}:
            return "matching"
        if kinds == {"accept"}:
            values = [_strip_weight(" ".join(e.text))[0] for e in entries if e.kind == "accept"]
            numeric = all(not gift_syntax.parse_numeric(v)[2] for v in values)
            return "numerical" if numeric else "short"
        joined = "\n".join(line.text for line in text)
        if _gaps(joined):
            return "cloze"
        self.error(
            self.block.line,
            'the question has no answers: add choices such as "- (x) right" / "- ( ) wrong", '
            "or say what it is with {type=essay} or {type=description}",
        )
        return None

    # ---------------------------------------------------------------------------------------
    # shared parts

    def _common(
        self, title: str, attrs: dict[str, tuple[str, int]], entries: list[Entry], kind: str
    ) -> dict:
        explicit = attrs.get("id", (None, 0))[0]
        ident = self.ids.claim(explicit, title)
        out: dict = {
            "id": ident,
            "title": title,
            "location": Location(self.ctx.rel, self.block.line),
            "tags": [t.strip() for t in attrs.get("tags", ("", 0))[0].split(",") if t.strip()],
            "hints": [],
        }
        if "points" in attrs:
            value, line = attrs["points"]
            points = _number(value)
            if points is None or points < 0:
                self.error(line, f'points must be a number of 0 or more, not "{value}"')
            else:
                out["points"] = points
        for entry in entries:
            if entry.kind not in LABELS or entry.kind in ("grader_info", "template"):
                continue
            html = self._markdown(entry.text, entry.line)
            if entry.kind == "hint":
                out["hints"].append(html)
            elif out.get(entry.kind):
                self.error(entry.line, f"{_label_name(entry.kind)} is given twice")
            else:
                out[entry.kind] = html
        return out

    def _markdown(self, lines: list[str], first: int) -> str:
        return self.ctx.snippet(_dedent("\n".join(lines)).strip(), first)

    def _inline(self, lines: list[str], first: int) -> str:
        return self.ctx.inline(_dedent("\n".join(lines)).strip(), first)

    def _text(self, lines: list[Line]) -> str:
        while lines and not lines[0].text.strip():
            lines = lines[1:]
        if not lines:
            return ""
        return self.ctx.snippet("\n".join(line.text for line in lines).strip(), lines[0].no)

    def _bool(self, attrs: dict, key: str) -> bool | None:
        if key not in attrs:
            return None
        value, line = attrs[key]
        low = value.lower()
        if low in ("true", "yes", "да"):
            return True
        if low in ("false", "no", "не"):
            return False
        self.error(line, f'{key} must be true or false, not "{value}"')
        return None

    def _int(self, attrs: dict, key: str) -> int | None:
        if key not in attrs:
            return None
        value, line = attrs[key]
        if not re.fullmatch(r"\d+", value):
            self.error(line, f'{key} must be a whole number, not "{value}"')
            return None
        return int(value)

    def _only(self, entries: list[Entry], allowed: set[str], what: str) -> list[Entry]:
        answers = []
        for e in entries:
            if e.kind in LABELS:
                if e.kind in ("grader_info", "template") and what != "an essay":
                    self.warning(e.line, f"{_label_name(e.kind)} is used only by essays; ignored")
                continue
            if e.kind not in allowed:
                self.error(
                    e.line, f"a {_MARKER_NAMES.get(e.kind, e.kind)} does not belong in {what}"
                )
                continue
            answers.append(e)
        return answers

    def _weight(self, entry: Entry) -> tuple[str, float | None]:
        """The entry's text without a trailing {50%}, and that weight as a listed fraction."""
        text, pct = _strip_weight(" ".join(entry.text[:1]))
        rest = entry.text[1:]
        text = "\n".join([text, *rest]) if rest else text
        if pct is None:
            return text, None
        fraction = pct / 100
        valid = grades.snap(fraction)
        if valid is None:
            near = grades.nearest(fraction)
            self.error(
                entry.line,
                f"Moodle cannot store a grade of {percent(fraction)}%: "
                f"the nearest grade it can store is {percent(near)}%",
            )
            return text, None
        return text, valid

    def _feedback(self, entry: Entry) -> str:
        return self._inline(entry.feedback, entry.feedback_line) if entry.feedback else ""

    # ---------------------------------------------------------------------------------------
    # one builder per type

    def _build_single(self, common, attrs, text, entries) -> Question | None:
        answers = self._only(entries, {"radio"}, "a single-choice question")
        choices = []
        for entry in answers:
            body, weight = self._weight(entry)
            fraction = 1.0 if entry.mark else (weight or 0.0)
            if entry.mark and weight not in (None, 1.0):
                self.error(
                    entry.line,
                    "the right answer (x) is worth 100%; "
                    "mark others ( ) with {50%} for partial credit",
                )
            choices.append(
                Choice(self._inline([body], entry.line), fraction, self._feedback(entry))
            )
        return SingleChoice(**common, choices=choices, shuffle=self._bool(attrs, "shuffle"))

    def _build_multiple(self, common, attrs, text, entries) -> Question | None:
        answers = self._only(entries, {"check"}, "a multiple-choice question")
        negative = self._bool(attrs, "negative")
        weighted = [self._weight(e) for e in answers]
        right = [e for e in answers if e.mark]
        wrong = [e for e in answers if not e.mark]
        explicit_right = [
            w for (_, w), e in zip(weighted, answers, strict=True) if e.mark and w is not None
        ]
        share = grades.share(len(right))
        penalty = -grades.share(len(wrong)) if negative and wrong else 0.0
        choices = []
        for entry, (body, weight) in zip(answers, weighted, strict=True):
            if weight is not None:
                fraction = weight
                if entry.mark and weight <= 0:
                    self.error(entry.line, "a right answer [x] needs a positive grade")
                elif not entry.mark and weight > 0:
                    self.error(entry.line, "a wrong answer [ ] cannot have a positive grade")
            elif entry.mark:
                fraction = share if not explicit_right else 0.0
            else:
                fraction = penalty
            choices.append(
                Choice(self._inline([body], entry.line), fraction, self._feedback(entry))
            )
        if explicit_right and len(explicit_right) != len(right):
            self.error(
                self.block.line,
                "give a grade such as {50%} to every right answer [x], or to none of them",
            )
        return MultipleChoice(**common, choices=choices, shuffle=self._bool(attrs, "shuffle"))

    def _build_truefalse(self, common, attrs, text, entries) -> Question | None:
        answers = self._only(entries, {"radio"}, "a true/false question")
        truth = None
        feedback = {True: "", False: ""}
        for entry in answers:
            word = _plain(" ".join(entry.text)).lower()
            value = word in _TRUE_WORDS
            if word not in _TRUE_WORDS | _FALSE_WORDS:
                self.error(
                    entry.line, 'a true/false question has two answers: "Вярно" and "Невярно"'
                )
                continue
            feedback[value] = self._feedback(entry)
            if entry.mark:
                if truth is not None:
                    self.error(entry.line, "a true/false question has one right answer")
                truth = value
        if truth is None:
            self.error(self.block.line, 'no right answer: mark "Вярно" or "Невярно" with (x)')
            return None
        return TrueFalse(
            **common, answer=truth, feedback_true=feedback[True], feedback_false=feedback[False]
        )

    def _build_short(self, common, attrs, text, entries) -> Question | None:
        answers = []
        for entry in self._only(entries, {"accept"}, "a short-answer question"):
            body, weight = self._weight(entry)
            answers.append(
                TextAnswer(_plain(body), 1.0 if weight is None else weight, self._feedback(entry))
            )
        case = self._bool(attrs, "case_sensitive")
        return ShortAnswer(**common, answers=answers, case_sensitive=bool(case))

    def _build_numerical(self, common, attrs, text, entries) -> Question | None:
        answers = []
        for entry in self._only(entries, {"accept"}, "a numerical question"):
            body, weight = self._weight(entry)
            value, tolerance, error = gift_syntax.parse_numeric(_plain(body))
            if error:
                self.error(entry.line, f"numerical answer {error}")
                continue
            answers.append(
                NumericAnswer(
                    value, tolerance, 1.0 if weight is None else weight, self._feedback(entry)
                )
            )
        return Numerical(**common, answers=answers)

    def _build_matching(self, common, attrs, text, entries) -> Question | None:
        pairs, distractors = [], []
        for entry in self._only(entries, {"pair"}, "a matching question"):
            left, _, right = " ".join(entry.text).partition("->")
            left, right = left.strip(), _plain(right.strip())
            if not right:
                self.error(entry.line, 'a pair needs an answer after "->"')
            elif not left:
                distractors.append(right)
            else:
                pairs.append(Pair(self._inline([left], entry.line), right))
        return Matching(
            **common, pairs=pairs, distractors=distractors, shuffle=self._bool(attrs, "shuffle")
        )

    def _build_ordering(self, common, attrs, text, entries) -> Question | None:
        items = [
            self._inline(e.text, e.line)
            for e in self._only(entries, {"plain"}, "an ordering question")
        ]
        return Ordering(**common, items=items)

    def _build_essay(self, common, attrs, text, entries) -> Question | None:
        self._only(entries, set(), "an essay")
        grader = next((e for e in entries if e.kind == "grader_info"), None)
        template = next((e for e in entries if e.kind == "template"), None)
        lines = self._int(attrs, "lines")
        return Essay(
            **common,
            min_words=self._int(attrs, "min_words"),
            max_words=self._int(attrs, "max_words"),
            lines=lines or 10,
            grader_info=self._markdown(grader.text, grader.line) if grader else "",
            template=_dedent("\n".join(template.text)).strip() if template else "",
        )

    def _build_description(self, common, attrs, text, entries) -> Question | None:
        self._only(entries, set(), "a description")
        return Description(**common)

    def _build_cloze(self, common, attrs, text, entries) -> Question | None:
        self._only(entries, set(), "a fill-in-the-blanks question")
        while text and not text[0].text.strip():
            text = text[1:]
        if not text:
            self.error(self.block.line, "the question has no text with {{blanks}}")
            return None
        # the marks that stand for blanks while the text is rendered cannot come from the text
        source = "\n".join(line.text for line in text).replace("\u2063", "")
        first = text[0].no
        gaps: list[Gap] = []
        pieces: list[str] = []
        pos = line = 0
        for start, end, inner in _gaps(source):
            line += source.count("\n", pos, start)
            pieces.append(source[pos:start])
            gap = parse_gap(
                inner,
                lambda msg, at=first + line: self.error(at, msg),
                self._gap_feedback(first + line),
            )
            if gap is None:
                pieces.append(source[start:end])
            else:
                gaps.append(gap)
                pieces.append(_GAP_TOKEN.format(len(gaps) - 1))
            line += source.count("\n", start, end)
            pos = end
        pieces.append(source[pos:])
        marked = "".join(pieces)
        if not gaps:
            self.error(
                self.block.line, "a fill-in-the-blanks question needs at least one {{blank}}"
            )
            return None
        html = self.ctx.snippet(marked, first)
        parts: list[str | Gap] = []
        for i, piece in enumerate(_GAP_SPLIT.split(html)):
            if i % 2 and int(piece) < len(gaps):
                parts.append(gaps[int(piece)])
            elif piece:
                parts.append(piece)
        question = Cloze(**common, parts=parts)
        question.text = "".join(p if isinstance(p, str) else "_____" for p in parts)
        if "points" not in common:
            question.points = float(len(gaps))
        return question

    def _gap_feedback(self, line: int):
        return lambda text: self.ctx.inline(text, line) if text else ""


_MARKER_NAMES = {
    "radio": "single-choice answer ( )",
    "check": "multiple-choice answer [ ]",
    "accept": "accepted answer =",
    "pair": "matching pair ->",
    "plain": "list item",
}


def parse_gap(inner: str, error, feedback) -> Gap | None:
    """A blank ``{{…}}``: ``{{Мадрид}}``, ``{{=Мадрид =Madrid}}``, ``{{=Мадрид ~Барселона}}``
    or ``{{#1990:2}}``; ``#feedback`` after an option, as in GIFT."""
    protected = gift_syntax.protect(inner.strip())
    if not protected:
        error("a blank {{}} needs its answer")
        return None
    if not protected.startswith(("#", "=", "~", "%")):
        # {{answer}} or {{answer|other answer}}: accepted answers, each worth 100%
        protected = "".join("=" + p.strip() for p in protected.split("|") if p.strip())
    parsed = gift_syntax.parse(protected)
    if parsed.kind == "numeric":
        bad = [o.number_error for o in parsed.options if o.number_error]
        if bad:
            error(f"blank: {bad[0]}")
            return None
        options = [
            GapOption(o.text, o.fraction, feedback(o.feedback), o.tolerance or 0.0)
            for o in parsed.options
        ]
        kind = GapKind.NUMERIC
    elif parsed.kind in ("choice", "short"):
        options = [GapOption(o.text, o.fraction, feedback(o.feedback)) for o in parsed.options]
        kind = GapKind.DROPDOWN if parsed.kind == "choice" else GapKind.SHORT
    else:
        error(
            f'blank "{{{{{inner}}}}}" is not an answer: '
            "write {{answer}} or {{=right ~wrong}}"
        )
        return None
    for option in options:
        if grades.snap(option.fraction) is None:
            near = grades.nearest(option.fraction)
            error(
                f"Moodle cannot store a grade of {percent(option.fraction)}%: "
                f"the nearest grade it can store is {percent(near)}%"
            )
            return None
    if not options or not any(o.fraction >= 1.0 for o in options):
        error("a blank needs a right answer (one with =)")
        return None
    if kind is GapKind.DROPDOWN and len(options) < 2:
        error("a drop-down blank needs at least two options: {{=right ~wrong}}")
        return None
    return Gap(kind, options)


def _gaps(text: str) -> list[tuple[int, int, str]]:
    """Each blank {{…}} of a text: where it starts and ends and what it holds, in one pass."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    while (start := text.find("{{", pos)) >= 0:
        end = text.find("}}", start + 2)
        if end < 0:
            break  # no later "{{" has a "}}" either
        out.append((start, end + 2, text[start + 2 : end]))
        pos = end + 2
    return out


def _strip_weight(text: str) -> tuple[str, float | None]:
    match = _WEIGHT.search(text)
    if not match:
        return text.strip(), None
    return text[: match.start()].strip(), float(match["pct"].replace(",", "."))


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _plain(text: str) -> str:
    """Answer text as a learner types it: Markdown escapes removed, every "*" kept (a
    wildcard in accepted answers)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!>~=|])", r"\1", text.strip())


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(ln) - len(ln.lstrip()) for ln in lines[1:] if ln.strip()]
    cut = min(indents) if indents else 0
    return "\n".join([lines[0], *(ln[cut:] for ln in lines[1:])])


def _label_name(key: str) -> str:
    return f'"{LABELS[key][0].capitalize()}:"'
