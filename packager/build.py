"""Running the chosen targets on a loaded course model: all of them, or none.

Targets are independent: each reads the model and writes its own files. With ``jobs`` above 1
each target is built in a child process forked from this one (the model is already loaded
there, so nothing is sent over but the results); what the targets report comes back and is
merged in the targets' order, so a parallel build writes the same bytes and prints the same
notices as a serial one. The first target (in that order) that fails is reported as if it had
been built alone, and nothing in the output folder changes.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .archive import build_timestamp
from .diagnostics import Diagnostic, Diagnostics
from .messages import tr
from .model import Course
from .output import Staging
from .targets import TARGETS
from .targets.base import BuildContext, carry_notices

MAX_JOBS = 8  # more processes than this only add memory: a build has a handful of targets


@dataclass
class Output:
    target: str
    path: Path
    size: int
    seconds: float


@dataclass
class _Built:
    """What building one target gave: its outputs, its notices, what it staged."""

    rels: list[str]
    seconds: float
    notices: list[Diagnostic]
    staged: tuple[list[str], dict[str, list[str]]]


def default_jobs() -> int:
    """The cores this process may use, at most MAX_JOBS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


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
    jobs: int = 1,
) -> list[Output]:
    """Build every target into a staging folder, then move all outputs into place at once.

    When a target fails, nothing in ``out_dir`` changes (apart from the staging folder, which is
    removed) and the exception goes on to the caller. ``finish`` sees the staged outputs before
    they move into place, and may add files or refuse by raising. ``jobs`` is how many targets
    may be built at the same time, each in a process of its own.
    """
    names = list(names)
    if not notices.order:  # the targets' notices come out in the course's reading order
        notices.set_order(reading_order(course))
    staging = Staging(out_dir)
    mtime = build_timestamp(course.date)
    built: list[tuple[str, list[str], float]] = []

    def build_one(name: str, into: Diagnostics) -> tuple[list[str], float]:
        target = TARGETS[name]
        carry_notices(target, course, into)
        ctx = BuildContext(course, staging.target(name), mtime, into, options or {}, target.kinds)
        start = time.perf_counter()
        rels = target.build(ctx)
        return rels, time.perf_counter() - start

    try:
        if jobs > 1 and len(names) > 1 and hasattr(os, "fork"):
            results = _in_parallel(names, build_one, staging, notices.strict, jobs, on_target)
            for name in names:
                result = results[name]
                for d in result.notices:
                    _replay(notices, d)
                staging.adopt(name, *result.staged)
                built.append((name, result.rels, result.seconds))
        else:
            for name in names:
                rels, seconds = build_one(name, notices)
                built.append((name, rels, seconds))
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


def reading_order(course: Course) -> list[str]:
    """The files of a loaded course in reading order, module by module (what
    :meth:`Diagnostics.sorted` sorts by; the loader gives the same, with the course file)."""
    order: list[str] = []
    for module in course.modules:
        order.append(module.location.path)
        order += [item.location.path for item in module.items]
    return order


def _replay(notices: Diagnostics, d: Diagnostic) -> None:
    if d.line == 0:
        notices.notice(d.path, d.message)
    else:
        notices.add(d.severity, d.path, d.line, d.message, d.col)


# -- building in child processes ------------------------------------------------------------


def _in_parallel(
    names: list[str],
    build_one: Callable[[str, Diagnostics], tuple[list[str], float]],
    staging: Staging,
    strict: bool,
    jobs: int,
    on_target: Callable[[str], None] | None,
) -> dict[str, _Built]:
    """Build each target in a forked child, ``jobs`` at a time; their results by name. The
    first failure in ``names`` order is raised once every child has ended."""
    import selectors  # a build of one target never gets here

    for name in names:
        TARGETS.get(name)  # made here, before the children: each has the same target object
    gc.freeze()  # the model stays where it is: the children's collections do not copy it
    waiting = list(names)
    running: dict[int, tuple[str, int]] = {}  # fd -> (name, pid)
    received: dict[str, bytearray] = {}
    results: dict[str, _Built] = {}
    failures: dict[str, BaseException] = {}
    selector = selectors.DefaultSelector()
    try:
        while waiting or running:
            while waiting and len(running) < jobs and not failures:
                name = waiting.pop(0)
                fd, pid = _fork(name, build_one, staging, strict)
                running[fd] = (name, pid)
                received[name] = bytearray()
                selector.register(fd, selectors.EVENT_READ)
            if not running:
                break
            for key, _ in selector.select():
                fd = key.fd
                name, pid = running[fd]
                chunk = os.read(fd, 1 << 16)
                if chunk:
                    received[name] += chunk
                    continue
                selector.unregister(fd)
                os.close(fd)
                del running[fd]
                os.waitpid(pid, 0)
                outcome = _decode(name, bytes(received.pop(name)))
                if isinstance(outcome, BaseException):
                    failures[name] = outcome
                else:
                    results[name] = outcome
                    if on_target:
                        on_target(name)
    except BaseException:
        for fd, (_, pid) in running.items():  # interrupted: the children go too
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(fd)
        raise
    finally:
        selector.close()
        gc.unfreeze()
    for name in names:  # the failure a serial build would have met first
        if name in failures:
            raise failures[name]
    return results


def _fork(
    name: str,
    build_one: Callable[[str, Diagnostics], tuple[list[str], float]],
    staging: Staging,
    strict: bool,
) -> tuple[int, int]:
    """A child that builds ``name`` and writes its pickled result to a pipe; the read end and
    the child's pid."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return read_end, pid
    import pickle

    status = 0
    try:  # the child: never returns into the caller
        os.close(read_end)
        notices = Diagnostics(strict=strict)
        try:
            rels, seconds = build_one(name, notices)
            payload = _Built(rels, seconds, list(notices), staging.staged(name))
        except BaseException as exc:  # handed to the parent, which raises it
            payload = _portable(exc)
            status = 1
        data = pickle.dumps(payload)
        with os.fdopen(write_end, "wb") as fh:
            fh.write(data)
    except BaseException:
        status = 2
    finally:
        os._exit(status)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` as it can cross to the parent, with the child's traceback as a note."""
    import pickle

    where = "".join(traceback.format_exception(exc))
    try:
        copy = pickle.loads(pickle.dumps(exc))
        if type(copy) is not type(exc) or str(copy) != str(exc):
            raise TypeError("not the same after pickling")
    except Exception:
        copy = RuntimeError(f"{type(exc).__name__}: {exc}")
    copy.add_note(f"(in the process that built the target)\n{where}")
    return copy


def _decode(name: str, data: bytes) -> _Built | BaseException:
    import pickle

    try:
        outcome = pickle.loads(data)
    except Exception:
        return RuntimeError(
            tr("the process that built {target} ended without a result", target=name)
        )
    return outcome
