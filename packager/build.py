"""Running the chosen targets on a loaded course model: all of them, or none."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .archive import build_timestamp
from .diagnostics import Diagnostics
from .model import Course
from .output import Staging
from .targets import TARGETS
from .targets.base import BuildContext, carry_notices


@dataclass
class Output:
    target: str
    path: Path
    size: int
    seconds: float


def path_size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def run_targets(
    course: Course,
    out_dir: Path,
    names: Iterable[str],
    notices: Diagnostics,
    options: dict[str, str] | None = None,
    on_target: Callable[[str], None] | None = None,
    finish: Callable[[Staging, list[tuple[str, list[str]]]], None] | None = None,
) -> list[Output]:
    """Build every target into a staging folder, then move all outputs into place at once.

    When a target fails, nothing in ``out_dir`` changes (apart from the staging folder, which is
    removed) and the exception goes on to the caller. ``finish`` sees the staged outputs before
    they move into place, and may add files or refuse by raising.
    """
    staging = Staging(out_dir)
    mtime = build_timestamp(course.date)
    built: list[tuple[str, list[str], float]] = []
    try:
        for name in names:
            target = TARGETS[name]
            carry_notices(target, course, notices)
            ctx = BuildContext(
                course, staging.target(name), mtime, notices, options or {}, target.kinds
            )
            start = time.perf_counter()
            rels = target.build(ctx)
            built.append((name, rels, time.perf_counter() - start))
            if on_target:
                on_target(name)
        if finish:
            finish(staging, [(name, rels) for name, rels, _ in built])
    except BaseException:
        staging.discard()
        raise
    staging.commit()
    outputs = []
    for name, rels, seconds in built:
        for rel in rels:
            path = out_dir / rel
            outputs.append(Output(name, path, path_size(path), seconds))
    return outputs
