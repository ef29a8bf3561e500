"""``packager serve``: the course's site in a temporary folder, served on 127.0.0.1, rebuilt
as the course changes (only what changed, see packager/preview/incremental.py), with the open
pages reloading by themselves and content errors shown over them (packager/preview/server.py).
Ctrl-C (or SIGTERM) stops it and removes the folder."""

from __future__ import annotations

import contextlib
import errno
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Generator
from pathlib import Path

import click
import watchfiles

from .cli import INTERRUPTED, diagnostic_text, problem, say
from .diagnostics import Diagnostic, Severity
from .messages import tr, trn
from .preview.incremental import Preview, Update
from .preview.server import PreviewServer

DEFAULT_PORT = 8000
STEP_MS = 50  # a change is built once no other came for this long
TICK_MS = 200  # how often the watcher looks at the stop event


class PortTaken(Exception):
    """The port cannot be had (in use by another program, or reserved): why, for the user."""


Echo = Callable[[str, bool], None]  # (line, to standard error)


class Serve:
    """One preview: start(), then loop() until Ctrl-C or ``stop`` is set; close() always."""

    def __init__(
        self,
        content: Path,
        port: int = DEFAULT_PORT,
        echo: Echo | None = None,
        cache_dir: Path | None = None,
        use_cache: bool = True,
        stop: threading.Event | None = None,
    ) -> None:
        self.content = content
        self.port = port
        self.echo = echo or _say
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.stop = stop or threading.Event()
        self.folder: Path | None = None
        self.server: PreviewServer | None = None
        self.preview: Preview | None = None
        self.shown: set[Diagnostic] = set()  # the diagnostics already printed
        self._changes: Generator[set[tuple[watchfiles.Change, str]], None, None] | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def start(self) -> Update:
        """Take the port, build the site, serve it; raises PortTaken."""
        self.folder = Path(tempfile.mkdtemp(prefix="packager-serve-"))
        try:
            self.server = PreviewServer(self.folder, self.port)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortTaken(
                    tr(
                        "the port is in use: stop the program that uses it, or choose another "
                        "port with --port"
                    )
                ) from exc
            if exc.errno == errno.EACCES:
                raise PortTaken(
                    tr("this port needs administrator rights: choose one above 1023 with --port")
                ) from exc
            raise
        self.server.start()
        self._changes = watchfiles.watch(
            self.content,
            step=STEP_MS,
            rust_timeout=TICK_MS,
            yield_on_timeout=True,
            stop_event=self.stop,
        )
        next(self._changes, None)  # the watcher is on from here: no change is missed
        self.preview = Preview(self.content, self.folder, self.cache_dir, self.use_cache)
        update = self.preview.build()
        self._report(update)
        return update

    def loop(self) -> None:
        """Watch the course and update the site until stopped."""
        assert self._changes is not None and self.preview is not None
        for changes in self._changes:
            if self.stop.is_set():
                break
            if not changes:
                continue
            update = self.preview.update(Path(path) for _, path in changes)
            if update is not None:
                self._report(update)

    def close(self) -> None:
        """Stop serving and remove the folder, whatever state start() reached; again: no-op."""
        self.stop.set()
        if self._changes is not None:
            with contextlib.suppress(Exception):  # (running in another thread: it sees stop)
                self._changes.close()
            self._changes = None
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _report(self, update: Update) -> None:
        """The terminal's account of a build, and the open pages' (reload, errors)."""
        assert self.server is not None
        current = set(update.diagnostics)
        for d in update.diagnostics:
            # errors every time (until fixed); a warning once
            if d.severity is Severity.ERROR or d not in self.shown:
                self.echo(diagnostic_text(d), True)
        had_errors = any(d.severity is Severity.ERROR for d in self.shown)
        self.shown = current
        errors = update.errors
        shown = [click.unstyle(diagnostic_text(d)) for d in errors]
        self.server.live.publish(update.written + update.removed, shown)
        if update.kind == "failed":
            assert self.preview is not None
            if self.preview.course is None:  # nothing built yet
                line = trn(
                    "{n} error: the site is built once it is fixed",
                    "{n} errors: the site is built once they are fixed",
                    len(errors),
                )
            else:
                line = trn(
                    "{n} error: the pages show the last good build",
                    "{n} errors: the pages show the last good build",
                    len(errors),
                )
            self.echo(line, True)
            return
        files = len(update.written) + len(update.removed)
        seconds = f"{update.seconds:.2f}"
        if update.kind == "full":
            line = trn(
                "built the site: {n} file written in {seconds} s",
                "built the site: {n} files written in {seconds} s",
                files,
                seconds=seconds,
            )
        elif errors and not files:
            line = ""  # the page stays as it was: the errors say why
        else:
            line = trn(
                "{sources}: {n} page written in {seconds} s",
                "{sources}: {n} pages written in {seconds} s",
                files,
                sources=", ".join(update.sources),
                seconds=seconds,
            )
        if line:
            self.echo(line, False)
        if errors:
            line = trn(
                "{n} error: the pages show it", "{n} errors: the pages show them", len(errors)
            )
            self.echo(line, True)
        elif had_errors:
            self.echo(tr("no errors now"), False)


def run(
    content: Path,
    port: int = DEFAULT_PORT,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    echo: Echo | None = None,
) -> int:
    """The command: serve until Ctrl-C or SIGTERM. The exit status: 130 when stopped so (as
    any command of the packager interrupted), 1 when the port cannot be had."""
    echo = echo or _say
    if not content.is_dir():
        echo(problem(content, tr("no such folder: name the folder of course.yml")), True)
        return 1
    main = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGTERM, _terminate) if main else None
    serve = Serve(content, port, echo, cache_dir, use_cache)
    try:
        serve.start()
        url = click.style(serve.url, bold=True)
        echo(tr("Serving the course at {url} (Ctrl-C to stop)", url=url), False)
        serve.loop()
    except PortTaken as exc:
        echo(problem(f"127.0.0.1:{port}", str(exc)), True)
        return 1
    except KeyboardInterrupt:
        serve.close()
        echo(tr("stopped; the preview's folder was removed"), True)
        return INTERRUPTED
    finally:
        serve.close()
        if before is not None:
            signal.signal(signal.SIGTERM, before)
    return 0


def _say(line: str, err: bool) -> None:
    say(line, err=err)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the preview as Ctrl-C does
