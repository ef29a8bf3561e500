"""Feedback as Moodle stores it, for the Moodle XML bank and the course backup alike: the
types that have no combined feedback of their own get it folded into their answers."""

from __future__ import annotations

from ...model import Numerical, ShortAnswer, TrueFalse


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
