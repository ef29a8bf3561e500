"""GIFT question banks, for the types GIFT can carry; the others are named in a warning.

Nothing a course holds can add structure to the file: texts are escaped for GIFT (``\\ ~ = # {
} :`` and newlines), one-line places (comments, the category, titles) get newlines folded to
spaces, and plain-text answers are marked [plain], so HTML in them stays text.
"""

from __future__ import annotations

import base64

from ...assessments.gift_syntax import escape
from ...model import (
    Description,
    Essay,
    Matching,
    Module,
    MultipleChoice,
    Numerical,
    Question,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ...numbers import percent
from ...numbers import plain as plain_number
from ..base import KINDS, BuildContext, Target
from ..common.moodle_feedback import answer_feedback, truefalse_feedback
from .common import bank_html, categories, write_banks


class Gift(Target):
    name = "gift"
    description = "question bank in GIFT, for the question types GIFT can carry"
    kinds = frozenset(KINDS) - {"ordering", "cloze"}
    question_features = frozenset()
    quiz_settings = None
    instead = "import the Moodle XML file instead"

    def build(self, ctx: BuildContext) -> list[str]:
        def part(module: Module, quiz: Quiz) -> bytes:
            return render_quiz(ctx, module, quiz).encode()

        return write_banks(ctx, "gift", part, b"\n".join)


def render(ctx: BuildContext, pairs: list[tuple[Module, Quiz]]) -> str:
    return "\n".join(render_quiz(ctx, module, quiz) for module, quiz in pairs)


def render_quiz(ctx: BuildContext, module: Module, quiz: Quiz) -> str:
    """One quiz's categories and questions (the quiz's category, then a sub-category per pool of
    a stratified draw); a bank is its quizzes joined by newlines."""
    out = [f"// {one_line(quiz.title)} ({one_line(module.title)})"]
    writer = _Writer(ctx)
    for category in categories(ctx.course, module, quiz):
        # Moodle reads the category line as it is (no escapes): newlines are what could break it
        out.append(f"$CATEGORY: {one_line(category.path)}\n")
        if category.info:
            out.append(f"// {one_line(category.info)}\n")
        for q in category.questions:
            if q.kind not in ctx.kinds:
                out.append(
                    f"// Not here: '{one_line(q.title)}' ({q.kind}). GIFT cannot carry this "
                    "type; the Moodle XML file has it.\n"
                )
                continue
            out.append(writer.question(q) + "\n")
    return "\n".join(out)


class _Writer:
    def __init__(self, ctx: BuildContext) -> None:
        self.media = ctx.course.media
        self.hosts = ctx.course.iframe_hosts

    def html(self, value: str) -> str:
        """HTML escaped for GIFT, images as data URIs (GIFT has no way to carry files)."""
        text, _ = bank_html(value, self._data_uri, self.hosts)
        return escape(text)

    def _data_uri(self, ident: str) -> str:
        media = self.media[ident]
        return f"data:{media.mime};base64,{base64.b64encode(media.read()).decode('ascii')}"

    def question(self, q: Question) -> str:
        head = f"::{escape(one_line(q.title))}::[html]{self.html(q.text)}"
        general = f"\t####{self.html(q.general_feedback)}\n" if q.general_feedback else ""
        match q:
            case Description():
                return head
            case Essay():
                return head + "{" + general.strip() + "}"
            case TrueFalse():
                on_true, on_false = truefalse_feedback(q)
                right, wrong = (on_true, on_false) if q.answer else (on_false, on_true)
                word = "TRUE" if q.answer else "FALSE"
                fb = f"#{self.html(wrong)}#{self.html(right)}" if right or wrong else ""
                return head + "{" + word + fb + general.rstrip("\n").replace("\t", "") + "}"
        lines = [head + "{"]
        match q:
            case SingleChoice() | MultipleChoice():
                single = isinstance(q, SingleChoice)
                for choice in q.choices:
                    mark = "=" if single and choice.fraction >= 1.0 else "~"
                    if choice.fraction and not (single and choice.fraction >= 1.0):
                        mark += f"%{percent(choice.fraction)}%"
                    text = self.html(choice.text)
                    if mark == "~" and text.startswith("%"):  # "~%10%…" would read as a grade
                        text = "&\\#37;" + text[1:]  # "&#37;", escaped for GIFT
                    lines.append(f"\t{mark}{text}{self._fb(choice.feedback)}")
            case ShortAnswer():
                for answer, feedback in zip(q.answers, answer_feedback(q), strict=False):
                    pct = percent(answer.fraction)
                    text = plain(answer.text)
                    lines.append(f"\t=%{pct}%{text}{self._fb(feedback)}")
                lines += self._other(q)
            case Numerical():
                lines[0] += "#"
                for answer, feedback in zip(q.answers, answer_feedback(q), strict=False):
                    value = f"{plain_number(answer.value)}:{plain_number(answer.tolerance)}"
                    pct = percent(answer.fraction)
                    lines.append(f"\t=%{pct}%{value}{self._fb(feedback)}")
                if q.incorrect_feedback:
                    lines.append(f"\t~#{self.html(q.incorrect_feedback)}")
            case Matching():
                # the first "->" ends the item: the item's HTML writes its ">" as "&gt;"; the
                # answer is plain text as Moodle reads it (no [format] marker)
                for pair in q.pairs:
                    prompt = self.html(pair.prompt).replace("->", "-&gt;")
                    lines.append(f"\t={prompt} -> {escape(one_line(pair.answer))}")
                for extra in q.distractors:
                    lines.append(f"\t= -> {escape(one_line(extra))}")
        if general:
            lines.append(general.rstrip("\n"))
        lines.append("}")
        return "\n".join(lines)

    def _fb(self, feedback: str) -> str:
        return f"#{self.html(feedback)}" if feedback else ""

    def _other(self, q: ShortAnswer) -> list[str]:
        """Feedback for any other answer: a 0% answer matching anything."""
        if not q.incorrect_feedback:
            return []
        return [f"\t=%0%*#{self.html(q.incorrect_feedback)}"]


def one_line(text: str) -> str:
    """A text for a place that ends at the end of its line: line breaks become spaces."""
    return " ".join(text.splitlines())


def plain(text: str) -> str:
    """A plain-text answer: marked [plain], so no reader takes HTML in it for markup, and
    escaped (Moodle drops the marker and keeps the text as it was)."""
    return "[plain]" + escape(one_line(text))
