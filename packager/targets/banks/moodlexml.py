"""Moodle XML question banks: every question type, images embedded as base64 files."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from urllib.parse import quote

from lxml import etree

from ...messages import tr
from ...model import (
    Cloze,
    Description,
    Essay,
    Gap,
    Matching,
    Module,
    MultipleChoice,
    Numerical,
    Ordering,
    Question,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ...names import xml_text
from ...numbers import fixed, percent, plain
from ...questions.typed import moodle_spellings
from ..base import BuildContext, Target
from ..common.cloze import gap_code
from ..common.moodle_feedback import answer_feedback, truefalse_feedback
from .common import Category, bank_html, categories, write_banks

QTYPES = {
    SingleChoice: "multichoice",
    MultipleChoice: "multichoice",
    TrueFalse: "truefalse",
    ShortAnswer: "shortanswer",
    Numerical: "numerical",
    Matching: "matching",
    Ordering: "ordering",
    Essay: "essay",
    Cloze: "cloze",
    Description: "description",
}


class MoodleXml(Target):
    name = "moodlexml"
    description = "question bank in Moodle XML: every question type, with its images"
    quiz_settings = None

    def build(self, ctx: BuildContext) -> list[str]:
        return write_banks(ctx, "xml", lambda m, q: render_quiz(ctx, m, q), whole)


def render(ctx: BuildContext, pairs: list[tuple[Module, Quiz]]) -> str:
    return whole([render_quiz(ctx, module, quiz) for module, quiz in pairs]).decode()


_OPEN, _CLOSE = b"<quiz>\n", b"</quiz>\n"
_BATCH = 64  # questions written at a time: few calls, and little of a large quiz in memory


def render_quiz(ctx: BuildContext, module: Module, quiz: Quiz) -> bytes:
    """One quiz's categories and questions as they stand inside <quiz> (indented), UTF-8: the
    quiz's category, then a sub-category per pool of a stratified draw."""
    writer = _Writer(ctx, quiz)
    parts = []
    for category in categories(ctx.course, module, quiz):
        parts.append(_inside_quiz([_category(category)]))
        questions = category.questions
        for first in range(0, len(questions), _BATCH):
            batch = questions[first : first + _BATCH]
            parts.append(_inside_quiz([writer.question(question) for question in batch]))
    return b"".join(parts)


def _inside_quiz(elements: list[etree._Element]) -> bytes:
    root = etree.Element("quiz")
    root.extend(elements)
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return body[len(_OPEN) : -len(_CLOSE)]


