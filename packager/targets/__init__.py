"""Targets: each turns the course model into one package (or a few files) in the output folder.

A target is a module with NAME, DESCRIPTION and ``build(ctx) -> list[Path]``; it reads the model
only and writes through :mod:`packager.archive`.
"""

from __future__ import annotations

from types import ModuleType

from ..diagnostics import did_you_mean
from . import gift, moodle, moodlexml, scorm12, scorm2004, site

TARGETS: dict[str, ModuleType] = {
    module.NAME: module for module in (site, scorm12, scorm2004, moodle, moodlexml, gift)
}


def option_problems(options: dict[str, str]) -> list[str]:
    """What is wrong with the -O options: unknown names, values a target does not accept."""
    known: dict[str, tuple[str, ...]] = {}
    for module in TARGETS.values():
        known.update(getattr(module, "OPTIONS", {}))
    problems = []
    for key, value in options.items():
        if key not in known:
            problems.append(f'unknown option "{key}"{did_you_mean(key, known)}')
        elif value not in known[key]:
            allowed = ", ".join(known[key])
            problems.append(f'{key} must be one of {allowed}, not "{value}"')
    return problems
