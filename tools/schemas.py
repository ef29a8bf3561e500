#!/usr/bin/env python3
"""Write the JSON Schemas in schemas/ and the key tables of the docs from packager/schema.py.

    .venv/bin/python tools/schemas.py           # rewrite what is out of date
    .venv/bin/python tools/schemas.py --check   # exit 1 and name what is out of date

The schemas are written twice, the same: into schemas/ (editors read it through the
``# yaml-language-server: $schema=`` comment of a course file in this repository) and into
packager/schemas/, which ships inside the installed package (``packager schema`` prints it).

The tables go between marker comments, ``<!-- keys:course -->`` … ``<!-- /keys:course -->``
(``keys:quiz:en`` for a table in English); the text around them is kept. tests/test_schemas.py
fails when a committed file differs from what this writes.

The schemas describe what the loader accepts, read by an editor (YAML 1.2: ``2027-01-11`` is
text) or by PyYAML (YAML 1.1: a date, ``yes`` is true). Their patterns use only what both
Python's ``re`` and ECMAScript (with or without the ``u`` flag) read the same way: no ``\\w``
(ASCII-only in ECMAScript) and no ``\\p{L}`` (unknown to ``re``). So an identifier's pattern
refuses the characters the loader refuses among ASCII, Latin-1, general punctuation, spaces
and invisible characters, and accepts every other character (a letter of any script); the
loader checks the rest, and lengths, which editors count before NFC normalisation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from packager import names, source  # noqa: E402
from packager.schema import QUESTION, SOURCES, Key, Source, Type  # noqa: E402
from packager.targets import TARGETS  # noqa: E402
from packager.targets.base import option_values  # noqa: E402

SCHEMA_DIR = ROOT / "schemas"
PACKAGE_SCHEMA_DIR = ROOT / "packager" / "schemas"  # the same files, as package data
DOCS = (ROOT / "docs" / "authoring.md", ROOT / "docs" / "assessments.md")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
GENERATED = "Generated from packager/schema.py by tools/schemas.py: edit those, not this file."
RULES = "authoring.md#идентификатори"  # where the docs give the identifier rule

# ---------------------------------------------------------------------------------------------
# patterns

# where an identifier's pattern names the characters it refuses (every other one is accepted)
CHECKED = ((0x0000, 0x00FF), (0x2000, 0x206F), (0x3000, 0x3000), (0xFEFF, 0xFEFF))


def _escape(cp: int) -> str:
    return f"\\x{cp:02X}" if cp <= 0xFF else f"\\u{cp:04X}"


def refused(allowed: str) -> list[int]:
    """The code points of CHECKED that are not letters or digits, except ``allowed``."""
    return [
        cp
        for first, last in CHECKED
        for cp in range(first, last + 1)
        if not chr(cp).isalnum() and chr(cp) not in allowed
    ]


def char_class(allowed: str) -> str:
    """``[^…]``: any character but those :func:`refused` names, written as ranges."""
    runs: list[list[int]] = []
    for cp in refused(allowed):
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    body = "".join(_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in runs)
    return f"[^{body}]"


def _either_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else c for c in word)


def _devices() -> str:
    """The Windows device names (packager.names) in either case: aux, com1 … com9, …"""
    stems: dict[str, list[str]] = {}
    for device in sorted(names._WINDOWS_DEVICES):
        stem = device.rstrip("0123456789")
        stems.setdefault(stem, []).append(device[len(stem) :])
    out = []
    for stem, tails in stems.items():
        digits = "".join(t for t in tails if t)  # tails are one digit or none
        tail = f"[{digits}]" if digits else ""
        out.append(_either_case(stem) + (f"(?:{tail})?" if digits and "" in tails else tail))
    return "|".join(out)


def id_pattern(parts: bool, extra: str = "") -> str:
    """An identifier (see packager.names.id_problem): ``parts`` separated by "/" or one part.
    Each part starts with a letter or a digit and holds letters, digits, "-", "_", "." (and
    ``extra``); no "..", no "." at the end of a part, no Windows device name."""
    part = char_class("") + char_class("-_." + extra) + "*"
    body = f"{part}(?:/{part})*" if parts else part
    at_part = "(?:[^/]*/)*" if parts else ""
    return (
        r"^(?!.*\.\.)(?!.*\.(?:/|$))"
        rf"(?!{at_part}(?:{_devices()})(?:[./]|$)){body}$"
    )


ID_PATTERN = id_pattern(parts=True)
NAME_PATTERN = id_pattern(parts=False)
VERSION_PATTERN = id_pattern(parts=False, extra="+")
# the texts the loader reads as these types (packager/source.py), where a YAML value is text
INT_PATTERN = rf"^{source._INT.pattern}$"
NUMBER_PATTERN = rf"^(?:{source._FLOAT.pattern})$"
DATE_PATTERN = rf"^{source._DATE.pattern}$"
BOOL_PATTERN = (
    "^(?:" + "|".join(_either_case(w) for w in sorted(source._TRUE | source._FALSE)) + ")$"
)

_LIMITS = f"at most {names.ID_PART_MAX} characters a part, {names.ID_MAX} in all"
ID_MESSAGE = f'{names.ID_RULE}; no "..", no "." at the end of a part; {_LIMITS}'
NAME_MESSAGE = (
    "one part of an id: it starts with a letter or a digit and holds only letters, digits, "
    f'"-", "_" and "."; no "..", no "." at the end; at most {names.ID_PART_MAX} characters'
)
VERSION_MESSAGE = NAME_MESSAGE.replace('"_" and "."', '"_", "." and "+"')

# ---------------------------------------------------------------------------------------------
# JSON Schemas

_SCALAR = ["string", "number", "boolean"]


def _json_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _description(key: Key) -> str:
    text = key.en
    meanings = [
        f"{' / '.join(c.words)}: {c.en}" if c.en else " / ".join(c.words) for c in key.choices
    ]
    if meanings and any(c.en or c.aliases for c in key.choices):
        text += " (" + "; ".join(meanings) + ")"
    if key.default_en:
        text += f". Default: {key.default_en}"
    return text.replace("`", "")  # the docs' code marks, which editors show as they are


def _typed(types: list[str], key: Key) -> list[str] | str:
    types = types + ([] if key.required else ["null"])  # an empty value means the default
    return types[0] if len(types) == 1 else types


def property_schema(key: Key) -> dict:
    """The JSON Schema of one key's value."""
    out: dict = {"description": _description(key)}
    t = key.type
    if t in (Type.TEXT, Type.MARKDOWN):
        out["type"] = _typed(_SCALAR, key)  # the loader reads any scalar as its text
    elif t in (Type.ID, Type.NAME, Type.VERSION):
        out["type"] = _typed(["string", "number"], key)
        out["pattern"], out["patternErrorMessage"] = {
            Type.ID: (ID_PATTERN, ID_MESSAGE),
            Type.NAME: (NAME_PATTERN, NAME_MESSAGE),
            Type.VERSION: (VERSION_PATTERN, VERSION_MESSAGE),
        }[t]
    elif t is Type.INT:
        out["type"] = _typed(["integer", "string"], key)
        out["pattern"], out["patternErrorMessage"] = INT_PATTERN, "a whole number"
    elif t is Type.NUMBER:
        out["type"] = _typed(["number", "string"], key)
        out["pattern"] = NUMBER_PATTERN
        out["patternErrorMessage"] = "a number such as 70, 62.5 or 62,5"
    elif t is Type.BOOL:
        out["type"] = _typed(["boolean", "string"], key)
        out["pattern"], out["patternErrorMessage"] = BOOL_PATTERN, "true or false"
    elif t is Type.DATE:
        # no "type": PyYAML reads an unquoted date as a date, which is no JSON type
        out["format"] = "date"
        out["pattern"], out["patternErrorMessage"] = DATE_PATTERN, "a date written YYYY-MM-DD"
        out["not"] = {"type": ["number", "boolean", "array", "object"]}
    elif t is Type.CHOICE:
        words = list(key.words())
        if len(words) == 1 and key.required:
            out["const"] = words[0]
        else:
            out["enum"] = words + ([] if key.required else [None])
    elif t is Type.LIST:  # a single text counts as a list of one
        out["type"] = _typed(["array", *_SCALAR], key)
        out["items"] = {"type": [*_SCALAR, "null"]}
        if key.pattern:
            out["items"]["pattern"] = key.pattern
        if key.choices:  # a list of words
            out["items"] = {"enum": list(key.words())}
            out["anyOf"] = [{"type": "array"}, {"enum": [*key.words(), None]}]
        if key.unique:
            out["uniqueItems"] = True
    elif t is Type.DRAW:  # a number, or tag -> number
        out["type"] = _typed(["integer", "object"], key)
        out["additionalProperties"] = {"type": "integer", "minimum": 1}
    elif t is Type.WEIGHTS:  # criterion -> points, in order
        out["type"] = _typed(["object"], key)
        out["additionalProperties"] = {"type": ["number", "string"], "pattern": NUMBER_PATTERN}
    elif t is Type.SECTION:
        out["type"] = _typed(["object"], key)
        out["additionalProperties"] = False
        out["properties"] = {k.name: property_schema(k) for k in key.keys}
    elif t is Type.TARGETS:  # names from the target registry; one name counts as a list of one
        known = list(TARGETS)
        out["anyOf"] = [{"type": "array", "items": {"enum": known}}, {"enum": [*known, None]}]
    elif t is Type.OPTIONS:  # the targets' -O options, each with its values
        out["type"] = _typed(["object"], key)
        out["additionalProperties"] = False
        out["properties"] = {
            o.key: {
                "description": o.help,
                "enum": [*o.choices, *_numbers(o.choices)],
                "default": o.default,
            }
            for o in option_values(TARGETS.values()).values()
        }
    if key.pattern:  # of a list: the pattern of its single-text form too
        out["pattern"] = key.pattern
    if key.minimum is not None:
        out["minimum"] = _json_value(key.minimum)
    if key.maximum is not None:
        out["maximum"] = _json_value(key.maximum)
    if key.default is not None:
        out["default"] = _json_value(key.default)
    return out


