"""Quizzes as QTI 1.2.1 assessments in the Common Cartridge profile, one file per quiz.

The profile scores a question all or nothing (SCORE is set to 100 or stays 0) and knows five
question types. The response processing follows the layout Moodle's own CC export writes and
its importer reads back:

* general feedback: a first condition ``<other/>`` with ``continue="Yes"`` (Moodle collects the
  feedback of every ``continue="Yes"`` condition as the general feedback, so no other condition
  that shows feedback continues);
* single choice and true/false: one scoring condition per right answer, which also shows that
  answer's feedback (Moodle reads an answer's score and feedback from the conditions whose first
  ``varequal`` names it); then one feedback condition per other answer;
* multiple choice: one scoring condition, an ``and`` of the right answers and ``not`` the others,
  with ``case="Yes"`` (what Moodle looks for to find the right answers); then one feedback
  condition per answer;
* short answer: one scoring condition listing every accepted answer, then one feedback
  condition per answer that has feedback;
* essay: no scoring (graded by hand).

Images and linked files are paths relative to the QTI file, after ``$IMS-CC-FILEBASE$``; the
files are listed in a webcontent resource the assessment depends on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ...diagnostics import Diagnostics
from ...i18n import strings
from ...markup import text_of
from ...messages import N_, tr
from ...model import (
    Course,
    Essay,
    MultipleChoice,
    Question,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ...names import ascii_id, xml_text
from .layout import Layout, Unique
from .pages import descriptor_html

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
RESPONSE = "response1"
GENERAL_FB = "general_fb"
ELSEWHERE = N_("the moodle and moodlexml targets carry it")

PROFILES = {
    "single": "cc.multiple_choice.v0p1",
    "multiple": "cc.multiple_response.v0p1",
    "truefalse": "cc.true_false.v0p1",
    "short": "cc.fib.v0p1",
    "essay": "cc.essay.v0p1",
}


@dataclass
class Assessment:
    data: bytes
    media: list[str]  # ids of the media its HTML uses, in order of first use
    questions: list[Question] = field(default_factory=list)  # the questions written


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    el = etree.SubElement(parent, f"{{{QTI}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _metadata(parent: etree._Element, fields: list[tuple[str, str]]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields:
        pair = _sub(meta, "qtimetadatafield")
        _sub(pair, "fieldlabel", label)
        _sub(pair, "fieldentry", entry)


def _material(parent: etree._Element, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html, texttype="text/html")


def _plain(html: str) -> str:
    return text_of(html) or html


class Writer:
    """Writes one quiz; reports what the cartridge cannot carry through ``notices``."""

    def __init__(self, course: Course, quiz: Quiz, lay: Layout, notices: Diagnostics) -> None:
        self.course = course
        self.quiz = quiz
        self.lay = lay
        self.path = lay.tests[quiz.id]
        self.notices = notices
        self.used: dict[str, None] = {}

    # -------------------------------------------------------------------------------------
    # text

    def html(self, fragment: str) -> str:
        """Model HTML as the QTI file carries it: sanitized, media relative to the file (after
        the CC token), links to lessons as their text (a question has no page to link from)."""

        return descriptor_html(self.course, self.lay, self.path, fragment, self.used)

    def warn(self, q: Question, message: str) -> None:
        self.notices.warning(
            q.location.path,
            q.location.line,
            tr('cc: question "{title}": {problem}', title=q.title, problem=message),
        )

    # -------------------------------------------------------------------------------------

    def write(self, questions: list[Question]) -> Assessment | None:
        """The assessment, or None when none of ``questions`` can be carried."""
        quiz = self.quiz
        root = etree.Element(f"{{{QTI}}}questestinterop", nsmap={None: QTI, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
        test = _sub(root, "assessment", ident=self.lay.ident("res", quiz.id), title=quiz.title)
        settings = quiz.settings
        fields = [("cc_profile", "cc.exam.v0p1"), ("qmd_assessmenttype", "Examination")]
        if settings.time_limit:
            fields.append(("qmd_timelimit", str(settings.time_limit)))  # minutes
        fields.append(("cc_maxattempts", str(settings.attempts or "unlimited")))
        _metadata(test, fields)
        if quiz.intro:
            rubric = _sub(test, "rubric")
            _material(rubric, self.html(quiz.intro))
            rubric[0].set("label", "Summary")
        section = _sub(test, "section", ident="S_root")
        idents = Unique()
        written = []
        for q in questions:
            why = self.uncarried(q)
            if why:
                self.notices.warning(
                    q.location.path,
                    q.location.line,
                    tr(
                        'cc: question "{title}" is left out: {why}; {elsewhere}',
                        title=q.title,
                        why=why,
                        elsewhere=tr(ELSEWHERE),
                    ),
                )
                continue
            local = q.id[len(quiz.id) + 1 :] if q.id.startswith(quiz.id + "/") else q.id
            section.append(self.item(q, idents(f"Q_{ascii_id(local)}", q.id)))
            written.append(q)
        if not written:
            return None
        body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
        data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
        return Assessment(data, list(self.used), written)

    def uncarried(self, q: Question) -> str | None:
        """Why the cartridge cannot state which answers of ``q`` are right, or None."""
        if isinstance(q, ShortAnswer):
            wild = [a.text for a in q.answers if a.fraction > 0 and "*" in a.text]
            if wild:
                return tr(
                    'its answer "{answer}" uses the wildcard "*", and the cartridge\'s short '
                    "answers match exactly",
                    answer=wild[0],
                )
            if not any(a.fraction >= 1 for a in q.answers):
                return tr(
                    "none of its answers is fully right, and the cartridge scores all or nothing"
                )
        if isinstance(q, SingleChoice) and not any(c.fraction >= 1 for c in q.choices):
            return tr("none of its choices is fully right, and the cartridge scores all or nothing")
        return None

    # -------------------------------------------------------------------------------------
    # one question

    def item(self, q: Question, ident: str) -> etree._Element:
        item = etree.Element(f"{{{QTI}}}item", ident=ident, title=xml_text(q.title))
        fields = [("cc_profile", PROFILES[q.kind]), ("cc_weighting", f"{q.points:g}")]
        _metadata(_sub(item, "itemmetadata"), fields)
        presentation = _sub(item, "presentation")
        _material(presentation, self.html(q.text))
        feedback: dict[str, str] = {}  # itemfeedback ident -> HTML
        conditions: list[etree._Element] = []
        if q.general_feedback:
            feedback[GENERAL_FB] = q.general_feedback
            cond = _condition(conditions, "Yes")
            _sub(cond[0], "other")
            _display(cond, GENERAL_FB)
        match q:
            case SingleChoice() | MultipleChoice():
                self._choices(q, presentation, conditions, feedback)
            case TrueFalse():
                self._truefalse(q, presentation, conditions, feedback)
            case ShortAnswer():
                self._short(q, presentation, conditions, feedback)
            case Essay():
                self._essay(q, presentation)
        if conditions:
            processing = _sub(item, "resprocessing")
            outcomes = _sub(processing, "outcomes")
            _sub(
                outcomes, "decvar", varname="SCORE", vartype="Decimal", minvalue="0", maxvalue="100"
            )
            processing.extend(conditions)
        for fb_ident, html in feedback.items():
            mat = _sub(_sub(_sub(item, "itemfeedback", ident=fb_ident), "flow_mat"), "material")
            _sub(mat, "mattext", self.html(html), texttype="text/html")
        return item

    def _shuffle(self, setting: bool | None) -> str:
        value = self.quiz.settings.shuffle_answers if setting is None else setting
        return "Yes" if value else "No"

    def _labels(
        self,
        presentation: etree._Element,
        cardinality: str,
        shuffle: str,
        labels: list[tuple[str, str]],
    ) -> None:
        lid = _sub(presentation, "response_lid", ident=RESPONSE, rcardinality=cardinality)
        choice = _sub(lid, "render_choice", shuffle=shuffle)
        for ident, html in labels:
            _material(_sub(choice, "response_label", ident=ident), html)

    def _choices(
        self,
        q: SingleChoice | MultipleChoice,
        presentation: etree._Element,
        conditions: list[etree._Element],
        feedback: dict[str, str],
    ) -> None:
        single = isinstance(q, SingleChoice)
        idents = [f"a{i}" for i in range(1, len(q.choices) + 1)]
        labels = [(ident, self.html(c.text)) for ident, c in zip(idents, q.choices, strict=True)]
        cardinality = "Single" if single else "Multiple"
        self._labels(presentation, cardinality, self._shuffle(q.shuffle), labels)
        for ident, choice in zip(idents, q.choices, strict=True):
            if choice.feedback:
                feedback[f"{ident}_fb"] = choice.feedback
        if single:
            lost = [
                f'"{_plain(c.text)}" {c.fraction * 100:g}%'
                for c in q.choices
                if c.fraction < 1 and c.fraction != 0
            ]
            if lost:
                self.warn(
                    q,
                    tr(
                        "cannot carry partial or negative credit ({answers}); those answers "
                        "count as wrong",
                        answers=", ".join(lost),
                    ),
                )
            right = [i for i, c in zip(idents, q.choices, strict=True) if c.fraction >= 1]
            self._per_answer(conditions, idents, right, feedback)
            return
        cond = _condition(conditions, "Yes")
        both = _sub(cond[0], "and")
        for ident, choice in zip(idents, q.choices, strict=True):
            parent = both if choice.correct else _sub(both, "not")
            _sub(parent, "varequal", ident, respident=RESPONSE, case="Yes")
        _score(cond)
        for ident in idents:
            if f"{ident}_fb" in feedback:
                cond = _condition(conditions, "No")
                _sub(cond[0], "varequal", ident, respident=RESPONSE)
                _display(cond, f"{ident}_fb")

    def _per_answer(
        self,
        conditions: list[etree._Element],
        idents: list[str],
        right: list[str],
        feedback: dict[str, str],
    ) -> None:
        """Single-answer scoring: each right answer scores (and shows its feedback), each other
        answer with feedback shows it."""
        for ident in right + [i for i in idents if i not in right]:
            scores = ident in right
            if not scores and f"{ident}_fb" not in feedback:
                continue
            cond = _condition(conditions, "No")
            _sub(cond[0], "varequal", ident, respident=RESPONSE)
            if scores:
                _score(cond)
            if f"{ident}_fb" in feedback:
                _display(cond, f"{ident}_fb")

    def _truefalse(
        self,
        q: TrueFalse,
        presentation: etree._Element,
        conditions: list[etree._Element],
        feedback: dict[str, str],
    ) -> None:
        # Moodle's importer needs exactly these two identifiers.
        s = strings(self.course.language)
        self._labels(presentation, "Single", "No", [("true", s["true"]), ("false", s["false"])])
        for ident, text in (("true", q.feedback_true), ("false", q.feedback_false)):
            if text:
                feedback[f"{ident}_fb"] = text
        right = "true" if q.answer else "false"
        self._per_answer(conditions, ["true", "false"], [right], feedback)

    def _short(
        self,
        q: ShortAnswer,
        presentation: etree._Element,
        conditions: list[etree._Element],
        feedback: dict[str, str],
    ) -> None:
        response = _sub(presentation, "response_str", ident=RESPONSE, rcardinality="Single")
        _sub(response, "render_fib", rows="1", fibtype="String", prompt="Box")
        case = "Yes" if q.case_sensitive else "No"
        right = [a for a in q.answers if a.fraction >= 1]
        lost = [f'"{a.text}" {a.fraction * 100:g}%' for a in q.answers if 0 < a.fraction < 1]
        wild = [a.text for a in q.answers if a.fraction <= 0 and a.feedback and "*" in a.text]
        if lost:
            self.warn(
                q,
                tr(
                    "cannot carry partial credit ({answers}); those answers count as wrong",
                    answers=", ".join(lost),
                ),
            )
        if wild:
            shown = ", ".join(f'"{w}"' for w in wild)
            self.warn(
                q,
                tr("cannot carry the feedback of {answers} (a wildcard); left out", answers=shown),
            )
        cond = _condition(conditions, "Yes")
        for answer in right:
            _sub(cond[0], "varequal", answer.text, respident=RESPONSE, case=case)
        _score(cond)
        n = 0
        for answer in q.answers:
            if not answer.feedback or answer.text in wild:
                continue
            n += 1
            feedback[f"r{n}_fb"] = answer.feedback
            cond = _condition(conditions, "No")
            _sub(cond[0], "varequal", answer.text, respident=RESPONSE, case=case)
            _display(cond, f"r{n}_fb")

    def _essay(self, q: Essay, presentation: etree._Element) -> None:
        response = _sub(presentation, "response_str", ident=RESPONSE, rcardinality="Single")
        _sub(response, "render_fib", rows=str(q.lines), fibtype="String", prompt="Box")
        lost = []
        if q.min_words or q.max_words:
            lost.append(tr("word limits"))
        if q.grader_info:
            lost.append(tr("the information for graders"))
        if q.template:
            lost.append(tr("the answer template"))
        if lost:
            self.warn(q, tr("cannot carry {what}; left out", what=", ".join(lost)))


def _condition(conditions: list[etree._Element], proceed: str) -> etree._Element:
    cond = etree.Element(f"{{{QTI}}}respcondition", {"continue": proceed})
    _sub(cond, "conditionvar")
    conditions.append(cond)
    return cond


def _score(cond: etree._Element) -> None:
    # setvar comes before displayfeedback; varname and action written out (Moodle's importer
    # reads the attribute, not the schema's default)
    setvar = etree.Element(f"{{{QTI}}}setvar", varname="SCORE", action="Set")
    setvar.text = "100"
    cond.insert(1, setvar)


def _display(cond: etree._Element, ident: str) -> None:
    _sub(cond, "displayfeedback", feedbacktype="Response", linkrefid=ident)
