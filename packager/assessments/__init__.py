"""Quizzes: settings from front matter, questions from Markdown and GIFT, and their checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml

from .. import schema
from ..messages import tr, trn
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
    ShowAnswers,
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
SHOW_ANSWERS = {word: ShowAnswers(value) for word, value in schema.SHOW_ANSWERS_WORDS.items()}


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
            tr(
                '"draw" is empty: give a number, or tags with the number to draw from '
                'each ("модул 1: 3")'
            ),
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
        show_answers=SHOW_ANSWERS[f.choice("show_answers", SHOW_ANSWERS, "after_last_attempt")],
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
    places: dict[int, list[tuple[int, int]]] = {}  # id(question) -> where its answers are
    for block in blocks:
        if ctx.refused():
            break
        question = mdquiz.parse_question(ctx, block, ids, places)
        if question is not None:
            questions.append(question)
    complete = len(questions) >= len(blocks)  # no question was dropped for an error
    for name, line in f.str_list_with_lines("gift"):
        opened = ctx.open_sibling(name, line)
        if opened is None:
            complete = False
            continue
        gift_ctx, text = opened
        errors = len(ctx.diags.errors)
        questions.extend(gift.read(gift_ctx, text, ids, PurePosixPath(name).stem, places))
        complete = complete and len(ctx.diags.errors) == errors
    quiz = Quiz(
        id=ident,
        title=title,
        location=Location(ctx.rel, 1),
        intro=ctx.markdown(intro.strip(), intro_line) if intro.strip() else "",
        settings=settings,
        questions=questions,
    )
    for question in questions:
        validate(ctx, question, places.get(id(question)))
    _validate_quiz(ctx, f, quiz, bool(blocks) or bool(f.str_list("gift")), complete)
    return quiz


class _Report:
    """Where a kind's checks of one question go: at the question's heading, or at one of its
    answers (``at``: its index in the kind's answers, see mdquiz.parse_question)."""

    def __init__(self, ctx: Context, q: Question, places: list[tuple[int, int]] | None) -> None:
        self.ctx = ctx
        self.q = q
        self.places = places or []

    def _where(self, at: int | None) -> tuple[str, int, int]:
        line, col = self.q.location.line, 1
        if at is not None and at < len(self.places):
            line, col = self.places[at]
        return self.q.location.path, line, col

    def _text(self, message: str) -> str:
        return tr('question "{title}": {problem}', title=self.q.title, problem=message)

    def error(self, message: str, at: int | None = None) -> None:
        path, line, col = self._where(at)
        self.ctx.diags.error(path, line, self._text(message), col)

    def warning(self, message: str, at: int | None = None) -> None:
        path, line, col = self._where(at)
        self.ctx.diags.warning(path, line, self._text(message), col)


def validate(ctx: Context, q: Question, places: list[tuple[int, int]] | None = None) -> None:
    """Checks every source format shares; reported at the question's line, or at the answer
    concerned when ``places`` says where the answers are."""
    report = _Report(ctx, q, places)
    kind_of(q).validate(q, report)
    if q.gradable and q.points <= 0:
        report.error(tr("a question that is graded needs more than 0 points"))
    for i, text in enumerate(plain_answers(q)):
        if _TAG.search(text):
            report.error(
                tr(
                    'the answer "{answer}" holds markup ({tag}…): answers that learners type '
                    "or pick from a list are plain text; write them without tags",
                    answer=text,
                    tag=_TAG.search(text)[0],  # type: ignore[index]
                ),
                i,
            )
            break


# "<" then a letter, "/", "!" or "?": the start of a tag, a comment or a declaration
_TAG = re.compile(r"<[A-Za-z/!?]")


def plain_answers(q: Question) -> list[str]:
    """The plain-text answers of a question: typed (short answer, blanks) or chosen from a
    list (matching answers, drop-down blanks), in the order of the kind's answers."""
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
            ctx.rel, f.line, tr("the quiz has no questions: start each one with a ## heading")
        )
        return
    if not complete:
        return  # counting questions that were left out for an error would add false errors
    draw = quiz.settings.draw
    if draw is not None:
        line = f.key_line("draw")
        if draw > len(graded):
            ctx.diags.error(
                ctx.rel,
                line,
                trn(
                    "draw asks for {draw} questions at random, but the pool holds only "
                    "{n} graded question",
                    "draw asks for {draw} questions at random, but the pool holds only "
                    "{n} graded questions",
                    len(graded),
                    draw=draw,
                ),
                _value_col(f, "draw"),
            )
        points = {q.points for q in graded}
        if len(points) > 1:
            ctx.diags.error(
                ctx.rel,
                line,
                tr(
                    "questions drawn at random must all be worth the same points, but these "
                    "are worth {points}",
                    points=", ".join(f"{p:g}" for p in sorted(points)),
                ),
                _value_col(f, "draw"),
            )
    elif quiz.settings.pools:
        _validate_pools(ctx, f, quiz)
    elif not graded:
        ctx.diags.warning(ctx.rel, f.line, tr("the quiz has no graded questions"))


def _value_col(f: Fields, key: str) -> int:
    node = f.node(key)
    return node.start_mark.column + 1 if node is not None else 1


def _validate_pools(ctx: Context, f: Fields, quiz: Quiz) -> None:
    """A stratified draw: every graded question in exactly one pool, each pool big enough
    and of one worth."""
    pools = quiz.settings.pools
    line = f.key_line("draw")
    tags = {p.tag for p in pools}
    listed = ", ".join(p.tag for p in pools)
    for q in quiz.graded_questions:
        mine = [t for t in q.tags if t in tags]
        if len(mine) != 1:
            if not mine:
                message = tr(
                    'question "{id}" has none of the tags the quiz draws from ({tags}): give it '
                    'exactly one, for example {{tags="{tag}"}}',
                    id=q.id,
                    tags=listed,
                    tag=pools[0].tag,
                )
            else:
                message = tr(
                    'question "{id}" has more than one of the tags the quiz draws from '
                    '({tags}): give it exactly one, for example {{tags="{tag}"}}',
                    id=q.id,
                    tags=listed,
                    tag=pools[0].tag,
                )
            ctx.diags.error(q.location.path or ctx.rel, q.location.line or line, message)
    for pool in pools:
        members = quiz.pool_questions(pool)
        at_line, at_col = _pool_place(f, pool.tag, line)
        if pool.count > len(members):
            ctx.diags.error(
                ctx.rel,
                at_line,
                trn(
                    'draw asks for {count} questions tagged "{tag}", but the quiz has '
                    "{n} graded question with that tag",
                    'draw asks for {count} questions tagged "{tag}", but the quiz has '
                    "{n} graded questions with that tag",
                    len(members),
                    count=pool.count,
                    tag=pool.tag,
                ),
                at_col,
            )
        points = {q.points for q in members}
        if len(points) > 1:
            ctx.diags.error(
                ctx.rel,
                at_line,
                tr(
                    'the questions tagged "{tag}" are drawn at random, so they must be worth '
                    "the same points, but they are worth {points}",
                    tag=pool.tag,
                    points=", ".join(f"{p:g}" for p in sorted(points)),
                ),
                at_col,
            )


def _pool_place(f: Fields, tag: str, line: int) -> tuple[int, int]:
    """Where a tag of "draw" is written (the key's line if it cannot be found)."""
    node = f.node("draw")
    for key, _value in node.value if isinstance(node, yaml.MappingNode) else ():
        if isinstance(key, yaml.ScalarNode) and str(key.value).strip() == tag:
            return f.line_of(key), key.start_mark.column + 1
    return line, 1


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
