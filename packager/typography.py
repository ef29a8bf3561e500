"""Bulgarian typography: non-breaking spaces and „…“ quotes in the course's texts.

For a course in Bulgarian (``language: bg``) the packager sets the texts of its pages the way
Bulgarian typesetting asks. It changes only two things: some ordinary spaces become
non-breaking spaces (U+00A0), so a line never breaks between words that belong together, and
straight double quotes ``"…"`` become Bulgarian quotes „…“. No other character is added,
removed or replaced. The rules:

1. **One-letter words.** After the one-letter words в, с, и, а, о, у, к (and В, С, И, А, О,
   У, К) the space is non-breaking, so the word starts the next line together with the word
   after it: ``в библиотеката``, ``и в града`` (both spaces). Latin one-letter words (``a``,
   ``I``, ``x``) are left alone: in a Bulgarian text they are mostly names of variants,
   variables or points, which should not be bound to the next word.
2. **Dashes.** The space before a dash (``–`` or ``—`` with a space after it, or a hyphen
   written with spaces around it, `` - ``) is non-breaking, so a line never starts with a
   dash: ``текст – текст``. Ranges written without spaces (``2009–2013``) are not changed, and
   no dash or hyphen is replaced by another.
3. **Numbers.** The space after a number (not one ending a code such as ``КД2``) is
   non-breaking when a word, ``%``, ``‰``, ``°`` or a currency sign follows: ``20 въпроса``,
   ``70 %``, ``45 минути``, ``11 януари 2027 г.``.
   Groups of thousands written with spaces are joined with non-breaking spaces:
   ``10 000`` (the ordinary non-breaking space U+00A0, not the narrow one: every font has it).
   After ``№`` and ``§`` the space before the number is non-breaking: ``№ 5``.
4. **Initials and abbreviations.** The space after an initial is non-breaking: ``А. Б. Иванов``,
   ``Й. Йовков``. So is the space in two-part abbreviations (``т. е.``, ``т. нар.``) and after
   abbreviations that belong to the next word: titles (``проф.``, ``доц.``, ``д-р``,
   ``инж.``, ``акад.``, ``г-н``, ``г-жа``, ``г-ца``) and places or references (``гр.``,
   ``с.``, ``ул.``, ``бул.``, ``пл.``, ``обл.``, ``общ.``, ``чл.``, ``ал.``, ``стр.``,
   ``табл.``, ``фиг.``). Abbreviations written without spaces (``т.е.``) are not changed.
5. **Quotes.** A straight double quote ``"`` (also written ``&quot;``) becomes an opening „
   at the start of a paragraph or after a space, an opening bracket or a dash, and a closing “
   after anything else; one standing alone between spaces is left as it is. Quotes already
   written as „…“ (or «…») are not changed, nor are apostrophes and single quotes. Quotes
   inside quotes are not told apart: they get „…“ too.

Only a single ordinary space (or line break) between two words is changed; a space that is
already non-breaking counts as a space, so setting a text twice gives the same text as setting
it once.

What is never changed: code (``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``), formulas
(``<math>``), scripts, styles, text areas, HTML comments, tags and their attributes (a
``title`` or ``alt`` text keeps its spaces and quotes), and web addresses, e-mail addresses and
file paths written in the text (``https://…``, ``www.…``, ``име@домейн.bg``, ``C:\\…``,
``папка/файл.md``). The rules look across inline markup (``в <em>библиотеката</em>``,
``"<em>Одисей</em>"``) but never across the end of a paragraph, heading, list item, table cell
or line break.
"""

from __future__ import annotations

import html as htmllib
import re
from bisect import bisect_right

NBSP = "\u00a0"
_OBJECT = "\ufffc"  # what the rules read for code, an image or an address: a word they keep
_BREAK = "\x00"  # what they read for the end of a block: nothing joins across it

# ---------------------------------------------------------------------------------------------
# The rules, on plain text. Each change turns one character into one, so positions never move;
# a change depends only on its neighbours, where a space and a non-breaking space read the
# same: so the rules can all be found in one pass, and a second pass finds nothing new.

