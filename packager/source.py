"""Reading source files: UTF-8 decoding, front matter and typed YAML fields with their lines.

YAML is read as a node tree and every value is converted from the text the author wrote, so a
title such as ``no`` or ``1.10`` stays exactly that and every problem can name its line.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostics, did_you_mean
from .messages import language, tr, trn

# libyaml's parser when PyYAML was built with it: same nodes and marks, much faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ---------------------------------------------------------------------------------------------
# Limits: what a source file may hold, so that no input makes loading slow or crashes a writer.
# Each limit is far above what a course needs (docs/authoring.md lists them).

MAX_FILE_BYTES = 1024 * 1024  # a text file: course.yml, a lesson, a quiz, a GIFT bank
MAX_LINE = 10_000  # characters in a line
MAX_NESTING = 20  # levels of lists and quotes in Markdown; levels of YAML
MAX_ANSWERS = 1_000  # answers, pairs and labelled texts of one question
# Markdown, per paragraph (lines with no blank line between them)
MAX_PARAGRAPH = 20_000  # characters
MAX_PARAGRAPH_LINES = 500  # lines (a list or a table written without blank lines)
# Markdown, per source file: what Python-Markdown would read again (see MarkdownBudget)
MAX_PARAGRAPHS = 5_000  # paragraphs, counting each answer and feedback of a quiz
MAX_GIFT_TEXTS = 20_000  # HTML texts of a GIFT bank: questions, answers, feedback
MAX_INLINE_WORK = 30_000_000  # markup characters × length of their paragraph, summed
MAX_BRACKET_SCAN = 100_000  # characters read again: nested "[…]", "[" or "](" never closed
MAX_TAG_SCAN = 500_000  # characters from each "<" to its ">" (a comment's "-->")
MAX_FENCE_SCAN = 2_000_000  # characters after each ``` fence that is never closed
MAX_LOOKUP = 300_000_000  # links and images ("[", <a, <img) × length of their text, summed
_REPORTED = 10  # problems of one kind reported per file

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CHAR_REF = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]+)|(?P<dec>[0-9]+));?")


@dataclass
class SourceFile:
    path: str  # relative, for messages
    text: str  # without BOM, newlines normalised to \n
    front: yaml.Node | None  # the front matter's node: None when absent, BROKEN when broken
    front_line: int  # line of the first front-matter line
    body: str
    body_line: int  # line number of the body's first line
    front_broken: bool = False  # the front matter had an error (already reported)


NAME_MAX = 255  # bytes in one file name, on every common file system


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False also when the file system refuses the question (a name
    too long, a loop of links)."""
    try:
        return path.is_file()
    except OSError:
        return False


