"""What the question-bank targets share: categories, file names, and texts without lessons.

A question bank is imported without the course's pages, so a link to a lesson keeps its text
and loses its target; images stay, each bank format embedding them its own way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..model import Course, Module, Numerical, Quiz, ShortAnswer, TrueFalse
from ..refs import media_ids, resolve
from .base import BuildContext

_DOC_LINK = re.compile(r'<a\b[^>]*\bhref="doc:[^"]*"[^>]*>(.*?)</a>', re.S)


def unlink_lessons(html: str) -> str:
    """Links to lessons become their text: the bank has no pages to link to."""
    return _DOC_LINK.sub(r"\1", html)


def bank_html(
    html: str, media_url: Callable[[str], str], iframe_hosts: Iterable[str] = ()
) -> tuple[str, list[str]]:
    """The HTML as a bank carries it (sanitized), and the ids of the media it uses."""
    html = unlink_lessons(html)
    used = media_ids(html)
    return resolve(html, lambda ident: "", media_url, iframe_hosts), used


def category_path(course: Course, module: Module, quiz: Quiz) -> str:
    """One category per module and per quiz, under the course's default category."""
    return "$course$/top/" + "/".join(_category_name(n) for n in (module.title, quiz.title))


def _category_name(name: str) -> str:
    # "/" separates categories in Moodle's paths; a literal slash is written doubled
    return name.replace("/", "//")


def quiz_file(quiz: Quiz, ext: str) -> str:
    """questions/<quiz id>.<ext>"""
    return f"questions/{quiz.id}.{ext}"


def write_banks(
    ctx: BuildContext, ext: str, render: Callable[[list[tuple[Module, Quiz]]], str]
) -> list[str]:
    """One file per quiz and one for the whole bank, UTF-8."""
    course = ctx.course
    pairs = [(m, q) for m in course.modules for q in m.quizzes]
    if not pairs:
        return []
    written = []
    for pair in pairs:
        written.append(ctx.out.write_bytes(quiz_file(pair[1], ext), render([pair]).encode()))
    whole = ctx.out.write_bytes(ctx.package_name("questions", ext), render(pairs).encode())
    return [whole, *written]


def answer_feedback(q: ShortAnswer | Numerical) -> list[str]:
    """Per-answer feedback with the combined feedback folded in, for the types that have
    no combined feedback of their own in Moodle (short answer, numerical)."""
    out = []
    for answer in q.answers:
        extra = q.correct_feedback if answer.fraction >= 1.0 else q.partial_feedback
        if answer.fraction <= 0:
            extra = q.incorrect_feedback
        out.append(" ".join(t for t in (answer.feedback, extra) if t))
    return out


def truefalse_feedback(q: TrueFalse) -> tuple[str, str]:
    """Feedback for answering true and false, with the combined feedback folded in."""
    right_is_true = q.answer
    true_extra = q.correct_feedback if right_is_true else q.incorrect_feedback
    false_extra = q.incorrect_feedback if right_is_true else q.correct_feedback
    join = lambda *parts: " ".join(p for p in parts if p)  # noqa: E731
    return join(q.feedback_true, true_extra), join(q.feedback_false, false_extra)