_GLUE = r"[\w\ufffc.\-‐/\\'’@&]"  # a character a one-letter word cannot follow
_EDGE = r"[\w\ufffc.\-]"  # ... an initial or an abbreviation cannot follow
_WORD = r"(?=[^\s\x00])"  # a word (or a number, a quote, code) follows
# A single breakable space (line breaks and tabs are read as spaces) that should not break.
# Each lookbehind ends with the space; the first of each group tells cheaply whether the rest
# need be tried. Dashes are found apart (_dashes): they are rare, spaces are not.
_SPACE = re.compile(
    " (?:"
    # most spaces end a word of two letters or more: they fail this first test
    r"(?<![a-zA-Zа-яА-Я]..)(?:"
    # 1. after a one-letter word
    rf"(?<=[вВсСиИаАоОуУкК] )(?<!{_GLUE}..){_WORD}"
    # 3. after a number (not a code such as KA2) before a word or a unit
    r"|(?<=\d )(?:(?<![^\W\d_]\d.)(?<![^\W\d_]\d\d.)(?<![^\W\d_]\d\d\d.)(?=[^\W\d_]|[%‰°€$£])"
    # ... between groups of thousands
    r"|(?=\d{3}(?!\w))(?:(?<=[ \u00a0\u202f]\d\d\d.)|(?<![\w.,]....)(?<=\d\d\d.)"
    r"|(?<![\w.,]...)(?<=\d\d.)|(?<![\w.,]..)(?<=\d.)))"
    # ... after № and §
    r"|(?<=[№§] )(?=\d)"
    # 4. after д-р, г-н
    rf"|(?<=-. )(?i:(?<=д-р |г-н ))(?<!{_EDGE}....){_WORD})"
    # 4. after an initial, inside a two-part abbreviation, after an abbreviation of a title,
    # a place or a reference
    rf"|(?<=\. )(?:(?<=[A-ZА-Я]\..)(?<!{_EDGE}...)(?=[A-ZА-Я])"
    rf"|(?<=[а-я]\..)(?<!{_EDGE}...)(?=[а-я]{{1,3}}\.)"
    rf"|{_WORD}(?i:(?<!{_EDGE}...)(?<=с\..)"
    rf"|(?<!{_EDGE}....)(?<=(?:гр|ул|пл|чл|ал)\..)"
    rf"|(?<!{_EDGE}.....)(?<=(?:доц|инж|бул|обл|общ|стр|фиг)\..)"
    rf"|(?<!{_EDGE}......)(?<=(?:проф|акад|табл)\..)))"
    rf"|(?<=[жцЖЦ][аА] )(?i:(?<=г-жа |г-ца ))(?<!{_EDGE}.....){_WORD}"
    ")"
)
_DASH_AFTER = frozenset(" \u00a0\u202f")  # a hyphen with these after it is a dash
_OPENS_AFTER = frozenset(" \t\n\u00a0\u202f([{–—-\x00")

# addresses and paths: the rules read them as one word, so nothing in or next to them changes
_HINTS = ("/", "@", "\\", "www.")
_BOUNDS = (" ", "\u00a0", "\u202f", "\x00")  # where a word starts after
_SPACE_OR_BREAK = re.compile(r"[\s\x00]")
_PROTECTED = re.compile(
    # each starts only where a word starts, and never backtracks: the time grows with the text
    r"(?<![\w+.-])[A-Za-z][A-Za-z0-9+.-]*+://[^\s\"<>„“”«»]*+"
    r"|(?<![\w.-])(?:www\.|mailto:)[^\s\"<>„“”«»]*+"
    r"|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++"
    r"|(?<![A-Za-z])[A-Za-z]:\\[^\s\"<>„“”«»]*+"
    r"|(?<![\w/.~])(?:~|\.{1,2})?/[\w.~-]++(?:/[\w.~-]*+)*+"
    r"|(?<![\w.~/-])(?P<relative>[\w.~-]++(?:/[\w.~-]++)++)"
)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}")
_LONGEST = 300  # a longer word with a / or an @ in it is read whole as an address


