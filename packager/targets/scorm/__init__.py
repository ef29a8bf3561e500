"""SCORM packages, 1.2 and 2004 4th edition: the HTML pages with the SCORM runtime, one SCO
per item (lesson, quiz, assignment, forum) or per module, and a manifest valid against the
official schemas. What is for trainers is left out."""

from __future__ import annotations

from ..base import BuildContext, Option, Target
from .package import build, package_entries

__all__ = ["Scorm12", "Scorm2004", "package_entries"]

SCO = Option(
    "scorm.sco",
    ("item", "module"),
    "item",
    "one SCO per lesson, quiz, assignment and forum (item) or per module, its items one after "
    "another",
)


class Scorm12(Target):
    name = "scorm12"
    description = "SCORM 1.2 package: one SCO per lesson and quiz; the best choice for Moodle"
    options = (SCO,)

    def build(self, ctx: BuildContext) -> list[str]:
        return build(ctx, "1.2", self.name)


class Scorm2004(Target):
    name = "scorm2004"
    description = "SCORM 2004 4th edition package: sequencing, rollup, an objective per quiz"
    options = (SCO,)

    def build(self, ctx: BuildContext) -> list[str]:
        return build(ctx, "2004", self.name)