def _numbers(words: tuple[str, ...]) -> list[int | float]:
    """The words that YAML reads as numbers (moodle.version: 5), as those numbers: a schema
    sees the number, the packager reads the text written."""
    found: dict[float, int | float] = {}
    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            number = float(word)
            found.setdefault(number, int(number) if number.is_integer() else number)
    return list(found.values())


def json_schema(src: Source) -> dict:
    out: dict = {
        "$schema": DIALECT,
        "$id": f"{src.name}.schema.json",
        "$comment": GENERATED,
        "title": src.title,
        "type": "object",
        "additionalProperties": False,
    }
    required = [k.name for k in src.keys if k.required]
    if required:
        out["required"] = required
    out["properties"] = {k.name: property_schema(k) for k in src.keys}
    return out


def dump(value: object, depth: int = 0) -> str:
    """JSON indented by two spaces, with lists of scalars on one line."""
    pad = "  " * (depth + 1)
    if isinstance(value, dict) and value:
        items = [f"{pad}{json.dumps(k)}: {dump(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        items = [pad + dump(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    return json.dumps(value, ensure_ascii=False)


def schema_texts() -> dict[Path, str]:
    return {
        folder / f"{src.name}.schema.json": dump(json_schema(src)) + "\n"
        for folder in (SCHEMA_DIR, PACKAGE_SCHEMA_DIR)
        for src in SOURCES
    }


# ---------------------------------------------------------------------------------------------
# tables for the docs

_WORDS = {
    "bg": {
        "head": "| ключ | стойност | по подразбиране | значение |",
        "required": "задължителен",
        "or": "или",
        Type.TEXT: "текст",
        Type.MARKDOWN: "текст (Markdown)",
        Type.ID: "идентификатор ([правила]({rules}))",
        Type.NAME: "една част от идентификатор ([правила]({rules}))",
        Type.VERSION: "една част от идентификатор, може и `+` ([правила]({rules}))",
        Type.INT: "цяло число",
        Type.NUMBER: "число",
        Type.BOOL: "`true` или `false`",
        Type.DATE: "дата ГГГГ-ММ-ДД",
        Type.LIST: "списък или един текст",
        Type.DRAW: "цяло число или етикет: цяло число",
        Type.WEIGHTS: "текст: число",
        Type.TARGETS: "списък от цели (`site`, `scorm12`, …) или една цел",
        Type.OPTIONS: "`настройка: стойност`, както с `-O`",
        "min": "поне {0}",
        "range": "от {0} до {1}",
    },
    "en": {
        "head": "| key | value | default | meaning |",
        "required": "required",
        "or": "or",
        Type.TEXT: "text",
        Type.MARKDOWN: "text (Markdown)",
        Type.ID: "id ([rules]({rules}))",
        Type.NAME: "one part of an id ([rules]({rules}))",
        Type.VERSION: "one part of an id; may hold `+` ([rules]({rules}))",
        Type.INT: "whole number",
        Type.NUMBER: "number",
        Type.BOOL: "`true` or `false`",
        Type.DATE: "date YYYY-MM-DD",
        Type.LIST: "list, or one text",
        Type.DRAW: "whole number, or tag: whole number",
        Type.WEIGHTS: "text: number",
        Type.TARGETS: "list of targets (`site`, `scorm12`, …), or one target",
        Type.OPTIONS: "`option: value`, as with `-O`",
        "min": "at least {0}",
        "range": "{0} to {1}",
    },
}


def _num(value: float) -> str:
    return f"{value:g}"


def _listed(items: list[str], lang: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {_WORDS[lang]['or']} {items[-1]}"


def _value(key: Key, lang: str, rules: str) -> str:
    words = _WORDS[lang]
    custom = key.value_bg if lang == "bg" else key.value_en
    if custom:
        return custom
    if key.type is Type.CHOICE:
        return _listed([f"`{c.value}`" for c in key.choices], lang)
    text = words[key.type].format(rules=rules)
    if key.minimum is not None and key.maximum is not None:
        text += ", " + words["range"].format(_num(key.minimum), _num(key.maximum))
    elif key.minimum is not None:
        text += ", " + words["min"].format(_num(key.minimum))
    return text


def _default(key: Key, lang: str) -> str:
    if key.required:
        return _WORDS[lang]["required"]
    worded = key.default_bg if lang == "bg" else key.default_en
    if worded:
        return worded
    value = key.default
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{_num(value)}`"
    return f"`{_json_value(value)}`"


def _meaning(key: Key, lang: str) -> str:
    text = key.bg if lang == "bg" else key.en
    parts = []
    for c in key.choices:
        meaning = c.bg if lang == "bg" else c.en
        if not (meaning or c.aliases):
            continue
        words = f"`{c.value}`" + (
            " (" + ", ".join(f"`{a}`" for a in c.aliases) + ")" if c.aliases else ""
        )
        parts.append(f"{words} – {meaning}" if meaning else words)
    return text + (": " + "; ".join(parts) if parts else "")


def _rows(keys: tuple[Key, ...], lang: str, rules: str, prefix: str = "") -> list[str]:
    rows = []
    for key in keys:
        if key.type is Type.SECTION:
            rows += _rows(key.keys, lang, rules, f"{prefix}{key.name}.")
            continue
        cells = (
            f"`{prefix}{key.name}`",
            _value(key, lang, rules),
            _default(key, lang),
            _meaning(key, lang),
        )
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def table(src: Source, lang: str, rules: str) -> str:
    """The Markdown table of a source's keys."""
    return "\n".join(
        [_WORDS[lang]["head"], "| --- | --- | --- | --- |", *_rows(src.keys, lang, rules)]
    )


BY_NAME = {src.name: src for src in (*SOURCES, QUESTION)}
_MARKED = re.compile(
    r"(?P<open><!-- keys:(?P<tag>(?P<name>[a-z]+)(?::(?P<lang>[a-z]+))?) -->\n)"
    r".*?(?P<close><!-- /keys:(?P=tag) -->)",
    re.S,
)


def fill_tables(text: str, doc: Path) -> str:
    """``text`` with the table between each pair of markers written anew."""
    rules = "#идентификатори" if doc.name == "authoring.md" else RULES

    def fill(m: re.Match[str]) -> str:
        if m["name"] not in BY_NAME:
            raise SystemExit(f"{doc}: no source called {m['name']!r} in packager/schema.py")
        body = table(BY_NAME[m["name"]], m["lang"] or "bg", rules)
        return f"{m['open']}{body}\n{m['close']}"

    return _MARKED.sub(fill, text)


def doc_texts() -> dict[Path, str]:
    return {doc: fill_tables(doc.read_text("utf-8"), doc) for doc in DOCS}


def generated() -> dict[Path, str]:
    """Every file this tool writes, with the text it should hold."""
    return {**schema_texts(), **doc_texts()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only say what is out of date")
    args = parser.parse_args(argv)
    texts = generated()
    outdated = [p for p, text in texts.items() if not p.exists() or p.read_text("utf-8") != text]
    for path in outdated:
        rel = path.relative_to(ROOT)
        if args.check:
            print(f"{rel}: out of date; run tools/schemas.py")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(texts[path], "utf-8")
            print(f"wrote {rel}")
    return 1 if args.check and outdated else 0


if __name__ == "__main__":
    sys.exit(main())