def _protect(text: str) -> str:
    """``text`` with its addresses and paths read as _OBJECT (the same length)."""
    hints = []
    for hint in _HINTS:
        at = text.find(hint)
        while at >= 0:
            hints.append(at)
            at = text.find(hint, at + 1)
    if not hints:
        return text
    spans: list[tuple[int, int]] = []
    done = 0  # the end of the last word looked at
    for at in sorted(hints):
        if at < done:
            continue
        low = max(0, at - _LONGEST)
        start = max(low, *(text.rfind(space, low, at) + 1 for space in _BOUNDS))
        after = _SPACE_OR_BREAK.search(text, at)
        done = after.start() if after else len(text)
        if done - start >= _LONGEST or (start == low and low):
            spans.append((start, done))
            continue
        for match in _PROTECTED.finditer(text, start, done):
            path = match.group("relative")
            # a/b is no path (и/или, км/ч); a/b/c and a/b.md are
            if path and path.count("/") < 2:
                dot = path.rfind(".")
                if dot < 0 or not _EXTENSION.fullmatch(path, dot):
                    continue
            spans.append(match.span())
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], _OBJECT * (end - start)]
        last = end
    return "".join([*parts, text[last:]])


def _dashes(read: str) -> list[int]:
    """2. Where a space before a dash is: a dash, not a range (20–30) or a minus sign (–5)."""
    found = []
    for dash in ("–", "—", " -"):
        at = read.find(dash)
        while at >= 0:
            if dash == " -":
                after = read[at + 2 : at + 3]
                space = at if after and after in _DASH_AFTER else 0
            else:
                after = read[at + 1 : at + 2]
                space = at - 1 if not (after.isalnum() or after == "_") else 0
            if space > 0 and read[space] == " ":
                before = read[space - 1]
                if not before.isspace() and before != _BREAK:
                    found.append(space)
            at = read.find(dash, at + 1)
    return found


def _quotes(read: str) -> dict[int, str]:
    """5. Where each straight quote is, and what it becomes."""
    found = {}
    at = read.find('"')
    while at >= 0:
        before = read[at - 1] if at else ""
        after = read[at + 1] if at + 1 < len(read) else _BREAK
        if (not before or before in _OPENS_AFTER) and after != _BREAK and not after.isspace():
            found[at] = "„"
        elif before and not before.isspace() and before != _BREAK:
            found[at] = "“"
        # else: alone between spaces, no telling which
        at = read.find('"', at + 1)
    return found


def _changes(text: str) -> list[tuple[int, str]]:
    """The characters of ``text`` the rules change: (position, new character), in order."""
    read = _protect(text.replace("\n", " ").replace("\t", " "))  # (translate is slower)
    dashes = _dashes(read)
    if not dashes and '"' not in read:  # most texts: the spaces alone, found in order
        return [(match.start(), NBSP) for match in _SPACE.finditer(read)]
    spaces = set(map(re.Match.start, _SPACE.finditer(read)))
    spaces.update(dashes)  # a space may be both after a one-letter word and before a dash
    if '"' not in read:
        return [(at, NBSP) for at in sorted(spaces)]
    quotes = _quotes(read)
    return [(at, quotes.get(at, NBSP)) for at in sorted(spaces.union(quotes))]


def typeset_text(text: str) -> str:
    """A plain text (a title) set by the rules of this module; nothing in it is read as HTML."""
    return _apply(text, _changes(text), 0)


# ---------------------------------------------------------------------------------------------
# HTML: the rules read the text of the fragment, through inline tags and never into tags.

# a text, then a tag (the whole of it, the / of an end tag, the name), a text, a tag ... text
_TOKENS = re.compile(
    r"(<(?:(?i:script|style|textarea)\b(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>.*?"
    r"(?:</(?i:script|style|textarea)\s*>|\Z)"  # raw text: a "<" in it starts no tag
    r"|!--.*?(?:-->|\Z)"  # (unclosed, they run to the end, as in a browser)
    r"|(/?)([A-Za-z][A-Za-z0-9:-]*+)(?:[^<>\"']++|\"[^\"]*+\"|'[^']*+')*+>"
    r"|[!?][^>]*+>))",
    re.S,
)
# a paragraph of text (group 1) or a text with no tag and no entity: read as they are
_SIMPLE = re.compile(r"<p>([^<>&]*+)</p>|[^<>&]*+")
_ENTITY = re.compile(r"(&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)")
_INLINE, _IMAGE, _ATOM, _SKIPPED = range(4)  # any other tag ends a block
_KINDS = {
    # text runs on through these: the rules read "в <em>къщи</em>" as "в къщи"
    **dict.fromkeys(("a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn"), _INLINE),
    **dict.fromkeys(("em", "font", "i", "ins", "mark", "q", "s", "small", "span"), _INLINE),
    **dict.fromkeys(("strong", "sub", "sup", "time", "u", "var", "wbr"), _INLINE),
    "img": _IMAGE,  # read as a word
    # left as they are with all they hold; read as a word, or as the end of a block
    **dict.fromkeys(("code", "kbd", "samp", "math", "svg"), _ATOM),
    **dict.fromkeys(("pre", "script", "style", "textarea"), _SKIPPED),
}


