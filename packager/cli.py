"""The ``packager`` command."""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .build import Output, default_jobs, run_targets
from .diagnostics import BuildError, Diagnostics
from .loader import load
from .output import OutputError, WriteError, check_folders
from .targets import TARGETS, option_problems
from .targets.base import KIND_NAMES, KINDS, QUESTION_FEATURES, QUIZ_SETTINGS

if TYPE_CHECKING:
    from .model import Course
    from .output import Staging
# release, diff, verify and new import what they need when they run: a build does not

CONTENT = click.argument(
    "content", default="content", type=click.Path(path_type=Path, file_okay=False)
)
CACHE_DIR = click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the image cache (default: PACKAGER_CACHE_DIR, or "
    "~/.cache/course-packager/media).",
)
NO_CACHE = click.option(
    "--no-cache", is_flag=True, help="Process every image again; read and write no cache."
)
STRICT = click.option("--strict", is_flag=True, help="Treat warnings about the content as errors.")
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    envvar="PACKAGER_JOBS",
    metavar="N",
    help="Build up to N targets at the same time, each in a process of its own. Default: the "
    "cores this process may use (at most 8); 1 builds them one after another.",
)
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


OUTPUT = click.option(
    "-o",
    "--output",
    default="dist",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the packages.",
)
OPTIONS = click.option(
    "-O",
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="A target option, e.g. scorm.sco=module (see docs/authoring.md).",
)


def _targets_epilog() -> str:
    rows = "\n".join(f"  {t.name:<10} {t.description}" for t in TARGETS.values())
    return "\b\nTargets:\n" + rows + "\n\nSee `packager targets` for what each one carries."


class _TargetsEpilog(click.Command):
    """A command whose help ends with the targets, made when the help is shown: reading each
    target's description imports it, which a build of one target does not need."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.epilog = _targets_epilog()
        super().format_epilog(ctx, formatter)


@main.command(cls=_TargetsEpilog)
@CONTENT
@OUTPUT
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    type=click.Choice(list(TARGETS)),
    help="Build only this target (repeatable). Default: every target.",
)
@OPTIONS
@STRICT
@QUIET
@JOBS
@CACHE_DIR
@NO_CACHE
def build(
    content: Path,
    output: Path,
    targets: tuple[str, ...],
    options: tuple[str, ...],
    strict: bool,
    quiet: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Build the course in CONTENT (default: ./content) into packages."""
    parsed = _parse_options(options)
    course, outputs = _build(
        content, output, list(targets) or list(TARGETS), parsed, strict, quiet, cache_dir,
        no_cache, jobs=jobs,
    )  # fmt: skip
    if not quiet:
        click.echo(summary(course, outputs, output))


