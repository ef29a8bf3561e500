"""The tool's own messages (diagnostics, help texts, summaries) in English and Bulgarian.

Messages are written in English in the code, wrapped in :func:`tr` (or :func:`trn` for a
number), with named ``{placeholders}``; their Bulgarian translations are gettext catalogues,
``packager/locale/bg/*.po`` (one file per area of the code, editable with any PO editor).
The language comes from ``--lang``, else from ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` or
``LANG``; anything but Bulgarian is English. tests/test_messages.py fails when a message has
no translation, a translation has no message, or their placeholders differ.

Both languages have two plural forms, the singular for exactly one and the plural otherwise
("1 module", "2 modules"; „1 модул“, „2 модула“).
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "bg")
LOCALE = Path(__file__).parent / "locale"
_state = {"lang": "en"}


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """PACKAGER_LANG when it names a language the messages have; else the language of the
    user's locale: the first of LANGUAGE (a list), LC_ALL, LC_MESSAGES and LANG that is set;
    Bulgarian if it names Bulgarian, else English."""
    env = os.environ if environ is None else environ
    if env.get("PACKAGER_LANG", "") in LANGUAGES:
        return env["PACKAGER_LANG"]
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value or value in ("C", "POSIX"):
            continue
        for entry in value.split(":"):
            code = entry.split(".")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
            if code:
                return "en"
    return "en"


def set_language(lang: str) -> None:
    _state["lang"] = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _state["lang"]


def tr(message: str, /, **params: object) -> str:
    """``message`` in the current language, its placeholders filled in from ``params``."""
    text = message
    if _state["lang"] != "en":
        text = catalogue(_state["lang"]).get(message, message)
    return text.format(**params) if params else text


def N_(text: str) -> str:  # gettext's name for it
    """Marks ``text`` as a message without translating it: for texts fixed when the code is
    imported (help texts), translated with ``tr`` where they are shown."""
    return text


def trn(singular: str, plural: str, n: int, /, **params: object) -> str:
    """The form for ``n`` (also available to the text as ``{n}``)."""
    text = singular if n == 1 else plural
    if _state["lang"] != "en":
        forms = catalogue(_state["lang"]).get((singular, plural))
        if isinstance(forms, tuple):
            text = forms[0] if n == 1 else forms[1]
    return text.format(n=n, **params)


# ---------------------------------------------------------------------------------------------
# catalogues


Key = str | tuple[str, str]


@cache
def catalogue(lang: str) -> dict[Key, str | tuple[str, ...]]:
    """Every translation of ``lang``: msgid -> msgstr, (msgid, msgid_plural) -> forms."""
    out: dict[Key, str | tuple[str, ...]] = {}
    for path in sorted((LOCALE / lang).glob("*.po")):
        for key, value, _line in read_po(path.read_text("utf-8")):
            out[key] = value
    return out


_ENTRY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")\s*$')
_MORE = re.compile(r'^(".*")\s*$')


def read_po(text: str) -> list[tuple[Key, str | tuple[str, ...], int]]:
    """The entries of a PO catalogue as (key, translation, line); the header (empty msgid)
    and untranslated entries are left out."""
    entries: list[tuple[Key, str | tuple[str, ...], int]] = []
    fields: dict[str, str] = {}
    start = 0
    last = ""

    def flush() -> None:
        if fields.get("msgid"):
            if "msgid_plural" in fields:
                forms = tuple(fields[k] for k in sorted(fields) if k.startswith("msgstr["))
                if all(forms):
                    entries.append(((fields["msgid"], fields["msgid_plural"]), forms, start))
            elif fields.get("msgstr"):
                entries.append((fields["msgid"], fields["msgstr"], start))
        fields.clear()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        entry = _ENTRY.match(line)
        if entry:
            if entry[1] == "msgid":
                flush()
                start = number
            last = entry[1]
            fields[last] = ast.literal_eval(entry[2])
            continue
        more = _MORE.match(line)
        if more and last:
            fields[last] += ast.literal_eval(more[1])
            continue
        raise ValueError(f"line {number}: not a PO line: {raw!r}")
    flush()
    return entries


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` of a message."""
    return {m[1] for m in re.finditer(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})", text)}
