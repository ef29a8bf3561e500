"""Planning an assignment: its instructions with the criteria as a table, its grade, the
submission plugins it turns on, and a marking guide with one criterion for each of the model's,
so a trainer grades criterion by criterion. The writer is assign.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ...markup import text_of
from ...messages import tr
from ...model import Assignment, Submission
from ...numbers import plain
from ..html import esc
from .plan import Area, Notice, without_h1
from .plan_files import FileRegistry

SHORTNAME_MAX = 255  # a marking guide criterion's short name
MAX_FILES = 5  # files a learner may upload for one assignment
MAX_FILE_BYTES = 20 * 1024 * 1024  # each (Moodle caps it at the site's upload limit)
GUIDE_READY = 20  # grading_definitions.status: the form is ready for grading
GUIDE_OPTIONS = '{"alwaysshowdefinition":1,"showmarkspercriterionstudents":1}'


@dataclass(frozen=True)
class PluginConfig:
    """An assign_plugin_config row: a setting of a submission or feedback plugin."""

    id: int
    plugin: str
    subtype: str  # assignsubmission or assignfeedback
    name: str
    value: str


@dataclass(frozen=True)
class GuideCriterion:
    id: int
    sortorder: int
    shortname: str  # plain text, what the trainer and the learner see as the criterion
    description: str  # the whole criterion when the short name had to be cut, else ""
    maxscore: float


@dataclass(frozen=True)
class Guide:
    """The assignment's marking guide: its grading area, definition and criteria."""

    area: int
    definition: int
    name: str
    criteria: tuple[GuideCriterion, ...]


@dataclass(frozen=True)
class AssignPlan:
    assignment: Assignment
    intro: str  # the instructions and the criteria table, as the backup stores them
    grade: int  # Moodle grades assignments in whole points; 0: not graded (trainers' work)
    gradepass: float
    configs: tuple[PluginConfig, ...]
    guide: Guide | None  # None: simple direct grading


def _shortname(text: str) -> str:
    """A criterion's name as Moodle's marking guide shows it (as HTML, so escaped), cut with
    "…" to the column's length."""
    if len(esc(text)) <= SHORTNAME_MAX:
        return esc(text)
    cut = SHORTNAME_MAX - 1
    while len(esc(text[:cut])) > SHORTNAME_MAX - 1:
        cut -= 1
    return esc(text[:cut]) + "…"


def assign_grade(task: Assignment) -> int:
    """The assignment's maximum grade: its points, whole (a trainers' assignment: none)."""
    return 0 if task.for_trainers else max(1, math.floor(task.points + 0.5))


def plan_assign(
    task: Assignment,
    context: int,
    files: FileRegistry,
    next_id: Callable[[str], int],
    strings: dict[str, str],
    notices: list[Notice],
) -> AssignPlan:
    grade = assign_grade(task)
    if grade and grade != task.points:
        notices.append(
            Notice(
                task.location.path,
                task.location.line,
                tr(
                    'assignment "{title}": Moodle grades assignments in whole points; its '
                    "{points} points are {grade} in the Moodle backup",
                    title=task.title,
                    points=plain(task.points),
                    grade=grade,
                ),
            )
        )
    intro = files.text(assignment_html(task, strings), Area(context, "mod_assign", "intro"))
    configs = tuple(
        PluginConfig(next_id("assign_plugin_config"), plugin, subtype, name, value)
        for plugin, subtype, name, value in _plugin_settings(task)
    )
    guide = None
    if grade and task.criteria:
        criteria = []
        for n, criterion in enumerate(task.criteria, start=1):
            text = text_of(criterion.text)
            short = _shortname(text)
            description = "" if short == esc(text) else f"<p>{esc(text)}</p>"
            criteria.append(
                GuideCriterion(next_id("guide_criterion"), n, short, description, criterion.points)
            )
        area, definition = next_id("grading_area"), next_id("grading_definition")
        guide = Guide(area, definition, task.title[:SHORTNAME_MAX], tuple(criteria))
    gradepass = min(task.pass_points or 0.0, grade)
    return AssignPlan(task, intro, grade, gradepass, configs, guide)


def assignment_html(task: Assignment, strings: dict[str, str]) -> str:
    """The instructions (no h1: Moodle shows the name as the title), then the criteria as a
    table with their points and the total, and the points needed to pass."""
    html = without_h1(task.html)
    if task.criteria:
        rows = "".join(
            f"<tr><td>{c.text}</td><td>{plain(c.points)}</td></tr>" for c in task.criteria
        )
        total = sum(c.points for c in task.criteria)
        html += (
            f"\n<h2>{esc(strings['criteria'])}</h2>\n"
            "<table>"
            f'<thead><tr><th scope="col">{esc(strings["criterion"])}</th>'
            f'<th scope="col">{esc(strings["criterion_points"])}</th></tr></thead>'
            f"<tbody>{rows}</tbody>"
            f'<tfoot><tr><th scope="row">{esc(strings["total"])}</th>'
            f"<td>{plain(total)}</td></tr></tfoot></table>"
        )
    if task.pass_points is not None:
        html += f"\n<p>{esc(strings['pass_points'].format(n=plain(task.pass_points)))}</p>"
    return html


def _plugin_settings(task: Assignment) -> list[tuple[str, str, str, str]]:
    """Online text and/or file submissions as the model asks; the trainer answers with
    comments (no annotated PDFs: they need Ghostscript on the server)."""
    text, upload = Submission.TEXT in task.submission, Submission.FILE in task.submission
    sub, feedback = "assignsubmission", "assignfeedback"
    return [
        ("onlinetext", sub, "enabled", str(int(text))),
        ("onlinetext", sub, "wordlimit", "0"),
        ("onlinetext", sub, "wordlimitenabled", "0"),
        ("file", sub, "enabled", str(int(upload))),
        ("file", sub, "maxfilesubmissions", str(MAX_FILES)),
        ("file", sub, "maxsubmissionsizebytes", str(MAX_FILE_BYTES)),
        ("file", sub, "filetypeslist", ""),
        ("comments", sub, "enabled", "0"),
        ("comments", feedback, "enabled", "1"),
        ("comments", feedback, "commentinline", "0"),
        ("editpdf", feedback, "enabled", "0"),
        ("offline", feedback, "enabled", "0"),
        ("file", feedback, "enabled", "0"),
    ]
