"""Quizzes as interactive HTML forms, played by theme/quiz.js (in the site and in SCORM).

The form is plain HTML with native controls, so it works with a keyboard and a screen reader;
what the script needs to score and give feedback is in a JSON block beside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ...i18n import strings
from ...markup import text_of
from ...model import (
    Cloze,
    Course,
    Description,
    Essay,
    Gap,
    GapKind,
    Matching,
    MultipleChoice,
    Numerical,
    Ordering,
    Question,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ...names import ascii_id
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
    s = strings(course.language)
    if isinstance(q, Cloze):
        return f'<div class="question-text">{_cloze_text(q, qid, resolve, s)}</div>\n'
    text = f'<div class="question-text" id="{qid}-text">{resolve(q.text)}</div>\n'
    group = f'aria-labelledby="{qid}-title {qid}-text"'
    match q:
        case SingleChoice(choices=choices) | MultipleChoice(choices=choices):
            kind = "radio" if isinstance(q, SingleChoice) else "checkbox"
            items = "".join(
                f'<li data-option="{i}"><label><input type="{kind}" name="{qid}" value="{i}">'
                f"<span>{resolve(c.text)}</span></label></li>"
                for i, c in enumerate(choices)
            )
            return text + f'<fieldset {group}><ul class="choices">{items}</ul></fieldset>\n'
        case TrueFalse():
            items = "".join(
                f'<li data-option="{v}"><label><input type="radio" name="{qid}" value="{v}">'
                f"<span>{esc(s[label])}</span></label></li>"
                for v, label in (("true", "true"), ("false", "false"))
            )
            return text + f'<fieldset {group}><ul class="choices">{items}</ul></fieldset>\n'
        case ShortAnswer() | Numerical():
            mode = ' inputmode="decimal"' if isinstance(q, Numerical) else ""
            return text + (
                f'<p><label for="{qid}-answer">{esc(s["your_answer"])}</label> '
                f'<input type="text" id="{qid}-answer" name="{qid}" autocomplete="off"{mode}></p>\n'
            )
        case Matching(pairs=pairs):
            options = _match_options(q)
            select_options = f'<option value="">{esc(s["choose"])}</option>' + "".join(
                f'<option value="{i}">{esc(o)}</option>' for i, o in enumerate(options)
            )
            rows = "".join(
                f'<tr><th scope="row" id="{qid}-p{i}">{resolve(p.prompt)}</th><td>'
                f'<select name="{qid}-{i}" aria-labelledby="{qid}-p{i}">{select_options}</select>'
                "</td></tr>"
                for i, p in enumerate(pairs)
            )
            return text + f'<table class="match-table"><tbody>{rows}</tbody></table>\n'
        case Ordering(items=items):
            rows = "".join(
                f'<li data-item="{i}"><span class="order-text" id="{qid}-i{i}">{resolve(t)}</span>'
                f'<button type="button" data-action="up" aria-describedby="{qid}-i{i}">'
                f"{esc(s['move_up'])}</button>"
                f'<button type="button" data-action="down" aria-describedby="{qid}-i{i}">'
                f"{esc(s['move_down'])}</button></li>"
                for i, t in enumerate(items)
            )
            return text + f'<ol class="order-list" {group}>{rows}</ol>\n'
        case Essay():
            limits = []
            if q.min_words:
                limits.append(s["min_words"].format(n=q.min_words))
            if q.max_words:
                limits.append(s["max_words"].format(n=q.max_words))
            hint = f' <span class="meta">({esc(", ".join(limits))})</span>' if limits else ""
            return text + (
                f'<p><label for="{qid}-answer">{esc(s["your_answer"])}</label>{hint}</p>'
                f'<textarea id="{qid}-answer" name="{qid}" rows="{q.lines}">'
                f"{esc(q.template)}</textarea>\n"
            )
        case Description():
            return text
    raise TypeError(f"no view for {type(q).__name__}")


def _cloze_text(q: Cloze, qid: str, resolve: Resolve, s: dict[str, str]) -> str:
    """The text with a control per blank. The pieces of text between blanks need not be whole
    HTML (``<p>Fill in`` … ``here.</p>``): they are resolved as one text with a slot per blank,
    and the controls (which the sanitizer would remove) put in the slots afterwards."""
    text: list[str] = []
    controls: list[str] = []
    for part in q.parts:
        if isinstance(part, str):
            text.append(_NOT_SLOT.sub("", part))
            continue
        text.append(_SLOT.format(len(controls)))
        n = len(controls) + 1
        label = esc(s["blank"].format(n=n))
        name = f"{qid}-g{n - 1}"
        if part.kind is GapKind.DROPDOWN:
            opts = f'<option value="">{esc(s["choose"])}</option>' + "".join(
                f'<option value="{i}">{esc(o.text)}</option>' for i, o in enumerate(part.options)
            )
            controls.append(f'<select name="{name}" aria-label="{label}">{opts}</select>')
        else:
            mode = ' inputmode="decimal"' if part.kind is GapKind.NUMERIC else ""
            controls.append(
                f'<input type="text" class="gap-input" name="{name}" aria-label="{label}" '
                f'autocomplete="off"{mode}>'
            )
    return _fill_slots(resolve("".join(text)), controls)


# Where a blank's control goes: private-use characters, which the sanitizer keeps as text.
_SLOT = "\ue000{}\ue001"
_SLOTS = re.compile("\ue000([0-9]+)\ue001")
_NOT_SLOT = re.compile("[\ue000\ue001]")
_TAG = re.compile(r"<[^>]*>")


def _fill_slots(html: str, controls: list[str]) -> str:
    """Each control in its slot. A slot that sanitizing removed or that ended up inside a tag
    (in an attribute) is dropped, and its control added at the end, so every blank has one."""
    html = _TAG.sub(lambda m: _SLOTS.sub("", m[0]), html)
    placed: set[int] = set()

    def put(match: re.Match[str]) -> str:
        index = int(match[1])
        if index >= len(controls) or index in placed:
            return ""
        placed.add(index)
        return controls[index]

    html = _SLOTS.sub(put, html)
    return html + "".join(c for i, c in enumerate(controls) if i not in placed)


def script_json(data: object) -> str:
    """JSON to put in a ``<script type="application/json">`` element: every ``<``, ``>``,
    ``&`` and line or paragraph separator escaped, so nothing in a string (``</script>``,
    ``<!--``) can end the element or change how the HTML tokenizer reads it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_SAFE)


