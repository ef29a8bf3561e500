"""Located problems in the sources, collected and reported together."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from .messages import tr


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


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1}


class Diagnostics:
    """Collects problems; under ``strict`` every warning counts as an error.

    ``order`` is the reading order of the course's files (the loader sets it, see
    :meth:`set_order`); :meth:`sorted` lists the problems in it.
    """

    def __init__(self, strict: bool = False, order: Iterable[str] = ()) -> None:
        self.strict = strict
        self._items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()
        self.order: tuple[str, ...] = ()
        self.set_order(order)

    def set_order(self, paths: Iterable[str]) -> None:
        """The files of the course in reading order: the course file, then each module's
        module.md and its items (with the GIFT files they read), module by module."""
        self.order = tuple(dict.fromkeys(paths))

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
        """Every problem by file, then line, then column; the same list on every run, whatever
        order the problems were found in (or which process found them).

        Files come in :attr:`order` (the course's reading order); a file it does not name
        comes after the known files of its folder, or at the end, by path. Problems at the
        same place: errors first, then by message.
        """
        rank = {path: i for i, path in enumerate(self.order)}
        folder_last: dict[str, int] = {}
        for path, i in rank.items():
            folder_last[_folder(path)] = i
        end = len(self.order)

        def key(d: Diagnostic) -> tuple[int, int, str, int, int, int, str]:
            at = rank.get(d.path)
            if at is not None:
                place = (at, 0, "")
            else:
                place = (folder_last.get(_folder(d.path), end), 1, d.path)
            return (*place, d.line, d.col, _SEVERITY_RANK[d.severity], d.message)

        return sorted(self._items, key=key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


def _folder(path: str) -> str:
    """The folder of a path as diagnostics write it ("01-basics/" is a folder itself)."""
    return path.rstrip("/") if path.endswith("/") else path.rpartition("/")[0]


class BuildError(Exception):
    """Raised to stop a build; the diagnostics already hold the reasons."""


def closest(word: str, known: Iterable[str]) -> str | None:
    """The one of ``known`` that ``word`` is most likely a misspelling of, or None."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix, or an empty string."""
    close = closest(word, known)
    return tr(' (did you mean "{word}"?)', word=close) if close else ""
