"""What the question-bank targets share: categories, file names, and texts without lessons.

A question bank is imported without the course's pages, so a link to a lesson keeps its text
and loses its target; images stay, each bank format embedding them its own way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ...model import Course, Module, Question, Quiz
from ...refs import media_ids, resolve, unlink
from ..base import BuildContext


def bank_html(
    html: str, media_url: Callable[[str], str], iframe_hosts: Iterable[str] = ()
) -> tuple[str, list[str]]:
    """The HTML as a bank carries it (sanitized), and the ids of the media it uses."""
    html = unlink(html)  # the bank has no pages to link to
    used = media_ids(html) if "media:" in html else []
    return resolve(html, lambda ident: "", media_url, iframe_hosts), used


def category_path(course: Course, module: Module, quiz: Quiz) -> str:
    """One category per module and per quiz, under the course's default category."""
    return "$course$/top/" + "/".join(_category_name(n) for n in (module.title, quiz.title))


@dataclass(frozen=True)
class Category:
    """A category of the bank and the quiz's questions that go in it."""

    path: str
    idnumber: str
    questions: list[Question]
    info: str = ""  # plain text: for a pool, how many questions an attempt draws from it


# What a pool's category says about the draw, for the administrator who sets up the quiz.
_DRAWS = {
    "bg": "Случайно изтеглени въпроси при всеки опит: {n}.",
    "en": "Questions drawn at random for each attempt: {n}.",
}


def categories(course: Course, module: Module, quiz: Quiz) -> list[Category]:
    """The quiz's category with its questions in no pool, then, for a stratified draw, a
    sub-category per pool (named by its tag) with the pool's questions, so an administrator can
    make random questions per pool."""
    path = category_path(course, module, quiz)
    pooled: dict[int, str] = {}  # id(question) -> its pool's tag
    for pool in quiz.settings.pools:
        for q in quiz.pool_questions(pool):
            pooled.setdefault(id(q), pool.tag)
    rest = [q for q in quiz.questions if id(q) not in pooled]
    out = [Category(path, quiz.id[-100:], rest)]
    for pool in quiz.settings.pools:
        members = [q for q in quiz.questions if pooled.get(id(q)) == pool.tag]
        ident = f"{quiz.id}/{pool.tag}"[-100:]
        info = _DRAWS.get(course.language, _DRAWS["en"]).format(n=pool.count)
        out.append(Category(f"{path}/{_category_name(pool.tag)}", ident, members, info))
    return out


def _category_name(name: str) -> str:
    # "/" separates categories in Moodle's paths; a literal slash is written doubled
    return name.replace("/", "//")


def quiz_file(quiz: Quiz, ext: str) -> str:
    """questions/<quiz id>.<ext>"""
    return f"questions/{quiz.id}.{ext}"


def write_banks(
    ctx: BuildContext,
    ext: str,
    part: Callable[[Module, Quiz], bytes],
    whole: Callable[[list[bytes]], bytes],
) -> list[str]:
    """One file per quiz and one for the whole bank, UTF-8. Each quiz is rendered once
    (``part``, UTF-8); a file is its quizzes' parts put together (``whole``)."""
    course = ctx.course
    parts = [(quiz, part(module, quiz)) for module in course.modules for quiz in module.quizzes]
    if not parts:
        return []
    written = [ctx.out.write_bytes(quiz_file(quiz, ext), whole([data])) for quiz, data in parts]
    bank = ctx.out.write_bytes(ctx.package_name("questions", ext), whole([d for _, d in parts]))
    return [bank, *written]
