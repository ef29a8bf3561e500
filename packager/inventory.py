"""What a course holds, by stable id: the part of ``release.json`` that ``packager diff`` reads.

Each lesson, quiz, assignment, forum and question is listed with its title, where it sits
(module and position), who it is for (its audience) and a digest of its content, so two
versions can be compared item by item: added, removed, changed (same id, other content) and
moved (same id, other place).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from collections import Counter
from typing import Any

from .model import AnyItem, Assignment, Audience, Course, Forum, Lesson, Module, Question, Quiz

# The kinds of item, as the record lists them (the name of each list).
ITEM_KINDS: tuple[tuple[type, str], ...] = (
    (Lesson, "lessons"),
    (Quiz, "quizzes"),
    (Assignment, "assignments"),
    (Forum, "forums"),
)
# Fields added to the model after records were first written: left out of a digest while they
# hold their default, so a record of an earlier version still compares equal.
_LATER = {"audience": Audience.LEARNERS, "pools": ()}


def _plain(value: Any) -> Any:
    """A JSON-ready copy of model data, without source locations."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            if f.name in ("location", "questions"):
                continue
            field = getattr(value, f.name)
            if f.name in _LATER and field == _LATER[f.name]:
                continue
            out[f.name] = _plain(field)
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def digest(value: Any) -> str:
    data = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _item_digest(course: Course, item: AnyItem) -> str:
    media = {m: course.media[m].sha256 for m in item.media if m in course.media}
    return digest({"item": item, "kind": type(item).__name__, "media": media})


def _module_digest(module: Module) -> str:
    summary: dict[str, Any] = {"title": module.title, "summary": module.summary}
    if module.audience is not Audience.LEARNERS:
        summary["audience"] = module.audience
    return digest(summary)


def question_kinds(course: Course) -> dict[str, int]:
    return dict(sorted(Counter(q.kind for q in course.questions).items()))


def counts(course: Course) -> dict[str, Any]:
    return {
        "modules": len(course.modules),
        "lessons": len(course.lessons),
        "quizzes": len(course.quizzes),
        "assignments": len(course.assignments),
        "forums": len(course.forums),
        "for_trainers": sum(item.for_trainers for item in course.items()),
        "questions": len(course.questions),
        "questions_by_kind": question_kinds(course),
        "images": len(course.images),
    }


def list_name(item: AnyItem) -> str:
    """The list of the record an item is in."""
    return next(name for kind, name in ITEM_KINDS if isinstance(item, kind))


def contents(course: Course) -> dict[str, list[dict[str, Any]]]:
    """Every module, lesson, quiz, assignment, forum and question with its place, audience and
    content digest."""
    found: dict[str, list[dict[str, Any]]] = {"modules": []}
    found.update({name: [] for _, name in ITEM_KINDS})
    questions: list[dict[str, Any]] = []
    for module in course.modules:
        found["modules"].append(
            {
                "id": module.id,
                "title": module.title,
                "audience": module.audience.value,
                "sha256": _module_digest(module),
            }
        )
        for position, item in enumerate(module.items, 1):
            found[list_name(item)].append(
                {
                    "id": item.id,
                    "title": item.title,
                    "module": module.id,
                    "position": position,
                    "audience": item.audience.value,
                    "sha256": _item_digest(course, item),
                }
            )
            if isinstance(item, Quiz):
                questions += [_question(item, i, q) for i, q in enumerate(item.questions, 1)]
    found["questions"] = questions
    return found


def _question(quiz: Quiz, position: int, q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "title": q.title,
        "kind": q.kind,
        "quiz": quiz.id,
        "position": position,
        "sha256": digest({"question": q, "kind": q.kind}),
    }
