"""Each question type of the model as its Moodle core question type: the ``plugin_qtype_*``
element of questions.xml, with its fields in the order Moodle's backup writes them."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...model import (
    Cloze,
    Description,
    Essay,
    Gap,
    GapKind,
    Matching,
    MultipleChoice,
    Numerical,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ...numbers import plain
from ...questions.typed import moodle_spellings
from ..common.cloze import gap_code
from ..common.moodle_feedback import answer_feedback, truefalse_feedback
from .records import El, Fields, box, dec, rec

if TYPE_CHECKING:
    from .questions import QuestionWriter

PENALTY = 0.3333333  # Moodle's default penalty for a wrong try
UNIT_MULTIPLIER = "1.0000000000000000000"  # the first unit of a numerical: the answers' own


@dataclass
class Payload:
    qtype: str
    plugin: El | None  # None: the type keeps nothing beyond the question record
    penalty: float = PENALTY
    length: int = 1
    defaultmark: float | None = None  # None: the question's points
    text: str | None = None  # None: the question's own text
    children: list[El] = field(default_factory=list)  # multianswer sub-questions
    combined_feedback: bool = False  # the type stores correct/partial/incorrect feedback


number = plain  # a number as an author writes it: 4, 12.5, 1234567


def _plugin(qtype: str, *children: El) -> El:
    return box(f"plugin_qtype_{qtype}_question", children)


def _combined(w: QuestionWriter, q: Question, qid: int) -> Fields:
    return {
        "correctfeedback": w.text(q.correct_feedback, "correctfeedback", qid),
        "correctfeedbackformat": 1,
        "partiallycorrectfeedback": w.text(q.partial_feedback, "partiallycorrectfeedback", qid),
        "partiallycorrectfeedbackformat": 1,
        "incorrectfeedback": w.text(q.incorrect_feedback, "incorrectfeedback", qid),
        "incorrectfeedbackformat": 1,
    }


def _answer(w: QuestionWriter, text: str, fmt: int, fraction: float, feedback: str) -> El:
    """One question_answers row; ``text`` is HTML when ``fmt`` is 1 (its files go to its area)."""
    aid = w.ids("answer")
    body = w.text(text, "answer", aid) if fmt == 1 else text
    return rec(
        "answer",
        {
            "answertext": body,
            "answerformat": fmt,
            "fraction": dec(fraction, 7),
            "feedback": w.text(feedback, "answerfeedback", aid),
            "feedbackformat": 1,
        },
        id=aid,
    )


def choice(w: QuestionWriter, q: SingleChoice | MultipleChoice, qid: int) -> Payload:
    answers = [_answer(w, c.text, 1, c.fraction, c.feedback) for c in q.choices]
    options = {
        "layout": 0,
        "single": isinstance(q, SingleChoice),
        "shuffleanswers": w.shuffle if q.shuffle is None else q.shuffle,
        **_combined(w, q, qid),
        "answernumbering": "abc",
        "shownumcorrect": isinstance(q, MultipleChoice),
        "showstandardinstruction": 1,
    }
    multichoice = rec("multichoice", options, id=w.ids("options"))
    return Payload(
        "multichoice",
        _plugin("multichoice", box("answers", answers), multichoice),
        combined_feedback=True,
    )


# True/false, short-answer and numerical questions have no feedback fields for right, partly
# right and wrong answers in Moodle: that feedback goes with the answers it belongs to, and
# feedback for a wrong answer with a "*" answer that takes any other response.


def truefalse(w: QuestionWriter, q: TrueFalse, qid: int) -> Payload:
    on_true, on_false = truefalse_feedback(q)
    true = _answer(w, w.strings["true"], 0, 1.0 if q.answer else 0.0, on_true)
    false = _answer(w, w.strings["false"], 0, 0.0 if q.answer else 1.0, on_false)
    options = {"trueanswer": true.attrs["id"], "falseanswer": false.attrs["id"]}
    tf = rec("truefalse", {**options, "showstandardinstruction": 0}, id=w.ids("options"))
    return Payload("truefalse", _plugin("truefalse", box("answers", [true, false]), tf), 1.0)


def shortanswer(w: QuestionWriter, q: ShortAnswer, qid: int) -> Payload:
    # Moodle compares the answer as written (case aside): each accepted answer is followed by
    # the spellings the site also accepts (a final full stop, typographic quotes), same grade
    # and feedback, before any later answer can match them.
    feedback = answer_feedback(q)
    answers = [
        _answer(w, spelling, 0, a.fraction, f)
        for a, f in zip(q.answers, feedback, strict=True)
        for spelling in moodle_spellings(a.text)
    ]
    if q.incorrect_feedback:
        answers.append(_answer(w, "*", 0, 0.0, q.incorrect_feedback))
    options = rec("shortanswer", {"usecase": q.case_sensitive}, id=w.ids("options"))
    return Payload("shortanswer", _plugin("shortanswer", box("answers", answers), options))


def numerical(w: QuestionWriter, q: Numerical, qid: int) -> Payload:
    feedback = answer_feedback(q)
    answers = [
        _answer(w, number(a.value), 0, a.fraction, f)
        for a, f in zip(q.answers, feedback, strict=True)
    ]
    tolerances = [a.tolerance for a in q.answers]
    if q.incorrect_feedback:
        answers.append(_answer(w, "*", 0, 0.0, q.incorrect_feedback))
        tolerances.append(0.0)
    return Payload("numerical", _numerical_plugin(w, answers, tolerances, q.unit))


def _numerical_plugin(
    w: QuestionWriter, answers: list[El], tolerances: list[float], unit: str = ""
) -> El:
    # With a unit, Moodle's "units are optional": typed in the answer box after the number
    # (showunits 0), not graded (unitgradingtype 0), so "75", "75%" and "75 %" all score;
    # without one, no units at all (showunits 3).
    option = {
        "showunits": 0 if unit else 3,
        "unitsleft": 0,
        "unitgradingtype": 0,
        "unitpenalty": "0.1000000",
    }
    units = (
        [rec("numerical_unit", {"multiplier": UNIT_MULTIPLIER, "unit": unit}, id=w.ids("units"))]
        if unit
        else []
    )
    records = [
        rec(
            "numerical_record",
            {"answer": a.attrs["id"], "tolerance": number(t)},
            id=w.ids("options"),
        )
        for a, t in zip(answers, tolerances, strict=True)
    ]
    return _plugin(
        "numerical",
        box("answers", answers),
        box("numerical_units", units),
        box("numerical_options", [rec("numerical_option", option, id=w.ids("options"))]),
        box("numerical_records", records),
    )


def matching(w: QuestionWriter, q: Matching, qid: int) -> Payload:
    options = {
        "shuffleanswers": w.shuffle if q.shuffle is None else q.shuffle,
        **_combined(w, q, qid),
        "shownumcorrect": 1,
    }
    matches = []
    rows = [(p.prompt, p.answer) for p in q.pairs] + [("", d) for d in q.distractors]
    for prompt, answer in rows:  # a row without a prompt is a distractor
        sid = w.ids("match")
        text = w.text(prompt, "subquestion", sid, component="qtype_match")
        fields = {"questiontext": text, "questiontextformat": 1, "answertext": answer}
        matches.append(rec("match", fields, id=sid))
    matchoptions = rec("matchoptions", options, id=w.ids("options"))
    plugin = _plugin("match", matchoptions, box("matches", matches))
    return Payload("match", plugin, combined_feedback=True)


def ordering(w: QuestionWriter, q: Ordering, qid: int) -> Payload:
    # Moodle keeps each item's place in the right order in its fraction: 1, 2, 3…
    answers = [_answer(w, item, 1, n, "") for n, item in enumerate(q.items, start=1)]
    c = _combined(w, q, qid)
    options = {
        "layouttype": 0,  # vertical
        "selecttype": 0,  # every item
        "selectcount": 0,
        "gradingtype": 0,  # one share per item in its right place
        "showgrading": 1,
        "numberingstyle": "none",
        "correctfeedback": c["correctfeedback"],
        "correctfeedbackformat": 1,
        "incorrectfeedback": c["incorrectfeedback"],
        "incorrectfeedbackformat": 1,
        "partiallycorrectfeedback": c["partiallycorrectfeedback"],
        "partiallycorrectfeedbackformat": 1,
        "shownumcorrect": 1,
    }
    ordering = rec("ordering", options, id=w.ids("options"))
    return Payload(
        "ordering", _plugin("ordering", box("answers", answers), ordering), combined_feedback=True
    )


def essay(w: QuestionWriter, q: Essay, qid: int) -> Payload:
    template = html.escape(q.template, quote=False).replace("\n", "<br>")
    options = {
        "responseformat": "editor",
        "responserequired": 1,
        "responsefieldlines": q.lines,
        "minwordlimit": q.min_words,
        "maxwordlimit": q.max_words,
        "attachments": 0,
        "attachmentsrequired": 0,
        "graderinfo": w.text(q.grader_info, "graderinfo", qid, component="qtype_essay"),
        "graderinfoformat": 1,
        "responsetemplate": template,
        "responsetemplateformat": 1,
        "filetypeslist": "",
        "maxbytes": 0,
    }
    return Payload("essay", _plugin("essay", rec("essay", options, id=w.ids("options"))), 0.0)


def description(w: QuestionWriter, q: Description, qid: int) -> Payload:
    return Payload("description", None, 0.0, 0, defaultmark=0.0)


def cloze(w: QuestionWriter, q: Cloze, qid: int) -> Payload:
    """A multianswer question: ``{#n}`` in its text, one sub-question per blank."""
    text: list[str] = []
    children: list[El] = []
    for part in q.parts:
        if isinstance(part, str):
            text.append(part)
            continue
        text.append(f"{{#{len(children) + 1}}}")
        children.append(w.sub_question(q, qid, len(children) + 1, *_gap(w, part)))
    sequence = ",".join(str(c.attrs["id"]) for c in children)
    multianswer = rec("multianswer", {"question": qid, "sequence": sequence}, id=w.ids("options"))
    return Payload(
        "multianswer",
        _plugin("multianswer", box("answers"), multianswer),
        defaultmark=sum(g.points for g in q.gaps),
        text="".join(text),
        children=children,
    )


def _gap(w: QuestionWriter, gap: Gap) -> tuple[str, float, Payload]:
    """The Cloze code Moodle keeps as the sub-question's text, its mark and its payload."""
    dropdown = gap.kind is GapKind.DROPDOWN  # Moodle keeps its options as written, as HTML
    answers = [_answer(w, o.text, int(dropdown), o.fraction, o.feedback) for o in gap.options]
    if gap.kind is GapKind.NUMERIC:
        plugin = _numerical_plugin(w, answers, [o.tolerance for o in gap.options])
        qtype = "numerical"
    elif gap.kind is GapKind.SHORT:
        options = rec("shortanswer", {"usecase": gap.case_sensitive}, id=w.ids("options"))
        plugin = _plugin("shortanswer", box("answers", answers), options)
        qtype = "shortanswer"
    else:
        options = {
            "layout": 0,  # a drop-down menu
            "single": 1,
            "shuffleanswers": w.shuffle,
            "correctfeedback": "",
            "correctfeedbackformat": 1,
            "partiallycorrectfeedback": "",
            "partiallycorrectfeedbackformat": 1,
            "incorrectfeedback": "",
            "incorrectfeedbackformat": 1,
            "answernumbering": "0",
            "shownumcorrect": 0,
            "showstandardinstruction": 0,
        }
        multichoice = rec("multichoice", options, id=w.ids("options"))
        plugin = _plugin("multichoice", box("answers", answers), multichoice)
        qtype = "multichoice"
    # the sub-question's text: the code as Moodle's editor shows it, feedback as plain text
    quoted = lambda h: html.escape(h, quote=False)  # noqa: E731
    text = gap_code(gap, number(gap.points), shuffle=w.shuffle, feedback=quoted)
    return text, gap.points, Payload(qtype, plugin)


PAYLOADS: dict[type, Callable[..., Payload]] = {
    SingleChoice: choice,
    MultipleChoice: choice,
    TrueFalse: truefalse,
    ShortAnswer: shortanswer,
    Numerical: numerical,
    Matching: matching,
    Ordering: ordering,
    Essay: essay,
    Cloze: cloze,
    Description: description,
}
