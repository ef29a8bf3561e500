"""Running the chosen targets on a loaded course model: all of them, or none.

Targets are independent: each reads the model and writes its own files. With ``jobs`` above 1
the targets are built by ``jobs`` worker processes forked from this one, each taking the next
target when it is done (the model is already loaded there, so nothing is sent over but target
names and the results); what the targets report comes back and is
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
    may be built at the same time, by as many worker processes.
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
    """Build the targets in ``jobs`` forked workers, each taking the next target in ``names``
    order when it is done with one; their results by name. Few workers, not one per target:
    each fork costs the memory pages the child touches. The first failure in ``names`` order
    is raised once every worker has ended (no target is started after a failure)."""
    import pickle  # noqa: F401  (here, once, not in every worker)
    import selectors  # a build of one target never gets here

    for name in names:
        TARGETS.get(name)  # made here, before the workers: each has the same target object
    gc.freeze()  # the model stays where it is: the workers' collections do not copy it
    waiting = list(names)
    workers: dict[int, _Worker] = {}  # by the fd its results come on
    results: dict[str, _Built] = {}
    failures: dict[str, BaseException] = {}
    selector = selectors.DefaultSelector()

    def next_target(worker: _Worker) -> None:
        if waiting and not failures:
            worker.start(waiting.pop(0))
        else:
            worker.finish()

    try:
        for _ in range(min(jobs, len(names))):
            worker = _Worker(build_one, staging, strict, list(workers.values()))
            workers[worker.fd] = worker
            selector.register(worker.fd, selectors.EVENT_READ)
            next_target(worker)
        while workers:
            for key, _ in selector.select():
                worker = workers[key.fd]
                if worker.read():
                    for name, outcome in worker.outcomes():
                        if isinstance(outcome, BaseException):
                            failures[name] = outcome
                        else:
                            results[name] = outcome
                            if on_target:
                                on_target(name)
                        next_target(worker)
                    continue
                selector.unregister(worker.fd)
                del workers[worker.fd]
                lost = worker.end()
                if lost is not None:
                    failures[lost] = RuntimeError(
                        tr("the process that built {target} ended without a result", target=lost)
                    )
    except BaseException:
        for worker in workers.values():  # interrupted: the workers go too
            worker.kill()
        raise
    finally:
        selector.close()
        gc.unfreeze()
    for name in names:  # the failure a serial build would have met first
        if name in failures:
            raise failures[name]
    return results


class _Worker:
    """A forked child that builds the targets it is sent (their names, a line each, on one
    pipe) and writes each result, pickled and length-prefixed, on another."""

    def __init__(
        self,
        build_one: Callable[[str, Diagnostics], tuple[list[str], float]],
        staging: Staging,
        strict: bool,
        others: list[_Worker],
    ) -> None:
        """``others``: the workers started before, whose pipes this one must not hold open
        (a worker sees the end of its commands only when no other process can write them)."""
        commands_read, self._commands = os.pipe()
        self.fd, results_write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into the caller
            status = 2
            try:
                os.close(self._commands)
                os.close(self.fd)
                for other in others:
                    other.close_pipes()
                status = _serve(commands_read, results_write, build_one, staging, strict)
            finally:
                os._exit(status)
        os.close(commands_read)
        os.close(results_write)
        self.current: list[str] = []  # the targets sent and not yet answered, in order
        self._received = bytearray()

    def start(self, name: str) -> None:
        self.current.append(name)
        os.write(self._commands, name.encode() + b"\n")

    def finish(self) -> None:
        """No more targets: the worker ends once it has answered."""
        if self._commands >= 0:
            os.close(self._commands)
            self._commands = -1

    def read(self) -> bool:
        """Read what the worker wrote; False at its end."""
        chunk = os.read(self.fd, 1 << 16)
        self._received += chunk
        return bool(chunk)

    def outcomes(self) -> list[tuple[str, _Built | BaseException]]:
        """The results complete so far, by target name."""
        done = []
        while len(self._received) >= 8:
            size = int.from_bytes(self._received[:8], "big")
            if len(self._received) < 8 + size:
                break
            data = bytes(self._received[8 : 8 + size])
            del self._received[: 8 + size]
            name = self.current.pop(0)
            done.append((name, _decode(name, data)))
        return done

    def end(self) -> str | None:
        """Reap the worker; the target it was building when it ended, if any."""
        self.finish()
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        return self.current[0] if self.current else None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        self.close_pipes()

    def close_pipes(self) -> None:
        for fd in (self.fd, self._commands):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)


def _serve(
    commands_fd: int,
    results_fd: int,
    build_one: Callable[[str, Diagnostics], tuple[list[str], float]],
    staging: Staging,
    strict: bool,
) -> int:
    """A worker's loop: build each target named on ``commands_fd``, answer on ``results_fd``;
    its exit status."""
    import pickle

    status = 0
    with os.fdopen(commands_fd, "rb") as commands, os.fdopen(results_fd, "wb") as results:
        for line in commands:
            name = line.decode().rstrip("\n")
            notices = Diagnostics(strict=strict)
            try:
                rels, seconds = build_one(name, notices)
                payload: object = _Built(rels, seconds, list(notices), staging.staged(name))
            except BaseException as exc:  # handed to the parent, which raises it
                payload = _portable(exc)
                status = 1
            data = pickle.dumps(payload)
            results.write(len(data).to_bytes(8, "big") + data)
            results.flush()
    return status


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
