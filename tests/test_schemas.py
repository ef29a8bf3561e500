"""The JSON Schemas in schemas/ describe exactly the keys the loader reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packager import assessments, loader

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def keys(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text("utf-8"))["properties"]


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("course.schema.json", loader.COURSE_KEYS),
        ("module.schema.json", loader.MODULE_KEYS),
        ("lesson.schema.json", loader.LESSON_KEYS),
        ("quiz.schema.json", assessments.QUIZ_KEYS),
    ],
)
def test_schema_keys_are_the_loaders(name, known):
    assert set(keys(name)) == set(known)


def test_nested_course_sections():
    props = keys("course.schema.json")
    assert set(props["completion"]["properties"]) == set(loader.COMPLETION_KEYS)
    assert set(props["images"]["properties"]) == set(loader.IMAGE_KEYS)


def test_feedback_values_are_the_loaders():
    assert set(keys("quiz.schema.json")["feedback"]["enum"]) == set(assessments.FEEDBACK)
