"""A quiz: its settings, its slots (fixed or drawn at random from its category) and its grade."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ...model import FeedbackTiming, Question, Quiz
from .activities import PASSED, VIEWED, Entries, activity_files
from .files import Area, Files
from .plan import Activity, Plan
from .qtypes import PAYLOADS
from .questions import Bank, Category, QuestionWriter
from .records import El, dec, rec

# When a learner may review what (Moodle's review option bits).
DURING, IMMEDIATELY, LATER, AFTER_CLOSE = 0x10000, 0x01000, 0x00100, 0x00010
AFTER = IMMEDIATELY | LATER | AFTER_CLOSE
ALWAYS = DURING | AFTER

REVIEW_FIELDS = (
    "attempt",
    "correctness",
    "maxmarks",
    "marks",
    "specificfeedback",
    "generalfeedback",
    "rightanswer",
    "overallfeedback",
)


def review_options(timing: FeedbackTiming) -> dict[str, int]:
    """Feedback as the course sets it: after each question, after the attempt, or score only."""
    if timing is FeedbackTiming.IMMEDIATE:
        review = dict.fromkeys(REVIEW_FIELDS, ALWAYS)
        review["overallfeedback"] = AFTER
    elif timing is FeedbackTiming.AFTER_ATTEMPT:
        review = dict.fromkeys(REVIEW_FIELDS, AFTER)
        review["attempt"] = review["maxmarks"] = ALWAYS
    else:
        review = dict.fromkeys(REVIEW_FIELDS, 0)
        review["marks"] = AFTER
        review["maxmarks"] = ALWAYS
    return {f"review{k}": v for k, v in review.items()}


def behaviour(quiz: Quiz) -> str:
    """Moodle's question behaviour for the quiz's feedback setting. Moodle shows hints only
    in "interactive with multiple tries", so quizzes with hints use that one."""
    if quiz.settings.feedback is not FeedbackTiming.IMMEDIATE:
        return "deferredfeedback"
    return "interactive" if any(q.hints for q in quiz.questions) else "immediatefeedback"


@dataclass
class Slot:
    maxmark: float
    page: int
    entry: int | None = None  # a fixed question's bank entry; None: drawn at random


def quiz_grade(quiz: Quiz) -> float:
    """The quiz's maximum grade: the points of its questions, or of the questions drawn."""
    graded = [q for q in quiz.questions if q.gradable and type(q) in PAYLOADS]
    if quiz.settings.draw and graded:
        return min(quiz.settings.draw, len(graded)) * graded[0].points
    return sum(q.points for q in graded)


def make_slots(quiz: Quiz, questions: list[Question], entries: list[int]) -> list[Slot]:
    """One question a page; a description shares the page of the question after it."""
    slots: list[Slot] = []
    page = 1
    pairs = list(zip(questions, entries, strict=True))
    graded = [q for q in questions if q.gradable]
    if quiz.settings.draw and graded:
        slots += [Slot(0.0, page, e) for q, e in pairs if not q.gradable]
        for _ in range(min(quiz.settings.draw, len(graded))):
            slots.append(Slot(graded[0].points, page))
            page += 1
        return slots
    for q, e in pairs:
        slots.append(Slot(q.points if q.gradable else 0.0, page, e))
        if q.gradable:
            page += 1
    return slots


