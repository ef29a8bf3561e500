"""Quizzes: settings from front matter, questions from Markdown and GIFT, and their checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from .. import schema
from ..model import (
    Cloze,
    Essay,
    FeedbackTiming,
    Location,
    Matching,
    MultipleChoice,
    Numerical,
    Ordering,
    Pool,
    Question,
    QuizSettings,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ..model import Quiz as Quiz
from ..questions import kind_of
from ..source import Fields
from . import gift_source as gift
from . import mdquiz
from .context import Context, IdRegistry

# declared once, in packager/schema.py
QUIZ_KEYS = schema.QUIZ.names()
FEEDBACK = {word: FeedbackTiming(value) for word, value in schema.FEEDBACK_WORDS.items()}


@dataclass
class QuizDefaults:
    pass_percentage: float = 70.0


def read_settings(f: Fields, defaults: QuizDefaults) -> QuizSettings:
    feedback = f.choice("feedback", FEEDBACK, "immediate")
    pools = f.weights("draw", whole=True, minimum=1)
    node = f.node("draw")
    if pools == [] and node is not None and not node.value:
        f.error(
            node,
            '"draw" is empty: give a number, or tags with the number to draw from '
            'each ("модул 1: 3")',
        )
    return QuizSettings(
        pass_percentage=f.float(
            "pass_percentage", defaults.pass_percentage, minimum=0, maximum=100
        ),
        attempts=f.int("attempts", 0, minimum=0),
        time_limit=f.int("time_limit", 0, minimum=0),
        shuffle_answers=f.bool("shuffle_answers", True),
        draw=None if pools is not None else f.int("draw", None, minimum=1),
        pools=tuple(Pool(tag, int(count)) for tag, count, _line in pools or ()),
        feedback=FEEDBACK[feedback],
    )


def parse_quiz(
    ctx: Context,
    f: Fields,
    body: str,
    body_line: int,
    defaults: QuizDefaults,
    ident: str,
    title: str,
) -> Quiz:
    """A quiz from its front matter and its Markdown body (plus any GIFT files it names)."""
    settings = read_settings(f, defaults)
    intro, intro_line, blocks = mdquiz.split(body, body_line)
    ids = IdRegistry(ident, ctx.diags)
    for block in blocks:
        explicit = mdquiz.explicit_id(block)
        if explicit:
            ids.reserve(explicit[0], ctx.rel, block.line, explicit[1])
    questions: list[Question] = []
    for block in blocks:
        if ctx.refused():
            break
        question = mdquiz.parse_question(ctx, block, ids)
        if question is not None:
            questions.append(question)
    for name, line in f.str_list_with_lines("gift"):
        opened = ctx.open_sibling(name, line)
        if opened is None:
            continue
        gift_ctx, text = opened
        questions.extend(gift.read(gift_ctx, text, ids, PurePosixPath(name).stem))
    quiz = Quiz(
        id=ident,
        title=title,
        location=Location(ctx.rel, 1),
        intro=ctx.markdown(intro.strip(), intro_line) if intro.strip() else "",
        settings=settings,
        questions=questions,
    )
    for question in questions:
        validate(ctx, question)
    complete = len(questions) >= len(blocks)  # no question was dropped for an error
    _validate_quiz(ctx, f, quiz, bool(blocks) or bool(f.str_list("gift")), complete)
    return quiz


def validate(ctx: Context, q: Question) -> None:
    """Structural checks every source format shares; reported at the question's line."""
    rel, line = q.location.path, q.location.line

    def error(message: str) -> None:
        ctx.diags.error(rel, line, f'question "{q.title}": {message}')

    kind_of(q).validate(q, error)
    if q.gradable and q.points <= 0:
        error("a question that is graded needs more than 0 points")
    for text in plain_answers(q):
        if _TAG.search(text):
            error(
                f'the answer "{text}" holds markup ({_TAG.search(text)[0]}…): answers that '
                "learners type or pick from a list are plain text; write them without tags"
            )
            break


