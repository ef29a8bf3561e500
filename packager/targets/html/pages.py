"""HTML pages shared by the HTML targets: the document frame and the articles of lessons,
assignments and forums."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from urllib.parse import quote

from ...i18n import strings
from ...model import AnyItem, Assignment, Course, Forum, Lesson, Submission
from ...refs import resolve, unlink

Resolve = Callable[[str], str]  # resolves doc:/media: references in a model HTML fragment


# Where the HTML targets put things: a page per item (lesson, quiz, assignment, forum) at
# ``<id>.html``, media files in ``media/``; links between them are relative, so packages work
# from any folder.


def item_path(item: AnyItem) -> str:
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


def resolver(course: Course, page: str, pages: Mapping[str, str] | None = None) -> Resolve:
    """Resolves the model's doc:/media: references for HTML written at ``page``, and
    sanitizes the HTML (see refs.resolve). ``pages``: the page of each item that may be linked
    to (default: every item, on its own page); links to other items become their text."""

    def doc(ident: str) -> str:
        if pages is not None and ident in pages:  # (unlink below leaves no other)
            return href(page, pages[ident])
        return href(page, item_path(course.find(ident)))

    def media(ident: str) -> str:
        return href(page, media_path(course.media[ident].name))

    hosts = course.iframe_hosts
    regions = table_regions(strings(course.language)["table"])
    if pages is None:
        return lambda fragment: regions(resolve(fragment, doc, media, hosts))
    keep = pages.__contains__
    return lambda fragment: regions(resolve(unlink(fragment, keep), doc, media, hosts))


_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_CAPTION = re.compile(r"<table\b[^>]*>\s*<caption\b[^>]*>(.*?)</caption\s*>", re.I | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]*>")


def _text(fragment: str) -> str:
    """The plain text of an HTML fragment, spaces collapsed."""
    return " ".join(html.unescape(_ANY_TAG.sub("", fragment)).split())


def table_region(table: str, label: str) -> str:
    """A table in a region that scrolls sideways on a narrow screen: focusable, so the keyboard
    can scroll it, and named for screen readers."""
    region = f'<div class="table-region" role="region" tabindex="0" aria-label="{esc(label)}">'
    return f"{region}{table}</div>"


def table_regions(fallback: str) -> Callable[[str], str]:
    """Puts every outermost table of the HTML fragments of one page in a table_region, named by
    its caption, else the heading before it in the fragment, else ``fallback`` and its number
    on the page. A name given before on the page gets a number: regions are landmarks, and
    landmarks need names of their own. Keep one per page: it counts across fragments."""
    used: Counter[str] = Counter()
    tables = 0

    def name(fragment: str, start: int, table: str) -> str:
        nonlocal tables
        tables += 1
        caption = _CAPTION.match(table)
        headings = _HEADING.findall(fragment, 0, start)
        label = _text(caption.group(1)) if caption else ""
        if not label and headings:
            label = _text(headings[-1][1])
        label = label or f"{fallback} {tables}"
        used[label] += 1
        return label if used[label] == 1 else f"{label} ({used[label]})"

    def wrap(fragment: str) -> str:
        out = []
        done = depth = start = 0
        for tag in _TABLE_TAG.finditer(fragment):
            if not tag.group(1):
                if not depth:
                    start = tag.start()
                depth += 1
            elif depth:
                depth -= 1
                if not depth:
                    table = fragment[start : tag.end()]
                    out += [fragment[done:start], table_region(table, name(fragment, start, table))]
                    done = tag.end()
        return "".join(out) + fragment[done:]

    return wrap


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# The theme every HTML page may use; the quiz player is the kind table, then the player.
THEME = ("style.css", "print.css", "kinds.js", "quiz.js")
PLAYER_SCRIPTS = ("kinds.js", "quiz.js")
# The print button of assignment checklists: shipped, and loaded, only where a checklist is.
TASK_SCRIPT = "task.js"


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


def has_checklist(item: AnyItem) -> bool:
    """Whether the item's page has a grading checklist (and so loads TASK_SCRIPT)."""
    return isinstance(item, Assignment) and bool(item.criteria)


