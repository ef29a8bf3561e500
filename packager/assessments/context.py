"""What the question parsers need from the loader, and stable question ids."""

from __future__ import annotations

from typing import Protocol

from markdown.extensions.toc import slugify_unicode

from ..diagnostics import Diagnostics


class Context(Protocol):
    """One source file: where messages go and how its Markdown becomes HTML."""

    rel: str
    diags: Diagnostics

    def markdown(self, text: str, line: int) -> str: ...

    def inline(self, text: str, line: int) -> str: ...

    def html(self, text: str, line: int) -> str: ...

    def open_sibling(self, target: str, line: int) -> tuple[Context, str] | None:
        """Another source file named in this one (a GIFT bank) and its text."""
        ...


class IdRegistry:
    """Question ids of one quiz: ``<quiz id>/<given id or the title's slug>``.

    Given ids are reserved first, so a title's slug never takes an id an author chose.
    """

    def __init__(self, quiz_id: str, diags: Diagnostics) -> None:
        self.quiz_id = quiz_id
        self.diags = diags
        self._used: dict[str, tuple[str, int]] = {}

    def reserve(self, explicit: str, rel: str, line: int) -> None:
        ident = f"{self.quiz_id}/{explicit}"
        if ident in self._used:
            first_rel, first_line = self._used[ident]
            where = f"line {first_line}" + ("" if first_rel == rel else f" of {first_rel}")
            self.diags.error(rel, line, f'question id "{explicit}" is already used on {where}')
            return
        self._used[ident] = (rel, line)

    def claim(self, explicit: str | None, title: str) -> str:
        if explicit:
            return f"{self.quiz_id}/{explicit}"
        base = f"{self.quiz_id}/{slugify_unicode(title, '-')[:60].strip('-') or 'q'}"
        ident, n = base, 1
        while ident in self._used:
            n += 1
            ident = f"{base}-{n}"
        self._used[ident] = ("", 0)
        return ident
