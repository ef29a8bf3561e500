"""Where the course is and how to build it: the course found where a command runs, and the
``build:`` section of course.yml.

Without a COURSE argument, ``build``, ``check``, ``release`` and ``serve`` use ``./course.yml``,
then ``./content/course.yml``. The ``build:`` section gives default ``targets``, the ``output``
folder and target ``options`` (the ``-O key=value`` pairs). The command line wins: ``-t``
replaces the targets, ``-o`` the folder and each ``-O`` the option of its key.

``build.output`` is relative to the folder of course.yml, as MkDocs reads ``site_dir``
relative to mkdocs.yml; ``-o`` is relative to where the command runs. Without either, the
packages go to ``dist`` beside the course folder (``../dist`` from course.yml), never inside
it: ``packager build content`` writes ./dist, and ``packager build`` run in the course folder
writes ../dist.

The loader knows nothing of targets: packager/schema.py declares the section so that the
loader accepts it and the JSON Schema describes it; this module reads it, with located
problems, for the command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .diagnostics import Diagnostics, did_you_mean
from .loader import COURSE_FILES
from .messages import tr, trn
from .schema import COURSE
from .source import Fields, is_file, parse_yaml, read_text

if TYPE_CHECKING:
    from .targets.base import Target

BUILD_KEYS = COURSE["build"].names()
PLACES = (Path("."), Path("content"))  # where a command looks for the course, in order
DEFAULT_OUTPUT = Path("..") / "dist"  # relative to the course folder


@dataclass(frozen=True)
class BuildSettings:
    """The ``build:`` section as read; empty values when the section does not give them."""

    targets: tuple[str, ...] = ()
    output: Path | None = None  # the course folder joined with build.output
    options: dict[str, str] = field(default_factory=dict)


def course_file(folder: Path) -> Path | None:
    """The course file of ``folder`` (course.yml, or course.yaml), or None."""
    return next((folder / n for n in COURSE_FILES if is_file(folder / n)), None)


def discover(cwd: Path | None = None) -> Path | None:
    """The course folder of a command given none: ``.`` when ./course.yml exists, else
    ``content`` when ./content/course.yml does (relative to ``cwd``, default the current
    folder, as written), else None."""
    for place in PLACES:
        folder = place if cwd is None else cwd / place
        if course_file(folder) is not None:
            return folder
    return None


def course_folder(arg: Path) -> Path:
    """The course folder a COURSE argument names: the folder itself, or the folder of the
    course.yml it names."""
    if arg.name in COURSE_FILES and is_file(arg):
        return arg.parent
    return arg


def default_output(folder: Path) -> Path:
    """``dist`` beside the course folder: ./dist for ``content``, ../dist for ``.``."""
    if folder.parts:
        return folder.parent / "dist"
    return folder.absolute().parent / "dist"


def option_owners(targets: Iterable[Target]) -> dict[str, tuple[str, ...]]:
    """option key -> the names of the targets that read it (scorm.sco: both SCORM targets)."""
    owners: dict[str, tuple[str, ...]] = {}
    for target in targets:
        for option in target.options:
            owners[option.key] = (*owners.get(option.key, ()), target.name)
    return owners


def read_build(folder: Path, diags: Diagnostics) -> BuildSettings:
    """The ``build:`` section of the course file in ``folder``. Problems of the section go to
    ``diags`` (located); the file's own problems (unreadable, invalid YAML) are left to the
    loader, which reports them."""
    path = course_file(folder)
    if path is None:
        return BuildSettings()
    rel = path.name
    scratch = Diagnostics()  # what the loader reports anyway
    text = read_text(path, rel, scratch)
    if not text or not text.strip():
        return BuildSettings()
    node = parse_yaml(text, rel, 1, scratch)
    if not isinstance(node, yaml.MappingNode):
        return BuildSettings()
    top = Fields(node, rel, scratch, None, 1)
    if "build" not in top:
        return BuildSettings()
    section = top.node("build")
    if isinstance(section, yaml.ScalarNode) and section.value in ("", "~", "null"):
        section = None
    what = tr('"{key}" section', key="build")
    f = Fields(section, rel, diags, BUILD_KEYS, 1, what, top.key_line("build"))
    targets = _targets(f)
    output = f.str("output")
    options = _options(f, targets)
    return BuildSettings(
        targets=targets,
        output=folder / Path(output).expanduser() if output else None,
        options=options,
    )


def _targets(f: Fields) -> tuple[str, ...]:
    from .targets import TARGETS

    names: list[str] = []
    node = f.node("targets")
    entries = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for entry in entries:
        if entry is None or (isinstance(entry, yaml.ScalarNode) and entry.value in ("", "~")):
            continue
        if not isinstance(entry, yaml.ScalarNode):
            f.error(entry, tr('each entry of "{key}" must be the name of a target', key="targets"))
            continue
        name = str(entry.value).strip()
        if name not in TARGETS:
            f.error(
                entry,
                tr(
                    '"{name}" is not a target{hint}; the targets are {names}',
                    name=name,
                    hint=did_you_mean(name, TARGETS),
                    names=", ".join(TARGETS),
                ),
            )
        elif name not in names:
            names.append(name)
    return tuple(names)


def _options(f: Fields, targets: tuple[str, ...]) -> dict[str, str]:
    node = f.node("options")
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return {}
    if not isinstance(node, yaml.MappingNode):
        f.error(node, tr('"{key}" must be "option: value" lines', key="options"))
        return {}
    from .targets import TARGETS
    from .targets.base import option_values

    known = option_values(TARGETS.values())
    owners = option_owners(TARGETS.values())
    out: dict[str, str] = {}
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
        if key not in known:
            f.error(
                key_node,
                tr(
                    'unknown target option "{key}"{hint}; see packager targets',
                    key=key,
                    hint=did_you_mean(key, known),
                ),
            )
            continue
        if key in seen:
            f.error(
                key_node, tr('"{key}" is given twice in "{section}"', key=key, section="options")
            )
            continue
        seen.add(key)
        allowed = ", ".join(known[key].choices)
        if not isinstance(value_node, yaml.ScalarNode):
            f.error(value_node, tr('"{key}" must be one of {allowed}', key=key, allowed=allowed))
            continue
        value = str(value_node.value).strip()
        if value not in known[key].choices:
            f.error(
                value_node,
                tr(
                    '"{key}" must be one of {allowed}, not "{value}"',
                    key=key,
                    allowed=allowed,
                    value=value,
                ),
            )
            continue
        out[key] = value
        unused = unbuilt(key, targets, owners) if targets else ()
        if unused:
            f.warning(
                key_node,
                trn(
                    '"{key}" is an option of the target {names}, which is not among the '
                    "targets of this section; it is ignored",
                    '"{key}" is an option of the targets {names}, which are not among the '
                    "targets of this section; it is ignored",
                    len(unused),
                    key=key,
                    names=", ".join(unused),
                ),
            )
    return out


def unbuilt(
    key: str, built: Iterable[str], owners: Mapping[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """The targets that read option ``key`` when none of them is ``built`` (else nothing)."""
    mine = owners.get(key, ())
    return () if set(mine) & set(built) else mine
