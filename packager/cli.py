"""The ``packager`` command.

Every text it shows is in English in the code and in Bulgarian in packager/locale/bg/cli.po:
messages through ``tr``/``trn``, help texts marked with ``N_`` and translated when the help is
shown (:class:`_Translated`), click's own words of the help and of usage errors too. The
language comes from ``--lang`` (or PACKAGER_LANG), else from the locale.

Colour: the words "error", "warning" and "ok" and the summary lines are coloured on a terminal;
never when NO_COLOR is set, always when FORCE_COLOR is (and NO_COLOR is not).
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__, messages
from .build import Output, default_jobs, run_targets
from .diagnostics import BuildError, Diagnostic, Diagnostics, Severity
from .loader import COURSE_FILES, load
from .messages import N_, tr, trn
from .output import OutputError, WriteError, check_folders
from .schema import SOURCES
from .settings import (
    course_file,
    course_folder,
    default_output,
    discover,
    option_owners,
    read_build,
    unbuilt,
)
from .source import is_file
from .targets import TARGETS, option_problems
from .targets.base import KIND_NAMES, KINDS, QUESTION_FEATURES, QUIZ_SETTINGS

if TYPE_CHECKING:
    from .model import Course
    from .output import Staging
# release, diff, verify, new and schema import what they need when they run: a build does not

INTERNAL_ERROR = 70  # EX_SOFTWARE
INTERRUPTED = 130

# ---------------------------------------------------------------------------------------------
# output: colour, diagnostics


def colour(err: bool = False) -> bool:
    """Whether to colour what goes to stderr (``err``) or stdout: never with NO_COLOR, always
    with FORCE_COLOR, else on a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    stream = sys.stderr if err else sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def say(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Print ``text``; its colours are dropped where :func:`colour` says no."""
    click.echo(text, err=err, nl=nl, color=colour(err))


def _word(severity: Severity) -> str:
    if severity is Severity.ERROR:
        return click.style(tr("error"), fg="red", bold=True)
    return click.style(tr("warning"), fg="magenta", bold=True)


def problem(path: str | Path, message: str, severity: Severity = Severity.ERROR) -> str:
    """``path: error: message``, the word in the current language."""
    return f"{click.style(str(path), bold=True)}: {_word(severity)}: {message}"


def diagnostic_text(d: Diagnostic) -> str:
    """A diagnostic as printed: ``path:line:col: error: message`` (``path: …`` for a file or a
    folder as a whole), in the current language."""
    where = d.path if d.line == 0 else f"{d.path}:{d.line}:{d.col}"
    return problem(where, d.message, d.severity)


def show(diagnostics: Diagnostics, quiet: bool = False) -> None:
    """Print the diagnostics by file and line (errors only when ``quiet``)."""
    for d in diagnostics.sorted():
        if not quiet or d.severity is Severity.ERROR:
            say(diagnostic_text(d), err=True)


def warned(n: int) -> str:
    """`` (2 warnings)`` after a summary; nothing without warnings."""
    if not n:
        return ""
    return " (" + click.style(trn("{n} warning", "{n} warnings", n), fg="magenta") + ")"


# ---------------------------------------------------------------------------------------------
# help texts and click's words in the current language


class _Translated:
    """An attribute set in English (a text marked with N_) and read in the current language."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_english_{name}"

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        text = obj.__dict__.get(self.slot)
        return messages.tr(text) if text else text  # looked up by its text: marked with N_

    def __set__(self, obj: object, value: str | None) -> None:
        obj.__dict__[self.slot] = value


# click's words, which its help and usage errors show
N_("Options")
N_("Commands")
N_("Positional arguments")
N_("Show this message and exit.")


class _Formatter(click.HelpFormatter):
    """Click's help layout with its headings in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, tr("Usage:") + " ")

    def section(self, name: str) -> AbstractContextManager[None]:
        return super().section(messages.tr(name))


class _Context(click.Context):
    formatter_class = _Formatter


class _Help:
    """Help in the current language: the command's text, and its options' (each marked with
    N_ where it is declared)."""

    context_class = _Context
    help = _Translated()
    short_help = _Translated()

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None or isinstance(param, click.Argument):
                continue
            name, text = record
            english = getattr(param, "help", None)
            if english and text.startswith(english):  # the help, then "[default: 8000]" …
                extra = text[len(english) :].replace("[default: ", "[" + tr("default:") + " ")
                text = messages.tr(english) + extra
            records.append((name, text))
        if records:
            with formatter.section("Options"):
                formatter.write_dl(records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class _Command(_Help, click.Command):
    pass


class _Choice(click.Choice):
    """click's Choice, its refusal in the current language."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        choices = ", ".join(f"'{c}'" for c in self.choices)
        return tr("'{value}' is not one of {choices}.", value=value, choices=choices)


def _click_message(exc: click.ClickException) -> str:
    """The message of a click error, in the current language where it is one click often
    gives (a wrong value, a missing argument, an unknown option)."""
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        name = exc.param.get_error_hint(exc.ctx)  # type: ignore[arg-type]
        if isinstance(exc.param, click.Argument):
            return tr("Missing argument {name}.", name=name)
        return tr("Missing option {name}.", name=name)
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
        hint = exc.param_hint
        if hint is None and exc.param is not None:
            hint = exc.param.get_error_hint(exc.ctx)  # type: ignore[arg-type]
        if isinstance(hint, str):
            return tr("Invalid value for {param}: {message}", param=hint, message=exc.message)
    if isinstance(exc, click.NoSuchOption):
        text = tr("No such option: {name}", name=exc.option_name)
        if exc.possibilities:
            names = ", ".join(sorted(exc.possibilities))
            text += " " + tr("(Did you mean {names}?)", names=names)
        return text
    return exc.format_message()


def _usage_error(exc: click.UsageError) -> None:
    ctx = exc.ctx
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            option = max(ctx.command.get_help_option_names(ctx), key=len)
            hint = tr("Try '{command} {option}' for help.", command=ctx.command_path, option=option)
            hint += "\n"
        say(f"{ctx.get_usage()}\n{hint}", err=True)
    say(tr("Error: {message}", message=_click_message(exc)), err=True)


class _Boundary(_Help, click.Group):
    """Every command's way out: an unexpected exception is one clear line, not a traceback;
    click's errors in the current language."""

    command_class = _Command

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        previous = messages.language()
        messages.set_language(messages.language_from_env())  # --lang may change it
        try:
            if not standalone_mode:
                return super().main(args, prog_name, complete_var, False, **extra)
            try:
                code = super().main(args, prog_name, complete_var, False, **extra)
            except click.UsageError as exc:
                _usage_error(exc)
                code = exc.exit_code
            except click.ClickException as exc:
                say(tr("Error: {message}", message=_click_message(exc)), err=True)
                code = exc.exit_code
            except click.Abort:
                say(tr("Aborted."), err=True)
                code = 1
            sys.exit(code if isinstance(code, int) else 0)
        finally:
            messages.set_language(previous)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            say(tr("interrupted; the output folder was left as it was"), err=True)
            ctx.exit(INTERRUPTED)
        except Exception as exc:  # the last line of defence
            if (ctx.obj or {}).get("debug"):
                traceback.print_exc()
            say(
                tr(
                    "packager: internal error: {kind}: {error} — please report it "
                    "(run with --debug for the details)",
                    kind=type(exc).__name__,
                    error=exc,
                ),
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        messages.set_language(value)


@click.group(
    "packager",
    cls=_Boundary,
    help=N_("Build LMS packages from a Markdown course."),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="packager",
    message="%(prog)s %(version)s",
    help=N_("Show the version and exit."),
)
@click.option(
    "--lang",
    type=_Choice(messages.LANGUAGES),
    envvar="PACKAGER_LANG",
    is_eager=True,
    expose_value=False,
    callback=_set_language,
    help=N_(
        "Language of the messages, bg or en (also PACKAGER_LANG). Default: the locale's "
        "(LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."
    ),
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="PACKAGER_DEBUG",
    help=N_("Show the full traceback of an internal error."),
)
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    ctx.obj = {"debug": debug}


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so a build killed with SIGTERM cleans up like Ctrl-C


# ---------------------------------------------------------------------------------------------
# the course and its settings


def find_course(arg: Path | None) -> Path:
    """The course folder of a command: ``arg`` (a folder, or its course.yml), else the current
    folder when it holds course.yml, else ./content when it does; exits with a located error
    when there is none."""
    if arg is not None:
        if is_file(arg) and arg.name not in COURSE_FILES:
            say(problem(arg, tr("not a course folder: give the folder of course.yml")), err=True)
            sys.exit(1)
        return course_folder(arg)
    found = discover()
    if found is None:
        say(
            problem(
                Path.cwd(),
                tr(
                    "no course here: neither ./course.yml nor ./content/course.yml exists; "
                    "run the command in the course folder, give the folder (packager build "
                    "FOLDER), or start a course with packager new FOLDER"
                ),
            ),
            err=True,
        )
        sys.exit(1)
    return found


@dataclass
class _Plan:
    """What a build does: the course folder, the output folder, the targets and their options
    (the build section of course.yml, the command line winning)."""

    folder: Path
    output: Path
    targets: list[str]
    options: dict[str, str]
    diags: Diagnostics  # the build section's problems; the loader adds the course's
    given: Diagnostics  # warnings about the command line

    @property
    def warnings(self) -> int:
        return len(self.diags.warnings) + len(self.given.warnings)


def _plan(
    course: Path | None,
    output: Path | None,
    targets: tuple[str, ...],
    options: tuple[str, ...],
    strict: bool,
    every: bool = False,
) -> _Plan:
    folder = find_course(course)
    diags = Diagnostics(strict=strict)
    settings = read_build(folder, diags)
    given = _parse_options(options)
    problems = option_problems(given)
    if problems:
        raise click.BadParameter("; ".join(problems), param_hint="'-O' / '--option'")
    names = list(TARGETS) if every else list(targets or settings.targets or TARGETS)
    notes = Diagnostics()
    if given:
        owners = option_owners(TARGETS.values())
        for key, value in given.items():
            unused = unbuilt(key, names, owners)
            if unused:
                notes.notice(
                    "packager",
                    trn(
                        "-O {key}={value}: an option of the target {names}, which is not "
                        "being built; it is ignored",
                        "-O {key}={value}: an option of the targets {names}, which are not "
                        "being built; it is ignored",
                        len(unused),
                        key=key,
                        value=value,
                        names=", ".join(unused),
                    ),
                )
    return _Plan(
        folder=folder,
        output=output or settings.output or default_output(folder),
        targets=names,
        options={**settings.options, **given},
        diags=diags,
        given=notes,
    )


def _parse_options(options: tuple[str, ...]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                tr('"{option}" is not KEY=VALUE', option=option), param_hint="--option"
            )
        parsed[key.strip()] = value.strip()
    return parsed


# ---------------------------------------------------------------------------------------------
# commands

COURSE = click.argument("course", required=False, type=click.Path(path_type=Path))
CACHE_DIR = click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="FOLDER",
    help=N_(
        "Folder of the cache of images and converted Markdown (default: PACKAGER_CACHE_DIR, or "
        "~/.cache/course-packager/media)."
    ),
)
NO_CACHE = click.option(
    "--no-cache",
    is_flag=True,
    help=N_("Process every image and convert all Markdown again; read and write no cache."),
)
STRICT = click.option(
    "--strict", is_flag=True, help=N_("Treat warnings about the content as errors.")
)
QUIET = click.option("-q", "--quiet", is_flag=True, help=N_("Print errors only."))
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    envvar="PACKAGER_JOBS",
    metavar="N",
    help=N_(
        "Build up to N targets at the same time, in N processes. Default: the cores this "
        "process may use (at most 8); 1 builds them one after another."
    ),
)
OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="FOLDER",
    help=N_(
        "Folder for the packages. Default: output in the build section of course.yml "
        "(relative to its folder), else dist beside the course folder."
    ),
)
OPTIONS = click.option(
    "-O",
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help=N_(
        "A target option, e.g. scorm.sco=module (repeatable; see packager targets). It wins "
        "over the same option in the build section of course.yml."
    ),
)