def _read_entities(
    text: str,
    at: int,
    size: int,
    read: list[str],
    starts: list[int],
    sources: list[int],
    entities: dict[int, int],
) -> int:
    """Read a text with entities at ``at`` of the fragment, ``size`` into what the rules read:
    each entity as the one character it stands for, a piece of its own. The new size."""
    for i, part in enumerate(_ENTITY.split(text)):  # literal, entity, literal, ...
        if not part:
            continue
        starts.append(size)
        sources.append(at)
        at += len(part)
        if i % 2:
            entities[len(starts) - 1] = len(part)
            char = htmllib.unescape(part)
            part = char if len(char) == 1 else _OBJECT
        read.append(part)
        size += len(part)
    return size


def typeset_html(html: str) -> str:
    """An HTML fragment with its text set by the rules of this module; tags, attributes, code
    and the other elements the module lists are left exactly as they were."""
    if not any(char in html for char in ' "\n\t&'):
        return html
    simple = _SIMPLE.fullmatch(html)  # most snippets: one paragraph of text, or text alone
    if simple:
        inner = simple.group(1)
        if inner is None:
            return typeset_text(html)
        return _apply(html, _changes(_BREAK + inner + _BREAK), 3 - 1)
    tokens = _TOKENS.split(html)
    read: list[str] = []  # what the rules read
    starts: list[int] = []  # where each text starts in what they read
    sources: list[int] = []  # ... and in the fragment
    entities: dict[int, int] = {}  # the length of each entity (a text of its own)
    size = at = 0
    skip, depth = "", 0  # the element left whole that the tokens are in, how deep
    texts = tokens[0::4]
    last = texts.pop()
    for text, tag, end, name in zip(texts, tokens[1::4], tokens[2::4], tokens[3::4], strict=True):
        if not text or skip:
            pass
        elif "&" in text:
            size = _read_entities(text, at, size, read, starts, sources, entities)
        else:
            starts.append(size)
            sources.append(at)
            read.append(text)
            size += len(text)
        at += len(text) + len(tag)
        if skip:
            if name is not None and name.lower() == skip:
                if end:
                    depth -= 1
                    skip = skip if depth else ""
                elif not tag.endswith("/>"):
                    depth += 1
            continue
        if name is None:  # a comment (read as nothing), a doctype, a script or style
            if not tag.startswith("<!--"):
                read.append(_BREAK)
                size += 1
            continue
        kind = _KINDS.get(name)
        if kind is None:
            kind = _KINDS.get(name.lower())
        if kind == _INLINE:
            continue
        if kind is None or end:
            read.append(_BREAK)
        elif kind == _IMAGE:
            read.append(_OBJECT)
        else:  # the start of an element left whole
            read.append(_OBJECT if kind == _ATOM else _BREAK)
            if not tag.endswith("/>"):
                skip, depth = name.lower(), 1
        size += 1
    if last and not skip:
        _read_entities(last, at, size, read, starts, sources, entities)
    changes = _changes("".join(read))
    if not changes:
        return html
    out, done = [], 0
    for offset, char in changes:
        i = bisect_right(starts, offset) - 1
        start = sources[i] + offset - starts[i]
        out += [html[done:start], char]
        done = start + entities.get(i, 1)  # an entity is replaced whole
    return "".join([*out, html[done:]])


def _apply(html: str, changes: list[tuple[int, str]], shift: int) -> str:
    """``html`` with the changes made, each ``shift`` characters further on."""
    if not changes:
        return html
    out, done = [], 0
    for at, char in changes:
        out += [html[done : at + shift], char]
        done = at + shift + 1
    return "".join([*out, html[done:]])
