"""Names the outputs accept: the identifier rule for everything that becomes a path, file name
or package entry; ASCII forms of names for the places that accept nothing else (identifiers in
manifests, interaction ids; Bulgarian is transliterated with the official Streamlined System);
and text cleaned of the characters XML cannot carry."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .messages import tr

# ---------------------------------------------------------------------------------------------
# Identifiers: course short_name and version, module/lesson/quiz ids, question ids

ID_PART_MAX = 64  # characters in one "/"-separated part
ID_MAX = 200  # characters in a whole id
# one part (after NFC normalisation), for writers that check what they are given; id_problem
# adds: no "..", no "." at the end, at most ID_PART_MAX characters, no Windows device name
ID_PART = re.compile(r"[^\W_][\w.-]*")
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {
    f"{kind}{n}" for kind in ("com", "lpt") for n in "123456789"
}


# The identifier rule, in English (the JSON Schemas' descriptions); id_rule() for messages.
ID_RULE = (
    'an id is made of parts separated by "/"; each part starts with a letter or a digit and '
    'holds only letters, digits, "-", "_" and "."'
)


def id_rule() -> str:
    """The identifier rule (ID_RULE), for messages in the user's language."""
    return tr(
        'an id is made of parts separated by "/"; each part starts with a letter or a digit and '
        'holds only letters, digits, "-", "_" and "."'
    )


_NOT_SLUG = re.compile(r"[^\w\s-]")
_SLUG_GAPS = re.compile(r"[-\s]+")


def slug(text: str, separator: str = "-") -> str:
    """A title as a lower-case slug of its letters, digits, "_" and "-" (spaces and runs of
    the separator become one), in any script: "Въпрос 1: Кой?" → "въпрос-1-кой". Question ids
    and heading ids are made with it."""
    text = _NOT_SLUG.sub("", text).strip().lower()
    gaps = _SLUG_GAPS if separator == "-" else re.compile(rf"[{re.escape(separator)}\s]+")
    return gaps.sub(separator, text)


def normal_id(text: str) -> str:
    """The form ids are compared and written in (NFC: "й" is one character, as typed)."""
    return unicodedata.normalize("NFC", text)


def id_problem(ident: str, parts: bool = True, extra: str = "") -> str | None:
    """Why ``ident`` cannot be an id, or None when it can.

    ``parts``: "/" may separate parts (item ids); otherwise the id is one part (short_name,
    version, a question's own id). ``extra``: more characters allowed after the first one.
    """
    if not ident:
        return tr("it is empty")
    if len(ident) > ID_MAX:
        return tr("it is {n} characters long (at most {most})", n=len(ident), most=ID_MAX)
    if "\\" in ident:
        return tr('"\\" is not allowed (parts are separated by "/")')
    if "/" in ident and not parts:
        return tr('"/" is not allowed here')
    if ident.startswith("/"):
        return tr('it starts with "/" (an id is relative: write it without the first "/")')
    if ident.endswith("/") or "//" in ident:
        return tr('it has an empty part ("//" or a "/" at the end)')
    for part in ident.split("/"):
        problem = _part_problem(part, extra)
        if problem:
            return problem
    return None


def _part_problem(part: str, extra: str) -> str | None:
    if part in (".", ".."):
        return tr('"{part}" is not allowed as a part', part=part)
    if len(part) > ID_PART_MAX:
        return tr(
            'the part "{start}…" is {n} characters long (at most {most})',
            start=part[:20],
            n=len(part),
            most=ID_PART_MAX,
        )
    if not part[0].isalnum():
        return tr(
            'the part "{part}" must start with a letter or a digit, not {char}',
            part=part,
            char=_shown(part[0]),
        )
    for char in part:
        if not (char.isalnum() or char in "-_." or char in extra):
            return tr("{char} is not allowed", char=_shown(char))
    if ".." in part:
        return tr('".." is not allowed')
    if part.endswith("."):
        return tr('the part "{part}" ends with "."', part=part)
    if part.split(".")[0].lower() in _WINDOWS_DEVICES:
        return tr('"{part}" is a reserved file name on Windows', part=part)
    return None


def _shown(char: str) -> str:
    if char == " ":
        return tr("a space")
    if char.isprintable():
        return tr('"{char}"', char=char)
    return tr("the character U+{code}", code=f"{ord(char):04X}")


def safe_file_name(name: str, digest: str) -> str:
    """``name`` if it is a valid one-part id, else a valid name made from it (media files keep
    their extension; ``digest`` keeps two cleaned names apart)."""
    name = normal_id(name)
    if id_problem(name, parts=False) is None:
        return name
    stem, dot, ext = name.rpartition(".")
    if not (dot and stem.strip(".") and re.fullmatch(r"[A-Za-z0-9]{1,10}", ext)):
        stem, ext = name, ""
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-_") or "file"
    stem = stem[: ID_PART_MAX - len(ext) - 10]
    return f"{stem}-{digest[:8]}" + (f".{ext.lower()}" if ext else "")


# ---------------------------------------------------------------------------------------------
# XML text

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry replaced by U+FFFD.

    The loader rejects such characters; this keeps a writer from crashing if one slips through.
    """
    return _NOT_XML.sub("\ufffd", text)


# ---------------------------------------------------------------------------------------------
# ASCII names

_BG = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "ts",
            "ch",
            "sh",
            "sht",
            "a",
            "y",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def transliterate(text: str) -> str:
    out = []
    for char in text:
        low = char.lower()
        if low in _BG:
            latin = _BG[low]
            out.append(latin.capitalize() if char != low else latin)
        else:
            out.append(char)
    return "".join(out)


def ascii_id(text: str, limit: int = 64) -> str:
    """Letters, digits, "-", "_" and "." only; long names keep a hash of the whole."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", transliterate(text)).strip("_.-") or "x"
    if len(name) > limit:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        name = f"{name[: limit - 9].rstrip('_.-')}_{digest}"
    return name


def ncname(prefix: str, text: str) -> str:
    """An XML NCName (what manifests need for identifiers)."""
    return f"{prefix}_{ascii_id(text)}"
