"""Questions written in Markdown.

A question is a ``## heading`` followed by its text and its answers::

    ## Столица {#capital points=2}
    Коя е столицата на Испания?

    - (x) Мадрид
      > Да, от 1561 г.
    - ( ) Барселона

    Обратна връзка: Мадрид е столица от XVI век.

Answers: ``(x)``/``( )`` one right answer, ``[x]``/``[ ]`` several, ``= text`` accepted
answers (numbers make a numerical question; a decimal comma is a decimal point), ``a -> b``
matching pairs, ``{{…}}`` blanks in the text. Essays, ordering and descriptions say so with
``{type=…}``. What word processors put into pasted text where the syntax needs something else
(a no-break space, a tab, a bullet "•", a mark such as ``[*]`` or ``(✓)``) is reported by name,
and the answer is read as meant, so that no second error follows. See docs/assessments.md.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .. import schema
from ..diagnostics import did_you_mean
from ..messages import N_, tr
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
from ..source import MAX_ANSWERS, char_label, nbsp_after, too_many_answers
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
_NB = "\u00a0\u202f\u2007"  # no-break spaces, which word processors put into pasted text
# whitespace is matched possessively (*+): a long run of spaces is not split every way
_LABEL = re.compile(
    r"^(?P<quote>>\s?)?\s*+(?:(?:\*\*|__)\s*+)?(?P<label>"
    + "|".join(
        f"[ {_NB}]".join(re.escape(word) for word in a.split(" "))
        for a in sorted(_LABEL_OF, key=len, reverse=True)
    )
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
# an answer line, also as pasted from a word processor: indented with a tab, a bullet "•" or
# a dash for "-", a no-break space after it (each reported)
_ANSWER = re.compile(
    rf"^(?P<indent>[ \t{_NB}]*)(?P<bullet>[-*+•–—])(?P<gap>[ \t{_NB}]+)(?P<rest>.*)$"
)
_MARK = re.compile(r"^(?P<open>[(\[])(?P<mark>[^()\[\]]?)(?P<close>[)\]])\s*(?P<text>.*)$")
_RIGHT = set("xXхХ")
_LOOKALIKE = set("*+vV✓✔☑☒√●•")  # marks written for x: read as x, and reported
_ACCEPT = re.compile(r"^=\s*(?P<text>.*)$")
_TOLERANCE = re.compile(r"\d\s*(?:±|\+-)")  # "2,5 ± 0,1": a number with a tolerance was meant
_WEIGHT = re.compile(r"(?<!\s)\s*+\{\s*+(?P<pct>[+-]?\d+(?:[.,]\d+)?)\s*+%\s*+\}\s*+$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_GAP_TOKEN = "\u2063gap{}\u2063"
_GAP_SPLIT = re.compile("\u2063gap(\\d+)\u2063")
_UNIT = re.compile(r"[^\d\s+\-.,*][^*]{0,29}")  # a unit after a number: %, думи, м2
_TRUE_WORDS = {"вярно", "true"}
_FALSE_WORDS = {"невярно", "false"}
_ANSWER_KINDS = ("radio", "check", "accept", "pair")

Place = tuple[int, int]  # line and column


@dataclass(slots=True)  # one per line of a quiz file: slots make them cheaper to create
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
    nbsp: str = ""  # a no-break space right after "##", which a plain space should be


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
    col: int = 1  # where it starts: its mark, "=", label or text
    text_col: int = 1  # where its text starts


@dataclass
class Attr:
    """A setting of a question heading, and where its value is."""

    value: str
    line: int
    col: int


def split(body: str, first_line: int) -> tuple[str, int, list[Block]]:
    """The text before the first question, its line, and the questions."""
    lines = body.split("\n")
    if "```" not in body and "~~~" not in body:  # no fence: every "##" line is a heading
        heads = [
            (i, heading)
            for i, text in enumerate(lines)
            if text.startswith("##") and (heading := _HEADING.match(text))
        ]
    else:
        heads, fenced = [], False
        for i, text in enumerate(lines):
            if _FENCE.match(text):
                fenced = not fenced
            elif not fenced and text.startswith("##") and (heading := _HEADING.match(text)):
                heads.append((i, heading))
    blocks = []
    for n, (start, heading) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        text = lines[start]
        nbsp = text[2] if text[2:3] and text[2] in _NB else ""
        under = [Line(first_line + i, lines[i]) for i in range(start + 1, end)]
        col = heading.start("text") + 1
        blocks.append(Block(first_line + start, heading["text"], under, col, nbsp))
    intro = lines[: heads[0][0]] if heads else lines
    return "\n".join(intro), first_line, blocks


def explicit_id(block: Block) -> tuple[str, int] | None:
    """The ``{#id}`` of a question heading and its column, if any."""
    match = _ATTRS.search(" " + block.heading)
    if match:
        for token in _TOKEN.finditer(match["attrs"]):
            if token["id"]:
                return token["id"], block.col + match.start("attrs") + token.start() - 1
    return None


def parse_question(
    ctx: Context, block: Block, ids: IdRegistry, places: dict[int, list[Place]] | None = None
) -> Question | None:
    """The question of a block; ``places`` receives where each of its answers is (in the
    order of the kind's answers: choices, accepted answers, pairs then extra answers, items,
    the options of every blank)."""
    parser = _QuestionParser(ctx, block, ids)
    question = parser.parse()
    if question is not None and places is not None:
        places[id(question)] = parser.places
    return question


# ---------------------------------------------------------------------------------------------
# what word processors put into pasted text


def _nbsp_in(char: str, text: str) -> str:
    return tr(
        'a no-break space ({char}) in "{text}" where a plain space is needed: replace it '
        "with a space (word processors put no-break spaces into pasted text)",
        char=char_label(char),
        text=text,
    )


def _label(raw: str) -> re.Match[str] | None:
    """A labelled line ("Обратна връзка: …"), as _LABEL reads it. Every label starts with a
    letter, after what may come before it (spaces, ">", "**" or "__"): a line whose first other
    character is no letter, as every answer line, is no label."""
    for char in raw:
        if not (char.isspace() or char in ">*_"):
            return _LABEL.match(raw) if char.isalpha() else None
    return None


def _answer_item(raw: str) -> tuple[Entry, list[tuple[int, str]]] | None:
    """An answer line as an entry (its line not yet set), with what a word processor put into
    it as (column, message): a tab or a no-break space before it or after its "-", a bullet
    "•" or a dash for "-", a no-break space in "( )" or a mark such as [*] or (✓) for [x].
    None when the line is no answer."""
    match = _ANSWER.match(raw)
    if not match:
        return None
    indent, rest, at = match["indent"], match["rest"], match.start("rest")
    odd = next((i for i, ch in enumerate(indent) if ch != " "), -1) if indent else -1
    if odd < 0 and len(indent) > 3:
        return None  # indented under the answer before it
    problems: list[tuple[int, str]] = []
    found = _MARK.match(rest)
    inside = found["mark"] if found else ""
    if found and found["open"] + found["close"] not in ("()", "[]"):
        found = None
    elif found and inside not in ("", " ") and inside not in _RIGHT:
        shown = found["open"] + inside + found["close"]
        if inside in _NB:
            problems.append((at + 2, _nbsp_in(inside, found["open"] + " " + found["close"])))
        elif inside in _LOOKALIKE:
            right, wrong = ("(x)", "( )") if found["open"] == "(" else ("[x]", "[ ]")
            problems.append(
                (
                    at + 1,
                    tr(
                        '"{mark}" ({char}) is not an answer mark: write "{right}" for a right '
                        'answer and "{wrong}" for a wrong one',
                        mark=shown,
                        char=char_label(inside),
                        right=right,
                        wrong=wrong,
                    ),
                )
            )
        else:
            found = None  # such as "(a)": no mark at all
    if found:
        kind = "radio" if found["open"] == "(" else "check"
        marked = inside in _RIGHT or inside in _LOOKALIKE
        text, text_at = found["text"], at + found.start("text")
    elif accept := _ACCEPT.match(rest):
        kind, marked, text, text_at = "accept", False, accept["text"], at + accept.start("text")
    elif "->" in rest:
        kind, marked, text, text_at = "pair", False, rest, at
    else:
        return None
    if odd >= 0:
        problems.append((odd + 1, _indented(indent[odd])))
    bullet = match["bullet"]
    if bullet in "•–—":
        problems.append(
            (
                match.start("bullet") + 1,
                tr(
                    'the answer starts with "{bullet}" ({char}): answers start with "-" '
                    "(word processors put such marks before the items of a list)",
                    bullet=bullet,
                    char=char_label(bullet),
                ),
            )
        )
    gap = match["gap"]
    spot = -1 if gap == " " else next((i for i, ch in enumerate(gap) if ch in _NB), -1)
    if spot >= 0:
        problems.append((match.start("gap") + spot + 1, nbsp_after(gap[spot], bullet)))
    entry = Entry(kind, 0, [text], mark=marked, col=at + 1, text_col=text_at + 1)
    return entry, sorted(problems) if problems else problems


def _indented(char: str) -> str:
    if char == "\t":
        return tr(
            'a tab ({char}) indents this answer: start it at the beginning of the line, "- …"',
            char=char_label(char),
        )
    return tr(
        "a no-break space ({char}) indents this answer: start it at the beginning of the "
        'line, "- …"',
        char=char_label(char),
    )


class _QuestionParser:
    def __init__(self, ctx: Context, block: Block, ids: IdRegistry) -> None:
        self.ctx = ctx
        self.block = block
        self.ids = ids
        self.ok = True
        self.places: list[Place] = []  # where each answer is, for the kind's checks

    def error(self, line: int, message: str, col: int = 1) -> None:
        self.ok = False
        self.ctx.diags.error(self.ctx.rel, line, message, col)

    def warning(self, line: int, message: str, col: int = 1) -> None:
        self.ctx.diags.warning(self.ctx.rel, line, message, col)

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
            extra = entries[MAX_ANSWERS]
            self.error(extra.line, too_many_answers(), extra.col)
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

    def _heading(self) -> tuple[str, dict[str, Attr]]:
        block = self.block
        if block.nbsp:
            self.error(block.line, nbsp_after(block.nbsp, "##"), 3)
        text = block.heading
        attrs: dict[str, Attr] = {}
        match = _ATTRS.search(" " + text)
        if match:
            text = (" " + text)[: match.start()].strip()
            origin = block.col + match.start("attrs") - 1  # the column of the settings
            for token in _TOKEN.finditer(match["attrs"]):
                col = origin + token.start()
                if token["id"]:
                    attrs["id"] = Attr(token["id"], block.line, col)
                elif token["key"]:
                    key = token["key"]
                    group = next(g for g in ("dq", "sq", "bare") if token[g] is not None)
                    value_col = origin + token.start(group) - (group != "bare")  # its quote
                    if key not in ATTRS:
                        self.warning(
                            block.line,
                            tr(
                                'unknown question setting "{key}"{suggestion}; it is ignored',
                                key=key,
                                suggestion=did_you_mean(key, ATTRS),
                            ),
                            col,
                        )
                    attrs[key] = Attr(token[group], block.line, value_col)
                else:
                    self.warning(
                        block.line,
                        tr(
                            '"{token}" in the question\'s {{…}} is not "key=value" or "#id"; '
                            "it is ignored",
                            token=token["bad"],
                        ),
                        col,
                    )
        if not text:
            self.error(block.line, tr("the question needs a title after ##"), block.col)
            text = "?"
        return text, attrs

    def _body(self) -> tuple[list[Line], list[Entry]]:
        lines = self.block.lines
        fenced = False
        split_at = len(lines)
        for i, line in enumerate(lines):
            if ("`" in line.text or "~" in line.text) and _FENCE.match(line.text):
                fenced = not fenced
            if not fenced and (_answer_item(line.text) or _label(line.text)):
                split_at = i
                break
        text_lines = lines[:split_at]
        entries: list[Entry] = []
        current: Entry | None = None
        quoted = False
        stray = False  # in a paragraph already reported as out of place
        for line in lines[split_at:]:
            raw = line.text
            label = _label(raw)
            item = None if label else _answer_item(raw)
            if label:
                name = label["label"]
                current = Entry(
                    _LABEL_OF[_spaced(name).lower()],
                    line.no,
                    [label["rest"]],
                    col=label.start("label") + 1,
                    text_col=label.start("rest") + 1,
                )
                spot = next((i for i, ch in enumerate(name) if ch in _NB), -1)
                if spot >= 0:
                    self.error(
                        line.no,
                        _nbsp_in(name[spot], _spaced(name)),
                        label.start("label") + spot + 1,
                    )
                quoted, stray = bool(label["quote"]), False
                entries.append(current)
            elif item:
                current, problems = item
                current.line = line.no
                for col, message in problems:
                    self.error(line.no, message, col)
                entries.append(current)
                quoted, stray = False, False
            elif not raw.strip():
                stray = False
                if current is not None:
                    current.text.append("")
            elif stray:
                continue  # the rest of a paragraph reported on its first line
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
                    tr(
                        "text after the answers must start with a label such as "
                        '"Обратна връзка:" or "Подсказка:", or be indented under an answer'
                    ),
                    len(raw) - len(raw.lstrip()) + 1,
                )
                current, stray = None, True
        return text_lines, entries

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
                col = match.start("rest") + 1
                items.append(Entry("plain", line.no, [match["rest"]], col=col, text_col=col))
            elif items:
                items[-1].text.append(line.text.strip())
        return text_lines[:start], items + entries

    def _kind(self, declared: Attr | None, entries: list[Entry], text: list[Line]) -> str | None:
        answers = [e for e in entries if e.kind in _ANSWER_KINDS]
        kinds = {e.kind for e in answers}
        if declared:
            kind = TYPES.get(declared.value.lower())
            if kind is None:
                self.error(
                    declared.line,
                    tr(
                        'unknown question type "{type}"{suggestion}',
                        type=declared.value,
                        suggestion=did_you_mean(declared.value, TYPES),
                    ),
                    declared.col,
                )
                return None
            return kind
        if len(kinds) > 1:
            other = next(e for e in answers if e.kind != answers[0].kind)
            self.error(
                other.line,
                tr(
                    "the answers mix different kinds of markers ({markers}): "
                    "use one kind per question",
                    markers=", ".join(sorted(_marker_name(k) for k in kinds)),
                ),
                other.col,
            )
            return None
        if kinds == {"radio"}:
            words = {_plain(" ".join(e.text)).lower() for e in answers}
            if len(answers) == 2 and words in ({"вярно", "невярно"}, {"true", "false"}):
                return "truefalse"
            return "single"
        if kinds == {"check"}:
            return "multiple"
        if kinds == {"pair"}:
            return "matching"
        if kinds == {"accept"}:
            values = [_strip_weight(" ".join(e.text))[0] for e in answers]
            numeric = all(not gift_syntax.parse_numeric(v)[2] for v in values)
            meant = any(_TOLERANCE.search(v) for v in values)  # then say what is wrong
            return "numerical" if numeric or meant else "short"
        joined = "\n".join(line.text for line in text)
        if _gaps(joined):
            return "cloze"
        self.error(
            self.block.line,
            tr(
                'the question has no answers: add choices such as "- (x) right" / '
                '"- ( ) wrong", or say what it is with {type=essay} or {type=description}'
            ),
        )
        return None

    # ---------------------------------------------------------------------------------------
    # shared parts

    def _common(self, title: str, attrs: dict[str, Attr], entries: list[Entry], kind: str) -> dict:
        explicit = attrs["id"].value if "id" in attrs else None
        ident = self.ids.claim(explicit, title)
        tags = attrs["tags"].value if "tags" in attrs else ""
        out: dict = {
            "id": ident,
            "title": title,
            "location": Location(self.ctx.rel, self.block.line),
            "tags": [t.strip() for t in tags.split(",") if t.strip()],
            "hints": [],
        }
        if "points" in attrs:
            given = attrs["points"]
            points = _number(given.value)
            if points is None or points < 0:
                self.error(
                    given.line,
                    tr('points must be a number of 0 or more, not "{value}"', value=given.value),
                    given.col,
                )
            else:
                out["points"] = points
        for entry in entries:
            if entry.kind not in LABELS or entry.kind in ("grader_info", "template"):
                continue
            html = self._markdown(entry.text, entry.line)
            if entry.kind == "hint":
                out["hints"].append(html)
            elif out.get(entry.kind):
                self.error(
                    entry.line,
                    tr("{label} is given twice", label=_label_name(entry.kind)),
                    entry.col,
                )
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

    def _bool(self, attrs: dict[str, Attr], key: str) -> bool | None:
        if key not in attrs:
            return None
        given = attrs[key]
        low = given.value.lower()
        if low in ("true", "yes", "да"):
            return True
        if low in ("false", "no", "не"):
            return False
        self.error(
            given.line,
            tr('{key} must be true or false, not "{value}"', key=key, value=given.value),
            given.col,
        )
        return None

    def _int(self, attrs: dict[str, Attr], key: str) -> int | None:
        if key not in attrs:
            return None
        given = attrs[key]
        if not re.fullmatch(r"\d+", given.value):
            self.error(
                given.line,
                tr('{key} must be a whole number, not "{value}"', key=key, value=given.value),
                given.col,
            )
            return None
        return int(given.value)

    def _only(self, entries: list[Entry], allowed: set[str], what: str) -> list[Entry]:
        answers = []
        for e in entries:
            if e.kind in LABELS:
                if e.kind in ("grader_info", "template") and what != "essay":
                    self.warning(
                        e.line,
                        tr("{label} is used only by essays; ignored", label=_label_name(e.kind)),
                        e.col,
                    )
                continue
            if e.kind not in allowed:
                self.error(
                    e.line,
                    tr(
                        "{marker} does not belong in {question}",
                        marker=_a_marker(e.kind),
                        question=_question_name(what),
                    ),
                    e.col,
                )
                continue
            answers.append(e)
        self.places = [(e.line, e.col) for e in answers]
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
                tr(
                    "Moodle cannot store a grade of {grade}%: "
                    "the nearest grade it can store is {nearest}%",
                    grade=percent(fraction),
                    nearest=percent(near),
                ),
                _weight_col(entry),
            )
            return text, None
        return text, valid

    def _feedback(self, entry: Entry) -> str:
        return self._inline(entry.feedback, entry.feedback_line) if entry.feedback else ""

    # ---------------------------------------------------------------------------------------
    # one builder per type

    def _build_single(self, common, attrs, text, entries) -> Question | None:
        answers = self._only(entries, {"radio"}, "single")
        choices = []
        for entry in answers:
            body, weight = self._weight(entry)
            fraction = 1.0 if entry.mark else (weight or 0.0)
            if entry.mark and weight not in (None, 1.0):
                self.error(
                    entry.line,
                    tr(
                        "the right answer (x) is worth 100%; "
                        "mark others ( ) with {50%} for partial credit"
                    ),
                    _weight_col(entry),
                )
            choices.append(
                Choice(self._inline([body], entry.line), fraction, self._feedback(entry))
            )
        return SingleChoice(**common, choices=choices, shuffle=self._bool(attrs, "shuffle"))

    def _build_multiple(self, common, attrs, text, entries) -> Question | None:
        answers = self._only(entries, {"check"}, "multiple")
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
                    self.error(
                        entry.line,
                        tr("a right answer [x] needs a positive grade"),
                        _weight_col(entry),
                    )
                elif not entry.mark and weight > 0:
                    self.error(
                        entry.line,
                        tr("a wrong answer [ ] cannot have a positive grade"),
                        _weight_col(entry),
                    )
            elif entry.mark:
                fraction = share if not explicit_right else 0.0
            else:
                fraction = penalty
            choices.append(
                Choice(self._inline([body], entry.line), fraction, self._feedback(entry))
            )
        if explicit_right and len(explicit_right) != len(right):
            missing = next(
                e for (_, w), e in zip(weighted, answers, strict=True) if e.mark and w is None
            )
            self.error(
                missing.line,
                tr("give a grade such as {50%} to every right answer [x], or to none of them"),
                missing.col,
            )
        return MultipleChoice(**common, choices=choices, shuffle=self._bool(attrs, "shuffle"))

    def _build_truefalse(self, common, attrs, text, entries) -> Question | None:
        answers = self._only(entries, {"radio"}, "truefalse")
        truth = None
        feedback = {True: "", False: ""}
        for entry in answers:
            word = _plain(" ".join(entry.text)).lower()
            value = word in _TRUE_WORDS
            if word not in _TRUE_WORDS | _FALSE_WORDS:
                self.error(
                    entry.line,
                    tr('a true/false question has two answers: "Вярно" and "Невярно"'),
                    entry.text_col,
                )
                continue
            feedback[value] = self._feedback(entry)
            if entry.mark:
                if truth is not None:
                    self.error(
                        entry.line, tr("a true/false question has one right answer"), entry.col
                    )
                truth = value
        if truth is None:
            if self.ok:  # not when an answer was wrong already
                self.error(
                    self.block.line, tr('no right answer: mark "Вярно" or "Невярно" with (x)')
                )
            return None
        return TrueFalse(
            **common, answer=truth, feedback_true=feedback[True], feedback_false=feedback[False]
        )

    def _build_short(self, common, attrs, text, entries) -> Question | None:
        answers = []
        for entry in self._only(entries, {"accept"}, "short"):
            body, weight = self._weight(entry)
            answers.append(
                TextAnswer(_plain(body), 1.0 if weight is None else weight, self._feedback(entry))
            )
        self.places = [(e.line, e.text_col) for e in entries if e.kind == "accept"]
        case = self._bool(attrs, "case_sensitive")
        return ShortAnswer(**common, answers=answers, case_sensitive=bool(case))

    def _build_numerical(self, common, attrs, text, entries) -> Question | None:
        answers = []
        for entry in self._only(entries, {"accept"}, "numerical"):
            body, weight = self._weight(entry)
            value, tolerance, error = gift_syntax.parse_numeric(_plain(body))
            if error:
                self.error(
                    entry.line, tr("numerical answer {problem}", problem=error), entry.text_col
                )
                continue
            answers.append(
                NumericAnswer(
                    value, tolerance, 1.0 if weight is None else weight, self._feedback(entry)
                )
            )
        return Numerical(**common, answers=answers, unit=self._unit(attrs))

    def _unit(self, attrs: dict[str, Attr]) -> str:
        """``unit=%``, ``unit=думи``: what a learner may type after the number."""
        given = attrs.get("unit")
        unit = " ".join(given.value.split()) if given else ""
        if given and not _UNIT.fullmatch(unit):
            self.error(
                given.line,
                tr(
                    'unit "{value}" must be a word or a symbol such as %: at most 30 '
                    "characters, not starting with a digit, +, -, a point or a comma, and no *",
                    value=given.value,
                ),
                given.col,
            )
            return ""
        return unit

    def _build_matching(self, common, attrs, text, entries) -> Question | None:
        pairs, distractors = [], []
        pair_places: list[Place] = []
        extra_places: list[Place] = []
        for entry in self._only(entries, {"pair"}, "matching"):
            written = " ".join(entry.text)
            arrow = written.find("->")
            left, _, right = written.partition("->")
            left, right = left.strip(), _plain(right.strip())
            if not right:
                self.error(
                    entry.line, tr('a pair needs an answer after "->"'), entry.text_col + arrow
                )
            elif not left:
                after = written[arrow + 2 :]
                extra_places.append(
                    (entry.line, entry.text_col + arrow + 2 + len(after) - len(after.lstrip()))
                )
                distractors.append(right)
            else:
                pair_places.append((entry.line, entry.col))
                pairs.append(Pair(self._inline([left], entry.line), right))
        self.places = pair_places + extra_places
        return Matching(
            **common, pairs=pairs, distractors=distractors, shuffle=self._bool(attrs, "shuffle")
        )

    def _build_ordering(self, common, attrs, text, entries) -> Question | None:
        items = [self._inline(e.text, e.line) for e in self._only(entries, {"plain"}, "ordering")]
        return Ordering(**common, items=items)

    def _build_essay(self, common, attrs, text, entries) -> Question | None:
        self._only(entries, set(), "essay")
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
        self._only(entries, set(), "description")
        return Description(**common)

    def _build_cloze(self, common, attrs, text, entries) -> Question | None:
        self._only(entries, set(), "cloze")
        while text and not text[0].text.strip():
            text = text[1:]
        if not text:
            self.error(self.block.line, tr("the question has no text with {{blanks}}"))
            return None
        # the marks that stand for blanks while the text is rendered cannot come from the text
        source = "\n".join(line.text for line in text).replace("\u2063", "")
        first = text[0].no
        starts = [0] + [m.end() for m in re.finditer("\n", source)]

        def where(offset: int) -> Place:
            row = bisect.bisect_right(starts, offset) - 1
            return first + row, offset - starts[row] + 1

        gaps: list[Gap] = []
        pieces: list[str] = []
        pos = 0
        for start, end, inner in _gaps(source):
            pieces.append(source[pos:start])
            line, col = where(start)
            parsed = parse_gap(
                inner,
                lambda msg, at=(line, col): self.error(at[0], msg, at[1]),
                self._gap_feedback(line),
            )
            if parsed is None:
                pieces.append(source[start:end])
            else:
                gap, offsets = parsed
                gaps.append(gap)
                self.places += [where(start + 2 + offset) for offset in offsets]
                pieces.append(_GAP_TOKEN.format(len(gaps) - 1))
            pos = end
        pieces.append(source[pos:])
        marked = "".join(pieces)
        if not gaps:
            if self.ok:  # not when the blanks written were wrong (reported)
                self.error(
                    self.block.line,
                    tr("a fill-in-the-blanks question needs at least one {{blank}}"),
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


# Names of answer marks and question kinds in messages (translated where they are shown).
_MARKER_NAMES = {
    "radio": N_("single-choice answer ( )"),
    "check": N_("multiple-choice answer [ ]"),
    "accept": N_("accepted answer ="),
    "pair": N_("matching pair ->"),
    "plain": N_("list item"),
}
_A_MARKER = {
    "radio": N_("a single-choice answer ( )"),
    "check": N_("a multiple-choice answer [ ]"),
    "accept": N_("an accepted answer ="),
    "pair": N_("a matching pair ->"),
}
_QUESTION_NAMES = {
    "single": N_("a single-choice question"),
    "multiple": N_("a multiple-choice question"),
    "truefalse": N_("a true/false question"),
    "short": N_("a short-answer question"),
    "numerical": N_("a numerical question"),
    "matching": N_("a matching question"),
    "ordering": N_("an ordering question"),
    "essay": N_("an essay"),
    "description": N_("a description"),
    "cloze": N_("a fill-in-the-blanks question"),
}


def _marker_name(kind: str) -> str:
    return tr(_MARKER_NAMES[kind]) if kind in _MARKER_NAMES else kind


def _a_marker(kind: str) -> str:
    return tr(_A_MARKER[kind]) if kind in _A_MARKER else kind


def _question_name(kind: str) -> str:
    return tr(_QUESTION_NAMES[kind])


def parse_gap(inner: str, error, feedback) -> tuple[Gap, list[int]] | None:
    """A blank ``{{…}}``: ``{{Мадрид}}``, ``{{=Мадрид =Madrid}}``, ``{{=Мадрид ~Барселона}}``
    or ``{{#1990:2}}``; ``#feedback`` after an option, as in GIFT. With the blank, where each
    of its options starts in ``inner``."""
    lead = len(inner) - len(inner.lstrip())
    protected, where = gift_syntax.protect_map(inner.strip())
    if not protected:
        error(tr("a blank {{}} needs its answer"))
        return None
    offsets: list[int] | None = None
    if not protected.startswith(("#", "=", "~", "%")):
        # {{answer}} or {{answer|other answer}}: accepted answers, each worth 100%
        parts = [m for m in re.finditer(r"[^|]+", protected) if m[0].strip()]
        offsets = [m.start() + len(m[0]) - len(m[0].lstrip()) for m in parts]
        protected = "".join("=" + m[0].strip() for m in parts)
    parsed = gift_syntax.parse(protected)
    if offsets is None or len(offsets) != len(parsed.options):
        offsets = [o.at for o in parsed.options] if offsets is None else [0] * len(parsed.options)
    offsets = [lead + where[min(o, len(where) - 1)] for o in offsets]
    if parsed.kind == "numeric":
        bad = [o.number_error for o in parsed.options if o.number_error]
        if bad:
            error(tr("blank: {problem}", problem=bad[0]))
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
            tr(
                'blank "{{{{{inner}}}}}" is not an answer: write {{{{answer}}}} or '
                "{{{{=right ~wrong}}}}",
                inner=inner,
            )
        )
        return None
    for option in options:
        if grades.snap(option.fraction) is None:
            near = grades.nearest(option.fraction)
            error(
                tr(
                    "Moodle cannot store a grade of {grade}%: "
                    "the nearest grade it can store is {nearest}%",
                    grade=percent(option.fraction),
                    nearest=percent(near),
                )
            )
            return None
    if not options or not any(o.fraction >= 1.0 for o in options):
        error(tr("a blank needs a right answer (one with =)"))
        return None
    if kind is GapKind.DROPDOWN and len(options) < 2:
        error(tr("a drop-down blank needs at least two options: {{=right ~wrong}}"))
        return None
    return Gap(kind, options), offsets


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


def _weight_col(entry: Entry) -> int:
    """The column of the "{" of an answer's weight such as {50%} (its text's, if none)."""
    first = entry.text[0] if entry.text else ""
    match = _WEIGHT.search(first)
    return entry.text_col + (first.index("{", match.start()) if match else 0)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _plain(text: str) -> str:
    """Answer text as a learner types it: Markdown escapes removed, every "*" kept (a
    wildcard in accepted answers)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!>~=|])", r"\1", text.strip())


def _spaced(label: str) -> str:
    """A label with plain spaces for the no-break spaces pasted into it."""
    return re.sub(f"[{_NB}]", " ", label)


def _dedent(text: str) -> str:
    if "\n" not in text:
        return text
    lines = text.split("\n")
    indents = [len(ln) - len(ln.lstrip()) for ln in lines[1:] if ln.strip()]
    cut = min(indents) if indents else 0
    return "\n".join([lines[0], *(ln[cut:] for ln in lines[1:])])


def _label_name(key: str) -> str:
    return f'"{LABELS[key][0].capitalize()}:"'
