"""Python-Markdown's admonitions with default titles in the course's language."""

from __future__ import annotations

import re

from markdown.blockparser import BlockParser
from markdown.extensions.admonition import AdmonitionProcessor


class Boxes(AdmonitionProcessor):
    """Admonitions whose default title is in the course's language, not English."""

    def __init__(self, parser: BlockParser, titles: dict[str, str]) -> None:
        super().__init__(parser)
        self.titles = titles

    def get_class_and_title(self, match: re.Match[str]) -> tuple[str, str | None]:
        klass, title = super().get_class_and_title(match)
        if match.group(2) is None:
            title = self.titles.get(klass.split(" ", 1)[0], title)
        return klass, title
