"""The source schema (packager/schema.py) is the one declaration of the keys: the loader takes
its keys from it and reads them as declared; schemas/*.json and the key tables of the docs are
generated from it (tools/schemas.py) and committed up to date; the JSON Schemas accept the
shipped courses as PyYAML and editors read them, and never refuse what the loader accepts."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from packager import assessments, loader, schema
from packager.assessments import mdquiz
from packager.diagnostics import BuildError, Diagnostics
from packager.loader import load
from packager.model import Essay, Question, ShortAnswer
from packager.names import ID_MAX, ID_PART_MAX, id_problem, normal_id
from packager.schema import QUESTION, SOURCES, Key, Type
from packager.settings import BUILD_KEYS, read_build

from .conftest import FIXTURE, front_matter, plain_yaml_sources, write

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"


def _load_generator():
    spec = importlib.util.spec_from_file_location("packager_schemas", ROOT / "tools" / "schemas.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def committed(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))


def validator(name: str) -> jsonschema.Validator:
    return jsonschema.Draft202012Validator(committed(name))


# ------------------------------------------------------------------------------------------
# generated files


def test_generated_files_are_up_to_date():
    """schemas/*.json and the docs' key tables are what tools/schemas.py writes now."""
    stale = [
        str(path.relative_to(ROOT))
        for path, text in gen.generated().items()
        if not path.exists() or path.read_text("utf-8") != text
    ]
    assert not stale, f"out of date (run .venv/bin/python tools/schemas.py): {stale}"


def test_the_check_mode_names_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "course.schema.json"
    stale.write_text("{}\n", "utf-8")
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    monkeypatch.setattr(gen, "generated", lambda: {stale: "new\n"})
    assert gen.main(["--check"]) == 1
    assert "course.schema.json: out of date" in capsys.readouterr().out
    assert stale.read_text("utf-8") == "{}\n"  # --check writes nothing
    assert gen.main([]) == 0
    assert stale.read_text("utf-8") == "new\n"


def test_tables_are_written_between_markers_and_the_rest_is_kept():
    text = "before\n<!-- keys:lesson -->\nold table\n<!-- /keys:lesson -->\nafter\n"
    out = gen.fill_tables(text, ROOT / "docs" / "authoring.md")
    assert out.startswith("before\n<!-- keys:lesson -->\n| ключ | стойност |")
    assert out.endswith("\n<!-- /keys:lesson -->\nafter\n")
    assert "old table" not in out
    assert "| `objectives` | списък или един текст | – | учебни цели" in out
    assert gen.fill_tables(out, ROOT / "docs" / "authoring.md") == out


def test_every_source_has_a_table_in_the_docs():
    docs = "".join(doc.read_text("utf-8") for doc in gen.DOCS)
    for src in (*SOURCES, QUESTION):
        assert f"<!-- keys:{src.name} -->" in docs, src.name


def test_tables_show_every_key_with_its_default_and_range():
    course = gen.table(schema.COURSE, "bg", "#идентификатори")
    assert "| `completion.pass_percentage` | число, от 0 до 100 | `70` |" in course
    assert "| `images.max_width` | цяло число, поне 16 | `1600` |" in course
    assert "| `title` | текст | задължителен |" in course
    quiz = gen.table(schema.QUIZ, "en", gen.RULES)
    assert "| `feedback` | `immediate`, `after_attempt` or `never` | `immediate` |" in quiz
    assert "`never` (`никога`) – the score only" in quiz


# ------------------------------------------------------------------------------------------
# the schemas as JSON Schema


@pytest.mark.parametrize("src", SOURCES, ids=lambda s: s.name)
def test_schemas_are_valid_draft_2020_12(src):
    jsonschema.Draft202012Validator.check_schema(committed(src.name))


@pytest.mark.parametrize("src", SOURCES, ids=lambda s: s.name)
def test_schema_keys_are_the_loaders(src):
    known = {
        "course": loader.COURSE_KEYS,
        "module": loader.MODULE_KEYS,
        "quiz": assessments.QUIZ_KEYS,
        **loader.ITEM_KEYS,
    }[src.name]
    assert list(committed(src.name)["properties"]) == list(known)


def test_nested_course_sections():
    props = committed("course")["properties"]
    assert list(props["completion"]["properties"]) == list(loader.COMPLETION_KEYS)
    assert list(props["images"]["properties"]) == list(loader.IMAGE_KEYS)


def test_the_build_section_is_the_settings_readers():
    """course.yml's build section: its keys are the ones packager/settings.py reads, its
    targets and options those of the target registry."""
    from packager.targets import TARGETS
    from packager.targets.base import option_values

    build = committed("course")["properties"]["build"]
    assert list(build["properties"]) == list(BUILD_KEYS)
    assert build["properties"]["targets"]["anyOf"][0]["items"]["enum"] == list(TARGETS)
    options = build["properties"]["options"]["properties"]
    known = option_values(TARGETS.values())
    assert list(options) == list(known)
    for key, option in known.items():
        assert [v for v in options[key]["enum"] if isinstance(v, str)] == list(option.choices)


def test_feedback_values_are_the_loaders():
    words = committed("quiz")["properties"]["feedback"]["enum"]
    assert words == [*assessments.FEEDBACK, None]


def test_item_types_and_their_schemas():
    assert loader.ITEM_TYPES == ("lesson", "quiz", "assignment", "forum")
    assert loader.ITEM_KEYS["quiz"] == assessments.QUIZ_KEYS
    assert committed("quiz")["properties"]["type"] == {
        "description": "The file is a quiz",
        "const": "quiz",
    }
    for kind in ("assignment", "forum"):
        assert committed(kind)["properties"]["type"]["const"] == kind
    assert committed("lesson")["properties"]["type"]["enum"] == ["lesson", None]


def test_question_settings_are_the_quiz_readers():
    """mdquiz keeps its own lists of settings and type words: they match the declaration."""
    assert QUESTION.names() == mdquiz.ATTRS
    assert list(schema.QUESTION_TYPES.items()) == list(mdquiz.TYPES.items())


# ------------------------------------------------------------------------------------------
# the shipped courses, read as a plain YAML loader reads them


@pytest.mark.parametrize("root", [ROOT / "content", FIXTURE], ids=["content", "fixture"])
def test_shipped_courses_are_valid_with_pyyaml_and_jsonschema(root):
    sources = plain_yaml_sources(root)
    kinds = {kind for _, kind, _ in sources}
    assert {"course", "module", "lesson", "quiz", "assignment", "forum"} <= kinds
    problems = [
        f"{path.relative_to(root)}: {list(e.path)}: {e.message}"
        for path, kind, data in sources
        for e in validator(kind).iter_errors(data)
    ]
    assert not problems
    # PyYAML reads an unquoted date as a date: the schema accepts it as it is
    course = sources[0][2]
    assert isinstance(course, dict)
    assert type(course["date"]).__name__ == "date"


# ------------------------------------------------------------------------------------------
# identifier patterns: what both Python and ECMAScript read, never stricter than the loader

PATTERNS = {
    "id": (gen.ID_PATTERN, {}),
    "name": (gen.NAME_PATTERN, {"parts": False}),
    "version": (gen.VERSION_PATTERN, {"parts": False, "extra": "+"}),
}
ALPHABET = [
    *"aZ09-_./+ \\:%",
    *"йЖя数ª²",
    "\u0306",  # a combining mark: NFC joins it to the letter before
    "e\u0301",
    "·",
    "–",  # en dash, typed for "-"
    "«",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\u3000",
    "…",
    "con",
    "Nul",
    "lpt1",
    "COM9",
    "..",
]


def _loader_accepts(text: str, kind: str) -> bool:
    return id_problem(normal_id(text), **PATTERNS[kind][1]) is None


def _pattern_accepts(text: str, kind: str) -> bool:
    return re.search(PATTERNS[kind][0], text) is not None


# strings of the alphabet's pieces, the same on every run
_rnd = random.Random(7)
SAMPLES = sorted(
    {"".join(_rnd.choice(ALPHABET) for _ in range(_rnd.randint(1, 8))) for _ in range(5000)}
)


@pytest.mark.parametrize("kind", sorted(PATTERNS))
def test_id_patterns_never_refuse_what_the_loader_accepts(kind):
    """And for ASCII within the lengths (which the patterns leave to the loader) they agree."""
    wrong = []
    for text in SAMPLES:
        if text != text.strip():
            continue  # the loader strips values; the patterns do not
        loader_ok = _loader_accepts(text, kind)
        pattern_ok = _pattern_accepts(text, kind)
        if (not pattern_ok and loader_ok) or (
            text.isascii() and len(text) <= ID_PART_MAX and pattern_ok != loader_ok
        ):
            wrong.append((text, pattern_ok, loader_ok))
    assert not wrong
    assert any(not _pattern_accepts(t, kind) for t in SAMPLES)  # not a pattern that takes all


@pytest.mark.parametrize(
    ("kind", "text", "ok"),
    [
        ("id", "01-основи/02-данни", True),
        ("id", "Ünïcode/数学", True),
        ("id", "ΑΒΓ/урок.2", True),
        ("id", "a–b", False),  # en dash
        ("id", "a\u00a0b", False),
        ("id", "a\u200bb", False),
        ("id", "«a»", False),
        ("id", "a/con.txt", False),
        ("id", "a/./b", False),
        ("name", "moderna-biblioteka", True),
        ("name", "курс_2027", True),
        ("name", "a/b", False),
        ("version", "1.0.0+2", True),
        ("version", "+1", False),
        ("version", "1.0.", False),
    ],
)
def test_id_pattern_examples(kind, text, ok):
    assert _pattern_accepts(text, kind) is ok
    assert _loader_accepts(text, kind) is ok


@pytest.mark.parametrize("extra", ["", "+"])
def test_every_refused_character_is_refused_by_the_loader(extra):
    for cp in gen.refused("-_." + extra):
        char = chr(cp)
        assert id_problem(normal_id(f"a{char}b"), parts=False, extra=extra), hex(cp)
    for cp in gen.refused(""):
        assert id_problem(normal_id(f"{chr(cp)}a"), parts=False, extra=extra), hex(cp)


def test_ids_longer_than_the_limits_are_left_to_the_loader():
    """Editors count characters before NFC normalisation: lengths are in the message only."""
    long = "я" * (ID_PART_MAX + 1)
    assert _pattern_accepts(long, "id")
    assert id_problem(long)
    assert f"at most {ID_PART_MAX} characters a part, {ID_MAX} in all" in gen.ID_MESSAGE


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_patterns_read_the_same_in_ecmascript():
    """Editors run the patterns as ECMAScript, with the u flag (VS Code's YAML extension) or
    without: every pattern compiles both ways and answers as Python's re does."""
    samples = [
        *SAMPLES,
        *["2027-01-11", "Да", "no", "+5", "62.5", ".5", "1e2", "урок.md", "01-основи/02-данни"],
    ]
    patterns = [
        gen.ID_PATTERN,
        gen.NAME_PATTERN,
        gen.VERSION_PATTERN,
        gen.INT_PATTERN,
        gen.NUMBER_PATTERN,
        gen.BOOL_PATTERN,
        gen.DATE_PATTERN,
        r"\.md$",
    ]
    script = (
        "const d = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(d.patterns.map(p => {"
        "  const u = new RegExp(p, 'u'), plain = new RegExp(p);"
        "  return d.samples.map(s => [u.test(s), plain.test(s)]);"
        "})));"
    )
    run = subprocess.run(
        ["node", "-e", script],
        input=json.dumps({"patterns": patterns, "samples": samples}),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    answers = json.loads(run.stdout)
    differ = [
        (pattern[:30], text)
        for pattern, rows in zip(patterns, answers, strict=True)
        for text, (with_u, without_u) in zip(samples, rows, strict=True)
        if not (with_u == without_u == (re.search(pattern, text) is not None))
    ]
    assert not differ


# ------------------------------------------------------------------------------------------
# the loader reads every key as declared: a small course, changed one key at a time

BASE = {
    "course": {"title": "Курс", "short_name": "kurs"},
    "module": {"title": "Модул"},
    "lesson": {"title": "Урок"},
    "quiz": {"type": "quiz", "title": "Тест"},
    "assignment": {"type": "assignment", "title": "Задание"},
    "forum": {"type": "forum", "title": "Форум"},
}
FILES = {
    "course": "course.yml",
    "module": "01-m/module.md",
    "lesson": "01-m/01-урок.md",
    "quiz": "01-m/02-тест.md",
    "assignment": "01-m/03-задание.md",
    "forum": "01-m/04-форум.md",
}
BODIES = {
    "module": "",
    "lesson": "Текст.\n",
    "quiz": "## Въпрос {#v}\n\n- (x) да\n- ( ) не\n",
    "assignment": "Направете план.\n",
    "forum": "Обсъдете плана.\n",
}


def _yaml(fields: dict[str, str]) -> str:
    """``key: value`` lines; a dotted key goes into its section."""
    lines: list[str] = []
    for key, value in fields.items():
        section, _, name = key.rpartition(".")
        lines += [f"{section}:", f"  {name}: {value}"] if section else [f"{key}: {value}"]
    return "\n".join(lines) + "\n"


def make_course(root: Path, kind: str = "", key: str = "", value: str | None = None) -> Path:
    """The small course, with ``key`` of the ``kind`` file set to the YAML ``value`` (None:
    removed)."""
    for name, path in FILES.items():
        fields = dict(BASE[name])
        if name == kind:
            fields.pop(key, None)
            if value is not None:
                fields[key] = value
        text = _yaml(fields)
        write(root / path, text if name == "course" else f"---\n{text}---\n{BODIES[name]}")
    return root


def _diagnose(root: Path) -> tuple[object, list[str]]:
    diags = Diagnostics()
    read_build(root, diags)  # the build section: read for the command line, not by the loader
    course = None
    with contextlib.suppress(BuildError):
        course = load(root, diags, use_cache=False)
    return course, [str(d) for d in diags.sorted()]


def loader_problems(root: Path, kind: str) -> list[str]:
    return [d for d in _diagnose(root)[1] if d.startswith(FILES[kind] + ":")]


def schema_problems(root: Path, kind: str) -> list[str]:
    text = (root / FILES[kind]).read_text("utf-8")
    data = yaml.safe_load(text) if kind == "course" else front_matter(text)
    if data is None:
        data = {}  # the loader reads an empty file or front matter as no keys
    return [e.message for e in validator(kind).iter_errors(data)]


def _keys(src, prefix: str = ""):
    for key in src.keys:
        if key.type is Type.SECTION:
            yield from _keys(key, f"{prefix}{key.name}.")
        yield f"{prefix}{key.name}", key


ALL_KEYS = [(src.name, name, key) for src in SOURCES for name, key in _keys(src)]


def test_the_small_course_loads_cleanly(tmp_path):
    root = make_course(tmp_path)
    course, found = _diagnose(root)
    assert course is not None and not found
    for kind in FILES:
        assert not schema_problems(root, kind)


# what the loader reads for each key with a value as default, in the small course
DEFAULTS = {
    ("course", "language"): lambda c: c.language,
    ("course", "version"): lambda c: c.version,
    ("course", "date"): lambda c: c.date,
    ("course", "license"): lambda c: c.license,
    ("course", "summary"): lambda c: c.summary,
    ("course", "completion.lessons_required"): lambda c: c.completion.lessons_required,
    ("course", "completion.quizzes_required"): lambda c: c.completion.quizzes_required,
    ("course", "completion.assignments_required"): lambda c: c.completion.assignments_required,
    ("course", "completion.forums_required"): lambda c: c.completion.forums_required,
    ("course", "completion.pass_percentage"): lambda c: c.completion.pass_percentage,
    ("course", "images.max_width"): lambda c: c.max_image_width,
    ("course", "typography"): lambda c: c.typography,
    ("lesson", "type"): lambda c: type(c.modules[0].items[0]).__name__.lower(),
    ("quiz", "attempts"): lambda c: c.modules[0].items[1].settings.attempts,
    ("quiz", "time_limit"): lambda c: c.modules[0].items[1].settings.time_limit,
    ("quiz", "shuffle_answers"): lambda c: c.modules[0].items[1].settings.shuffle_answers,
    ("quiz", "feedback"): lambda c: c.modules[0].items[1].settings.feedback.value,
    ("quiz", "show_answers"): lambda c: c.modules[0].items[1].settings.show_answers.value,
}


def test_declared_defaults_are_the_loaders(tmp_path):
    course, _ = _diagnose(make_course(tmp_path))
    with_default = {(kind, name) for kind, name, key in ALL_KEYS if key.default is not None}
    assert with_default == set(DEFAULTS)
    for (kind, name), read in DEFAULTS.items():
        key = next(k for s, n, k in ALL_KEYS if (s, n) == (kind, name))
        assert read(course) == key.default, (kind, name)


def test_declared_question_defaults_are_the_readers(tmp_path):
    root = make_course(tmp_path)
    write(
        root / FILES["quiz"],
        "---\ntype: quiz\ntitle: Тест\n---\n## Есе {type=essay}\n\nОпишете.\n\n## Кратък\n\n- = да\n",
    )
    course, found = _diagnose(root)
    assert not found
    essay, short = course.modules[0].items[1].questions
    assert isinstance(essay, Essay) and isinstance(short, ShortAnswer)
    points = next(f.default for f in dataclasses.fields(Question) if f.name == "points")
    read = {"points": points, "lines": essay.lines, "case_sensitive": short.case_sensitive}
    declared = {k.name: k.default for k in QUESTION.keys if k.default is not None}
    assert declared == {**read, "negative": False}  # negative: a penalty, not a field


def _bounds(key: Key):
    """Values just inside and just outside the declared range."""
    step = 1 if key.type is Type.INT else 0.5
    if key.minimum is not None:
        yield f"{key.minimum:g}", True
        yield f"{key.minimum - step:g}", False
    if key.maximum is not None:
        yield f"{key.maximum:g}", True
        yield f"{key.maximum + step:g}", False


RANGED = [(k, n, key) for k, n, key in ALL_KEYS if key.minimum is not None]


@pytest.mark.parametrize(("kind", "name", "key"), RANGED, ids=[f"{k}.{n}" for k, n, _ in RANGED])
def test_declared_ranges_are_the_loaders(tmp_path, kind, name, key):
    for i, (value, inside) in enumerate(_bounds(key)):
        root = make_course(tmp_path / str(i), kind, name, value)
        found = loader_problems(root, kind)
        assert bool(found) is not inside, (value, found)
        assert bool(schema_problems(root, kind)) is not inside, value
        if not inside:
            assert f'"{key.name}" must be' in found[0]


TYPED = {"quiz", "assignment", "forum"}  # the files that "type" makes what they are
REQUIRED = [(k, n) for k, n, key in ALL_KEYS if key.required and not (k in TYPED and n == "type")]


@pytest.mark.parametrize(("kind", "name"), REQUIRED, ids=[f"{k}.{n}" for k, n in REQUIRED])
def test_declared_required_keys_are_the_loaders(tmp_path, kind, name):
    root = make_course(tmp_path, kind, name, None)
    assert any(f'needs "{name}"' in d for d in loader_problems(root, kind))
    assert f"'{name}' is a required property" in schema_problems(root, kind)


def test_a_quiz_is_a_file_whose_type_is_quiz(tmp_path):
    """quiz.schema.json requires "type": without it the loader reads a lesson."""
    course, _ = _diagnose(make_course(tmp_path, "quiz", "type", None))
    assert type(course.modules[0].items[1]).__name__ == "Lesson"


CHOICES = [(k, n, key) for k, n, key in ALL_KEYS if key.type is Type.CHOICE]


@pytest.mark.parametrize(("kind", "name", "key"), CHOICES, ids=[f"{k}.{n}" for k, n, _ in CHOICES])
def test_declared_choices_are_the_loaders(tmp_path, kind, name, key):
    for i, word in enumerate(key.words()):
        root = make_course(tmp_path / str(i), kind, name, word)
        assert not loader_problems(root, kind) and not schema_problems(root, kind), word
    root = make_course(tmp_path / "wrong", kind, name, "wrong")
    listed = ", ".join(loader.ITEM_TYPES if name == "type" else key.words())
    assert any(f"must be one of {listed}," in d for d in loader_problems(root, kind))
    assert schema_problems(root, kind)


# YAML values for each type of key: the schema may let a value through that the loader
# refuses (it cannot check everything), never the other way round
VALUES = {
    Type.TEXT: ["Заглавие", "no", "1.10", "2024", '"a: b"', "", "[a, b]", "{a: 1}"],
    Type.INT: ["1", '"20"', "+3", "0", "-1", "1.5", "five", "0x10", "", "[1]"],
    Type.NUMBER: ["70", "62.5", '"62.5"', ".5", "101", "-1", "62,5", "1e2", "abc", "", "[1]"],
    Type.BOOL: ["true", "no", "Да", "on", "1", "maybe", "", "[true]"],
    Type.DATE: [
        "2027-01-11",
        '"2027-01-11"',
        "2027-1-11",
        "11.01.2027",
        '"2027-02-30"',
        "20270111",
        "",
        "[2027-01-11]",
    ],
    Type.LIST: ["[a, b]", "a", "", "[[a]]", "{a: 1}", "[a, a]", "[01-урок.md, 02-тест.md]"],
    Type.ID: ["01-основи", "модул/урок-1", "2024", "a..b", "con", '"a b"', "-a", "a/", "a–b", ""],
    Type.NAME: ["moderna-biblioteka", "курс.1", "a/b", "a+b", "-a", "1.10", ""],
    Type.VERSION: ["1.0.0", "1.0.0+2", "+1", "1..0", "1.10", ""],
    Type.SECTION: ["", "5", "[a]", "{}"],
    Type.DRAW: [
        "1",
        "3",
        "0",
        "{модул 1: 1}",
        "{a: 1}",
        "{}",
        "{a: 0}",
        "{a: 1.5}",
        "[a]",
        "x",
        "",
    ],
    Type.WEIGHTS: ["{a: 1}", "{a: 1.5, b: 2}", '{"a: b": 2}', "{a: x}", "{a: -1}", "5", "[a]", ""],
    Type.TARGETS: ["[site, scorm12]", "site", "", "[pdf]", "pdf", "[[site]]", "{a: 1}"],
    Type.OPTIONS: [
        "{scorm.sco: module}",
        "{moodle.version: 5}",
        "{moodle.version: 4.5}",
        '{moodle.version: "5.0"}',
        "{scorm.sco: wrong}",
        "{x.y: 1}",
        "5",
        "[a]",
        "",
    ],
}
VALUES[Type.MARKDOWN] = VALUES[Type.TEXT]


def _values(kind: str, key: Key) -> list[str]:
    if key.type is Type.CHOICE:
        words = [*key.words(), key.words()[0].upper(), "other"]
        # an empty type makes a quiz file a lesson, which quiz.schema.json does not describe
        return words if kind in TYPED and key.name == "type" else [*words, ""]
    return VALUES[key.type]


# where the loader says nothing though the schema is right to refuse (see the report):
# a list inside the list is dropped without a word, and with libyaml an empty value of a
# required key is read as empty text (packager.source._is_null expects the plain style None)
SILENT = {("lesson", "objectives", "[[a]]"), ("quiz", "gift", "[[a]]")}


@pytest.mark.parametrize(
    ("kind", "name", "key"), ALL_KEYS, ids=[f"{k}.{n}" for k, n, _ in ALL_KEYS]
)
def test_the_schema_refuses_only_what_the_loader_refuses(tmp_path, kind, name, key):
    refused = 0
    for i, value in enumerate(_values(kind, key)):
        if (kind, name, value) in SILENT or (key.required and value == ""):
            continue
        root = make_course(tmp_path / str(i), kind, name, value)
        if schema_problems(root, kind):
            refused += 1
            assert loader_problems(root, kind), f"{name}: {value}"
    assert refused, "the schema refuses nothing"


@pytest.mark.parametrize(
    ("kind", "name", "value"),
    [
        ("course", "date", "11.01.2027"),
        ("course", "short_name", '"a b"'),
        ("course", "version", "1..0"),
        ("course", "language", "bul"),
        ("course", "completion.pass_percentage", "101"),
        ("course", "completion.lessons_required", "maybe"),
        ("course", "titel", "Курс"),
        ("module", "id", "a–b"),
        ("module", "lessons", "[бележки.txt]"),
        ("lesson", "minutes", "five"),
        ("lesson", "id", "урок/con"),
        ("quiz", "feedback", "later"),
        ("quiz", "attempts", "-1"),
    ],
)
def test_the_schema_flags_mistakes_the_loader_reports(tmp_path, kind, name, value):
    root = make_course(tmp_path, kind, name, value)
    assert loader_problems(root, kind)
    assert schema_problems(root, kind)


@pytest.mark.parametrize(
    ("kind", "name", "value"),
    [
        ("course", "title", "no"),  # PyYAML: false; the loader: the text "no"
        ("course", "short_name", "курс-2027"),
        ("course", "version", "1.10"),  # PyYAML: 1.1; the loader: "1.10"
        ("course", "date", "2027-01-11"),  # PyYAML: a date
        ("course", "completion.quizzes_required", "не"),
        ("course", "authors", "Иван Петров"),  # one author: a list of one
        ("module", "id", "01-основи"),
        ("lesson", "id", "модул/урок.2"),
        ("quiz", "feedback", "след-опита"),
        ("quiz", "pass_percentage", '"62.5"'),
        ("quiz", "pass_percentage", "62,5"),  # the decimal comma
        ("course", "completion.pass_percentage", "62,5"),
    ],
)
def test_the_schema_accepts_what_the_loader_accepts(tmp_path, kind, name, value):
    root = make_course(tmp_path, kind, name, value)
    assert not loader_problems(root, kind)
    assert not schema_problems(root, kind)
