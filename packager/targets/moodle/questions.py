"""questions.xml in the 4.x layout: categories in a module context, each question a bank entry
with one version, its type's payload, hints and tags."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...diagnostics import Diagnostics
from ...model import Numerical, Question, ShortAnswer, TrueFalse
from .files import Area, Files
from .plan import Plan
from .qtypes import PAYLOADS, Payload
from .records import El, Scalar, box, dec, rec

CONTEXT_MODULE = 70
NAME_MAX = 255  # question and category names


@dataclass
class Category:
    id: int
    name: str
    parent: int  # 0: the context's "top" category
    sortorder: int
    stamp: str
    entries: list[El] = field(default_factory=list)


@dataclass
class Bank:
    """The question categories of one module context (a quiz's own bank or a qbank module)."""

    context: int
    cmid: int
    categories: list[Category] = field(default_factory=list)

    def xml(self) -> list[El]:
        return [
            rec(
                "question_category",
                {
                    "name": c.name,
                    "contextid": self.context,
                    "contextlevel": CONTEXT_MODULE,
                    "contextinstanceid": self.cmid,
                    "info": "",
                    "infoformat": 0,
                    "stamp": c.stamp,
                    "parent": c.parent,
                    "sortorder": c.sortorder,
                    "idnumber": None,
                    "question_bank_entries": c.entries,
                },
                id=c.id,
            )
            for c in self.categories
        ]


def new_bank(plan: Plan, context: int, cmid: int, key: str) -> Bank:
    top = Category(plan.ids("question_category"), "top", 0, 0, plan.stamp("top", key))
    return Bank(context, cmid, [top])


def add_category(plan: Plan, bank: Bank, name: str, key: str) -> Category:
    category = Category(
        plan.ids("question_category"),
        name[:NAME_MAX],
        bank.categories[0].id,
        len(bank.categories),  # the quizzes' categories in course order
        plan.stamp("category", key),
    )
    bank.categories.append(category)
    return category


class QuestionWriter:
    """Writes the model's questions into bank categories; warns about what Moodle cannot keep."""

    def __init__(self, plan: Plan, files: Files, notices: Diagnostics, strings: dict[str, str]):
        self.plan = plan
        self.ids = plan.ids
        self.files = files
        self.notices = notices
        self.strings = strings
        self.shuffle = True  # the quiz's setting, for questions that do not set their own
        self._bank = Bank(0, 0)
        self._category = 0
        self._tags: dict[str, int] = {}

    def text(self, html: str, filearea: str, itemid: int, component: str = "question") -> str:
        """An HTML text of a question, with its files in the question's file area."""
        if not html:
            return ""
        return self.files.text(html, Area(self._bank.context, component, filearea, itemid))

    def can_write(self, q: Question) -> bool:
        """Whether Moodle core has a type for the question; warns when it has not."""
        if type(q) in PAYLOADS:
            return True
        self.notices.warning(
            q.location.path,
            q.location.line,
            f'question "{q.title}": Moodle has no question type for {q.kind} questions; '
            "the question is not in the Moodle backup",
        )
        return False

    def write(self, q: Question, bank: Bank, category: Category, shuffle: bool) -> int:
        """Add the question (and a Cloze question's blanks) to ``category``; its bank entry id."""
        self._bank, self._category, self.shuffle = bank, category.id, shuffle
        qid = self.ids("question")
        payload = PAYLOADS[type(q)](self, q, qid)
        self._check(q, payload)
        text = q.text if payload.text is None else payload.text
        entry = self._entry(
            qid,
            payload,
            name=q.title,
            text=self.text(text, "questiontext", qid),
            general=self.text(q.general_feedback, "generalfeedback", qid),
            mark=q.points if payload.defaultmark is None else payload.defaultmark,
            hints=[self._hint(h) for h in q.hints],
            tags=[self._tag(t) for t in q.tags],
            idnumber=q.id if len(q.id) <= 100 else None,
            stamp=self.plan.stamp("question", q.id),
        )
        category.entries += [entry, *payload.children]
        return qid

    def sub_question(
        self, q: Question, parent: int, n: int, code: str, mark: float, payload: Payload
    ) -> El:
        """A Cloze blank: its own question, whose text is the blank's Cloze code."""
        stamp = self.plan.stamp("question", q.id, str(n))
        return self._entry(
            self.ids("question"),
            payload,
            name=q.title,
            text=code,
            mark=mark,
            stamp=stamp,
            parent=parent,
        )

    def _check(self, q: Question, payload: Payload) -> None:
        combined = q.correct_feedback or q.partial_feedback or q.incorrect_feedback
        folded = isinstance(q, TrueFalse | ShortAnswer | Numerical)  # kept with the answers
        if combined and not payload.combined_feedback and not folded:
            self.notices.warning(
                q.location.path,
                q.location.line,
                f'question "{q.title}": a Moodle {payload.qtype} question has no feedback for '
                "right, partly right and wrong answers; that feedback is not in the Moodle backup",
            )

    def _hint(self, hint: str) -> El:
        hid = self.ids("hint")
        fields = {
            "hint": self.text(hint, "hint", hid),
            "hintformat": 1,
            "shownumcorrect": 0,
            "clearwrong": 0,
            "options": None,
        }
        return rec("question_hint", fields, id=hid)

    def _tag(self, name: str) -> El:
        tid = self._tags.setdefault(name.lower(), len(self._tags) + 1)
        return rec(
            "tag", {"name": name.lower(), "rawname": name}, id=tid, contextid=self._bank.context
        )

    def _entry(
        self,
        qid: int,
        payload: Payload,
        *,
        name: str,
        text: str,
        mark: float,
        stamp: str,
        general: str = "",
        hints: list[El] | None = None,
        tags: list[El] | None = None,
        idnumber: str | None = None,
        parent: int = 0,
    ) -> El:
        """A bank entry with one ready version of the question."""
        mtime = self.plan.mtime
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
            "timecreated": mtime,
            "timemodified": mtime,
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
        question = rec("question", fields, id=qid)
        version = rec(
            "question_versions", {"version": 1, "status": "ready", "questions": [question]}, id=qid
        )
        return rec(
            "question_bank_entry",
            {
                "questioncategoryid": self._category,
                "idnumber": idnumber,
                "ownerid": None,
                "question_version": box("question_version", [version]),
            },
            id=qid,
        )


def questions_xml(banks: list[Bank]) -> El:
    return box("question_categories", [c for b in banks for c in b.xml()])