# "<" then a letter, "/", "!" or "?": the start of a tag, a comment or a declaration
_TAG = re.compile(r"<[A-Za-z/!?]")


def plain_answers(q: Question) -> list[str]:
    """The plain-text answers of a question: typed (short answer, blanks) or chosen from a
    list (matching answers, drop-down blanks)."""
    match q:
        case ShortAnswer(answers=answers):
            return [a.text for a in answers]
        case Matching(pairs=pairs, distractors=extra):
            return [p.answer for p in pairs] + list(extra)
        case Cloze():
            return [o.text for gap in q.gaps for o in gap.options]
    return []


def _validate_quiz(ctx: Context, f: Fields, quiz: Quiz, blocks_found: bool, complete: bool) -> None:
    graded = quiz.graded_questions
    if not quiz.questions and not blocks_found:
        ctx.diags.error(
            ctx.rel, f.line, "the quiz has no questions: start each one with a ## heading"
        )
        return
    draw = quiz.settings.draw
    if draw is not None:
        line = f.key_line("draw")
        if draw > len(graded):
            ctx.diags.error(
                ctx.rel,
                line,
                f"draw asks for {draw} questions at random, but the pool holds only "
                f"{len(graded)} graded questions",
            )
        points = {q.points for q in graded}
        if len(points) > 1:
            ctx.diags.error(
                ctx.rel,
                line,
                "questions drawn at random must all be worth the same points, but these are "
                "worth " + ", ".join(f"{p:g}" for p in sorted(points)),
            )
    elif quiz.settings.pools:
        _validate_pools(ctx, f, quiz)
    elif not graded and complete:
        ctx.diags.warning(ctx.rel, f.line, "the quiz has no graded questions")


def _validate_pools(ctx: Context, f: Fields, quiz: Quiz) -> None:
    """A stratified draw: every graded question in exactly one pool, each pool big enough
    and of one worth."""
    pools = quiz.settings.pools
    line = f.key_line("draw")
    tags = {p.tag for p in pools}
    for q in quiz.graded_questions:
        mine = [t for t in q.tags if t in tags]
        if len(mine) != 1:
            how = "none of" if not mine else "more than one of"
            ctx.diags.error(
                q.location.path or ctx.rel,
                q.location.line or line,
                f'question "{q.id}" has {how} the tags the quiz draws from '
                f"({', '.join(p.tag for p in pools)}): give it exactly one, for example "
                f'{{tags="{pools[0].tag}"}}',
            )
    for pool in pools:
        members = quiz.pool_questions(pool)
        if pool.count > len(members):
            ctx.diags.error(
                ctx.rel,
                line,
                f'draw asks for {pool.count} questions tagged "{pool.tag}", but the quiz has '
                f"{len(members)} graded questions with that tag",
            )
        points = {q.points for q in members}
        if len(points) > 1:
            ctx.diags.error(
                ctx.rel,
                line,
                f'the questions tagged "{pool.tag}" are drawn at random, so they must be worth '
                "the same points, but they are worth "
                + ", ".join(f"{p:g}" for p in sorted(points)),
            )


def question_html(quiz: Quiz) -> list[str]:
    """Every HTML text of a quiz's questions (for collecting the media they use)."""
    out: list[str] = []
    for q in quiz.questions:
        out += [q.text, q.general_feedback, q.correct_feedback, q.partial_feedback]
        out += [q.incorrect_feedback, *q.hints]
        match q:
            case SingleChoice(choices=c) | MultipleChoice(choices=c):
                out += [x.text for x in c] + [x.feedback for x in c]
            case TrueFalse():
                out += [q.feedback_true, q.feedback_false]
            case ShortAnswer(answers=a) | Numerical(answers=a):
                out += [x.feedback for x in a]
            case Matching(pairs=p):
                out += [x.prompt for x in p]
            case Ordering(items=i):
                out += i
            case Essay():
                out.append(q.grader_info)
            case Cloze():
                out += [o.feedback for g in q.gaps for o in g.options]
    return [h for h in out if h]
