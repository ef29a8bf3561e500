"""The lesson pages of a cartridge: complete HTML documents made with the shared page layer, so
they look like the site; links to other lessons are relative paths inside the cartridge."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from ...model import Course, Lesson
from ...refs import resolve
from ..html import document, href, lesson_article
from .layout import ASSETS, Layout

# A link to a lesson or quiz in model HTML (the loader writes it exactly so).
_DOC_LINK = re.compile(r'<a\b[^>]*?\bhref="doc:(?P<id>[^"#]*)[^"]*"[^>]*>(?P<text>.*?)</a>', re.S)


def unlink(html: str, keep: Callable[[str], bool]) -> str:
    """Links to items ``keep`` rejects become their text (the cartridge has no page for them)."""
    return _DOC_LINK.sub(lambda m: m[0] if keep(unquote(m["id"])) else m["text"], html)


def lesson_page(course: Course, lesson: Lesson, lay: Layout) -> str:
    page = lay.pages[lesson.id]

    def doc(ident: str) -> str:
        return href(page, lay.pages[ident])

    def media(ident: str) -> str:
        return href(page, lay.media[ident])

    def res(fragment: str) -> str:
        return resolve(unlink(fragment, lay.pages.__contains__), doc, media, course.iframe_hosts)

    article = lesson_article(course, lesson, res)
    body = f'<main id="main">\n<article>\n{article}</article>\n</main>\n'
    return document(lang=course.language, title=lesson.title, body=body, assets=href(page, ASSETS))
