"""HTML pages shared by the HTML targets: the document frame and the lesson article."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from importlib import resources

from .i18n import strings
from .model import Course, Lesson

Resolve = Callable[[str], str]  # resolves doc:/media: references in a model HTML fragment


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def theme_file(name: str) -> bytes:
    return resources.files("packager.theme").joinpath(name).read_bytes()


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
