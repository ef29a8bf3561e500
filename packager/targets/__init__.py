"""Targets: each turns the course model into one package (or a few files) in the output folder.

Every target is one folder (or module) here with a :class:`~packager.targets.base.Target`
subclass; this registry lists them in build order. A target reads the model only, writes
through its ``ctx.out`` and imports another target only through that folder's package.
"""

from __future__ import annotations

from ..diagnostics import did_you_mean
from .banks import Gift, MoodleXml
from .base import Target, option_values
from .html import Site
from .moodle import MoodleBackup
from .scorm import Scorm12, Scorm2004

TARGETS: dict[str, Target] = {
    t.name: t for t in (Site(), Scorm12(), Scorm2004(), MoodleBackup(), MoodleXml(), Gift())
}


def option_problems(options: dict[str, str]) -> list[str]:
    """What is wrong with the -O options: unknown names, values a target does not accept."""
    known = option_values(TARGETS.values())
    problems = []
    for key, value in options.items():
        if key not in known:
            problems.append(f'unknown option "{key}"{did_you_mean(key, known)}')
        elif value not in known[key].choices:
            allowed = ", ".join(known[key].choices)
            problems.append(f'{key} must be one of {allowed}, not "{value}"')
    return problems