def read_text(
    file: Path, rel: str, diags: Diagnostics, max_line: int | None = MAX_LINE
) -> str | None:
    """The file's text, or None (with an error) when it cannot be read, is not UTF-8 or breaks
    a limit of :func:`text_problems` (``max_line``: None for GIFT banks, whose exports hold a
    question's HTML on one line). A BOM is accepted."""
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        diags.error(rel, 1, tr("cannot read: {reason}", reason=exc.strerror or exc))
        return None
    if len(data) > MAX_FILE_BYTES:
        diags.error(
            rel,
            1,
            tr(
                "the file is larger than {mib} MiB ({size} bytes): split it into several lessons",
                mib=MAX_FILE_BYTES // 1024 // 1024,
                size=thousands(MAX_FILE_BYTES),
            ),
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        if is_cp1251(data):
            col = exc.start - start + 1  # one byte a character
            diags.error(
                rel,
                line,
                tr(
                    "the file is saved in the Windows-1251 (Cyrillic) encoding, not UTF-8 "
                    '(byte 0x{byte:02x} is "{char}" there): open it in your editor and save it '
                    'as UTF-8 (in Notepad: "Save as", Encoding "UTF-8")',
                    byte=data[exc.start],
                    char=data[exc.start : exc.start + 1].decode("cp1251", "replace"),
                ),
                col,
            )
            return None
        col = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        diags.error(
            rel,
            line,
            tr(
                "the file is not UTF-8 (byte 0x{byte:02x}); save it as UTF-8 in your editor",
                byte=data[exc.start],
            ),
            col,
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = text_problems(text, max_line)
    for offset, message in problems[:_REPORTED]:
        line, col = position(text, offset)
        diags.error(rel, line, message, col)
    if len(problems) > _REPORTED:
        more = len(problems) - _REPORTED
        diags.error(
            rel,
            1,
            trn(
                "{n} more problem of this kind in the file",
                "{n} more problems of this kind in the file",
                more,
            ),
        )
    return None if problems else text


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W\d_]+")


def is_cp1251(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are Cyrillic text saved as Windows-1251 (as Word and
    Notepad do on Bulgarian Windows): few or no valid UTF-8 characters beyond ASCII, and read
    as Windows-1251 the text has words of Cyrillic letters only. Western text (cp1252) read so
    gives Cyrillic letters inside Latin words ("cafй"), which this tells apart."""
    decoded = data.decode("utf-8", "replace")
    invalid = decoded.count("\ufffd")
    valid = sum(1 for ch in decoded if ord(ch) > 0x7F) - invalid
    if valid >= invalid:
        return False
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:  # 0x98 is the one byte Windows-1251 leaves undefined
        return False
    words = [w for w in _WORD.findall(text) if _CYRILLIC.search(w)]
    pure = [w for w in words if len(w) > 1 and all(_CYRILLIC.match(ch) for ch in w)]
    return bool(pure) and len(pure) >= 0.8 * len(words)


def thousands(n: int) -> str:
    """A large number as the language writes it: 10,005 (English), 10 005 (Bulgarian)."""
    return f"{n:,}" if language() == "en" else f"{n:,}".replace(",", "\u00a0")


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (both from 1, the column in characters) of ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


_NAMES = {"\t": "CHARACTER TABULATION"}  # control characters have no name in unicodedata


def char_label(char: str) -> str:
    """A character by code and Unicode name, for messages: "U+00A0 NO-BREAK SPACE"."""
    name = _NAMES.get(char) or unicodedata.name(char, "")
    return f"{char_name(char)} {name}" if name else char_name(char)


def xml_forbidden(code: int) -> bool:
    """True for a code point XML 1.0 cannot carry (so no package can hold it)."""
    return (
        (code < 0x20 and code not in (0x09, 0x0A, 0x0D))
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF)
        or code > 0x10FFFF
    )


def text_problems(text: str, max_line: int | None = MAX_LINE) -> list[tuple[int, str]]:
    """Offsets and messages of what no source may hold: characters XML cannot carry (written
    as they are or as an HTML reference such as ``&#0;``) and lines longer than MAX_LINE."""
    out: list[tuple[int, str]] = []
    for match in _NOT_XML.finditer(text):
        out.append(
            (
                match.start(),
                tr(
                    "the character {char} cannot be carried by the packages: delete it "
                    "(it is often invisible; an editor can show it)",
                    char=char_name(match[0]),
                ),
            )
        )
        if len(out) > _REPORTED:
            break
    for match in _CHAR_REF.finditer(text):
        digits = match["hex"] or match["dec"]
        big = len(digits) > 8
        code = 0x110000 if big else int(digits, 16 if match["hex"] else 10)
        if xml_forbidden(code):
            shown = tr("beyond U+10FFFF") if big or code > 0x10FFFF else f"U+{code:04X}"
            out.append(
                (
                    match.start(),
                    tr(
                        '"{ref}" stands for a character ({char}) that the packages cannot '
                        "carry: delete it (write &amp;# to show the text)",
                        ref=match[0][:12],
                        char=shown,
                    ),
                )
            )
        if len(out) > 2 * _REPORTED:
            break
    start = 0
    for line in text.split("\n") if max_line else ():
        if len(line) > max_line:
            out.append(
                (
                    start + max_line,
                    tr(
                        "the line is {length} characters long (at most {limit}): "
                        "break it into several lines",
                        length=thousands(len(line)),
                        limit=thousands(max_line),
                    ),
                )
            )
        start += len(line) + 1
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# Markdown: Python-Markdown reads some text again and again (a "[" is followed to its "]", a "<"
# to its ">", an unclosed ``` fence to the end, every inline match rebuilds its paragraph). The
# checks below measure that before a text reaches the renderer; their own cost is linear.

_FENCE_OPEN = re.compile(  # an opening fence as Python-Markdown's fenced_code reads it
    r"(?P<fence>~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|(?:\.?[\w#.+-]*[ ]*)?"
    r"(?:hl_lines=(?P<q>[\"']).*?(?P=q)[ ]*)?)"
)
_FENCE_CLOSE = re.compile(r"(?P<fence>~{3,}|`{3,})[ ]*")
_CONTAINER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))")
_BRACKET = re.compile(r"[\[\]()]")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_INLINE = re.compile(r"[`\\*_\[!<&]|  \n")  # where an inline pattern may match
_LINK_TAG = re.compile(r"<(?:a|img)\b", re.I)
# Paragraphs whose only limits are the paragraphs' own (as most answers and feedback): no code
# fence, no "[" or "<", no line starting a list or quote or indented, no line of spaces only
_LINE_OF_TEXT = r"(?:(?![\s>+*-]|\d{1,9}[.)])[^\n`~\[<]*)?"
_PARAGRAPHS_ONLY = re.compile(rf"{_LINE_OF_TEXT}(?:\n{_LINE_OF_TEXT})*")
# One such line with nothing that spends the inline or bracket budgets (see _paragraph)
_ONE_PLAIN_LINE = re.compile(r"(?:(?![\s>+*-]|\d{1,9}[.)])[^\n`~\[<\\*_\]()!&]*)?")


@dataclass
class MarkdownBudget:
    """What the Markdown of one source file may still cost; :func:`markdown_problem` spends it
    on every text of the file (a lesson's body; a quiz's texts, answers and feedback)."""

    paragraphs: int = MAX_PARAGRAPHS
    gift_texts: int = MAX_GIFT_TEXTS
    inline: int = MAX_INLINE_WORK
    brackets: int = MAX_BRACKET_SCAN
    tags: int = MAX_TAG_SCAN
    fences: int = MAX_FENCE_SCAN
    lookups: int = MAX_LOOKUP


def markdown_problem(text: str, budget: MarkdownBudget) -> tuple[int, str] | None:
    """The offset in ``text`` and the message of the first limit it breaks, or None."""
    if len(text) <= MAX_PARAGRAPH and _ONE_PLAIN_LINE.fullmatch(text):  # most answers
        if text:  # as _paragraph would: one paragraph, nothing else spent
            budget.paragraphs -= 1
            if budget.paragraphs < 0:
                return 0, too_many_paragraphs()
        return None
    if _PARAGRAPHS_ONLY.fullmatch(text):
        return _paragraphs_problem(text, budget)
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    fenced, problem = _fences(text, lines, starts, budget)
    if problem:
        return problem
    block: list[int] = []  # indexes of the lines of the current paragraph
    for i, line in enumerate([*lines, ""]):
        if i < len(lines) and not fenced[i] and line.strip():
            depth = _depth(line)
            if depth > MAX_NESTING:
                return starts[i], tr(
                    "lists and quotes are nested {depth} levels deep here "
                    "(at most {limit}): indent less",
                    depth=depth,
                    limit=MAX_NESTING,
                )
            block.append(i)
            continue
        if block:
            end = starts[block[-1] + 1] - 1
            problem = _paragraph(text, starts[block[0]], end, len(block), budget)
            if problem:
                return problem
            block = []
    visible = "".join("\n" if fenced[i] else line + "\n" for i, line in enumerate(lines))
    problem = _tags(visible, budget)
    if problem:
        return problem
    problem = lookup_problem(visible, budget, len(text))
    return (0, problem) if problem else None


def _paragraphs_problem(text: str, budget: MarkdownBudget) -> tuple[int, str] | None:
    """:func:`markdown_problem` of a text that only its paragraphs' limits concern (nothing is
    fenced or nested, nothing opens a tag or a link): the same paragraphs, checked alike."""
    first, count, pos = 0, 0, 0
    for line in [*text.split("\n"), ""]:
        if line:
            first = pos if not count else first
            count += 1
        elif count:
            problem = _paragraph(text, first, pos - 1, count, budget)
            if problem:
                return problem
            count = 0
        pos += len(line) + 1
    return None


def lookup_problem(text: str, budget: MarkdownBudget, length: int | None = None) -> str | None:
    """Each link and image of ``text`` is looked up in all its text (``length`` characters, if
    that is more), to say on which line it is."""
    refs = text.count("[") + len(_LINK_TAG.findall(text))
    budget.lookups -= refs * max(len(text), length or 0)
    if budget.lookups < 0:
        return tr(
            'too many links and images (or "[") in long texts in this file: checking them '
            "would take too long; split the file"
        )
    return None


def too_many_answers() -> str:
    return tr(
        "the question has more than {limit} answers: no quiz needs that many",
        limit=thousands(MAX_ANSWERS),
    )


def too_many_paragraphs() -> str:
    return tr(
        "the file has more than {limit} paragraphs (with the answers and feedback "
        "of its questions): split it into several files",
        limit=thousands(MAX_PARAGRAPHS),
    )


def _fences(
    text: str, lines: list[str], starts: list[int], budget: MarkdownBudget
) -> tuple[list[bool], tuple[int, str] | None]:
    """Which lines are fenced code; a problem when unclosed fences cost too much."""
    closers: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line[:1] in ("`", "~"):
            match = _FENCE_CLOSE.fullmatch(line)
            if match:
                closers.setdefault(match["fence"], []).append(i)
    fenced = [False] * len(lines)
    first_open = -1
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.fullmatch(lines[i]) if lines[i][:1] in ("`", "~") else None
        if match:
            found = closers.get(match["fence"], [])
            k = bisect.bisect_right(found, i)
            if k < len(found):
                fenced[i : found[k] + 1] = [True] * (found[k] + 1 - i)
                i = found[k] + 1
                continue
            budget.fences -= len(text) - starts[i]
            first_open = starts[i] if first_open < 0 else first_open
            if budget.fences < 0:
                fence = match["fence"]
                return fenced, (
                    first_open,
                    tr(
                        "too many code fences ({fence}) that are never closed: close each with "
                        "a line {fence} after the code (at most {limit} characters "
                        "after unclosed fences in a file)",
                        fence=fence,
                        limit=thousands(MAX_FENCE_SCAN),
                    ),
                )
        i += 1
    return fenced, None


def _depth(line: str) -> int:
    """Levels of lists and quotes a line is in: its markers and its indentation."""
    markers, pos = 0, 0
    while True:
        match = _CONTAINER.match(line, pos)
        if not match:
            break
        markers += 1
        pos = match.end()
    indent = len(line) - len(line.lstrip(" \t"))
    return markers + len(line[:indent].expandtabs(4)) // 4


def _paragraph(
    text: str, start: int, end: int, count: int, budget: MarkdownBudget
) -> tuple[int, str] | None:
    """The limits of one paragraph, text[start:end] in ``count`` lines."""
    if end - start > MAX_PARAGRAPH:
        return start, tr(
            "this paragraph is {length} characters long (at most {limit}): "
            "put blank lines between its parts",
            length=thousands(end - start),
            limit=thousands(MAX_PARAGRAPH),
        )
    if count > MAX_PARAGRAPH_LINES:
        return start, tr(
            "this paragraph has {lines} lines with no blank line between them "
            "(at most {limit}): put blank lines between its parts",
            lines=thousands(count),
            limit=MAX_PARAGRAPH_LINES,
        )
    budget.paragraphs -= 1
    if budget.paragraphs < 0:
        return start, too_many_paragraphs()
    marks = len(_INLINE.findall(text, start, end))
    budget.inline -= marks * (end - start)
    if budget.inline < 0:
        return start, tr(
            "too much markup (such as * _ ` [ < &) in long paragraphs in this file: Markdown "
            "would need too long; shorten this paragraph or split the file"
        )
    # "[" is read up to its "]", and "](" up to its ")": to the paragraph's end when missing.
    # Brackets side by side are read once in all; nested ones again for every level around them.
    cost, unmatched, widest = 0, -1, (0, start)
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []  # where, and whether it opens a link's target
    for match in _BRACKET.finditer(text, start, end):
        pos, char = match.start(), match[0]
        if char == "[":
            brackets.append(pos)
        elif char == "]":
            if brackets:
                opened = brackets.pop()
                if brackets:  # inside another "[": read once more
                    cost += pos - opened
                    widest = max(widest, (pos - opened, brackets[0]))
        elif char == "(":
            parens.append((pos, text[pos - 1] == "]"))
        elif parens:
            opened, link = parens.pop()
            if link and ('"' in text[opened:pos] or "'" in text[opened:pos]):
                cost += end - opened  # a quote in the target: Markdown reads on past the ")"
    for pos in brackets:
        cost += end - pos
        unmatched = pos if unmatched < 0 else unmatched
    cost += sum(end - pos for pos, link in parens if link)
    budget.brackets -= cost
    if budget.brackets < 0:
        return (unmatched if unmatched >= 0 else widest[1]), tr(
            'too many "[" without a matching "]" (or nested too deeply): Markdown would read '
            "the text again too often (at most {limit} characters in a file); "
            "write \\[ for a bracket that is not a link",
            limit=thousands(MAX_BRACKET_SCAN),
        )
    return None


def _tags(text: str, budget: MarkdownBudget) -> tuple[int, str] | None:
    """A "<" that may start a tag is read up to its ">" (a comment to its "-->")."""
    next_gt = -2  # the last ">" found, so that a run of "<" does not search again
    first_open = -1  # the first "<" never closed: what the message points to
    for match in _TAG_START.finditer(text):
        pos = match.start()
        if text.startswith("<!--", pos):
            close = text.find("-->", pos + 4)
        else:
            if next_gt < pos and next_gt != -1:
                next_gt = text.find(">", pos)
            close = next_gt
            if text[pos + 1].isalpha():
                close = _attributes_end(text, pos, close)
        budget.tags -= (len(text) if close < 0 else close) - pos
        first_open = pos if close < 0 and first_open < 0 else first_open
        if budget.tags < 0:
            return (pos if first_open < 0 else first_open), tr(
                'too many "<" without a closing ">" (or "-->"): Markdown would read the text '
                "again too often (at most {limit} characters in a file); "
                'write &lt; for a "<" that does not start a tag',
                limit=thousands(MAX_TAG_SCAN),
            )
    return None


def _attributes_end(text: str, pos: int, close: int) -> int:
    """Where a start tag is read to: a quoted attribute value may hold ">" (-1: the end)."""
    while close >= 0:
        quotes = [q for q in (text.find('"', pos, close), text.find("'", pos, close)) if q >= 0]
        if not quotes:
            return close
        end = text.find(text[min(quotes)], min(quotes) + 1)
        if end < 0:
            return close
        pos = end + 1
        if close < pos:
            close = text.find(">", pos)
    return close


def parse_yaml(text: str, rel: str, first_line: int, diags: Diagnostics) -> yaml.Node | None:
    """Compose YAML into nodes; errors are reported at their line. When the YAML cannot be
    read because of what a word processor puts into pasted text (a no-break space or a tab
    where YAML needs a space, a value in typographic quotes), that is what is reported."""
    try:
        node = _compose(text)
    except _TooDeep as exc:
        diags.error(
            rel,
            first_line + exc.mark.line,
            tr(
                "the YAML is nested more than {limit} levels deep: "
                'front matter needs only "key: value" lines and short lists',
                limit=MAX_NESTING,
            ),
            exc.mark.column + 1,
        )
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if report_pasted(text, rel, first_line, diags, mark.line if mark else None):
            return None
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if "mapping values are not allowed" in problem:
            message = tr(
                'invalid YAML: {problem}; if a value contains ": ", put the value in quotes',
                problem=_yaml_problem(problem),
            )
        elif "found character '\\t'" in problem:
            message = tr(
                "invalid YAML: {problem}; indent with spaces, not tabs",
                problem=_yaml_problem(problem),
            )
        else:
            message = tr("invalid YAML: {problem}", problem=_yaml_problem(problem))
        diags.error(rel, line, message, col)
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (DEL, C1 controls)
        line, col = position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else 0
        diags.error(
            rel,
            first_line + line - 1,
            tr(
                "invalid YAML: the character {char} is not allowed in YAML: delete it",
                char=f"U+{code:04X}",
            ),
            col,
        )
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - the others are marked
        diags.error(
            rel, first_line, tr("invalid YAML: {problem}", problem=" ".join(str(exc).split()))
        )
        return None
    except ValueError as exc:  # PyYAML without libyaml, on an escape beyond U+10FFFF
        diags.error(rel, first_line, tr("invalid YAML: {problem}", problem=exc))
        return None
    except RecursionError:  # pragma: no cover - the depth check comes first
        diags.error(rel, first_line, tr("the YAML is nested too deeply to read"))
        return None
    if not _escapes_ok(node, text, rel, first_line, diags):
        return None
    if not _plain_texts_ok(node, rel, first_line, diags):
        return None
    return node


def _plain_texts_ok(node: yaml.Node | None, rel: str, first: int, diags: Diagnostics) -> bool:
    """Report unquoted texts that begin as a list item or a nested "key:" would, but with a
    no-break space where YAML needs a space: YAML read them as text ("-" then a no-break space
    under a key is a text, not a list). A "key:" counts only in a value written on the lines
    under its key (a title "Бележка: важно" stays a title)."""
    ok = True
    stack: list[tuple[yaml.Node, bool]] = [(node, False)] if node is not None else []
    seen: set[int] = set()
    while stack:
        item, below = stack.pop()  # below: a value that starts on a line after its key
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                stack += [(key, False), (value, value.start_mark.line > key.start_mark.line)]
        elif isinstance(item, yaml.SequenceNode):
            stack += [(child, False) for child in item.value]
        elif item.style in (None, ""):
            pattern = _PASTED_SYNTAX if below else _PASTED_ITEM
            match = pattern.match(str(item.value))
            if match:
                ok = False
                diags.error(
                    rel,
                    first + item.start_mark.line,
                    nbsp_after(str(item.value)[match.end()], match[0]),
                    item.start_mark.column + match.end() + 1,
                )
    return ok


def _yaml_problem(problem: str) -> str:
    """PyYAML's words for the problems authors meet most, in the current language."""
    known = {
        "mapping values are not allowed here": tr("mapping values are not allowed here"),
        "could not find expected ':'": tr("could not find expected ':'"),
        "found unexpected end of stream": tr("found unexpected end of stream"),
        "found character '\\t' that cannot start any token": tr(
            "found character '\\t' that cannot start any token"
        ),
    }
    return known.get(problem, problem)


# What a word processor puts into pasted text, where YAML needs something else
_NBSP = "\u00a0\u202f\u2007"  # no-break, narrow no-break and figure spaces
_TYPOGRAPHIC_QUOTES = "„“”‘’‚«»‹›"
_BLOCK_SCALAR = re.compile(r"^(?P<indent> *)(?:- +)?(?:[^#\s][^#]*?:[ \t]+)?[|>][-+0-9]*\s*(#.*)?$")
_INDENT = re.compile(rf"[ \t{_NBSP}]*")
_ITEM_START = re.compile(r"(?:- +)*")  # the "- " of list items before a key
_KEY = re.compile(rf"(?P<key>[^\s:#{_NBSP}\-][^:#]*?|-)(?P<colon>:?)(?P<space>[{_NBSP}])")
_QUOTED_VALUE = re.compile(rf"[ \t]*(?:- +)?[^\s:#][^:#]*?:[ ]+(?P<quote>[{_TYPOGRAPHIC_QUOTES}])")
_PASTED_ITEM = re.compile(f"-(?=[{_NBSP}])")  # see _plain_texts_ok
_PASTED_SYNTAX = re.compile(f"(?:-|[^\\s:#][^:#\\n]*?:)(?=[{_NBSP}])")


def pasted_problems(text: str, last_line: int | None = None) -> list[tuple[int, str]]:
    """Offsets and messages of what word processors put where YAML needs something else, in
    the lines up to ``last_line`` (from 0; None: all): tabs and no-break spaces in the
    indentation, a no-break space after "key:" or a list's "-", and on ``last_line`` a value
    in typographic quotes. Block texts (after "|" or ">") are left alone."""
    out: list[tuple[int, str]] = []
    offset = 0
    block = -1  # the indentation of the key a block text belongs to; -1: not in one
    for number, line in enumerate(text.split("\n")):
        if last_line is not None and number > last_line:
            break
        indent = _INDENT.match(line)[0]  # type: ignore[index]
        here = offset
        offset += len(line) + 1
        if block >= 0 and (not line.strip() or len(indent) > block):
            continue
        block = -1
        odd = next((i for i, ch in enumerate(indent) if ch != " "), -1)
        if odd >= 0 and line.strip():
            out.append((here + odd, _bad_indent(indent[odd])))
            continue
        start = len(indent) + len(_ITEM_START.match(line, len(indent))[0])  # type: ignore[index]
        key = _KEY.match(line, start) or _KEY.match(line, len(indent))  # "- key:", then "-"
        if key and (key["colon"] or key["key"] == "-"):
            after = key["key"] + key["colon"]
            out.append((here + key.start("space"), nbsp_after(key["space"], after)))
            continue
        quoted = _QUOTED_VALUE.match(line) if number == last_line else None
        if quoted:
            quote = quoted["quote"]
            out.append(
                (
                    here + quoted.start("quote"),
                    tr(
                        "the value starts with the typographic quote {quote} ({char}), which "
                        "YAML does not take for a quote: put the whole value in straight quotes "
                        '"…" (typographic quotes may stay inside them)',
                        quote=quote,
                        char=char_label(quote),
                    ),
                )
            )
        block_start = _BLOCK_SCALAR.match(line)
        if block_start:
            block = len(block_start["indent"])
    return out


def nbsp_after(char: str, after: str) -> str:
    """The message for a no-break space after ``after`` where the syntax needs a space."""
    return tr(
        'a no-break space ({char}) after "{after}" where a plain space is needed: replace it '
        "with a space (word processors put no-break spaces into pasted text)",
        char=char_label(char),
        after=after,
    )


def _bad_indent(char: str) -> str:
    if char == "\t":
        return tr(
            "a tab ({char}) indents this line: YAML indents with spaces only; "
            "replace the tab with spaces",
            char=char_label(char),
        )
    return tr(
        "a no-break space ({char}) indents this line: YAML indents with plain spaces only; "
        "replace it with a space (word processors put no-break spaces into pasted text)",
        char=char_label(char),
    )


def report_pasted(
    text: str, rel: str, first_line: int, diags: Diagnostics, last_line: int | None
) -> bool:
    """Report :func:`pasted_problems` (instead of what YAML made of them); True if any."""
    found = pasted_problems(text, last_line)
    for offset, message in found:
        line, col = position(text, offset)
        diags.error(rel, first_line + line - 1, message, col)
    return bool(found)


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.mark = mark


def _compose(text: str) -> yaml.Node | None:
    try:
        _check_depth(text, _LOADER)
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        if _LOADER is yaml.SafeLoader:
            raise
        # PyYAML's own parser words and places errors better; worth it on the rare error
        try:
            _check_depth(text, yaml.SafeLoader)
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except ValueError:  # it stops at escapes such as "\U00110000" that libyaml reports
            raise exc from None


def _check_depth(text: str, loader: Any) -> None:
    """Raise _TooDeep past MAX_NESTING levels, before the (recursive) composer sees them."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise _TooDeep(event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


_YAML_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_YAML_SHORT = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "e": "\x1b"}


def _escapes_ok(
    node: yaml.Node | None, text: str, rel: str, first: int, diags: Diagnostics
) -> bool:
    """Report characters XML cannot carry that an escape in a "quoted" YAML text produced."""
    starts: list[int] = []
    seen: set[int] = set()
    stack = [node] if node is not None else []
    ok = True
    while stack:
        item = stack.pop()
        if id(item) in seen:  # an alias: already looked at
            continue
        seen.add(id(item))
        if isinstance(item, yaml.MappingNode):
            stack += [n for pair in item.value for n in pair]
        elif isinstance(item, yaml.SequenceNode):
            stack += item.value
        elif item.style == '"' and _NOT_XML.search(item.value):
            ok = False
            starts = starts or [0] + [m.end() for m in re.finditer("\n", text)]
            begin = starts[item.start_mark.line] + item.start_mark.column
            end = starts[item.end_mark.line] + item.end_mark.column
            at, shown = begin, char_name(_NOT_XML.search(item.value)[0])
            for match in _YAML_ESCAPE.finditer(text, begin, end):
                code = match[0][1:]
                char = _YAML_SHORT.get(code, "")
                if len(code) > 1:
                    char = chr(int(code[1:], 16)) if int(code[1:], 16) <= 0x10FFFF else "\ufffe"
                if char and _NOT_XML.match(char):
                    at, shown = match.start(), f'"{match[0]}" ({char_name(char)})'
                    break
            line, col = position(text, at)
            diags.error(
                rel,
                first + line - 1,
                tr("{shown} is a character the packages cannot carry: delete it", shown=shown),
                col,
            )
    return ok


def read_source(file: Path, rel: str, diags: Diagnostics) -> SourceFile | None:
    """Read a Markdown file with optional ``---`` front matter. A fence a word processor made
    into dashes ("——", "—-") is reported as such and read as the fence it was meant to be."""
    text = read_text(file, rel, diags)
    if text is None:
        return None
    lines = text.split("\n")
    first = lines[0].rstrip()
    dashed = first != "---" and dash_fence(first) is not None
    if dashed and not (len(lines) > 1 and _FRONT_KEY.match(lines[1])):
        dashed = False  # a line of dashes in the text, not front matter
    if first != "---" and not dashed:
        return SourceFile(rel, text, None, 1, text, 1)
    end = next(
        (
            i
            for i in range(1, len(lines))
            if lines[i].rstrip() in ("---", "...") or dash_fence(lines[i].rstrip())
        ),
        0,
    )
    if not end and dashed:
        return SourceFile(rel, text, None, 1, text, 1)  # a line of dashes, not front matter
    if not end:
        diags.error(
            rel, 1, tr('front matter starts with "---" but is never closed by a "---" line')
        )
        return None
    if dashed:
        _report_dash_fence(first, rel, 1, diags)
    if dash_fence(lines[end].rstrip()):
        _report_dash_fence(lines[end].rstrip(), rel, end + 1, diags)
    front_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    node = parse_yaml(front_text, rel, 2, diags) if front_text.strip() else None
    broken = node is None and bool(front_text.strip())
    if node is not None and not isinstance(node, yaml.MappingNode):
        if not report_pasted(front_text, rel, 2, diags, None):
            diags.error(
                rel, 2, tr('{what} must be a list of "key: value" lines', what=tr("front matter"))
            )
        node, broken = None, True
    return SourceFile(rel, text, BROKEN if broken else node, 2, body, end + 2, broken)


# dashes a word processor makes of "--" and "---": hyphen, non-breaking hyphen, figure dash,
# en dash, em dash, horizontal bar, minus sign
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_LINE = re.compile(f"[-{_DASHES}]+")
_FRONT_KEY = re.compile(r"\s*[\w-]+\s*:")


def dash_fence(line: str) -> str | None:
    """The first dash other than "-" of a line of dashes ("——", "—-", "–––"), else None."""
    if not _DASH_LINE.fullmatch(line):
        return None
    return next((ch for ch in line if ch != "-"), None)


def _report_dash_fence(line: str, rel: str, number: int, diags: Diagnostics) -> None:
    char = dash_fence(line) or "-"
    diags.error(
        rel,
        number,
        tr(
            '"{line}" holds {char} where front matter needs three hyphens: write "---" '
            '(word processors turn "--" into a dash)',
            line=line,
            char=char_label(char),
        ),
        line.index(char) + 1,
    )


class _Broken(yaml.MappingNode):
    """The front matter of a file whose front matter could not be read (already reported):
    it has no keys, and :class:`Fields` does not add that required ones are missing."""

    def __init__(self) -> None:
        mark = yaml.Mark("", 0, 0, 0, None, None)
        super().__init__("tag:yaml.org,2002:map", [], start_mark=mark, end_mark=mark)


BROKEN = _Broken()


_INT = re.compile(r"[+-]?\d+")
# a decimal point or a decimal comma (62.5, 62,5); a comma only between digits, so that "5," or
# "1,000.5" is no number; the schemas read numbers with this pattern too (tools/schemas.py)
_FLOAT = re.compile(r"[+-]?(\d+(\.\d*|,\d+)?|\.\d+)")
_TRUE = {"true", "yes", "on", "да"}
_FALSE = {"false", "no", "off", "не"}
_NULL = {"", "~", "null"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _place(what: str) -> str:
    """Where keys are, as messages name it in the current language ("the front matter")."""
    places = {
        "front matter": tr("front matter"),
        "module front matter": tr("module front matter"),
        "course file": tr("course file"),
    }
    return places.get(what, what)


class Fields:
    """The keys of one YAML mapping, read with a type each; problems go to the diagnostics.
    Of a front matter that could not be read (:data:`BROKEN`) no key is said to be missing:
    that would only repeat the first error."""

    def __init__(
        self,
        node: yaml.Node | None,
        rel: str,
        diags: Diagnostics,
        known: Iterable[str] | None,
        first_line: int,
        what: str = "front matter",
        line: int | None = None,
    ) -> None:
        self.rel = rel
        self.diags = diags
        self.what = _place(what)
        self.first_line = first_line  # the file line of the YAML text's first line
        self.line = line or first_line  # where to report a missing key
        self.keys: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        self.broken = isinstance(node, _Broken)
        known = None if known is None else list(known)
        if node is None or self.broken:
            return
        if not isinstance(node, yaml.MappingNode):
            self.error(node, tr('{what} must be a list of "key: value" lines', what=self.what))
            self.broken = True
            return
        self.line = self.line_of(node)
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if key in self.keys:
                self.error(
                    key_node, tr('"{key}" is given twice in the {what}', key=key, what=self.what)
                )
                continue
            self.keys[key] = (key_node, value_node)
            if known is not None and key not in known:
                self.diags.warning(
                    rel,
                    self.line_of(key_node),
                    tr(
                        'unknown key "{key}" in the {what}{suggestion}; it is ignored',
                        key=key,
                        what=self.what,
                        suggestion=did_you_mean(key, known),
                    ),
                    key_node.start_mark.column + 1,
                )

    # positions -----------------------------------------------------------------------------

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def key_line(self, key: str) -> int:
        return self.line_of(self.keys[key][0]) if key in self.keys else self.line

    def error(self, node: yaml.Node, message: str) -> None:
        self.diags.error(self.rel, self.line_of(node), message, node.start_mark.column + 1)

    def warning(self, node: yaml.Node, message: str) -> None:
        self.diags.warning(self.rel, self.line_of(node), message, node.start_mark.column + 1)

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def node(self, key: str) -> yaml.Node | None:
        return self.keys[key][1] if key in self.keys else None

    # typed access ----------------------------------------------------------------------------

    def _scalar(self, key: str, required: bool, kind: str) -> tuple[yaml.Node, str] | None:
        node = self.node(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and _is_null(node)):
            if required and not self.broken:
                self.diags.error(
                    self.rel,
                    self.key_line(key),
                    tr('the {what} needs "{key}"', what=self.what, key=key),
                )
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error(
                node, tr('"{key}" must be {kind}, not a list or a mapping', key=key, kind=kind)
            )
            return None
        return node, str(node.value)

    def str(self, key: str, default: Any = None, required: bool = False) -> Any:
        got = self._scalar(key, required, tr("text"))
        if not got:
            return default
        text = got[1].strip()
        if required and not text:
            self.error(
                got[0], tr('"{key}" is empty: the {what} needs one', key=key, what=self.what)
            )
            return default
        return text

    def int(
        self, key: str, default: Any = None, required: bool = False, minimum: int | None = None
    ) -> Any:
        got = self._scalar(key, required, tr("a whole number"))
        if not got:
            return default
        node, text = got
        if not _INT.fullmatch(text.strip()):
            self.error(
                node, tr('"{key}" must be a whole number, not "{value}"', key=key, value=text)
            )
            return default
        value = int(text)
        if minimum is not None and value < minimum:
            self.error(
                node,
                tr(
                    '"{key}" must be at least {minimum}, not {value}',
                    key=key,
                    minimum=minimum,
                    value=value,
                ),
            )
            return default
        return value

    def float(
        self,
        key: str,
        default: Any = None,
        required: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> Any:
        got = self._scalar(key, required, tr("a number"))
        if not got:
            return default
        node, text = got
        value = parse_number(text)
        if value is None:
            self.error(
                node,
                tr('"{key}" must be a number, not "{value}"', key=key, value=text)
                + number_hint(text),
            )
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            if maximum is None:
                message = tr(
                    '"{key}" must be at least {minimum}, not {value}',
                    key=key,
                    minimum=f"{minimum:g}",
                    value=text,
                )
            else:
                message = tr(
                    '"{key}" must be between {minimum} and {maximum}, not {value}',
                    key=key,
                    minimum=f"{minimum:g}",
                    maximum=f"{maximum:g}",
                    value=text,
                )
            self.error(node, message)
            return default
        return value

    def bool(self, key: str, default: Any = None) -> Any:
        got = self._scalar(key, False, tr("true or false"))
        if not got:
            return default
        node, text = got
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        self.error(node, tr('"{key}" must be true or false, not "{value}"', key=key, value=text))
        return default

    def date(self, key: str, default: Any = None) -> Any:
        got = self._scalar(key, False, tr("a date"))
        if not got:
            return default
        node, text = got
        try:
            if not _DATE.fullmatch(text.strip()):
                raise ValueError
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            self.error(
                node,
                tr('"{key}" must be a date written YYYY-MM-DD, not "{value}"', key=key, value=text),
            )
            return default

    def choice(self, key: str, options: Iterable[str], default: Any = None) -> Any:
        options = list(options)
        got = self._scalar(key, False, tr("text"))
        if not got:
            return default
        node, text = got
        if text.strip() not in options:
            self.error(
                node,
                tr(
                    '"{key}" must be one of {listed}, not "{value}"{suggestion}',
                    key=key,
                    listed=", ".join(options),
                    value=text,
                    suggestion=did_you_mean(text, options),
                ),
            )
            return default
        return text.strip()

    def str_list(self, key: str, default: Any = None) -> Any:
        """A list of texts; a single text counts as a list of one."""
        node = self.node(key)
        if node is None:
            return [] if default is None else default
        if isinstance(node, yaml.ScalarNode):
            return [] if _is_null(node) else [str(node.value).strip()]
        if isinstance(node, yaml.SequenceNode):
            out = []
            for child in node.value:
                if isinstance(child, yaml.ScalarNode):
                    if not _is_null(child):
                        out.append(str(child.value).strip())
                else:
                    self.error(child, tr('each entry of "{key}" must be text', key=key))
            return out
        self.error(node, tr('"{key}" must be a list', key=key))
        return [] if default is None else default

    def str_list_with_lines(self, key: str) -> list[tuple[str, int]]:
        node = self.node(key)
        if isinstance(node, yaml.SequenceNode):
            return [
                (str(c.value).strip(), self.line_of(c))
                for c in node.value
                if isinstance(c, yaml.ScalarNode) and not _is_null(c)
            ]
        return [(v, self.key_line(key)) for v in self.str_list(key)]

    def weights(
        self, key: str, whole: bool = False, minimum: float = 0
    ) -> list[tuple[str, float, int]] | None:
        """A mapping of texts to numbers, in order, as (text, number, line); None when the
        key holds no mapping (read it as a scalar then)."""
        node = self.node(key)
        if not isinstance(node, yaml.MappingNode):
            return None
        out: list[tuple[str, float, int]] = []
        seen: set[str] = set()
        for k, v in node.value:
            text = str(k.value).strip() if isinstance(k, yaml.ScalarNode) else ""
            if not text:
                self.error(k, tr('each entry of "{key}" must be "text: number"', key=key))
                continue
            if text.casefold() in seen:
                self.error(k, tr('"{text}" is given twice in "{key}"', text=text, key=key))
                continue
            seen.add(text.casefold())
            raw = str(v.value).strip() if isinstance(v, yaml.ScalarNode) else ""
            value = (float(raw) if _INT.fullmatch(raw) else None) if whole else parse_number(raw)
            if value is None or value < minimum:
                if whole:
                    message = tr(
                        '"{text}" in "{key}" needs a whole number of at least {minimum}, '
                        'not "{value}"',
                        text=text,
                        key=key,
                        minimum=f"{minimum:g}",
                        value=raw,
                    )
                else:
                    message = tr(
                        '"{text}" in "{key}" needs a number of at least {minimum}, not "{value}"',
                        text=text,
                        key=key,
                        minimum=f"{minimum:g}",
                        value=raw,
                    )
                self.error(v, message)
                continue
            out.append((text, value, self.line_of(k)))
        return out

    def mapping(self, key: str, known: Iterable[str]) -> Fields:
        node = self.node(key)
        if node is not None and isinstance(node, yaml.ScalarNode) and _is_null(node):
            node = None
        what = tr('"{key}" section', key=key)
        return Fields(node, self.rel, self.diags, known, self.first_line, what, self.key_line(key))


def parse_number(text: str) -> float | None:
    """A number written with a decimal point or a decimal comma (2.5, 2,5), else None."""
    text = text.strip()
    if _FLOAT.fullmatch(text):
        return float(text.replace(",", "."))
    return None


def number_hint(text: str) -> str:
    """Why digits with separators are no number ("1.234,5", "1,2,3"), or an empty string."""
    if re.fullmatch(r"[+-]?\d[\d.,]*\d", text.strip()):
        return tr(
            " (write one decimal point or comma and no thousands separators: 1234.5 or 1234,5)"
        )
    return ""


def _is_null(node: yaml.ScalarNode) -> bool:
    # plain (unquoted): PyYAML's parser gives style None, libyaml's gives ""
    return node.style in (None, "") and str(node.value).strip().lower() in _NULL
