"""The structure the design promises: targets apart from each other and from the sources, and
a registry that lists them with what they carry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from packager.targets import TARGETS
from packager.targets.base import KINDS, QUESTION_FEATURES, QUIZ_SETTINGS, Target

PACKAGER = Path(__file__).resolve().parents[1] / "packager"
TARGET_DIR = PACKAGER / "targets"
SHARED = {"base", "common"}  # modules every target may use


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGER.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, as absolute names, with their lines."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # "from . import x" imports the module x of that package
            found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
    return found


def owner(module: str) -> str | None:
    """The target folder (or module) a packager.targets module belongs to."""
    parts = module.split(".")
    if parts[:2] != ["packager", "targets"] or len(parts) < 3:
        return None
    return parts[2]


def test_targets_use_each_other_only_through_their_packages():
    wrong = []
    for path in sorted(TARGET_DIR.rglob("*.py")):
        mine = owner(module_name(path))
        for line, module in imports(path):
            theirs = owner(module)
            if theirs is None or theirs == mine or theirs in SHARED:
                continue
            parts = module.split(".")
            inner = TARGET_DIR / theirs / parts[3] if len(parts) > 3 else None
            if inner is not None and (inner.with_suffix(".py").is_file() or inner.is_dir()):
                wrong.append(f"{path.relative_to(PACKAGER)}:{line}: imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_check_would_catch_a_reach_into_another_target(tmp_path, monkeypatch):
    bad = TARGET_DIR / "banks" / "_probe_reach.py"
    bad.write_text("from ..moodle.records import rec\n", "utf-8")
    try:
        with pytest.raises(
            AssertionError, match=re.escape("imports packager.targets.moodle.records")
        ):
            test_targets_use_each_other_only_through_their_packages()
    finally:
        bad.unlink()


def test_sources_know_nothing_of_targets_and_targets_never_parse_markdown():
    for path in PACKAGER.rglob("*.py"):
        name = module_name(path)
        found = [m for _, m in imports(path)]
        if name.startswith(("packager.loader", "packager.model", "packager.assessments",
                            "packager.source", "packager.markup")):  # fmt: skip
            assert not any(m.startswith("packager.targets") for m in found), name
        if name.startswith("packager.targets"):
            assert not any(m == "markdown" or m.startswith("markdown.") for m in found), name
            assert "packager.markup.Renderer" not in found, name


def test_every_target_declares_its_contract():
    assert list(TARGETS) == ["site", "scorm12", "scorm2004", "moodle", "moodlexml", "gift", "cc"]
    for name, target in TARGETS.items():
        assert isinstance(target, Target)
        assert target.name == name and target.description
        assert target.kinds <= set(KINDS)
        assert target.question_features <= set(QUESTION_FEATURES)
        assert target.quiz_settings is None or target.quiz_settings <= set(QUIZ_SETTINGS)
        for option in target.options:
            assert option.key.startswith(name.rstrip("0123456789") + ".") or option.key in {
                "scorm.sco"
            }
            assert option.default in option.choices and option.help
