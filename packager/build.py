"""Running the chosen targets on a loaded course model."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .archive import build_timestamp
from .diagnostics import Diagnostics
from .model import Course
from .targets import TARGETS
from .targets.base import BuildContext


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
) -> list[Output]:
    ctx = BuildContext(
        course=course,
        out_dir=out_dir,
        mtime=build_timestamp(course.date),
        notices=notices,
        options=options or {},
    )
    outputs: list[Output] = []
    for name in names:
        start = time.perf_counter()
        paths = TARGETS[name].build(ctx)
        elapsed = time.perf_counter() - start
        outputs += [Output(name, p, path_size(p), elapsed) for p in paths]
        if on_target:
            on_target(name)
    return outputs
