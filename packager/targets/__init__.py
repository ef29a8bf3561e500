"""Targets: each turns the course model into one package (or a few files) in the output folder.

A target is a module with NAME, DESCRIPTION and ``build(ctx) -> list[Path]``; it reads the model
only and writes through :mod:`packager.archive`.
"""

from __future__ import annotations

from types import ModuleType

from . import gift, moodle, moodlexml, scorm12, scorm2004, site

TARGETS: dict[str, ModuleType] = {
    module.NAME: module for module in (site, scorm12, scorm2004, moodle, moodlexml, gift)
}
