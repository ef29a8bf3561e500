"""HTML pages: the static site target, and the page layer the SCORM packages share with it
(document frame, lesson, assignment and forum articles, quiz view, theme files, relative
links)."""

from __future__ import annotations

from .pages import (
    PLAYER_SCRIPTS,
    TASK_SCRIPT,
    THEME,
    assignment_article,
    document,
    esc,
    forum_article,
    has_checklist,
    href,
    item_path,
    lesson_article,
    media_path,
    resolver,
    theme_file,
)
from .quizview import quiz_article
from .site import Site, pages_showing, site_files, site_pages

__all__ = [
    "PLAYER_SCRIPTS",
    "TASK_SCRIPT",
    "THEME",
    "Site",
    "assignment_article",
    "document",
    "esc",
    "forum_article",
    "has_checklist",
    "href",
    "item_path",
    "lesson_article",
    "media_path",
    "pages_showing",
    "quiz_article",
    "resolver",
    "site_files",
    "site_pages",
    "theme_file",
]
