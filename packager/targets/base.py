"""What every target gets: the model, where to write, and the build's fixed timestamp."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from ..model import Course


@dataclass
class BuildContext:
    course: Course
    out_dir: Path
    mtime: int  # every timestamp written into a package
    notices: Diagnostics  # what a format cannot carry; never fails a build
    options: dict[str, str] = field(default_factory=dict)

    def package_path(self, suffix: str, ext: str) -> Path:
        """dist/<short name>-<version>[-suffix].ext"""
        c = self.course
        name = f"{c.short_name}-{c.version}" + (f"-{suffix}" if suffix else "")
        return self.out_dir / f"{name}.{ext}"
