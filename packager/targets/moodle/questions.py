"""Writing questions.xml in the 4.x layout: categories in a module context, each question a bank
entry with one version, its type's payload, hints and tags.

Write only: the ids and texts come from the plan (plan_questions.py). A type's payload (qtypes.py)
draws on a :class:`QuestionWriter`; here that is a replay of what planning drew for the question.
"""

from __future__ import annotations

from typing import Protocol

from ...i18n import strings as language_strings
from ...model import Question
from .plan import Plan
from .plan_questions import NAME_MAX, Bank, QuestionPlan
from .qtypes import PAYLOADS, Payload
from .records import El, Scalar, box, dec, rec, render

CONTEXT_MODULE = 70


class QuestionWriter(Protocol):
    """What a type's payload (qtypes.py) draws on: ids, texts and the quiz's settings."""

    shuffle: bool  # the quiz's setting, for questions that do not set their own
    strings: dict[str, str]

    def ids(self, table: str) -> int: ...

    def text(self, html: str, filearea: str, itemid: int, component: str = "question") -> str:
        """An HTML text of the question, with its files in the question's file area."""
        ...

    def sub_question(
        self, q: Question, parent: int, n: int, code: str, mark: float, payload: Payload
    ) -> El:
        """A Cloze blank: its own question, whose text is the blank's Cloze code."""
        ...


class _Replay:
    """The writer a payload gets while writing: the ids and texts planned for the question, in
    the order the payload asks for them."""

    def __init__(self, plan: Plan, qp: QuestionPlan, strings: dict[str, str]):
        self._plan = plan
        self._qp = qp
        self._draws = {table: iter(ids) for table, ids in qp.draws}
        self._texts = dict(qp.texts)
        self.shuffle = qp.shuffle
        self.strings = strings

    def ids(self, table: str) -> int:
        n = next(self._draws[table], None) if table in self._draws else None
        if n is None:
            raise RuntimeError(f"question {self._qp.id}: no {table} id was planned for it")
        return n

    def text(self, html: str, filearea: str, itemid: int, component: str = "question") -> str:
        return self._texts[(component, filearea, itemid, html)] if html else ""

    def sub_question(
        self, q: Question, parent: int, n: int, code: str, mark: float, payload: Payload
    ) -> El:
        stamp = self._plan.stamp("question", q.id, str(n))
        fields = _question(self._plan, payload, q.title, code, mark, stamp, parent=parent)
        return _entry(self.ids("question"), self._qp.category, fields)

    def check_done(self) -> None:
        """Every planned id was used: planning and writing agree."""
        left = [table for table, ids in self._draws.items() if next(ids, None) is not None]
        if left:
            raise RuntimeError(f"question {self._qp.id}: planned {', '.join(left)} ids unused")


def question_entries(plan: Plan, qp: QuestionPlan, strings: dict[str, str]) -> list[El]:
    """The question's bank entry, then those of its Cloze blanks."""
    q, qid = qp.question, qp.id
    w = _Replay(plan, qp, strings)
    payload = PAYLOADS[type(q)](w, q, qid)
    text = q.text if payload.text is None else payload.text
    hints = [
        rec(
            "question_hint",
            {
                "hint": w.text(hint, "hint", hid),
                "hintformat": 1,
                "shownumcorrect": 0,
                "clearwrong": 0,
                "options": None,
            },
            id=hid,
        )
        for hint, hid in zip(q.hints, qp.hints, strict=True)
    ]
    tags = [
        rec("tag", {"name": name.lower(), "rawname": name}, id=tid, contextid=qp.context)
        for name, tid in zip(q.tags, qp.tags, strict=True)
    ]
    fields = _question(
        plan,
        payload,
        q.title,
        w.text(text, "questiontext", qid),
        q.points if payload.defaultmark is None else payload.defaultmark,
        plan.stamp("question", q.id),
        general=w.text(q.general_feedback, "generalfeedback", qid),
        hints=hints,
        tags=tags,
    )
    w.check_done()
    entry = _entry(qid, qp.category, fields, idnumber=q.id if len(q.id) <= 100 else None)
    return [entry, *payload.children]


def _question(
    plan: Plan,
    payload: Payload,
    name: str,
    text: str,
    mark: float,
    stamp: str,
    *,
    general: str = "",
    hints: list[El] | None = None,
    tags: list[El] | None = None,
    parent: int = 0,
) -> dict[str, Scalar | El | list[El]]:
    """The fields of a question record, in Moodle's order."""
    fields: dict[str, Scalar | El | list[El]] = {
        "parent": parent,
        "name": name[:NAME_MAX],
        "questiontext": text,
        "questiontextformat": 1,
        "generalfeedback": general,
        "generalfeedbackformat": 1,
        "defaultmark": dec(mark, 7),
        "penalty": dec(payload.penalty, 7),
        "qtype": payload.qtype,
        "length": payload.length,
        "stamp": stamp,
        "timecreated": plan.mtime,
        "timemodified": plan.mtime,
        "createdby": None,
        "modifiedby": None,
    }
    if payload.plugin is not None:
        fields["plugin"] = payload.plugin  # plugin_qtype_<qtype>_question
    fields |= {
        "plugin_qbank_comment_question": [box("comments")],
        "plugin_qbank_customfields_question": [box("customfields")],
        "question_hints": hints or [],
        "tags": tags or [],
    }
    return fields


def _entry(
    qid: int, category: int, fields: dict[str, Scalar | El | list[El]], idnumber: str | None = None
) -> El:
    """A bank entry with one ready version of the question."""
    question = rec("question", fields, id=qid)
    version = rec(
        "question_versions", {"version": 1, "status": "ready", "questions": [question]}, id=qid
    )
    return rec(
        "question_bank_entry",
        {
            "questioncategoryid": category,
            "idnumber": idnumber,
            "ownerid": None,
            "question_version": box("question_version", [version]),
        },
        id=qid,
    )


def bank_xml(plan: Plan, bank: Bank, strings: dict[str, str]) -> list[El]:
    return [
        rec(
            "question_category",
            {
                "name": c.name,
                "contextid": bank.context,
                "contextlevel": CONTEXT_MODULE,
                "contextinstanceid": bank.cmid,
                "info": "",
                "infoformat": 0,
                "stamp": c.stamp,
                "parent": c.parent,
                "sortorder": c.sortorder,
                "idnumber": None,
                "question_bank_entries": [
                    e for qp in c.questions for e in question_entries(plan, qp, strings)
                ],
            },
            id=c.id,
        )
        for c in bank.categories
    ]


def questions_xml(plan: Plan) -> El:
    s = language_strings(plan.course.language)
    return box("question_categories", [c for b in plan.banks for c in bank_xml(plan, b, s)])


def questions_file(plan: Plan) -> dict[str, bytes]:
    return {"questions.xml": render(questions_xml(plan))}
