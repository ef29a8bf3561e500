"""Writing a module as one SCORM 1.2 activity (``-O moodle.activities=scorm``).

Write only: the package, its files and its SCO rows are planned in plan_scorm.py.
"""

from __future__ import annotations

from .activities import Entries, activity_files
from .plan import Activity, Plan
from .plan_scorm import Sco, ScormPlan
from .records import El, rec

GRADE_SCOES, GRADE_AVERAGE = 0, 2  # grade: completed SCOs, or the average score of the quizzes
STATUS_PASSED_OR_COMPLETED = 6  # completion: every SCO passed (quizzes) or completed (lessons)


def scorm_files(plan: Plan, act: Activity, sp: ScormPlan) -> Entries:
    module = sp.module
    fields = {
        "name": module.title,
        "scormtype": "local",
        "reference": sp.reference,
        "intro": sp.intro,
        "introformat": 1,
        "version": "SCORM_1.2",
        "maxgrade": int(sp.grade),
        "grademethod": GRADE_AVERAGE if module.quizzes else GRADE_SCOES,
        "whatgrade": 0,  # the highest attempt
        "maxattempt": 0,
        "forcecompleted": 0,
        "forcenewattempt": 0,
        "lastattemptlock": 0,
        "masteryoverride": 1,
        "displayattemptstatus": 1,
        "displaycoursestructure": 0,
        "updatefreq": 0,
        "sha1hash": sp.sha1,
        "md5hash": "",
        "revision": 1,
        "launch": sp.launch,
        "skipview": 0,
        "hidebrowse": 0,
        "hidetoc": 0,
        "nav": 1,
        "navpositionleft": -100,
        "navpositiontop": -100,
        "auto": 0,
        "popup": 0,
        "options": "",
        "width": 100,
        "height": 500,
        "timeopen": 0,
        "timeclose": 0,
        "timemodified": plan.mtime,
        "completionstatusrequired": STATUS_PASSED_OR_COMPLETED,
        "completionscorerequired": None,
        "completionstatusallscos": 1,
        "autocommit": 0,
        "scoes": [_sco(s) for s in sp.scoes],
    }
    return activity_files(plan, act, rec("scorm", fields, id=act.instance))


def _sco(sco: Sco) -> El:
    fields = {
        "manifest": sco.manifest,
        "organization": sco.organization,
        "parent": sco.parent,
        "identifier": sco.identifier,
        "launch": sco.launch,
        "scormtype": sco.scormtype,
        "title": sco.title,
        "sortorder": sco.sortorder,
        "sco_datas": [
            rec("sco_data", {"name": d.name, "value": d.value}, id=d.id) for d in sco.data
        ],
        "seq_ruleconds": [],
        "seq_rolluprules": [],
        "seq_objectives": [],
        "sco_tracks": [],
    }
    return rec("sco", fields, id=sco.id)
