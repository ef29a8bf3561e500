"""Numbers as the outputs write them: one formatter for each form, used by every target."""

from __future__ import annotations

from decimal import Decimal


def plain(value: float) -> str:
    """Every digit kept, no exponent, no trailing zeros: 4, 12.5, 1234567, 0.0000001."""
    if value == 0:
        return "0"
    text = format(Decimal(repr(float(value))), "f")
    return text[:-2] if text.endswith(".0") else text


def fixed(value: float, places: int) -> str:
    """A decimal with a fixed number of places, as Moodle stores marks and grades: 1.0000000."""
    return f"{value:.{places}f}"


def percent(fraction: float) -> str:
    """A fraction of the mark as the percentage Moodle reads in grades: 0.3333333 -> 33.33333,
    0.5 -> 50 (five places at most, no trailing zeros)."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
