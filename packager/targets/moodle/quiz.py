"""Writing a quiz: its settings, its slots (fixed, or drawn at random from its category or from
a pool's) and its grade, all planned in plan_quiz.py; nothing here assigns an id."""

from __future__ import annotations

import json

from ...model import FeedbackTiming, Quiz, ShowAnswers
from .activities import Entries, activity_files
from .plan import Activity, Plan
from .plan_quiz import QuizPlan, Slot
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


def review_options(
    timing: FeedbackTiming, answers: ShowAnswers = ShowAnswers.ALWAYS
) -> dict[str, int]:
    """Feedback as the course sets it: after each question, after the attempt, or score only;
    the right answers as show_answers allows. Moodle's review options know neither a passing
    attempt nor the last one: after_pass and after_last_attempt show them after the quiz
    closes (only if a teacher sets a closing date), never while a learner could try again."""
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
    if answers is ShowAnswers.NEVER:
        review["rightanswer"] = 0
    elif answers is not ShowAnswers.ALWAYS:
        review["rightanswer"] &= AFTER_CLOSE
    return {f"review{k}": v for k, v in review.items()}


def behaviour(quiz: Quiz) -> str:
    """Moodle's question behaviour for the quiz's feedback setting. Moodle shows hints only
    in "interactive with multiple tries", so quizzes with hints use that one."""
    if quiz.settings.feedback is not FeedbackTiming.IMMEDIATE:
        return "deferredfeedback"
    return "interactive" if any(q.hints for q in quiz.questions) else "immediatefeedback"


def quiz_files(plan: Plan, act: Activity, qp: QuizPlan) -> Entries:
    """The quiz's folder."""
    quiz = qp.quiz
    st = quiz.settings
    shuffle = st.shuffle_answers or any(getattr(q, "shuffle", None) for q in quiz.questions)
    fields = {
        "name": quiz.title,
        "intro": qp.intro,
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
        **review_options(st.feedback, st.show_answers),
        "questionsperpage": 1,
        "navmethod": "free",
        "shuffleanswers": shuffle,
        "sumgrades": dec(qp.sumgrades, 5),
        "grade": dec(qp.grade, 5),
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
    section = {"firstslot": 1, "heading": "", "shufflequestions": 0}
    fields |= {
        "subplugin_quizaccess_seb_quiz": [],
        "quiz_grade_items": [],
        "question_instances": [_slot(act, qp, s) for s in qp.slots],
        "sections": [rec("section", section, id=qp.section)],
        "feedbacks": [],
        "overrides": [],
        "grades": [],
        "attempts": [],
    }
    return activity_files(plan, act, rec("quiz", fields, id=act.instance))


def _slot(act: Activity, qp: QuizPlan, slot: Slot) -> El:
    common = {"usingcontextid": act.context, "component": "mod_quiz", "questionarea": "slot"}
    if slot.entry is not None:
        ref = rec(
            "question_reference",
            {**common, "questionbankentryid": slot.entry, "version": None},
            id=slot.id,
        )
    else:
        condition = {
            "filter": {
                "category": {
                    "jointype": 1,
                    "values": [str(slot.category)],
                    "filteroptions": {"includesubcategories": False},
                }
            }
        }
        ref = rec(
            "question_set_reference",
            {
                **common,
                "questionscontextid": qp.bank_context,
                "filtercondition": json.dumps(condition, separators=(",", ":")),
            },
            id=slot.set_reference,
        )
    fields = {
        "quizid": act.instance,
        "slot": slot.number,
        "page": slot.page,
        "displaynumber": None,
        "requireprevious": 0,
        "maxmark": dec(slot.maxmark, 7),
        "quizgradeitemid": None,
        "ref": ref,
    }
    return rec("question_instance", fields, id=slot.id)