def _targets_epilog() -> str:
    rows = "\n".join(f"  {t.name:<10} {messages.tr(t.description)}" for t in TARGETS.values())
    see = tr("See `packager targets` for what each one carries.")
    return "\b\n" + tr("Targets:") + "\n" + rows + "\n\n" + see


class _TargetsEpilog(_Command):
    """A command whose help ends with the targets, made when the help is shown: reading each
    target's description imports it, which a build of one target does not need."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.epilog = _targets_epilog()
        super().format_epilog(ctx, formatter)


@main.command(
    cls=_TargetsEpilog,
    help=N_(
        "Build the course into packages. COURSE is the course folder (or its course.yml); "
        "without it, the current folder when it holds course.yml, else ./content. The build "
        "section of course.yml gives default targets, output folder and options; -t, -o and "
        "-O win over it."
    ),
)
@COURSE
@OUTPUT
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    type=_Choice(list(TARGETS)),
    help=N_(
        "Build only this target (repeatable). Default: the targets in the build section of "
        "course.yml, else every target."
    ),
)
@OPTIONS
@STRICT
@QUIET
@JOBS
@CACHE_DIR
@NO_CACHE
def build(
    course: Path | None,
    output: Path | None,
    targets: tuple[str, ...],
    options: tuple[str, ...],
    strict: bool,
    quiet: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    plan = _plan(course, output, targets, options, strict)
    loaded, outputs, warnings = _build(plan, quiet, cache_dir, no_cache, jobs=jobs)
    if not quiet:
        say(summary(loaded, outputs, plan.output, warnings))


@main.command(
    help=N_(
        "Build every target strictly, verify every output, and write SHA256SUMS, release.json "
        "(and CHANGES.md with --since) beside the packages. A version already released with "
        "other contents is refused. COURSE, the output folder and the options are found as "
        "packager build finds them."
    )
)
@COURSE
@OUTPUT
@OPTIONS
@click.option(
    "--since",
    type=click.Path(exists=True, path_type=Path),
    help=N_("The previous release (its release.json or folder): write CHANGES.md against it."),
)
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=N_("Folder with the official XSD sets, to validate the SCORM manifests too."),
)
@QUIET
@JOBS
@CACHE_DIR
@NO_CACHE
def release(
    course: Path | None,
    output: Path | None,
    options: tuple[str, ...],
    since: Path | None,
    schemas: Path | None,
    quiet: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    from .release import RECORD, REPORT, SUMS, publish, read_record

    previous = None
    if since is not None:
        try:
            previous = read_record(since)
        except ValueError as exc:
            say(f"{_word(Severity.ERROR)}: {exc}", err=True)
            sys.exit(1)

    def finish(staging: Staging, course: Course, built: list[tuple[str, list[str]]]) -> None:
        publish(staging, course, built, schemas, previous)

    plan = _plan(course, output, (), options, True, every=True)
    loaded, outputs, warnings = _build(plan, quiet, cache_dir, no_cache, finish, jobs)
    if not quiet:
        say(summary(loaded, outputs, plan.output, warnings))
        extra = [RECORD, SUMS] + ([REPORT] if previous is not None else [])
        files = ", ".join(str(plan.output / n) for n in extra)
        say(tr("release {version}: {files}", version=loaded.version, files=files))


@main.command(
    help=N_(
        "What changed between two versions: lessons, quizzes and questions added, removed, "
        "changed and moved. OLD and NEW are release.json files, release or build folders, "
        "course folders, or packages of the same kind (.mbz or SCORM zip)."
    )
)
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--markdown", "as_markdown", is_flag=True, help=N_("Print the Markdown report."))
def diff(old: Path, new: Path, as_markdown: bool) -> None:
    from .changes import compare, markdown
    from .changes import text as changes_text
    from .release import read_record

    try:
        before, after = read_record(old), read_record(new)
    except ValueError as exc:
        say(f"{_word(Severity.ERROR)}: {exc}", err=True)
        sys.exit(1)
    kinds = sorted({before.get("basis", "source"), after.get("basis", "source")})
    if len(kinds) > 1:
        message = tr(
            "compare like with like: two packages of the same kind, or two release records "
            "or course folders (here: {one} and {other})",
            one=kinds[0],
            other=kinds[1],
        )
        say(f"{_word(Severity.ERROR)}: {message}", err=True)
        sys.exit(1)
    found = compare(before, after)
    if as_markdown:
        say(markdown(found, after["course"].get("title", "")), nl=False)
    else:
        say(changes_text(found))


def _build(
    plan: _Plan,
    quiet: bool,
    cache_dir: Path | None,
    no_cache: bool,
    finish: Callable[[Staging, Course, list[tuple[str, list[str]]]], None] | None = None,
    jobs: int | None = None,
) -> tuple[Course, list[Output], int]:
    """Load the course and build the plan's targets; the course, the outputs and how many
    warnings were printed."""
    show(plan.given, quiet=quiet)
    try:
        check_folders(plan.folder, plan.output)
    except OutputError as exc:
        _fail(exc)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminate)
    course = _load(plan.folder, plan.diags, quiet, cache_dir, no_cache, len(plan.given))
    hook = (lambda staging, built: finish(staging, course, built)) if finish else None
    notices = Diagnostics()
    show_bar = not quiet and sys.stderr.isatty()
    jobs = jobs or default_jobs()
    names, output, options = plan.targets, plan.output, plan.options
    try:
        if show_bar:
            with click.progressbar(
                length=len(names), label=tr("Building"), file=sys.stderr, show_pos=True
            ) as bar:
                outputs = run_targets(
                    course, output, names, notices, options, lambda _: bar.update(1), hook, jobs
                )
        else:
            outputs = run_targets(course, output, names, notices, options, finish=hook, jobs=jobs)
    except OutputError as exc:
        _fail(exc)
    except WriteError as exc:
        where = exc.filename or output
        say(problem(where, tr("cannot write: {reason}", reason=exc.strerror)), err=True)
        say(tr("nothing was changed in the output folder."), err=True)
        sys.exit(1)
    except OSError as exc:
        where = exc.filename or plan.folder
        say(problem(where, tr("cannot read: {reason}", reason=exc.strerror)), err=True)
        say(tr("nothing was changed in the output folder."), err=True)
        sys.exit(1)
    if not quiet:
        show(notices)
    return course, outputs, plan.warnings + len(notices.warnings)


@main.command(
    help=N_(
        "Load and validate the course in COURSE (as packager build finds it), its build "
        "section too; write nothing (but the cache)."
    )
)
@COURSE
@STRICT
@QUIET
@CACHE_DIR
@NO_CACHE
def check(
    course: Path | None, strict: bool, quiet: bool, cache_dir: Path | None, no_cache: bool
) -> None:
    folder = find_course(course)
    diags = Diagnostics(strict=strict)
    read_build(folder, diags)
    loaded = _load(folder, diags, quiet, cache_dir, no_cache)
    if not quiet:
        where = course_file(folder) or folder / COURSE_FILES[0]
        ok = click.style(tr("ok"), fg="green", bold=True)
        say(f"{where}: {ok}: {counts(loaded)}{warned(len(diags.warnings))}")


@main.command(
    help=N_(
        "Preview the site of the course in COURSE (as packager build finds it) in a browser, "
        "at http://127.0.0.1:PORT/: rebuilt as you save (only what changed), the open page "
        "reloads by itself and shows content errors over it. Ctrl-C stops it."
    )
)
@COURSE
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    metavar="PORT",
    help=N_("Port on 127.0.0.1 (0: any free port)."),
)
@CACHE_DIR
@NO_CACHE
@click.pass_context
def serve(
    ctx: click.Context, course: Path | None, port: int, cache_dir: Path | None, no_cache: bool
) -> None:
    from .cache import cache_off_by_env
    from .serve import run

    use_cache = not no_cache and not cache_off_by_env()
    ctx.exit(run(find_course(course), port, cache_dir, use_cache))


@main.command(
    "targets", help=N_("List the targets: what each writes, its options, and what it carries.")
)
def targets_command() -> None:
    none = tr("none")
    for t in TARGETS.values():
        say(f"{t.name}: {messages.tr(t.description)}")
        kinds = ", ".join(messages.tr(KIND_NAMES[k]) for k in KINDS if k in t.kinds)
        say("  " + tr("question kinds: {kinds}", kinds=kinds))
        missing = [messages.tr(KIND_NAMES[k]) for k in KINDS if k not in t.kinds]
        if missing:
            say("  " + tr("left out (with a notice): {kinds}", kinds=", ".join(missing)))
        features = ", ".join(f for f in QUESTION_FEATURES if f in t.question_features) or none
        say("  " + tr("question features: {features}", features=features))
        if t.quiz_settings is not None:
            settings = ", ".join(s for s in QUIZ_SETTINGS if s in t.quiz_settings) or none
            say("  " + tr("quiz settings: {settings}", settings=settings))
        for o in t.options:
            say(
                "  "
                + tr(
                    "-O {key}={choices}  (default {default}): {help}",
                    key=o.key,
                    choices="|".join(o.choices),
                    default=o.default,
                    help=messages.tr(o.help),
                )
            )


@main.command(
    "verify",
    help=N_(
        "Check built outputs before importing them into an LMS: SCORM zips, Moodle backups, "
        "the site (zip or folder), Moodle XML and GIFT banks, SHA256SUMS and release.json."
    ),
)
@click.argument(
    "packages",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=N_("Folder with the official XSD sets (scorm12/, scorm2004-4th/) to validate manifests."),
)
def verify_command(packages: tuple[Path, ...], schemas: Path | None) -> None:
    from .verify import verify_all

    failed = False
    ok = click.style(tr("ok"), fg="green", bold=True)
    for package in packages:
        for report in verify_all(package, schemas):
            if report.skipped:
                say(tr("{package}: skipped: {kind}", package=report.package, kind=report.kind))
            elif report.ok:
                say(f"{report.package}: {ok}: {report.kind}; " + "; ".join(report.checked))
            for found in report.problems:
                failed = True
                say(problem(report.package, found), err=True)
    if failed:
        sys.exit(1)


@main.command(
    help=N_(
        "Create a working course skeleton in PATH. On a terminal it asks for the title, the "
        "short name and the language; --title, --short-name and --language give them without "
        "asking."
    )
)
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--title", help=N_("Title of the course."))
@click.option(
    "--short-name",
    help=N_("Short name of the course: it names the package files (letters, digits, -, _ and .)."),
)
@click.option(
    "--language",
    help=N_(
        "Two-letter code of the course's language (bg or en; other languages get the "
        "English skeleton)."
    ),
)
def new(path: Path, title: str | None, short_name: str | None, language: str | None) -> None:
    from . import skeleton

    if path.exists() and any(path.iterdir()):
        say(problem(path, tr("the folder is not empty; choose a new folder")), err=True)
        sys.exit(1)
    asking = _interactive()
    language = _answer(
        language,
        "--language",
        asking,
        tr("Language of the course (bg, en, …)"),
        "bg",
        skeleton.language_problem,
    )
    title = _answer(
        title,
        "--title",
        asking,
        tr("Title of the course"),
        skeleton.default_title(language),
        skeleton.title_problem,
    )
    short_name = _answer(
        short_name,
        "--short-name",
        asking,
        tr("Short name (it names the package files)"),
        skeleton.short_name_for(title, language),
        skeleton.short_name_problem,
    )
    skeleton.create_skeleton(path, title=title, short_name=short_name, language=language)
    say(tr("Created a course in {path}. Build it with: packager build {path}", path=path))


def _interactive() -> bool:
    """Whether ``packager new`` may ask: its input is a terminal."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _answer(
    given: str | None,
    flag: str,
    asking: bool,
    question: str,
    default: str,
    check: Callable[[str], str | None],
) -> str:
    """A value of ``packager new``: the flag's, else asked on a terminal, else the default;
    a wrong flag is a usage error, a wrong answer is asked again."""
    if given is not None:
        wrong = check(given.strip())
        if wrong:
            raise click.BadParameter(wrong, param_hint=f"'{flag}'")
        return given.strip()
    if not asking:
        return default
    while True:
        answer = str(click.prompt(question, default=default, err=True)).strip()
        wrong = check(answer)
        if not wrong:
            return answer
        say(f"{_word(Severity.ERROR)}: {wrong}", err=True)


