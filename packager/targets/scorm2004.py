"""SCORM 2004 4th edition package, with sequencing and rollup."""

from __future__ import annotations

from . import scorm
from .base import BuildContext

OPTIONS = scorm.OPTIONS

NAME = "scorm2004"
DESCRIPTION = "SCORM 2004 4th edition package (sequencing, rollup, one objective per quiz)"


def build(ctx: BuildContext) -> list[str]:
    return scorm.build(ctx, "2004")