_SCRIPT_SAFE = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def _match_options(q: Matching) -> list[str]:
    """The answers offered for every item: each distinct answer once, then the distractors."""
    return list(dict.fromkeys([p.answer for p in q.pairs] + q.distractors))


def quiz_data(course: Course, quiz: Quiz, resolve: Resolve) -> dict:
    """What quiz.js needs: settings, strings, and per question how to score it."""
    st = quiz.settings
    return {
        "id": quiz.id,
        "passPercentage": st.pass_percentage,
        "attempts": st.attempts,
        "timeLimit": st.time_limit,
        "shuffle": st.shuffle_answers,
        "draw": st.draw,
        "feedback": st.feedback.value,
        "strings": _player_strings(course.language),
        "questions": [_question_data(q, resolve) for q in quiz.questions],
    }


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
    match q:
        case SingleChoice(choices=c) | MultipleChoice(choices=c):
            d["options"] = [
                {"fraction": x.fraction, "feedback": resolve(x.feedback), "text": text_of(x.text)}
                for x in c
            ]
            d["shuffle"] = q.shuffle
        case TrueFalse():
            d["answer"] = q.answer
            d["optionFeedback"] = {
                "true": resolve(q.feedback_true),
                "false": resolve(q.feedback_false),
            }
        case ShortAnswer(answers=a):
            d["answers"] = [
                {"text": x.text, "fraction": x.fraction, "feedback": resolve(x.feedback)} for x in a
            ]
            d["caseSensitive"] = q.case_sensitive
        case Numerical(answers=a):
            d["answers"] = [
                {"value": x.value, "tolerance": x.tolerance, "fraction": x.fraction,
                 "feedback": resolve(x.feedback)}
                for x in a
            ]  # fmt: skip
        case Matching(pairs=p):
            options = _match_options(q)
            d["options"] = options
            d["correct"] = [options.index(x.answer) for x in p]
            d["prompts"] = [text_of(x.prompt) for x in p]
            d["shuffle"] = q.shuffle
        case Ordering(items=i):
            d["items"] = [text_of(x) for x in i]
        case Cloze():
            d["gaps"] = [_gap_data(g, resolve) for g in q.gaps]
        case Essay():
            d["minWords"] = q.min_words
            d["maxWords"] = q.max_words
    return d


def _gap_data(gap: Gap, resolve: Resolve) -> dict:
    return {
        "kind": gap.kind.value,
        "points": gap.points,
        "caseSensitive": gap.case_sensitive,
        "options": [
            {
                "text": o.text,
                "fraction": o.fraction,
                "tolerance": o.tolerance,
                "feedback": resolve(o.feedback),
            }
            for o in gap.options
        ],
    }


PLAYER_KEYS = (
    "correct", "incorrect", "partial", "score", "passed", "failed", "retry", "time_left",
    "time_up", "no_attempts", "essay_saved", "review", "your_result", "right_answer", "hint_n",
)  # fmt: skip


def _player_strings(language: str) -> dict[str, str]:
    s = strings(language)
    return {k: s[k] for k in PLAYER_KEYS}
