"""SCORM 1.2 package: what Moodle and most LMSs play best."""

from __future__ import annotations

from . import scorm
from .base import BuildContext

OPTIONS = scorm.OPTIONS

NAME = "scorm12"
DESCRIPTION = "SCORM 1.2 package (one SCO per lesson and quiz)"


def build(ctx: BuildContext) -> list[str]:
    return scorm.build(ctx, "1.2")
