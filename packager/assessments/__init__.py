"""Quizzes: settings from front matter, questions from Markdown and GIFT, and their checks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..markup import text_of
from ..model import (
    Choice,
    Cloze,
    Essay,
    FeedbackTiming,
    Location,
    Matching,
    MultipleChoice,
    Numerical,
    Ordering,
    Question,
    QuizSettings,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ..model import Quiz as Quiz
from ..source import Fields
from . import gift_source as gift
from . import mdquiz
from .context import Context, IdRegistry

QUIZ_KEYS = (
    "title",
    "type",
    "id",
    "minutes",
    "pass_percentage",
    "attempts",
    "time_limit",
    "shuffle_answers",
    "draw",
    "feedback",
    "gift",
)
FEEDBACK = {
    "immediate": FeedbackTiming.IMMEDIATE,
    "веднага": FeedbackTiming.IMMEDIATE,
    "after_attempt": FeedbackTiming.AFTER_ATTEMPT,
    "след-опита": FeedbackTiming.AFTER_ATTEMPT,
    "never": FeedbackTiming.NEVER,
    "никога": FeedbackTiming.NEVER,
}


@dataclass
class QuizDefaults:
    pass_percentage: float = 70.0


def read_settings(f: Fields, defaults: QuizDefaults) -> QuizSettings:
    feedback = f.choice("feedback", FEEDBACK, "immediate")
    return QuizSettings(
        pass_percentage=f.float(
            "pass_percentage", defaults.pass_percentage, minimum=0, maximum=100
        ),
        attempts=f.int("attempts", 0, minimum=0),
        time_limit=f.int("time_limit", 0, minimum=0),
        shuffle_answers=f.bool("shuffle_answers", True),
        draw=f.int("draw", None, minimum=1),
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

    match q:
        case SingleChoice(choices=choices):
            _need_choices(choices, error)
            right = [c for c in choices if c.fraction >= 1.0]
            if not right:
                error("no right answer: mark one with (x)")
            elif len(right) > 1:
                error(
                    f"{len(right)} right answers in a single-choice question: mark one with (x), "
                    "or use [x] checkboxes to let learners choose several"
                )
        case MultipleChoice(choices=choices):
            _need_choices(choices, error)
            positive = sum(c.fraction for c in choices if c.fraction > 0)
            if not any(c.fraction > 0 for c in choices):
                error("no right answer: mark at least one with [x]")
            elif round(positive, 2) != 1.0:
                error(
                    f"the grades of the right answers add up to {round(positive * 100, 2):g}%, "
                    "not 100%"
                )
        case TrueFalse():
            pass
        case ShortAnswer(answers=answers) | Numerical(answers=answers):
            if not answers:
                error('no accepted answer: add one such as "- = answer"')
            elif not any(a.fraction >= 1.0 for a in answers):
                error("no answer is worth 100%")
        case Matching(pairs=pairs):
            if len(pairs) < 2:
                error(f"a matching question needs at least two pairs, it has {len(pairs)}")
            prompts = Counter(text_of(p.prompt).lower() for p in pairs)
            dupes = sorted(p for p, n in prompts.items() if n > 1)
            if dupes:
                error(f'"{dupes[0]}" is matched twice: each item on the left must be different')
        case Ordering(items=items):
            if len(items) < 2:
                error(f"an ordering question needs at least two items, it has {len(items)}")
            norm = Counter(text_of(i).lower() for i in items)
            dupes = sorted(i for i, n in norm.items() if n > 1)
            if dupes:
                error(f'"{dupes[0]}" appears twice: the items must be different')
        case Essay(min_words=low, max_words=high):
            if low is not None and high is not None and low > high:
                error(f"min_words ({low}) is more than max_words ({high})")
        case Cloze():
            if not q.gaps:
                error("no {{blanks}} in the text")
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


def _need_choices(choices: list[Choice], error) -> None:
    if len(choices) < 2:
        error(f"a choice question needs at least two answers, it has {len(choices)}")


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
    elif not graded and complete:
        ctx.diags.warning(ctx.rel, f.line, "the quiz has no graded questions")


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