def quiz_files(
    plan: Plan,
    act: Activity,
    quiz: Quiz,
    files: Files,
    writer: QuestionWriter,
    bank: Bank,
    category: Category,
    grade_category: int,
    weight: float,
) -> Entries:
    """The quiz's folder; ``weight`` is its share of the course total."""
    st = quiz.settings
    shuffle = st.shuffle_answers
    questions = [q for q in quiz.questions if writer.can_write(q)]
    entries = [writer.write(q, bank, category, shuffle) for q in questions]
    slots = make_slots(quiz, questions, entries)
    grade = quiz_grade(quiz)
    intro = files.text(quiz.intro, Area(act.context, "mod_quiz", "intro", 0, act.inforef.files))
    fields = {
        "name": quiz.title,
        "intro": intro,
        "introformat": 1,
        "timeopen": 0,
        "timeclose": 0,
        "timelimit": st.time_limit * 60,
        "overduehandling": "autosubmit",
        "graceperiod": 0,
        "preferredbehaviour": behaviour(quiz),
        "canredoquestions": 0,
        "attempts_number": st.attempts,
        "attemptonlast": 0,
        "grademethod": 1,  # highest grade
        "decimalpoints": 2,
        "questiondecimalpoints": -1,
        **review_options(st.feedback),
        "questionsperpage": 1,
        "navmethod": "free",
        "shuffleanswers": shuffle or any(getattr(q, "shuffle", None) for q in quiz.questions),
        "sumgrades": dec(grade, 5),
        "grade": dec(grade, 5),
        "timecreated": plan.mtime,
        "timemodified": plan.mtime,
        "password": "",
        "subnet": "",
        "browsersecurity": "-",
        "delay1": 0,
        "delay2": 0,
        "showuserpicture": 0,
        "showblocks": 0,
        "completionattemptsexhausted": 0,
        "completionminattempts": 0,
        "allowofflineattempts": 0,
    }
    if plan.generation.major >= 5:
        fields["precreateattempts"] = None
    fields |= {
        "subplugin_quizaccess_seb_quiz": [],
        "quiz_grade_items": [],
        "question_instances": [_slot(plan, act, i, s, bank, category) for i, s in enumerate(slots)],
        "sections": [
            rec(
                "section",
                {"firstslot": 1, "heading": "", "shufflequestions": 0},
                id=plan.ids("quiz_section"),
            )
        ],
        "feedbacks": [],
        "overrides": [],
        "grades": [],
        "attempts": [],
    }
    item = None
    if grade > 0:
        gid = plan.ids("grade_item")
        act.inforef.grade_items.append(gid)
        item = grade_item(
            plan,
            gid,
            grade_category,
            quiz.title,
            act.instance,
            grade,
            grade * st.pass_percentage / 100,
            weight,
            idnumber=act.idnumber,
        )
    act.inforef.question_categories += [bank.categories[0].id, category.id]
    completion = PASSED if item is not None else VIEWED
    out = activity_files(
        plan,
        act,
        rec("quiz", fields, id=act.instance),
        completion,
        [item] if item is not None else [],
    )
    return out


def _slot(plan: Plan, act: Activity, index: int, slot: Slot, bank: Bank, cat: Category) -> El:
    sid = plan.ids("slot")
    common = {"usingcontextid": act.context, "component": "mod_quiz", "questionarea": "slot"}
    if slot.entry is not None:
        ref = rec(
            "question_reference",
            {**common, "questionbankentryid": slot.entry, "version": None},
            id=sid,
        )
    else:
        condition = {
            "filter": {
                "category": {
                    "jointype": 1,
                    "values": [str(cat.id)],
                    "filteroptions": {"includesubcategories": False},
                }
            }
        }
        ref = rec(
            "question_set_reference",
            {
                **common,
                "questionscontextid": bank.context,
                "filtercondition": json.dumps(condition, separators=(",", ":")),
            },
            id=plan.ids("set_reference"),
        )
    fields = {
        "quizid": act.instance,
        "slot": index + 1,
        "page": slot.page,
        "displaynumber": None,
        "requireprevious": 0,
        "maxmark": dec(slot.maxmark, 7),
        "quizgradeitemid": None,
        "ref": ref,
    }
    return rec("question_instance", fields, id=sid)


def grade_item(
    plan: Plan,
    gid: int,
    category: int | None,
    name: str | None,
    instance: int,
    grademax: float,
    gradepass: float,
    weight: float,
    itemtype: str = "mod",
    module: str | None = "quiz",
    idnumber: str | None = None,
) -> El:
    fields = {
        "categoryid": category,
        "itemname": name,
        "itemtype": itemtype,
        "itemmodule": module,
        "iteminstance": instance,
        "itemnumber": 0 if itemtype == "mod" else None,
        "iteminfo": None,
        "idnumber": idnumber or None,
        "calculation": None,
        "gradetype": 1,
        "grademax": dec(grademax, 5),
        "grademin": dec(0, 5),
        "scaleid": None,
        "outcomeid": None,
        "gradepass": dec(gradepass, 5),
        "multfactor": dec(1, 5),
        "plusfactor": dec(0, 5),
        "aggregationcoef": dec(0, 5),
        "aggregationcoef2": dec(weight, 5),
        "weightoverride": 0,
        "sortorder": gid,
        "display": 0,
        "decimals": None,
        "hidden": 0,
        "locked": 0,
        "locktime": 0,
        "needsupdate": 0,
        "timecreated": plan.mtime,
        "timemodified": plan.mtime,
        "grade_grades": [],
    }
    return rec("grade_item", fields, id=gid)


def course_grade_item(plan: Plan, gid: int, category: int, total: float) -> El:
    """The course total: the sum of the activities' grades (natural aggregation)."""
    return grade_item(plan, gid, None, None, category, total, 0.0, 0.0, "course", None)