def _minutes(course: Course, minutes: int | None) -> str:
    if not minutes:
        return ""
    return f'<p class="meta">{esc(strings(course.language)["minutes"].format(n=minutes))}</p>\n'


def assignment_article(
    course: Course, task: Assignment, resolve: Resolve, prefix: str = "t"
) -> str:
    """An assignment as a task page: the instructions, what to hand in, how it is graded, and
    the criteria as a printable checklist. ``prefix`` keeps element ids apart on a page with
    several items."""
    s = strings(course.language)
    parts = [f"<h1>{esc(task.title)}</h1>\n", _minutes(course, task.minutes)]
    parts.append(resolve(task.html) + "\n")
    words = {Submission.TEXT: s["submit_text"], Submission.FILE: s["submit_file"]}
    ways = "".join(f"<li>{esc(words[way])}</li>" for way in task.submission)
    parts.append(
        f'<section class="task-hand-in" aria-labelledby="{prefix}-hand-in">'
        f'<h2 id="{prefix}-hand-in">{esc(s["hand_in"])}</h2><ul>{ways}</ul></section>\n'
    )
    facts = [s["max_points"].format(n=f"{task.points:g}")]
    if task.pass_points is not None:
        facts.append(s["pass_points"].format(n=f"{task.pass_points:g}"))
    facts.append(s["graded_by_trainer"])
    parts.append(
        f'<section class="task-grading" aria-labelledby="{prefix}-grading">'
        f'<h2 id="{prefix}-grading">{esc(s["grading"])}</h2><ul>'
        + "".join(f"<li>{esc(f)}</li>" for f in facts)
        + "</ul></section>\n"
    )
    if task.criteria:
        parts.append(_checklist(course, task, resolve, prefix))
    return "".join(parts)


def _checklist(course: Course, task: Assignment, resolve: Resolve, prefix: str) -> str:
    """The criteria as a table with a column of checkboxes, a total row and a print button
    (task.js shows it; without scripts the browser's own printing gives the same)."""
    s = strings(course.language)
    met = f"{prefix}-met"
    rows = []
    for n, criterion in enumerate(task.criteria, 1):
        cell = f"{prefix}-c{n}"
        rows.append(
            f'<tr><td id="{cell}">{resolve(criterion.text)}</td>'
            f'<td class="num">{criterion.points:g}</td>'
            f'<td class="tick"><input type="checkbox" aria-labelledby="{met} {cell}"></td></tr>\n'
        )
    total = sum(c.points for c in task.criteria)
    table = (
        '<table class="checklist-table">\n<thead><tr>'
        f'<th scope="col">{esc(s["criterion"])}</th>'
        f'<th scope="col" class="num">{esc(s["criterion_points"])}</th>'
        f'<th scope="col" class="tick" id="{met}">{esc(s["criterion_met"])}</th>'
        "</tr></thead>\n<tbody>\n" + "".join(rows) + "</tbody>\n"
        f'<tfoot><tr><th scope="row">{esc(s["total"])}</th><td class="num">{total:g}</td>'
        "<td></td></tr></tfoot>\n</table>"
    )
    return (
        f'<section class="checklist" aria-labelledby="{prefix}-criteria">\n'
        f'<h2 id="{prefix}-criteria">{esc(s["criteria"])}</h2>\n'
        f"{table}\n"
        '<div class="actions"><button type="button" data-print hidden>'
        f"{esc(s['print_checklist'])}</button></div>\n"
        "</section>\n"
    )


def forum_article(course: Course, forum: Forum, resolve: Resolve) -> str:
    """A forum as a page: the prompt, and where the discussion takes place."""
    s = strings(course.language)
    parts = [f"<h1>{esc(forum.title)}</h1>\n", _minutes(course, forum.minutes)]
    parts.append(resolve(forum.html) + "\n")
    parts.append(f'<p class="notice forum-note">{esc(s["forum_note"])}</p>\n')
    return "".join(parts)
