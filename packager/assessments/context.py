"""What the question parsers need from the loader, and stable question ids."""

from __future__ import annotations

from typing import Protocol

from ..diagnostics import Diagnostics
from ..messages import tr
from ..names import ID_PART_MAX, id_problem, normal_id, slug


class Context(Protocol):
    """One source file: where messages go and how its Markdown becomes HTML."""

    rel: str
    diags: Diagnostics

    def markdown(self, text: str, line: int) -> str: ...

    def snippet(self, text: str, line: int) -> str:
        """A question's text, feedback or hint: Markdown without what only a page needs."""
        ...

    def inline(self, text: str, line: int) -> str:
        """An answer: a snippet without its paragraph."""
        ...

    def html(self, text: str, line: int) -> str: ...

    def refused(self) -> bool:
        """True once the file broke a limit (reported): reading on would be wasted."""
        ...

    def open_sibling(self, target: str, line: int) -> tuple[Context, str] | None:
        """Another source file named in this one (a GIFT bank) and its text."""
        ...


class IdRegistry:
    """Question ids of one quiz: ``<quiz id>/<given id or the title's slug>``.

    Given ids are reserved first, so a title's slug never takes an id an author chose. A given
    id follows the rule of packager.names (one part); one that breaks it is reported.
    """

    def __init__(self, quiz_id: str, diags: Diagnostics) -> None:
        self.quiz_id = quiz_id
        self.diags = diags
        self._used: dict[str, tuple[str, int]] = {}
        self._bad: set[str] = set()  # given ids that break the rule (reported)
        self._next: dict[str, int] = {}  # slug -> the last number given to it

    def reserve(self, explicit: str, rel: str, line: int, col: int = 1) -> None:
        problem = id_problem(normal_id(explicit), parts=False)
        if problem:
            self.diags.error(
                rel,
                line,
                tr(
                    'question id "{id}" cannot name files: {problem}; it must start with '
                    'a letter or a digit and hold only letters, digits, "-", "_" and "." '
                    "(at most {limit} characters)",
                    id=explicit,
                    problem=problem,
                    limit=ID_PART_MAX,
                ),
                col,
            )
            self._bad.add(explicit)
            return
        ident = f"{self.quiz_id}/{normal_id(explicit)}"
        if ident in self._used:
            first_rel, first_line = self._used[ident]
            if first_rel == rel:
                message = tr(
                    'question id "{id}" is already used on line {line}',
                    id=explicit,
                    line=first_line,
                )
            else:
                message = tr(
                    'question id "{id}" is already used on line {line} of {path}',
                    id=explicit,
                    line=first_line,
                    path=first_rel,
                )
            self.diags.error(rel, line, message, col)
            return
        self._used[ident] = (rel, line)

    def claim(self, explicit: str | None, title: str) -> str:
        if explicit and explicit not in self._bad:
            return f"{self.quiz_id}/{normal_id(explicit)}"
        made = slug(title)[:60].lstrip("-_").rstrip("-") or "q"
        base = f"{self.quiz_id}/{made}"
        ident, n = base, self._next.get(base, 1)
        while ident in self._used:  # each title's count is kept: no rescan from 1
            n += 1
            ident = f"{base}-{n}"
        self._next[base] = n
        self._used[ident] = ("", 0)
        return ident
