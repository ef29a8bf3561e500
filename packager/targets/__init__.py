"""Targets: each turns the course model into one package (or a few files) in the output folder.

Every target is one folder (or module) here with a :class:`~packager.targets.base.Target`
subclass; this registry lists them in build order. A target reads the model only, writes
through its ``ctx.out`` and imports another target only through that folder's package.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

from ..diagnostics import did_you_mean
from ..messages import tr
from .base import Target, option_values

# name -> (package here, class), in build order
_PLACES = {
    "site": ("html", "Site"),
    "scorm12": ("scorm", "Scorm12"),
    "scorm2004": ("scorm", "Scorm2004"),
    "moodle": ("moodle", "MoodleBackup"),
    "moodlexml": ("banks", "MoodleXml"),
    "gift": ("banks", "Gift"),
    "cc": ("cc", "CommonCartridge"),
}


class _Registry(Mapping[str, Target]):
    """The targets by name. A target's package is imported when the target is first used, so
    a build imports only the targets it builds; each name gives the same object every time."""

    def __init__(self, places: dict[str, tuple[str, str]]) -> None:
        self._places = places
        self._made: dict[str, Target] = {}

    def __getitem__(self, name: str) -> Target:
        target = self._made.get(name)
        if target is None:
            package, cls = self._places[name]
            target = self._made[name] = getattr(import_module(f".{package}", __name__), cls)()
        return target

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)


TARGETS: Mapping[str, Target] = _Registry(_PLACES)


def option_problems(options: dict[str, str]) -> list[str]:
    """What is wrong with the -O options: unknown names, values a target does not accept."""
    if not options:
        return []
    known = option_values(TARGETS.values())
    problems = []
    for key, value in options.items():
        if key not in known:
            problems.append(
                tr('unknown option "{key}"{hint}', key=key, hint=did_you_mean(key, known))
            )
        elif value not in known[key].choices:
            allowed = ", ".join(known[key].choices)
            problems.append(
                tr(
                    '{key} must be one of {allowed}, not "{value}"',
                    key=key,
                    allowed=allowed,
                    value=value,
                )
            )
    return problems
