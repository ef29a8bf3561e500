"""The pages of a cartridge: lessons and assignments as complete HTML documents made with the
shared page layer, so they look like the site; links to other pages are relative paths inside
the cartridge. Texts of XML descriptors (QTI, discussion topics) have no page of their own."""

from __future__ import annotations

import re

from ...model import Assignment, Course, Lesson
from ...refs import resolve, unlink
from ..html import assignment_article, document, href, lesson_article
from .layout import ASSETS, Layout

FILEBASE = "$IMS-CC-FILEBASE$"


def _resolver(course: Course, page: str, lay: Layout, used: dict[str, None]):
    def doc(ident: str) -> str:
        return href(page, lay.pages[ident])

    def media(ident: str) -> str:
        used[ident] = None
        return href(page, lay.media[ident])

    def res(fragment: str) -> str:
        return resolve(unlink(fragment, lay.pages.__contains__), doc, media, course.iframe_hosts)

    return res


def lesson_page(course: Course, lesson: Lesson, lay: Layout) -> str:
    page = lay.pages[lesson.id]
    article = lesson_article(course, lesson, _resolver(course, page, lay, {}))
    return _document(course, page, lesson.title, article)


def assignment_page(course: Course, task: Assignment, lay: Layout) -> tuple[str, list[str]]:
    """The task as a page (the cartridge has no assignment type): the site's task article with
    the instructions, what to hand in, the points and the criteria table. Returns the page and
    the media it uses."""
    page = lay.pages[task.id]
    used: dict[str, None] = {}
    article = assignment_article(course, task, _resolver(course, page, lay, used))
    return _document(course, page, task.title, article), list(used)


def _document(course: Course, page: str, title: str, article: str) -> str:
    body = f'<main id="main">\n<article>\n{article}</article>\n</main>\n'
    return document(lang=course.language, title=title, body=body, assets=href(page, ASSETS))


_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S | re.I)


def one_line(html: str) -> str:
    """Line breaks outside <pre> as spaces: the same HTML to a browser, and Moodle's importer
    reads the texts of XML descriptors as Moodle format, where a line break becomes <br>."""
    parts = _PRE.split(html)
    for i in range(0, len(parts), 2):  # the odd ones are <pre> elements
        parts[i] = parts[i].replace("\r\n", " ").replace("\n", " ")
    return "".join(parts)


def descriptor_html(
    course: Course, lay: Layout, path: str, fragment: str, used: dict[str, None]
) -> str:
    """Model HTML as an XML descriptor at ``path`` carries it: sanitized, media relative to the
    descriptor (after the CC token, added to ``used``), links to items as their text (the
    descriptor has no page to link from), on one line."""

    def media(ident: str) -> str:
        used[ident] = None
        return FILEBASE + href(path, lay.media[ident])

    no_links = unlink(fragment)
    return one_line(resolve(no_links, lambda ident: "", media, course.iframe_hosts))
