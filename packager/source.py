"""Reading source files: UTF-8 decoding, front matter and typed YAML fields with their lines.

YAML is read as a node tree and every value is converted from the text the author wrote, so a
title such as ``no`` or ``1.10`` stays exactly that and every problem can name its line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostics, did_you_mean

# libyaml's parser when PyYAML was built with it: same nodes and marks, much faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class SourceFile:
    path: str  # relative, for messages
    text: str  # without BOM, newlines normalised to \n
    front: yaml.Node | None  # the front matter's node, None when absent or broken
    front_line: int  # line of the first front-matter line
    body: str
    body_line: int  # line number of the body's first line
    front_broken: bool = False  # the front matter had an error (already reported)


def read_text(file: Path, rel: str, diags: Diagnostics) -> str | None:
    """The file's text, or None (with an error) when it is not UTF-8. A BOM is accepted."""
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(
            rel,
            line,
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8 in your editor",
            col,
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, rel: str, first_line: int, diags: Diagnostics) -> yaml.Node | None:
    """Compose YAML into nodes; errors are reported at their line."""
    try:
        try:
            node = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError:
            # PyYAML's own parser words and places errors better; worth it on the rare error
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        hint = ""
        if "mapping values are not allowed" in problem:
            hint = '; if a value contains ": ", put the value in quotes'
        elif "found character '\\t'" in problem:
            hint = "; indent with spaces, not tabs"
        diags.error(rel, line, f"invalid YAML: {problem}{hint}", col)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML parse error is marked
        diags.error(rel, first_line, f"invalid YAML: {exc}")
        return None
    return node


def read_source(file: Path, rel: str, diags: Diagnostics) -> SourceFile | None:
    """Read a Markdown file with optional ``---`` front matter."""
    text = read_text(file, rel, diags)
    if text is None:
        return None
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return SourceFile(rel, text, None, 1, text, 1)
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        diags.error(rel, 1, 'front matter starts with "---" but is never closed by a "---" line')
        return None
    front_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    node = parse_yaml(front_text, rel, 2, diags) if front_text.strip() else None
    broken = node is None and bool(front_text.strip())
    if node is not None and not isinstance(node, yaml.MappingNode):
        diags.error(rel, 2, 'front matter must be a list of "key: value" lines')
        node, broken = None, True
    return SourceFile(rel, text, node, 2, body, end + 2, broken)


