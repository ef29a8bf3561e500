"""The XML of a Moodle backup, written the way Moodle's own backups are.

An element is a leaf with text or a container of elements; both keep their children in the
order given, because Moodle's restore reads elements in the order its backup writes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ...names import xml_text
from ...numbers import fixed

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
NULL = "$@NULL@$"  # how a backup writes a database NULL

Scalar = str | int | bool | None
Fields = Mapping[str, "Scalar | El | list[El]"]


@dataclass
class El:
    name: str
    attrs: dict[str, Scalar]
    children: list[El] | None = None  # None: a leaf
    text: str = ""


def text_of(value: Scalar) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"format {value!r} before writing it")


def leaf(name: str, value: Scalar) -> El:
    return El(name, {}, None, text_of(value))


def box(name: str, children: Iterable[El] = (), **attrs: Scalar) -> El:
    """A container; an empty one is written as an open and a close tag, as Moodle does."""
    return El(name, dict(attrs), list(children))


def rec(name: str, fields: Fields, **attrs: Scalar) -> El:
    """A record: scalars become leaves, lists become containers, elements stay as they are."""
    children: list[El] = []
    for key, value in fields.items():
        if isinstance(value, El):
            children.append(value)
        elif isinstance(value, list):
            children.append(box(key, value))
        else:
            children.append(leaf(key, value))
    return El(name, dict(attrs), children)


def dec(value: float, places: int) -> str:
    """A decimal as Moodle writes it: 1.0000000 (7 places for marks), 10.00000 (5 for grades)."""
    return fixed(value, places)


# Most values (numbers, names, NULL): nothing in them to escape
_SAFE = re.compile(r"[\w $@.,:/+-]*")


def _escape(text: str, quote: bool) -> str:
    if _SAFE.fullmatch(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = xml_text(text)  # the loader rejects what XML cannot carry; never crash on it here
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _lines(el: El, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    attrs = (
        "".join(f' {k}="{_escape(text_of(v), True)}"' for k, v in el.attrs.items())
        if el.attrs
        else ""
    )
    if el.children is None:
        out.append(f"{pad}<{el.name}{attrs}>{_escape(el.text, False)}</{el.name}>")
        return
    out.append(f"{pad}<{el.name}{attrs}>")
    for child in el.children:
        _lines(child, depth + 1, out)
    out.append(f"{pad}</{el.name}>")


def render(root: El) -> bytes:
    """The whole file: Moodle's exact XML declaration, two-space indent, no final newline."""
    out: list[str] = []
    _lines(root, 0, out)
    return (HEADER + "\n".join(out)).encode("utf-8")