@main.command(
    "schema",
    help=N_(
        "The JSON Schemas of the source files (course, module, lesson, quiz, assignment, "
        "forum): print NAME's, or write them (or NAME's) into a folder with --output. An "
        "editor checks course.yml and the front matter against them as you type; plain "
        "PyYAML with jsonschema does too."
    ),
)
@click.argument("name", required=False, type=_Choice([src.name for src in SOURCES]))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="FOLDER",
    help=N_("Write the schemas into this folder (made if missing)."),
)
def schema_command(name: str | None, output: Path | None) -> None:
    from .schemas import schema_text

    names = [name] if name else [src.name for src in SOURCES]
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        for each in names:
            target = output / f"{each}.schema.json"
            target.write_text(schema_text(each), encoding="utf-8")
            say(tr("wrote {path}", path=target))
    elif name:
        say(schema_text(name), nl=False)
    else:
        for src in SOURCES:
            say(f"{src.name:<11} {src.title}")
        say(tr("Name one to print it, or write them all with --output FOLDER."))


def _fail(exc: OutputError) -> None:
    for path, message in exc.problems:
        say(problem(path, message), err=True)
    say(tr("nothing was changed in the output folder."), err=True)
    sys.exit(1)


def _load(
    content: Path,
    diags: Diagnostics,
    quiet: bool,
    cache_dir: Path | None = None,
    no_cache: bool = False,
    warned_before: int = 0,
) -> Course:
    """Load the course, print its diagnostics by file and line, and stop (exit 1) on an
    error; ``warned_before``: warnings already printed (about the command line)."""
    from .cache import cache_off_by_env

    use_cache = not no_cache and not cache_off_by_env()  # the variable wins over --cache-dir
    try:
        course = load(content, diags, cache_dir=cache_dir, use_cache=use_cache)
    except BuildError:
        course = None
    show(diags, quiet=quiet)
    if course is None or diags.has_errors:
        found = trn("{n} error", "{n} errors", len(diags.errors))
        warnings = 0 if quiet else len(diags.warnings) + warned_before
        if warnings:
            found += ", " + trn("{n} warning", "{n} warnings", warnings)
        line = tr("{problems}; nothing was built.", problems=found)
        say(click.style(line, fg="red", bold=True), err=True)
        sys.exit(1)
    return course


def counts(course: Course) -> str:
    """``1 module, 2 lessons, …`` with the plural each number needs."""
    parts = [
        trn("{n} module", "{n} modules", len(course.modules)),
        trn("{n} lesson", "{n} lessons", len(course.lessons)),
        trn("{n} quiz", "{n} quizzes", len(course.quizzes)),
        trn("{n} question", "{n} questions", len(course.questions)),
    ]
    if course.assignments:
        parts.append(trn("{n} assignment", "{n} assignments", len(course.assignments)))
    if course.forums:
        parts.append(trn("{n} forum", "{n} forums", len(course.forums)))
    parts.append(trn("{n} image", "{n} images", len(course.images)))
    return ", ".join(parts)


def summary(course: Course, outputs: list[Output], out_dir: Path, warnings: int = 0) -> str:
    """The table of outputs, then the course's counts and the warnings printed."""
    rows = [(tr("target"), tr("file"), tr("size"))]
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
    lines.append(click.style(counts(course), bold=True) + warned(warnings))
    return "\n".join(lines)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


if __name__ == "__main__":
    main()