_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_TRUE = {"true", "yes", "on", "да"}
_FALSE = {"false", "no", "off", "не"}
_NULL = {"", "~", "null"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Fields:
    """The keys of one YAML mapping, read with a type each; problems go to the diagnostics."""

    def __init__(
        self,
        node: yaml.Node | None,
        rel: str,
        diags: Diagnostics,
        known: Iterable[str] | None,
        first_line: int,
        what: str = "front matter",
        line: int | None = None,
    ) -> None:
        self.rel = rel
        self.diags = diags
        self.what = what
        self.first_line = first_line  # the file line of the YAML text's first line
        self.line = line or first_line  # where to report a missing key
        self.keys: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        known = None if known is None else list(known)
        if node is None:
            return
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f'{what} must be a list of "key: value" lines')
            return
        self.line = self.line_of(node)
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if key in self.keys:
                self.error(key_node, f'"{key}" is given twice in the {what}')
                continue
            self.keys[key] = (key_node, value_node)
            if known is not None and key not in known:
                self.diags.warning(
                    rel,
                    self.line_of(key_node),
                    f'unknown key "{key}" in the {what}{did_you_mean(key, known)}; it is ignored',
                    key_node.start_mark.column + 1,
                )

    # positions -----------------------------------------------------------------------------

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def key_line(self, key: str) -> int:
        return self.line_of(self.keys[key][0]) if key in self.keys else self.line

    def error(self, node: yaml.Node, message: str) -> None:
        self.diags.error(self.rel, self.line_of(node), message, node.start_mark.column + 1)

    def warning(self, node: yaml.Node, message: str) -> None:
        self.diags.warning(self.rel, self.line_of(node), message, node.start_mark.column + 1)

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def node(self, key: str) -> yaml.Node | None:
        return self.keys[key][1] if key in self.keys else None

    # typed access ----------------------------------------------------------------------------

    def _scalar(self, key: str, required: bool, kind: str) -> tuple[yaml.Node, str] | None:
        node = self.node(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and _is_null(node)):
            if required:
                self.diags.error(self.rel, self.key_line(key), f'the {self.what} needs "{key}"')
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f'"{key}" must be {kind}, not a list or a mapping')
            return None
        return node, str(node.value)

    def str(self, key: str, default: Any = None, required: bool = False) -> Any:
        got = self._scalar(key, required, "text")
        return got[1].strip() if got else default

    def int(
        self, key: str, default: Any = None, required: bool = False, minimum: int | None = None
    ) -> Any:
        got = self._scalar(key, required, "a whole number")
        if not got:
            return default
        node, text = got
        if not _INT.fullmatch(text.strip()):
            self.error(node, f'"{key}" must be a whole number, not "{text}"')
            return default
        value = int(text)
        if minimum is not None and value < minimum:
            self.error(node, f'"{key}" must be at least {minimum}, not {value}')
            return default
        return value

    def float(
        self,
        key: str,
        default: Any = None,
        required: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> Any:
        got = self._scalar(key, required, "a number")
        if not got:
            return default
        node, text = got
        value = parse_number(text)
        if value is None:
            self.error(node, f'"{key}" must be a number, not "{text}"')
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.error(node, f'"{key}" must be between {minimum:g} and {maximum:g}, not {text}')
            return default
        return value

    def bool(self, key: str, default: Any = None) -> Any:
        got = self._scalar(key, False, "true or false")
        if not got:
            return default
        node, text = got
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        self.error(node, f'"{key}" must be true or false, not "{text}"')
        return default

    def date(self, key: str, default: Any = None) -> Any:
        got = self._scalar(key, False, "a date")
        if not got:
            return default
        node, text = got
        try:
            if not _DATE.fullmatch(text.strip()):
                raise ValueError
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            self.error(node, f'"{key}" must be a date written YYYY-MM-DD, not "{text}"')
            return default

    def choice(self, key: str, options: Iterable[str], default: Any = None) -> Any:
        options = list(options)
        got = self._scalar(key, False, "text")
        if not got:
            return default
        node, text = got
        if text.strip() not in options:
            listed = ", ".join(options)
            self.error(
                node,
                f'"{key}" must be one of {listed}, not "{text}"{did_you_mean(text, options)}',
            )
            return default
        return text.strip()

    def str_list(self, key: str, default: Any = None) -> Any:
        """A list of texts; a single text counts as a list of one."""
        node = self.node(key)
        if node is None:
            return [] if default is None else default
        if isinstance(node, yaml.ScalarNode):
            return [] if _is_null(node) else [str(node.value).strip()]
        if isinstance(node, yaml.SequenceNode):
            out = []
            for child in node.value:
                if isinstance(child, yaml.ScalarNode):
                    if not _is_null(child):
                        out.append(str(child.value).strip())
                else:
                    self.error(child, f'each entry of "{key}" must be text')
            return out
        self.error(node, f'"{key}" must be a list')
        return [] if default is None else default

    def str_list_with_lines(self, key: str) -> list[tuple[str, int]]:
        node = self.node(key)
        if isinstance(node, yaml.SequenceNode):
            return [
                (str(c.value).strip(), self.line_of(c))
                for c in node.value
                if isinstance(c, yaml.ScalarNode) and not _is_null(c)
            ]
        return [(v, self.key_line(key)) for v in self.str_list(key)]

    def mapping(self, key: str, known: Iterable[str]) -> Fields:
        node = self.node(key)
        if node is not None and isinstance(node, yaml.ScalarNode) and _is_null(node):
            node = None
        what = f'"{key}" section'
        return Fields(node, self.rel, self.diags, known, self.first_line, what, self.key_line(key))


def parse_number(text: str) -> float | None:
    text = text.strip()
    if _FLOAT.fullmatch(text):
        return float(text)
    return None


def _is_null(node: yaml.ScalarNode) -> bool:
    return node.style is None and str(node.value).strip().lower() in _NULL
