"""The answer grades Moodle can store: a fixed list of fractions of a question's mark."""

from __future__ import annotations

POSITIVE = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
    0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05,
)  # fmt: skip
ALL = (*POSITIVE, 0.0, *(-f for f in POSITIVE))
_TOLERANCE = 0.00001  # as in Moodle's own matching of imported grades


def snap(fraction: float) -> float | None:
    """The listed fraction equal to ``fraction`` (within Moodle's tolerance), else None."""
    for value in ALL:
        if abs(fraction - value) < _TOLERANCE:
            return value
    return None


def nearest(fraction: float) -> float:
    return min(ALL, key=lambda v: abs(v - fraction))


def share(count: int) -> float:
    """Each of ``count`` equal parts of the mark, as a listed fraction (nearest if none is)."""
    return nearest(1.0 / count) if count else 0.0
