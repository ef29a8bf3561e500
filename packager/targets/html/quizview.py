"""Quizzes as interactive HTML forms, played by theme/quiz.js (in the site and in SCORM).

The form is plain HTML with native controls, so it works with a keyboard and a screen reader;
what the script needs to score and give feedback is in a JSON block beside it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ...i18n import strings
from ...markup import text_of
from ...model import (
    Course,
    Question,
    Quiz,
)
from ...names import ascii_id
from ...questions import FULL_MARKS, kind_of
from .pages import esc

Resolve = Callable[[str], str]


def quiz_article(
    course: Course, quiz: Quiz, resolve: Resolve, prefix: str = "q", deferred: bool = False
) -> str:
    """The quiz as a form; ``prefix`` keeps element ids apart when a page has several quizzes,
    ``deferred`` leaves starting it to another script (the SCORM runtime)."""
    s = strings(course.language)
    settings = quiz.settings
    info = [s["questions_count"].format(n=quiz.questions_per_attempt)]
    info.append(s["pass_mark"].format(n=f"{settings.pass_percentage:g}"))
    if settings.attempts:
        info.append(s["attempts"].format(n=settings.attempts))
    if settings.time_limit:
        info.append(s["time_limit"].format(n=settings.time_limit))
    parts = [f"<h1>{esc(quiz.title)}</h1>\n"]
    parts.append('<ul class="quiz-info">' + "".join(f"<li>{esc(i)}</li>" for i in info) + "</ul>\n")
    if quiz.intro:
        parts.append(f'<div class="quiz-intro">{resolve(quiz.intro)}</div>\n')
    wait = " data-deferred" if deferred else ""
    parts.append(
        f'<form class="quiz" id="{prefix}-form" data-quiz="{prefix}-data"{wait} novalidate '
        f'aria-label="{esc(quiz.title)}">\n'
        '<p class="timer" role="timer" hidden></p>\n'
    )
    number = 0
    for index, question in enumerate(quiz.questions):
        if question.gradable:
            number += 1
        parts.append(_question(course, question, f"{prefix}{index + 1}", index, number, resolve))
    parts.append(
        '<div class="actions quiz-actions">'
        f'<button type="submit" class="primary" data-action="submit">{esc(s["submit"])}</button>'
        "</div>\n"
        '<div class="result" role="status" aria-live="polite"></div>\n'
        "</form>\n"
    )
    payload = script_json(quiz_data(course, quiz, resolve))
    parts.append(f'<script type="application/json" id="{prefix}-data">{payload}</script>\n')
    parts.append('<noscript><p class="notice">' + esc(s["needs_js"]) + "</p></noscript>\n")
    return "".join(parts)


def _question(
    course: Course, q: Question, qid: str, index: int, number: int, resolve: Resolve
) -> str:
    s = strings(course.language)
    if q.gradable:
        points = s["points"].format(n=f"{q.points:g}")
        title = (
            f'{esc(s["question"])} <span class="qnum">{number}</span> '
            f'<span class="points">({esc(points)})</span>'
        )
    else:
        title = esc(s["information"])
    head = (
        f'<section class="question" id="{qid}" data-index="{index}" data-kind="{q.kind}" '
        f'aria-labelledby="{qid}-title">\n<h2 id="{qid}-title">{title}</h2>\n'
    )
    body = _body(course, q, qid, resolve)
    tail = ""
    if q.gradable:
        buttons = [f'<button type="button" data-action="check">{esc(s["check"])}</button>']
        if q.hints:
            buttons.append(f'<button type="button" data-action="hint">{esc(s["hint"])}</button>')
        tail = (
            f'<div class="actions">{"".join(buttons)}</div>\n'
            '<div class="hints"></div>\n'
            f'<div class="feedback" id="{qid}-feedback" aria-live="polite"></div>\n'
        )
    return head + body + tail + "</section>\n"


def _body(course: Course, q: Question, qid: str, resolve: Resolve) -> str:
    kind = kind_of(q)
    s = strings(course.language)
    controls = kind.form(q, qid, resolve, s)
    if kind.owns_text:
        return controls
    return f'<div class="question-text" id="{qid}-text">{resolve(q.text)}</div>\n' + controls


def script_json(data: object) -> str:
    """JSON to put in a ``<script type="application/json">`` element: every ``<``, ``>``,
    ``&`` and line or paragraph separator escaped, so nothing in a string (``</script>``,
    ``<!--``) can end the element or change how the HTML tokenizer reads it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_SAFE:  # (str.translate with a table is slower on long texts)
        text = text.replace(char, escaped)
    return text


_SCRIPT_SAFE = [(c, f"\\u{ord(c):04x}") for c in "<>&\u2028\u2029"]


def quiz_data(course: Course, quiz: Quiz, resolve: Resolve) -> dict:
    """What quiz.js needs: settings, strings, and per question how to score it."""
    st = quiz.settings
    data = {
        "id": quiz.id,
        "passPercentage": st.pass_percentage,
        "attempts": st.attempts,
        "timeLimit": st.time_limit,
        "shuffle": st.shuffle_answers,
        "draw": st.draw,
        "feedback": st.feedback.value,
        "showAnswers": st.show_answers.value,
        "fullMarks": FULL_MARKS,
        "strings": _player_strings(course.language),
        "questions": [_question_data(q, resolve) for q in quiz.questions],
    }
    if st.pools:
        data["pools"] = pools_data(quiz)
    if not shows_answers(data):
        for question in data["questions"]:
            question.pop("key", None)
    return data


def shows_answers(data: dict) -> bool:
    """Whether the player may show right answers (and SCORM report them as correct
    responses). Only then does the page hold each question's hidden key; otherwise the page
    holds tags and seals alone, and a right answer is nowhere in it (see questions/keys.py)."""
    return data.get("feedback") != "never" and data.get("showAnswers") != "never"


def pools_data(quiz: Quiz) -> list[dict]:
    """A stratified draw for the player: per pool its tag, how many to draw, and from which
    questions (indexes into the quiz's questions)."""
    index = {id(q): i for i, q in enumerate(quiz.questions)}
    return [
        {
            "tag": pool.tag,
            "count": pool.count,
            "questions": [index[id(q)] for q in quiz.pool_questions(pool)],
        }
        for pool in quiz.settings.pools
    ]


def _question_data(q: Question, resolve: Resolve) -> dict:
    d: dict = {
        "id": q.id,
        "ref": ascii_id(q.id.rsplit("/", 1)[-1], 48),  # interaction ids for SCORM
        "prompt": text_of(q.text)[:250],
        "kind": q.kind,
        "points": q.points if q.gradable else 0,
        "feedback": {
            k: resolve(v)
            for k, v in (
                ("general", q.general_feedback),
                ("correct", q.correct_feedback),
                ("partial", q.partial_feedback),
                ("incorrect", q.incorrect_feedback),
            )
            if v
        },
        "hints": [resolve(h) for h in q.hints],
    }
    d.update(kind_of(q).data(q, resolve))
    return d


PLAYER_KEYS = (
    "correct", "incorrect", "partial", "score", "passed", "failed", "retry", "time_left",
    "time_up", "no_attempts", "essay_saved", "review", "your_result", "right_answer", "hint_n",
    "moved",
)  # fmt: skip


def _player_strings(language: str) -> dict[str, str]:
    s = strings(language)
    return {k: s[k] for k in PLAYER_KEYS}