def whole(parts: list[bytes]) -> bytes:
    """A Moodle XML file of quizzes rendered by :func:`render_quiz`."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + _OPEN + b"".join(parts) + _CLOSE


def _category(category: Category) -> etree._Element:
    q = etree.Element("question", type="category")
    _text(etree.SubElement(q, "category"), category.path)
    info = etree.SubElement(q, "info", format="html")
    _text(info, f"<p>{html.escape(category.info)}</p>" if category.info else "")
    etree.SubElement(q, "idnumber").text = xml_text(category.idnumber)
    return q


def _text(parent: etree._Element, value: str) -> None:
    etree.SubElement(parent, "text").text = xml_text(value)


class _Writer:
    """Writes one quiz's questions; images go into the field that uses them."""

    def __init__(self, ctx: BuildContext, quiz: Quiz) -> None:
        self.ctx = ctx
        self.quiz = quiz
        self.media = ctx.course.media
        self.hosts = ctx.course.iframe_hosts

    def field(self, parent: etree._Element, tag: str, value: str, **attrs: str) -> etree._Element:
        """A text field with format="html" and the files its HTML refers to."""
        el = etree.SubElement(parent, tag, format="html", **attrs)
        if not value:  # most feedback fields: nothing to resolve
            etree.SubElement(el, "text").text = ""
            return el
        text, used = bank_html(value, self._url, self.hosts)
        _text(el, text.replace(_TILDE, "&#126;"))
        if used:
            self._files(el, used)
        return el

    def _url(self, ident: str) -> str:
        return "@@PLUGINFILE@@/" + self._name(ident)

    def _name(self, ident: str) -> str:
        return quote(self.media[ident].name)

    def _files(self, el: etree._Element, used: list[str]) -> None:
        for ident in used:
            media = self.media[ident]
            name = xml_text(media.name)
            f = etree.SubElement(el, "file", name=name, path="/", encoding="base64")
            f.text = base64.b64encode(media.read()).decode("ascii")

    # -----------------------------------------------------------------------------------

    def question(self, q: Question) -> etree._Element:
        el = etree.Element("question", type=QTYPES[type(q)])
        _text(etree.SubElement(el, "name"), q.title)
        if isinstance(q, Cloze):
            self.field(el, "questiontext", cloze_text(q, self._weights(q)))
        else:
            self.field(el, "questiontext", q.text)
        self.field(el, "generalfeedback", q.general_feedback)
        if not isinstance(q, Cloze):
            etree.SubElement(el, "defaultgrade").text = fixed(q.points, 7)
        penalty = 1.0 if isinstance(q, TrueFalse) else 0.0 if not q.gradable else 0.3333333
        etree.SubElement(el, "penalty").text = fixed(penalty, 7)
        etree.SubElement(el, "hidden").text = "0"
        etree.SubElement(el, "idnumber").text = xml_text(_idnumber(q, self.quiz))
        self._body(el, q)
        for hint in q.hints:
            self.field(el, "hint", hint)
        if q.tags:
            tags = etree.SubElement(el, "tags")
            for tag in q.tags:
                _text(etree.SubElement(tags, "tag"), tag)
        return el

    def _combined(self, el: etree._Element, q: Question, shownumcorrect: bool) -> None:
        self.field(el, "correctfeedback", q.correct_feedback)
        self.field(el, "partiallycorrectfeedback", q.partial_feedback)
        self.field(el, "incorrectfeedback", q.incorrect_feedback)
        if shownumcorrect:
            etree.SubElement(el, "shownumcorrect")

    def _answer(
        self, el: etree._Element, fraction: float, text: str, feedback: str, plain: bool = False
    ) -> etree._Element:
        if plain:
            answer = etree.SubElement(
                el, "answer", fraction=percent(fraction), format="moodle_auto_format"
            )
            _text(answer, text)
        else:
            answer = self.field(el, "answer", text, fraction=percent(fraction))
        self.field(answer, "feedback", feedback)
        return answer

    def _shuffle(self, setting: bool | None) -> str:
        value = self.quiz.settings.shuffle_answers if setting is None else setting
        return "true" if value else "false"

    def _body(self, el: etree._Element, q: Question) -> None:
        match q:
            case SingleChoice() | MultipleChoice():
                single = isinstance(q, SingleChoice)
                etree.SubElement(el, "single").text = "true" if single else "false"
                etree.SubElement(el, "shuffleanswers").text = self._shuffle(q.shuffle)
                etree.SubElement(el, "answernumbering").text = "abc"
                etree.SubElement(el, "showstandardinstruction").text = "0"
                self._combined(el, q, shownumcorrect=not single)
                for choice in q.choices:
                    self._answer(el, choice.fraction, choice.text, choice.feedback)
            case TrueFalse():
                on_true, on_false = truefalse_feedback(q)
                for value, feedback in (("true", on_true), ("false", on_false)):
                    right = (value == "true") == q.answer
                    self._answer(el, 1.0 if right else 0.0, value, feedback, plain=True)
            case ShortAnswer():
                etree.SubElement(el, "usecase").text = "1" if q.case_sensitive else "0"
                # as in the backup: the spellings the site also accepts follow each answer
                for a, feedback in zip(q.answers, answer_feedback(q), strict=True):
                    for spelling in moodle_spellings(a.text):
                        self._answer(el, a.fraction, spelling, feedback, plain=True)
                if q.incorrect_feedback:  # any other answer
                    self._answer(el, 0.0, "*", q.incorrect_feedback, plain=True)
            case Numerical():
                for a, feedback in zip(q.answers, answer_feedback(q), strict=True):
                    value = plain(a.value)
                    answer = self._answer(el, a.fraction, value, feedback, plain=True)
                    etree.SubElement(answer, "tolerance").text = plain(a.tolerance)
                if q.incorrect_feedback:
                    answer = self._answer(el, 0.0, "*", q.incorrect_feedback, plain=True)
                    etree.SubElement(answer, "tolerance").text = "0"
                if q.unit:  # optional, typed after the number, not graded: as in the backup
                    unit = etree.SubElement(etree.SubElement(el, "units"), "unit")
                    etree.SubElement(unit, "multiplier").text = "1"
                    etree.SubElement(unit, "unit_name").text = xml_text(q.unit)
                etree.SubElement(el, "unitgradingtype").text = "0"
                etree.SubElement(el, "unitpenalty").text = fixed(0.1, 7)
                etree.SubElement(el, "showunits").text = "0" if q.unit else "3"  # 3: no units
                etree.SubElement(el, "unitsleft").text = "0"
            case Matching():
                etree.SubElement(el, "shuffleanswers").text = self._shuffle(q.shuffle)
                self._combined(el, q, shownumcorrect=True)
                for pair in q.pairs:
                    sub = self.field(el, "subquestion", pair.prompt)
                    _text(etree.SubElement(sub, "answer"), pair.answer)
                for extra in q.distractors:
                    sub = self.field(el, "subquestion", "")
                    _text(etree.SubElement(sub, "answer"), extra)
            case Ordering():
                for tag, value in (
                    ("layouttype", "VERTICAL"),
                    ("selecttype", "ALL"),
                    ("selectcount", "0"),
                    ("gradingtype", "ABSOLUTE_POSITION"),
                    ("showgrading", "SHOW"),
                    ("numberingstyle", "none"),
                ):
                    etree.SubElement(el, tag).text = value
                self._combined(el, q, shownumcorrect=False)
                etree.SubElement(el, "shownumcorrect").text = "1"
                for position, item in enumerate(q.items, 1):
                    self.field(el, "answer", item, fraction=str(position))
            case Essay():
                for tag, value in (
                    ("responseformat", "editor"),
                    ("responserequired", "1"),
                    ("responsefieldlines", str(q.lines)),
                    ("minwordlimit", str(q.min_words or "")),
                    ("maxwordlimit", str(q.max_words or "")),
                    ("attachments", "0"),
                    ("attachmentsrequired", "0"),
                    ("maxbytes", "0"),
                    ("filetypeslist", ""),
                ):
                    etree.SubElement(el, tag).text = value
                self.field(el, "graderinfo", q.grader_info)
                template = etree.SubElement(el, "responsetemplate", format="html")
                _text(template, html.escape(q.template, quote=False).replace("\n", "<br>"))
            case Cloze() | Description():
                pass

    def _weights(self, q: Cloze) -> list[int]:
        """Whole-number weights for the blanks (Moodle's cloze syntax takes no others)."""
        gaps = q.gaps
        total = sum(g.points for g in gaps)
        scale = q.points / total if total else 1
        weights = [g.points * scale for g in gaps]
        rounded = [max(1, round(w)) for w in weights]
        if any(abs(w - r) > 1e-9 for w, r in zip(weights, rounded, strict=True)):
            self.ctx.notices.warning(
                q.location.path,
                q.location.line,
                tr(
                    'question "{title}": Moodle gives each blank a whole number of points; the '
                    "blanks are worth {points} instead of {total} in all",
                    title=q.title,
                    points=", ".join(map(str, rounded)),
                    total=f"{q.points:g}",
                ),
            )
        return rounded


def _idnumber(q: Question, quiz: Quiz) -> str:
    local = q.id[len(quiz.id) + 1 :] if q.id.startswith(quiz.id + "/") else q.id
    return local[:100]


def cloze_text(q: Cloze, weights: list[int]) -> str:
    """The question text with each blank in Moodle's embedded-answers syntax."""
    out: list[str] = []
    index = 0
    for part in q.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        out.append(cloze_gap(part, weights[index]))
        index += 1
    return "".join(out)


# "~" in a Cloze answer is written "&#126;"; sanitizing the text would decode that entity, so
# the answer holds this mark until then.
_TILDE = "\ue002"


def cloze_gap(gap: Gap, weight: int, feedback: Callable[[str], str] = lambda h: h) -> str:
    return gap_code(gap, str(weight), tilde=_TILDE, feedback=feedback)
