"""Writing an assignment (mod_assign): its settings, the submission and feedback plugins it
uses, and grading.xml with its marking guide, all planned in plan_assign.py; nothing here
assigns an id."""

from __future__ import annotations

from .activities import Entries, activity_files
from .plan import Activity, Plan
from .plan_assign import GUIDE_OPTIONS, GUIDE_READY, AssignPlan, Guide
from .records import El, box, dec, rec

REOPEN_UNTIL_PASS = "untilpass"  # a grade below the pass grade opens a new attempt


def assign_files(plan: Plan, act: Activity, ap: AssignPlan) -> Entries:
    task = ap.assignment
    fields = {
        "name": task.title,
        "intro": ap.intro,
        "introformat": 1,
        "alwaysshowdescription": 1,
        "submissiondrafts": 0,  # saving is handing in (the learner may edit until graded)
        "sendnotifications": 0,
        "sendlatenotifications": 0,
        "sendstudentnotifications": 1,
        "duedate": 0,
        "cutoffdate": 0,
        "gradingduedate": 0,
        "allowsubmissionsfromdate": 0,
        "grade": ap.grade,
        "timemodified": plan.mtime,
        "completionsubmit": int(act.completion.tracked),
        "requiresubmissionstatement": 0,
        "teamsubmission": 0,
        "requireallteammemberssubmit": 0,
        "teamsubmissiongroupingid": 0,
        "blindmarking": 0,
        "hidegrader": 0,
        "revealidentities": 0,
        # with a pass grade, work below it goes back to the learner for another attempt
        "attemptreopenmethod": REOPEN_UNTIL_PASS,
        "maxattempts": -1 if ap.gradepass else 1,
        "markingworkflow": 0,
        "markingallocation": 0,
        "markinganonymous": 0,
        "preventsubmissionnotingroup": 0,
        "activity": None,
        "activityformat": 0,
        "timelimit": 0,
        "submissionattachments": 0,
    }
    if plan.generation.major >= 5:
        fields["gradepenalty"] = 0
    configs = [
        rec(
            "plugin_config",
            {"plugin": c.plugin, "subtype": c.subtype, "name": c.name, "value": c.value},
            id=c.id,
        )
        for c in ap.configs
    ]
    fields |= {
        "userflags": [],
        "submissions": [],
        "grades": [],
        "plugin_configs": configs,
        "overrides": [],
    }
    inner = rec("assign", fields, id=act.instance)
    return activity_files(plan, act, inner, grading_xml(plan, ap.guide))


def grading_xml(plan: Plan, guide: Guide | None) -> El:
    """The assignment's grading area with its marking guide; no area: direct grading."""
    if guide is None:
        return box("areas")
    criteria = [
        rec(
            "guidecriterion",
            {
                "sortorder": c.sortorder,
                "shortname": c.shortname,
                "description": c.description,
                "descriptionformat": 1,
                "descriptionmarkers": "",
                "descriptionmarkersformat": 1,
                "maxscore": dec(c.maxscore, 5),
            },
            id=c.id,
        )
        for c in guide.criteria
    ]
    definition = rec(
        "definition",
        {
            "method": "guide",
            "name": guide.name,
            "description": "",
            "descriptionformat": 1,
            "status": GUIDE_READY,
            "timecreated": plan.mtime,
            "timemodified": plan.mtime,
            "options": GUIDE_OPTIONS,
            "plugin_gradingform_guide_definition": box(
                "plugin_gradingform_guide_definition",
                [box("guidecriteria", criteria), box("guidecomments")],
            ),
            "instances": [],
        },
        id=guide.definition,
    )
    area = rec(
        "area",
        {"areaname": "submissions", "activemethod": "guide", "definitions": [definition]},
        id=guide.area,
    )
    return box("areas", [area])
