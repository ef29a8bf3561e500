"""Moodle XML question banks: every question type, images embedded as base64 files."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from urllib.parse import quote

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


_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
_TAIL = b"</quiz>\n"


def render_quiz(ctx: BuildContext, module: Module, quiz: Quiz) -> bytes:
    """One quiz's categories and questions as they stand inside <quiz> (indented), UTF-8: the
    quiz's category, then a sub-category per pool of a stratified draw."""
    writer = _Writer(ctx, quiz)
    for category in categories(ctx.course, module, quiz):
        writer.category(category)
        for question in category.questions:
            writer.question(question)
    return "".join(writer.out).encode()


def whole(parts: list[bytes]) -> bytes:
    """A Moodle XML file of quizzes rendered by :func:`render_quiz`."""
    return _HEAD + b"".join(parts) + _TAIL


def _esc(value: str) -> str:
    """A text as XML element content (as libxml2 writes it)."""
    value = xml_text(value)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attr(value: str) -> str:
    """A text as an attribute value in double quotes (as libxml2 writes it)."""
    for char, entity in _ATTR_ESCAPES:
        value = value.replace(char, entity)
    return value


_ATTR_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                 ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))  # fmt: skip


class _Writer:
    """Writes one quiz's questions as Moodle XML text, indented as lxml's pretty printing does
    (each element on its line, two spaces a level; questions at level 1); images go into the
    field that uses them."""

    def __init__(self, ctx: BuildContext, quiz: Quiz) -> None:
        self.ctx = ctx
        self.quiz = quiz
        self.media = ctx.course.media
        self.hosts = ctx.course.iframe_hosts
        self.out: list[str] = []

    def leaf(self, pad: str, tag: str, value: str) -> None:
        """An element holding an escaped text; ``pad``: its indent."""
        self.out.append(f"{pad}<{tag}>{_esc(value)}</{tag}>\n")

    def field(self, pad: str, tag: str, value: str, attrs: str = "", inner: str = "") -> None:
        """A text field with format="html" and the files its HTML refers to; ``attrs``: more
        attributes, written as they are; ``inner``: more content, written as it is."""
        self.out.append(self._field(pad, tag, value, attrs, inner))

    def _field(self, pad: str, tag: str, value: str, attrs: str = "", inner: str = "") -> str:
        """:meth:`field`'s text."""
        if not value:  # most feedback fields: nothing to resolve
            return (
                f'{pad}<{tag} format="html"{attrs}>\n{pad}  <text></text>\n{inner}{pad}</{tag}>\n'
            )
        text, used = bank_html(value, self._url, self.hosts)
        text = _esc(text.replace(_TILDE, "&#126;"))
        parts = [f'{pad}<{tag} format="html"{attrs}>\n{pad}  <text>{text}</text>\n']
        for ident in used:
            media = self.media[ident]
            data = base64.b64encode(media.read()).decode("ascii")
            name = _attr(xml_text(media.name))
            parts.append(f'{pad}  <file name="{name}" path="/" encoding="base64">{data}</file>\n')
        parts.append(f"{inner}{pad}</{tag}>\n")
        return "".join(parts)

    def _url(self, ident: str) -> str:
        return "@@PLUGINFILE@@/" + quote(self.media[ident].name)

    # -----------------------------------------------------------------------------------

    def category(self, category: Category) -> None:
        info = _esc(f"<p>{html.escape(category.info)}</p>" if category.info else "")
        self.out.append(
            '  <question type="category">\n'
            f"    <category>\n      <text>{_esc(category.path)}</text>\n    </category>\n"
            f'    <info format="html">\n      <text>{info}</text>\n    </info>\n'
            f"    <idnumber>{_esc(category.idnumber)}</idnumber>\n"
            "  </question>\n"
        )

    def question(self, q: Question) -> None:
        out = self.out
        out.append(
            f'  <question type="{QTYPES[type(q)]}">\n'
            f"    <name>\n      <text>{_esc(q.title)}</text>\n    </name>\n"
        )
        if isinstance(q, Cloze):
            self.field("    ", "questiontext", cloze_text(q, self._weights(q)))
        else:
            self.field("    ", "questiontext", q.text)
        self.field("    ", "generalfeedback", q.general_feedback)
        if not isinstance(q, Cloze):
            out.append(f"    <defaultgrade>{fixed(q.points, 7)}</defaultgrade>\n")
        penalty = 1.0 if isinstance(q, TrueFalse) else 0.0 if not q.gradable else 0.3333333
        out.append(
            f"    <penalty>{fixed(penalty, 7)}</penalty>\n    <hidden>0</hidden>\n"
            f"    <idnumber>{_esc(_idnumber(q, self.quiz))}</idnumber>\n"
        )
        self._body(q)
        for hint in q.hints:
            self.field("    ", "hint", hint)
        if q.tags:
            out.append("    <tags>\n")
            for tag in q.tags:
                out.append(f"      <tag>\n        <text>{_esc(tag)}</text>\n      </tag>\n")
            out.append("    </tags>\n")
        out.append("  </question>\n")

    def _combined(self, q: Question, shownumcorrect: bool) -> None:
        self.field("    ", "correctfeedback", q.correct_feedback)
        self.field("    ", "partiallycorrectfeedback", q.partial_feedback)
        self.field("    ", "incorrectfeedback", q.incorrect_feedback)
        if shownumcorrect:
            self.out.append("    <shownumcorrect/>\n")

    def _feedback(self, feedback: str, tolerance: str | None = None) -> str:
        """An answer's feedback (and tolerance), as the content of its <answer>."""
        inner = self._field("      ", "feedback", feedback)
        if tolerance is None:
            return inner
        return inner + f"      <tolerance>{tolerance}</tolerance>\n"

    def _answer(
        self,
        fraction: float,
        text: str,
        feedback: str,
        plain: bool = False,
        tolerance: str | None = None,
    ) -> None:
        inner = self._feedback(feedback, tolerance)
        if plain:
            self.out.append(
                f'    <answer fraction="{percent(fraction)}" format="moodle_auto_format">\n'
                f"      <text>{_esc(text)}</text>\n{inner}    </answer>\n"
            )
        else:
            self.field("    ", "answer", text, f' fraction="{percent(fraction)}"', inner)

    def _shuffle(self, setting: bool | None) -> str:
        value = self.quiz.settings.shuffle_answers if setting is None else setting
        return "true" if value else "false"

    def _settings(self, values: tuple[tuple[str, str], ...]) -> None:
        for tag, value in values:
            if value:
                self.leaf("    ", tag, value)
            else:
                self.out.append(f"    <{tag}></{tag}>\n")

    def _body(self, q: Question) -> None:
        out = self.out
        match q:
            case SingleChoice() | MultipleChoice():
                single = isinstance(q, SingleChoice)
                out.append(
                    f"    <single>{'true' if single else 'false'}</single>\n"
                    f"    <shuffleanswers>{self._shuffle(q.shuffle)}</shuffleanswers>\n"
                    "    <answernumbering>abc</answernumbering>\n"
                    "    <showstandardinstruction>0</showstandardinstruction>\n"
                )
                self._combined(q, shownumcorrect=not single)
                for choice in q.choices:
                    self._answer(choice.fraction, choice.text, choice.feedback)
            case TrueFalse():
                on_true, on_false = truefalse_feedback(q)
                for value, feedback in (("true", on_true), ("false", on_false)):
                    right = (value == "true") == q.answer
                    self._answer(1.0 if right else 0.0, value, feedback, plain=True)
            case ShortAnswer():
                out.append(f"    <usecase>{'1' if q.case_sensitive else '0'}</usecase>\n")
                # as in the backup: the spellings the site also accepts follow each answer
                for a, feedback in zip(q.answers, answer_feedback(q), strict=True):
                    for spelling in moodle_spellings(a.text):
                        self._answer(a.fraction, spelling, feedback, plain=True)
                if q.incorrect_feedback:  # any other answer
                    self._answer(0.0, "*", q.incorrect_feedback, plain=True)
            case Numerical():
                for a, feedback in zip(q.answers, answer_feedback(q), strict=True):
                    value, tolerance = plain(a.value), plain(a.tolerance)
                    self._answer(a.fraction, value, feedback, plain=True, tolerance=tolerance)
                if q.incorrect_feedback:
                    self._answer(0.0, "*", q.incorrect_feedback, plain=True, tolerance="0")
                if q.unit:  # optional, typed after the number, not graded: as in the backup
                    out.append(
                        "    <units>\n      <unit>\n        <multiplier>1</multiplier>\n"
                        f"        <unit_name>{_esc(q.unit)}</unit_name>\n"
                        "      </unit>\n    </units>\n"
                    )
                out.append(
                    "    <unitgradingtype>0</unitgradingtype>\n"
                    f"    <unitpenalty>{fixed(0.1, 7)}</unitpenalty>\n"
                    f"    <showunits>{'0' if q.unit else '3'}</showunits>\n"  # 3: no units
                    "    <unitsleft>0</unitsleft>\n"
                )
            case Matching():
                out.append(f"    <shuffleanswers>{self._shuffle(q.shuffle)}</shuffleanswers>\n")
                self._combined(q, shownumcorrect=True)
                for prompt, answer in [
                    *((pair.prompt, pair.answer) for pair in q.pairs),
                    *(("", extra) for extra in q.distractors),
                ]:
                    inner = (
                        f"      <answer>\n        <text>{_esc(answer)}</text>\n      </answer>\n"
                    )
                    self.field("    ", "subquestion", prompt, inner=inner)
            case Ordering():
                self._settings(
                    (
                        ("layouttype", "VERTICAL"),
                        ("selecttype", "ALL"),
                        ("selectcount", "0"),
                        ("gradingtype", "ABSOLUTE_POSITION"),
                        ("showgrading", "SHOW"),
                        ("numberingstyle", "none"),
                    )
                )
                self._combined(q, shownumcorrect=False)
                out.append("    <shownumcorrect>1</shownumcorrect>\n")
                for position, item in enumerate(q.items, 1):
                    self.field("    ", "answer", item, f' fraction="{position}"')
            case Essay():
                self._settings(
                    (
                        ("responseformat", "editor"),
                        ("responserequired", "1"),
                        ("responsefieldlines", str(q.lines)),
                        ("minwordlimit", str(q.min_words or "")),
                        ("maxwordlimit", str(q.max_words or "")),
                        ("attachments", "0"),
                        ("attachmentsrequired", "0"),
                        ("maxbytes", "0"),
                        ("filetypeslist", ""),
                    )
                )
                self.field("    ", "graderinfo", q.grader_info)
                template = html.escape(q.template, quote=False).replace("\n", "<br>")
                out.append(
                    '    <responsetemplate format="html">\n'
                    f"      <text>{_esc(template)}</text>\n    </responsetemplate>\n"
                )
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
