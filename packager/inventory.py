"""What a course holds, by stable id: the part of ``release.json`` that ``packager diff`` reads.

Each lesson, quiz and question is listed with its title, where it sits (module and position)
and a digest of its content, so two versions can be compared item by item: added, removed,
changed (same id, other content) and moved (same id, other place).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from collections import Counter
from typing import Any

from .model import Course, Lesson, Question, Quiz


def _plain(value: Any) -> Any:
    """A JSON-ready copy of model data, without source locations."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in ("location", "questions")
        }
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


def _item_digest(course: Course, item: Lesson | Quiz) -> str:
    media = {m: course.media[m].sha256 for m in item.media if m in course.media}
    return digest({"item": item, "kind": type(item).__name__, "media": media})


def question_kinds(course: Course) -> dict[str, int]:
    return dict(sorted(Counter(q.kind for q in course.questions).items()))


def counts(course: Course) -> dict[str, Any]:
    return {
        "modules": len(course.modules),
        "lessons": len(course.lessons),
        "quizzes": len(course.quizzes),
        "questions": len(course.questions),
        "questions_by_kind": question_kinds(course),
        "images": len(course.images),
    }


def contents(course: Course) -> dict[str, list[dict[str, Any]]]:
    """Every module, lesson, quiz and question with its place and content digest."""
    modules, lessons, quizzes, questions = [], [], [], []
    for module in course.modules:
        summary = {"title": module.title, "summary": module.summary}
        modules.append({"id": module.id, "title": module.title, "sha256": digest(summary)})
        for position, item in enumerate(module.items, 1):
            entry = {
                "id": item.id,
                "title": item.title,
                "module": module.id,
                "position": position,
                "sha256": _item_digest(course, item),
            }
            (lessons if isinstance(item, Lesson) else quizzes).append(entry)
            if isinstance(item, Quiz):
                questions += [_question(item, i, q) for i, q in enumerate(item.questions, 1)]
    return {"modules": modules, "lessons": lessons, "quizzes": quizzes, "questions": questions}


def _question(quiz: Quiz, position: int, q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "title": q.title,
        "kind": q.kind,
        "quiz": quiz.id,
        "position": position,
        "sha256": digest({"question": q, "kind": q.kind}),
    }
