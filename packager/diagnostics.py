"""Located problems in the sources, collected and reported together."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        if self.line == 0:  # about a file or folder as a whole
            return f"{self.path}: {self.severity.value}: {self.message}"
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"


class Diagnostics:
    """Collects problems; under ``strict`` every warning counts as an error."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()

    def add(self, severity: Severity, path: str, line: int, message: str, col: int = 1) -> None:
        if severity is Severity.WARNING and self.strict:
            severity = Severity.ERROR
        item = Diagnostic(path, max(line, 1), max(col, 1), severity, message)
        if item not in self._seen:
            self._seen.add(item)
            self._items.append(item)

    def error(self, path: str, line: int, message: str, col: int = 1) -> None:
        self.add(Severity.ERROR, path, line, message, col)

    def warning(self, path: str, line: int, message: str, col: int = 1) -> None:
        self.add(Severity.WARNING, path, line, message, col)

    def notice(self, path: str, message: str) -> None:
        """A warning about the machine, not the content (such as an unusable cache): printed
        as ``path: warning: message`` and never made an error by ``strict``."""
        item = Diagnostic(path, 0, 0, Severity.WARNING, message)
        if item not in self._seen:
            self._seen.add(item)
            self._items.append(item)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def sorted(self) -> list[Diagnostic]:
        order = {path: i for i, path in enumerate(dict.fromkeys(d.path for d in self._items))}
        return sorted(self._items, key=lambda d: (order[d.path], d.line, d.col))

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class BuildError(Exception):
    """Raised to stop a build; the diagnostics already hold the reasons."""


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix, or an empty string."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
