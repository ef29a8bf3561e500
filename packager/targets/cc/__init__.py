"""IMS Common Cartridge 1.1: the course as a cartridge that Moodle, Canvas and other LMSs import
as a course: a section per module, a page per lesson, a QTI quiz per quiz, a discussion topic
per forum, and a page per assignment (the format has no assignments). What is for trainers is
marked for the Instructor role, which Moodle's importer hides from learners."""

from __future__ import annotations

from ...messages import N_
from ..base import BuildContext, Option, Target
from .package import cartridge_entries

__all__ = ["CommonCartridge", "cartridge_entries"]

GENERAL = Option(
    "cc.general",
    ("empty", "none"),
    "empty",
    'an empty first top-level item, which Moodle makes its "General" section so that each '
    "module gets a section of its own (none: only the modules; other LMSs show the item as an "
    "empty module)",
)


class CommonCartridge(Target):
    name = "cc"
    description = (
        "IMS Common Cartridge 1.1 (.imscc): lessons and assignments as pages, quizzes as QTI, "
        "forums as discussion topics; imports into Moodle, Canvas and other LMSs as a course"
    )
    options = (GENERAL,)
    kinds = frozenset({"single", "multiple", "truefalse", "short", "essay"})
    question_features = frozenset({"points"})
    quiz_settings = frozenset({"attempts", "time_limit", "shuffle_answers"})
    instead = N_("the moodle and moodlexml targets carry them")

    def build(self, ctx: BuildContext) -> list[str]:
        carried = {quiz.id: ctx.questions(quiz) for quiz in ctx.course.quizzes}
        entries = cartridge_entries(
            ctx.course,
            carried,
            ctx.notices,
            general=ctx.option("cc.general", "empty") == "empty",
        )
        return [ctx.out.write_zip(ctx.package_name("", "imscc"), entries, ctx.mtime)]
