"""HTML pages shared by the HTML targets: the document frame and the lesson article."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from importlib import resources
from urllib.parse import quote

from ...i18n import strings
from ...model import Course, Lesson, Quiz
from ...refs import resolve

Resolve = Callable[[str], str]  # resolves doc:/media: references in a model HTML fragment


# Where the HTML targets put things: a page per lesson or quiz at ``<id>.html``, media files
# in ``media/``; links between them are relative, so packages work from any folder.


def item_path(item: Lesson | Quiz) -> str:
    return f"{item.id}.html"


def media_path(name: str) -> str:
    return f"media/{name}"


def href(from_page: str, to: str) -> str:
    """A relative, percent-encoded URL from one page of a package to another file."""
    here = from_page.split("/")[:-1]
    there = to.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:])
    return quote(rel, safe="/#")


def resolver(course: Course, page: str) -> Resolve:
    """Resolves the model's doc:/media: references for HTML written at ``page``, and
    sanitizes the HTML (see refs.resolve)."""

    def doc(ident: str) -> str:
        return href(page, item_path(course.find(ident)))

    def media(ident: str) -> str:
        return href(page, media_path(course.media[ident].name))

    hosts = course.iframe_hosts
    return lambda fragment: resolve(fragment, doc, media, hosts)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# The theme every HTML page may use; the quiz player is the kind table, then the player.
THEME = ("style.css", "print.css", "kinds.js", "quiz.js")
PLAYER_SCRIPTS = ("kinds.js", "quiz.js")


def theme_file(name: str) -> bytes:
    """A file of the theme every HTML page uses (stylesheets, the quiz player)."""
    return resources.files("packager.targets.html").joinpath("theme", name).read_bytes()


def document(
    *,
    lang: str,
    title: str,
    body: str,
    assets: str,
    scripts: Sequence[str] = (),
    head: str = "",
    body_attrs: str = "",
) -> str:
    """A complete HTML5 page. ``assets`` is the relative URL of the theme folder."""
    script_tags = "".join(f'<script src="{esc(s)}" defer></script>\n' for s in scripts)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" href="{esc(assets)}/style.css">\n'
        f'<link rel="stylesheet" href="{esc(assets)}/print.css" media="print">\n'
        f"{head}{script_tags}</head>\n<body{body_attrs}>\n{body}</body>\n</html>\n"
    )


def lesson_article(course: Course, lesson: Lesson, resolve: Resolve) -> str:
    s = strings(course.language)
    parts = [f"<h1>{esc(lesson.title)}</h1>\n"]
    if lesson.minutes:
        parts.append(f'<p class="meta">{esc(s["minutes"].format(n=lesson.minutes))}</p>\n')
    if lesson.objectives:
        items = "".join(f"<li>{resolve(o)}</li>" for o in lesson.objectives)
        parts.append(
            '<section class="objectives" aria-labelledby="objectives-title">'
            f'<h2 id="objectives-title">{esc(s["objectives"])}</h2><ul>{items}</ul></section>\n'
        )
    parts.append(resolve(lesson.html) + "\n")
    return "".join(parts)
