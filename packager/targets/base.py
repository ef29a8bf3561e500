"""What every target gets: the model, where to write, and the build's fixed timestamp."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostics
from ..model import Course
from ..output import TargetOutput


@dataclass
class BuildContext:
    course: Course
    out: TargetOutput  # every file goes through it, by its path relative to the output folder
    mtime: int  # every timestamp written into a package
    notices: Diagnostics  # what a format cannot carry; never fails a build
    options: dict[str, str] = field(default_factory=dict)

    def package_name(self, suffix: str, ext: str) -> str:
        """<short name>-<version>[-suffix].ext"""
        c = self.course
        name = f"{c.short_name}-{c.version}" + (f"-{suffix}" if suffix else "")
        return f"{name}.{ext}"
