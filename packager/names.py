"""ASCII forms of names, for the places that accept nothing else (identifiers in manifests,
interaction ids). Bulgarian is transliterated with the official Streamlined System."""

from __future__ import annotations

import hashlib
import re

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
