"""Planning the question bank: categories, and for each question every id and file it needs.

What a question holds depends on its type's payload (qtypes.py), which draws its ids (answers,
options, matches, Cloze blanks) from the writer it is given and resolves its texts through it.
So a question is planned by running its payload once against a :class:`_Trace` that assigns
fresh ids and registers files, and keeping what was drawn; the writer (questions.py) runs the
payload again against the plan, which gives back the same ids and texts in the same order.
qtypes.py stays the one place that knows each type's records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...messages import tr
from ...model import Course, Numerical, Question, ShortAnswer, TrueFalse
from .plan import Area, Notice, stamp
from .plan_files import FileRegistry
from .qtypes import PAYLOADS, Payload
from .records import El, rec

NAME_MAX = 255  # question and category names
TextKey = tuple[str, str, int, str]  # component, filearea, itemid, the HTML as written


@dataclass(frozen=True)
class QuestionPlan:
    question: Question
    id: int  # the question's, its bank entry's and its version's
    category: int
    context: int  # the bank's: its files and tags are there
    shuffle: bool  # the quiz's setting, for questions that set none
    draws: tuple[tuple[str, tuple[int, ...]], ...]  # the ids its payload draws, by table
    hints: tuple[int, ...]
    tags: tuple[int, ...]  # one a tag, in the question's order
    texts: tuple[tuple[TextKey, str], ...]  # each HTML text as the backup stores it


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    parent: int  # 0: the context's "top" category
    sortorder: int
    stamp: str
    questions: tuple[QuestionPlan, ...] = ()


@dataclass(frozen=True)
class Bank:
    """The question categories of one module context (a quiz's own bank or a qbank module)."""

    context: int
    cmid: int
    categories: tuple[Category, ...]


class BankBuilder:
    """A bank while planning: the context's top category, then one category a quiz (and one
    under it for each pool the quiz draws from)."""

    def __init__(
        self, course: Course, next_id: Callable[[str], int], context: int, cmid: int, key: str
    ):
        self.course, self.context, self.cmid = course, context, cmid
        top = Category(next_id("question_category"), "top", 0, 0, stamp(course, "top", key))
        self._categories = [top]

    @property
    def top(self) -> int:
        return self._categories[0].id

    def add(
        self,
        cid: int,
        name: str,
        key: str,
        questions: Sequence[QuestionPlan],
        parent: int | None = None,
    ) -> None:
        """The category ``cid`` (a quiz's, in course order, or one of its pools under it: then
        ``parent`` is the quiz's category) with its questions."""
        sortorder = len(self._categories)
        category_stamp = stamp(self.course, "category", key)
        self._categories.append(
            Category(
                cid,
                name[:NAME_MAX],
                self.top if parent is None else parent,
                sortorder,
                category_stamp,
                tuple(questions),
            )
        )

    def frozen(self) -> Bank:
        return Bank(self.context, self.cmid, tuple(self._categories))


class QuestionPlanner:
    """Plans the model's questions; notes what Moodle cannot keep."""

    def __init__(self, files: FileRegistry, next_id: Callable[[str], int], strings: dict[str, str]):
        self._files = files
        self._next_id = next_id
        self._strings = strings
        self._tags: dict[str, int] = {}  # tag ids are shared by the whole backup
        self.notices: list[Notice] = []

    def can_write(self, q: Question) -> bool:
        """Whether Moodle core has a type for the question; a notice when it has not."""
        if type(q) in PAYLOADS:
            return True
        message = tr(
            'question "{title}": Moodle has no question type for {kind} questions; '
            "the question is not in the Moodle backup",
            title=q.title,
            kind=q.kind,
        )
        self.notices.append(Notice(q.location.path, q.location.line, message))
        return False

    def plan(self, q: Question, context: int, category: int, shuffle: bool) -> QuestionPlan:
        """Ids, files and texts of ``q`` (and of a Cloze question's blanks), in write order."""
        trace = _Trace(self._next_id, self._files, context, shuffle, self._strings)
        qid = self._next_id("question")
        payload = PAYLOADS[type(q)](trace, q, qid)
        self._check(q, payload)
        trace.text(q.text if payload.text is None else payload.text, "questiontext", qid)
        trace.text(q.general_feedback, "generalfeedback", qid)
        hints = []
        for hint in q.hints:
            hints.append(self._next_id("hint"))
            trace.text(hint, "hint", hints[-1])
        tags = tuple(self._tags.setdefault(t.lower(), len(self._tags) + 1) for t in q.tags)
        draws = tuple((table, tuple(ids)) for table, ids in trace.draws.items())
        texts = tuple(trace.texts.items())
        return QuestionPlan(q, qid, category, context, shuffle, draws, tuple(hints), tags, texts)

    def _check(self, q: Question, payload: Payload) -> None:
        combined = q.correct_feedback or q.partial_feedback or q.incorrect_feedback
        folded = isinstance(q, TrueFalse | ShortAnswer | Numerical)  # kept with the answers
        if combined and not payload.combined_feedback and not folded:
            message = tr(
                'question "{title}": a Moodle {qtype} question has no feedback for right, partly '
                "right and wrong answers; that feedback is not in the Moodle backup",
                title=q.title,
                qtype=payload.qtype,
            )
            self.notices.append(Notice(q.location.path, q.location.line, message))


class _Trace:
    """The writer a payload gets while planning: fresh ids, files registered in the question's
    areas; it keeps what was drawn (the XML the payload builds is not used)."""

    def __init__(
        self,
        next_id: Callable[[str], int],
        files: FileRegistry,
        context: int,
        shuffle: bool,
        strings: dict[str, str],
    ):
        self._next_id = next_id
        self._files = files
        self._context = context
        self.shuffle = shuffle
        self.strings = strings
        self.draws: dict[str, list[int]] = {}
        self.texts: dict[TextKey, str] = {}

    def ids(self, table: str) -> int:
        n = self._next_id(table)
        self.draws.setdefault(table, []).append(n)
        return n

    def text(self, html: str, filearea: str, itemid: int, component: str = "question") -> str:
        if not html:
            return ""
        area = Area(self._context, component, filearea, itemid)
        out = self.texts[(component, filearea, itemid, html)] = self._files.text(html, area)
        return out

    def sub_question(
        self, q: Question, parent: int, n: int, code: str, mark: float, payload: Payload
    ) -> El:
        """A Cloze blank: only its id matters here."""
        return rec("question_bank_entry", {}, id=self.ids("question"))
