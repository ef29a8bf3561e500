"""The ``packager`` command."""

from __future__ import annotations

import os
import signal
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .build import Output, run_targets
from .diagnostics import BuildError, Diagnostics
from .loader import load
from .model import Course
from .output import OutputError, WriteError, check_folders
from .skeleton import create_skeleton
from .targets import TARGETS, option_problems
from .verify import verify

CONTENT = click.argument(
    "content", default="content", type=click.Path(path_type=Path, file_okay=False)
)
CACHE_DIR = click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="PACKAGER_CACHE_DIR",
    help="Folder of the image cache (default: ~/.cache/course-packager/media).",
)
NO_CACHE = click.option(
    "--no-cache", is_flag=True, help="Process every image again; read and write no cache."
)
STRICT = click.option("--strict", is_flag=True, help="Treat warnings about the content as errors.")
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
INTERNAL_ERROR = 70  # EX_SOFTWARE
INTERRUPTED = 130


class _Boundary(click.Group):
    """Every command's way out: an unexpected exception is one clear line, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; the output folder was left as it was", err=True)
            ctx.exit(INTERRUPTED)
        except Exception as exc:  # the last line of defence
            if (ctx.obj or {}).get("debug"):
                traceback.print_exc()
            click.echo(
                f"packager: internal error: {type(exc).__name__}: {exc} — please report it "
                "(run with --debug for the details)",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=_Boundary, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="packager")
@click.option(
    "--debug",
    is_flag=True,
    envvar="PACKAGER_DEBUG",
    help="Show the full traceback of an internal error.",
)
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build LMS packages from a Markdown course."""
    ctx.obj = {"debug": debug}


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so a build killed with SIGTERM cleans up like Ctrl-C


@main.command()
@CONTENT
@click.option(
    "-o",
    "--output",
    default="dist",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the packages.",
)
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    type=click.Choice(list(TARGETS)),
    help="Build only this target (repeatable). Default: every target.",
)
@click.option(
    "-O",
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="A target option, e.g. scorm.sco=module (see docs/authoring.md).",
)
@STRICT
@QUIET
@CACHE_DIR
@NO_CACHE
def build(
    content: Path,
    output: Path,
    targets: tuple[str, ...],
    options: tuple[str, ...],
    strict: bool,
    quiet: bool,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Build the course in CONTENT (default: ./content) into packages."""
    parsed = _parse_options(options)
    problems = option_problems(parsed)
    if problems:
        raise click.BadParameter("; ".join(problems), param_hint="'-O' / '--option'")
    try:
        check_folders(content, output)
    except OutputError as exc:
        _fail(exc)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminate)
    diags = Diagnostics(strict=strict)
    course = _load(content, diags, quiet, cache_dir, no_cache)
    names = list(targets) or list(TARGETS)
    notices = Diagnostics()
    show_bar = not quiet and sys.stderr.isatty()
    try:
        if show_bar:
            with click.progressbar(
                length=len(names), label="Building", file=sys.stderr, show_pos=True
            ) as bar:
                outputs = run_targets(
                    course, output, names, notices, parsed, lambda _: bar.update(1)
                )
        else:
            outputs = run_targets(course, output, names, notices, parsed)
    except OutputError as exc:
        _fail(exc)
    except WriteError as exc:
        click.echo(f"{exc.filename or output}: error: cannot write: {exc.strerror}", err=True)
        click.echo("nothing was changed in the output folder.", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"{exc.filename or content}: error: cannot read: {exc.strerror}", err=True)
        click.echo("nothing was changed in the output folder.", err=True)
        sys.exit(1)
    if not quiet:
        for notice in notices.sorted():
            click.echo(str(notice), err=True)
        click.echo(summary(course, outputs, output))


@main.command()
@CONTENT
@STRICT
@QUIET
@CACHE_DIR
@NO_CACHE
def check(content: Path, strict: bool, quiet: bool, cache_dir: Path | None, no_cache: bool) -> None:
    """Load and validate the course in CONTENT; write nothing (but the image cache)."""
    diags = Diagnostics(strict=strict)
    course = _load(content, diags, quiet, cache_dir, no_cache)
    if not quiet:
        click.echo(f"{content}: ok: {counts(course)}")


@main.command("verify")
@click.argument(
    "packages",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder with the official XSD sets (scorm12/, scorm2004-4th/) to validate manifests.",
)
def verify_command(packages: tuple[Path, ...], schemas: Path | None) -> None:
    """Check built packages (SCORM zips, Moodle backups) before importing them into an LMS."""
    failed = False
    for package in packages:
        report = verify(package, schemas)
        if report.ok:
            click.echo(f"{package}: ok: {report.kind}; " + "; ".join(report.checked))
        for problem in report.problems:
            failed = True
            click.echo(f"{package}: error: {problem}", err=True)
    if failed:
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
def new(path: Path) -> None:
    """Create a working course skeleton in PATH."""
    if path.exists() and any(path.iterdir()):
        click.echo(f"{path}: error: the folder is not empty; choose a new folder", err=True)
        sys.exit(1)
    create_skeleton(path)
    click.echo(f"Created a course in {path}. Build it with: packager build {path}")


def _fail(exc: OutputError) -> None:
    for path, message in exc.problems:
        click.echo(f"{path}: error: {message}", err=True)
    click.echo("nothing was changed in the output folder.", err=True)
    sys.exit(1)


def _load(
    content: Path,
    diags: Diagnostics,
    quiet: bool,
    cache_dir: Path | None = None,
    no_cache: bool = False,
) -> Course:
    use_cache = not no_cache and os.environ.get("PACKAGER_NO_CACHE", "") in ("", "0")
    try:
        course = load(content, diags, cache_dir=cache_dir, use_cache=use_cache)
    except BuildError:
        course = None
    shown = [d for d in diags.sorted() if not quiet or d.severity.value == "error"]
    for diagnostic in shown:
        click.echo(str(diagnostic), err=True)
    if course is None or diags.has_errors:
        n = len(diags.errors)
        click.echo(f"{n} error{'s' if n != 1 else ''}; nothing was built.", err=True)
        sys.exit(1)
    return course


def _parse_options(options: tuple[str, ...]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f'"{option}" is not KEY=VALUE', param_hint="--option")
        parsed[key.strip()] = value.strip()
    return parsed


def counts(course: Course) -> str:
    return (
        f"{len(course.modules)} modules, {len(course.lessons)} lessons, "
        f"{len(course.quizzes)} quizzes, {len(course.questions)} questions, "
        f"{len(course.images)} images"
    )


def summary(course: Course, outputs: list[Output], out_dir: Path) -> str:
    rows = [("target", "file", "size")]
    for out in outputs:
        try:
            shown = str(out.path.relative_to(Path.cwd()))
        except ValueError:
            shown = str(out.path)
        if out.path.is_dir():
            shown += "/"
        rows.append((out.target, shown, _size(out.size)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}" for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(counts(course))
    return "\n".join(lines)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


if __name__ == "__main__":
    main()