@main.command()
@CONTENT
@OUTPUT
@OPTIONS
@click.option(
    "--since",
    type=click.Path(exists=True, path_type=Path),
    help="The previous release (its release.json or folder): write CHANGES.md against it.",
)
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder with the official XSD sets, to validate the SCORM manifests too.",
)
@QUIET
@JOBS
@CACHE_DIR
@NO_CACHE
def release(
    content: Path,
    output: Path,
    options: tuple[str, ...],
    since: Path | None,
    schemas: Path | None,
    quiet: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Build every target strictly, verify every output, and write SHA256SUMS, release.json
    (and CHANGES.md with --since) beside the packages. A version already released with other
    contents is refused."""
    from .release import RECORD, REPORT, SUMS, publish, read_record

    previous = None
    if since is not None:
        try:
            previous = read_record(since)
        except ValueError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    def finish(staging: Staging, course: Course, built: list[tuple[str, list[str]]]) -> None:
        publish(staging, course, built, schemas, previous)

    course, outputs = _build(
        content, output, list(TARGETS), _parse_options(options), True, quiet, cache_dir,
        no_cache, finish, jobs,
    )  # fmt: skip
    if not quiet:
        click.echo(summary(course, outputs, output))
        extra = [RECORD, SUMS] + ([REPORT] if previous is not None else [])
        click.echo(f"release {course.version}: " + ", ".join(str(output / n) for n in extra))


@main.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the Markdown report.")
def diff(old: Path, new: Path, as_markdown: bool) -> None:
    """What changed between two versions: lessons, quizzes and questions added, removed,
    changed and moved. OLD and NEW are release.json files, release or build folders, course
    folders, or packages of the same kind (.mbz or SCORM zip)."""
    from .changes import compare, markdown
    from .changes import text as changes_text
    from .release import read_record

    try:
        before, after = read_record(old), read_record(new)
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    kinds = {before.get("basis", "source"), after.get("basis", "source")}
    if len(kinds) > 1:
        click.echo(
            "error: compare like with like: two packages of the same kind, or two release "
            f"records or course folders (here: {' and '.join(sorted(kinds))})",
            err=True,
        )
        sys.exit(1)
    found = compare(before, after)
    if as_markdown:
        click.echo(markdown(found, after["course"].get("title", "")), nl=False)
    else:
        click.echo(changes_text(found))


def _build(
    content: Path,
    output: Path,
    names: list[str],
    options: dict[str, str],
    strict: bool,
    quiet: bool,
    cache_dir: Path | None,
    no_cache: bool,
    finish: Callable[[Staging, Course, list[tuple[str, list[str]]]], None] | None = None,
    jobs: int | None = None,
) -> tuple[Course, list[Output]]:
    problems = option_problems(options)
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
    hook = (lambda staging, built: finish(staging, course, built)) if finish else None
    notices = Diagnostics()
    show_bar = not quiet and sys.stderr.isatty()
    jobs = jobs or default_jobs()
    try:
        if show_bar:
            with click.progressbar(
                length=len(names), label="Building", file=sys.stderr, show_pos=True
            ) as bar:
                outputs = run_targets(
                    course, output, names, notices, options, lambda _: bar.update(1), hook, jobs
                )
        else:
            outputs = run_targets(course, output, names, notices, options, finish=hook, jobs=jobs)
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
    return course, outputs


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


@main.command("targets")
def targets_command() -> None:
    """List the targets: what each writes, its options, and what it carries."""
    for t in TARGETS.values():
        click.echo(f"{t.name}: {t.description}")
        kinds = ", ".join(KIND_NAMES[k] for k in KINDS if k in t.kinds)
        click.echo(f"  question kinds: {kinds}")
        missing = [KIND_NAMES[k] for k in KINDS if k not in t.kinds]
        if missing:
            click.echo(f"  left out (with a notice): {', '.join(missing)}")
        features = ", ".join(f for f in QUESTION_FEATURES if f in t.question_features) or "none"
        click.echo(f"  question features: {features}")
        if t.quiz_settings is not None:
            settings = ", ".join(s for s in QUIZ_SETTINGS if s in t.quiz_settings) or "none"
            click.echo(f"  quiz settings: {settings}")
        for o in t.options:
            click.echo(f"  -O {o.key}={'|'.join(o.choices)}  (default {o.default}): {o.help}")


@main.command("verify")
@click.argument(
    "packages",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder with the official XSD sets (scorm12/, scorm2004-4th/) to validate manifests.",
)
def verify_command(packages: tuple[Path, ...], schemas: Path | None) -> None:
    """Check built outputs before importing them into an LMS: SCORM zips, Moodle backups, the
    site (zip or folder), Moodle XML and GIFT banks, SHA256SUMS and release.json."""
    from .verify import verify_all

    failed = False
    for package in packages:
        for report in verify_all(package, schemas):
            if report.skipped:
                click.echo(f"{report.package}: skipped: {report.kind}")
            elif report.ok:
                click.echo(f"{report.package}: ok: {report.kind}; " + "; ".join(report.checked))
            for problem in report.problems:
                failed = True
                click.echo(f"{report.package}: error: {problem}", err=True)
    if failed:
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
def new(path: Path) -> None:
    """Create a working course skeleton in PATH."""
    if path.exists() and any(path.iterdir()):
        click.echo(f"{path}: error: the folder is not empty; choose a new folder", err=True)
        sys.exit(1)
    from .skeleton import create_skeleton

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
    from .media import cache_off_by_env

    use_cache = not no_cache and not cache_off_by_env()  # the variable wins over --cache-dir
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
    extra = "".join(
        f"{n} {what}, "
        for n, what in ((len(course.assignments), "assignments"), (len(course.forums), "forums"))
        if n
    )
    return (
        f"{len(course.modules)} modules, {len(course.lessons)} lessons, "
        f"{len(course.quizzes)} quizzes, {len(course.questions)} questions, {extra}"
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
