"""Static site: the whole course as linked HTML pages that work from file:// and offline.

What is for trainers (trainers' modules, and trainers' items of other modules) forms a part of
its own, "For trainers", after the learners' modules: in the contents, on the home page and in
its own previous/next sequence, so a learner reading on never runs into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...i18n import strings
from ...model import AnyItem, Assignment, Course, Forum, Lesson, Module, Quiz
from ..base import BuildContext, Target
from . import pages
from .pages import (
    PLAYER_SCRIPTS,
    TASK_SCRIPT,
    THEME,
    esc,
    has_checklist,
    href,
    item_path,
    media_path,
    resolver,
)
from .quizview import quiz_article

ASSETS = "assets"
NAV_SCRIPT = "nav.js"  # the navigation's toggle on small screens: every page of the site
NAV_ID = "course-nav"
TRAINERS_ANCHOR = "for-trainers"  # the trainers' part on the home page and module pages


def module_path(module: Module) -> str:
    return f"{module.id}/index.html"


def for_trainers(module: Module, item: AnyItem) -> bool:
    """Whether an item belongs to the trainers' part (as Course.for_learners leaves it out)."""
    return module.for_trainers or item.for_trainers


@dataclass
class TrainersGroup:
    """A module's share of the trainers' part: the whole module, or its trainers' items."""

    module: Module
    items: list[AnyItem]

    @property
    def whole(self) -> bool:
        return len(self.items) == len(self.module.items)

    @property
    def path(self) -> str:
        """Where the group is listed: the module page, or its trainers' section."""
        page = module_path(self.module)
        return page if self.whole else f"{page}#{TRAINERS_ANCHOR}"


def trainers_part(course: Course) -> list[TrainersGroup]:
    groups = []
    for module in course.modules:
        items = [i for i in module.items if for_trainers(module, i)]
        if items:
            groups.append(TrainersGroup(module, items))
    return groups


def learners_modules(course: Course) -> list[Module]:
    """The learners' modules, each with the learners' items only."""
    out = []
    for module in course.modules:
        items = [i for i in module.items if not for_trainers(module, i)]
        if items:
            out.append(module if len(items) == len(module.items) else module.for_learners())
    return out


def site_files(course: Course) -> dict[str, bytes]:
    """Every file of the site, by its path."""
    files: dict[str, bytes] = {}
    for name in (*THEME, NAV_SCRIPT):
        files[f"{ASSETS}/{name}"] = pages.theme_file(name)
    if any(has_checklist(item) for item in course.items()):
        files[f"{ASSETS}/{TASK_SCRIPT}"] = pages.theme_file(TASK_SCRIPT)
    for media in course.media.values():
        files[media_path(media.name)] = media.read()
    files["index.html"] = _home(course).encode()
    for module in course.modules:
        files[module_path(module)] = _module_page(course, module).encode()
    for item, prev_item, next_item in _sequences(course):
        files[item_path(item)] = _item_page(course, item, prev_item, next_item).encode()
    return files


Neighbours = tuple[AnyItem, AnyItem | None, AnyItem | None]


def _sequences(course: Course) -> list[Neighbours]:
    """Every item with the pages before and after it: two sequences of pages, the learners'
    and the trainers'."""
    learners = [i for m in learners_modules(course) for i in m.items]
    trainers = [i for group in trainers_part(course) for i in group.items]
    out = []
    for items in (learners, trainers):
        for i, item in enumerate(items):
            prev_item = items[i - 1] if i else None
            next_item = items[i + 1] if i + 1 < len(items) else None
            out.append((item, prev_item, next_item))
    return out


def site_pages(course: Course, paths: set[str]) -> dict[str, bytes]:
    """The pages (home, module and item pages) among ``paths``, as site_files writes them: a
    preview re-renders only the pages a change touches."""
    files: dict[str, bytes] = {}
    if "index.html" in paths:
        files["index.html"] = _home(course).encode()
    for module in course.modules:
        if module_path(module) in paths:
            files[module_path(module)] = _module_page(course, module).encode()
    for item, prev_item, next_item in _sequences(course):
        if item_path(item) in paths:
            files[item_path(item)] = _item_page(course, item, prev_item, next_item).encode()
    return files


def pages_showing(course: Course, item: AnyItem) -> set[str]:
    """The pages that show an item's title or minutes: its own, the home page (which starts
    with the first item), its module's page, the pages of its module's items (their contents
    list it) and its neighbours (their pagers name it)."""
    module = course.module_of(item)
    paths = {"index.html", module_path(module)}
    paths.update(item_path(i) for i in module.items)
    for current, prev_item, next_item in _sequences(course):
        if current is item:
            paths.update(item_path(i) for i in (prev_item, next_item) if i is not None)
    return paths


class Site(Target):
    name = "site"
    description = "static HTML site for preview and offline reading, with interactive quizzes"

    def build(self, ctx: BuildContext) -> list[str]:
        files = site_files(ctx.course)
        folder = ctx.out.write_tree(self.name, files)
        archive = ctx.out.write_zip(ctx.package_name(self.name, "zip"), files, ctx.mtime)
        return [archive, folder]


# ---------------------------------------------------------------------------------------------
# pages


def _frame(
    course: Course, page: str, title: str, main: str, current: str | None, task: bool = False
) -> str:
    """A page of the site; ``task``: it has a checklist to print."""
    s = strings(course.language)
    assets = href(page, ASSETS)
    home = href(page, "index.html")
    body = (
        f'<a class="skip-link" href="#main">{esc(s["skip"])}</a>\n'
        f'<header class="site-header"><a href="{home}">{esc(course.title)}</a>'
        f'<button type="button" class="nav-toggle" aria-expanded="false" aria-controls="{NAV_ID}"'
        ' hidden><span class="nav-toggle-icon" aria-hidden="true">☰</span>'
        f"{esc(s['menu'])}</button></header>\n"
        '<div class="layout">\n'
        f"{_toc(course, page, current)}"
        f'<main id="main" tabindex="-1">\n{main}</main>\n</div>\n'
        f"{_footer(course)}"
    )
    page_title = title if title == course.title else f"{title} – {course.title}"
    scripts = [f"{assets}/{NAV_SCRIPT}"]
    if "data-quiz" in main:
        scripts += [f"{assets}/{name}" for name in PLAYER_SCRIPTS]
    if task:
        scripts.append(f"{assets}/{TASK_SCRIPT}")
    return pages.document(
        lang=course.language, title=page_title, body=body, assets=assets, scripts=scripts
    )


def _toc(course: Course, page: str, current: str | None) -> str:
    s = strings(course.language)
    out = [f'<nav class="toc" id="{NAV_ID}" aria-label="{esc(s["contents"])}">\n<ol>\n']
    for module in learners_modules(course):
        out.append(_toc_module(page, current, module_path(module), module.title, module.items))
    out.append("</ol>\n")
    groups = trainers_part(course)
    if groups:
        out.append(f'<h2 class="toc-part">{esc(s["for_trainers"])}</h2>\n<ol>\n')
        for group in groups:
            out.append(_toc_module(page, current, group.path, group.module.title, group.items))
        out.append("</ol>\n")
    out.append("</nav>\n")
    return "".join(out)


def _toc_module(
    page: str, current: str | None, target: str, title: str, items: list[AnyItem]
) -> str:
    cur = ' aria-current="page"' if target == current else ""
    out = [f'<li><a class="module-link" href="{href(page, target)}"{cur}>{esc(title)}</a>\n']
    # Only the open module lists its items: a page stays small however big the course.
    paths = [item_path(item) for item in items]
    if current in paths or target == current:
        out.append("<ol>\n")
        for item, path in zip(items, paths, strict=True):
            cur = ' aria-current="page"' if path == current else ""
            out.append(f'<li><a href="{href(page, path)}"{cur}>{esc(item.title)}</a></li>\n')
        out.append("</ol>")
    out.append("</li>\n")
    return "".join(out)


def _footer(course: Course) -> str:
    s = strings(course.language)
    bits = [f"{esc(s['version'])} {esc(course.version)}"]
    if course.authors:
        bits.append(f"{esc(s['authors'])}: {esc(', '.join(course.authors))}")
    if course.license:
        bits.append(f"{esc(s['license'])}: {esc(course.license)}")
    return f'<footer class="site-footer">{" · ".join(bits)}</footer>\n'


def _breadcrumb(
    course: Course, page: str, module: Module | None, trainers: bool = False, in_part: str = ""
) -> str:
    """Home, then (``trainers``) the trainers' part, then the module (at ``in_part`` of its
    page, if given)."""
    s = strings(course.language)
    crumbs = [f'<li><a href="{href(page, "index.html")}">{esc(s["home"])}</a></li>']
    if trainers:
        part = href(page, "index.html") + f"#{TRAINERS_ANCHOR}"
        crumbs.append(f'<li><a href="{part}">{esc(s["for_trainers"])}</a></li>')
    if module is not None:
        crumbs.append(
            f'<li><a href="{href(page, module_path(module) + in_part)}">{esc(module.title)}</a>'
            "</li>"
        )
    label = esc(s["breadcrumb"])
    return f'<nav class="breadcrumb" aria-label="{label}"><ol>{"".join(crumbs)}</ol></nav>\n'


def _trainers_note(course: Course) -> str:
    return f'<p class="notice audience-note">{esc(strings(course.language)["trainers_page"])}</p>\n'


def _kind(course: Course, item: AnyItem) -> str:
    s = strings(course.language)
    if isinstance(item, Quiz):
        return s["quiz"]
    if isinstance(item, Assignment):
        return s["assignment"]
    if isinstance(item, Forum):
        return s["forum"]
    return s["lesson"]


def _item_list(course: Course, page: str, items: list[AnyItem], heading: str) -> str:
    s = strings(course.language)
    rows = []
    for item in items:
        kind = _kind(course, item)
        minutes = f" · {esc(s['minutes'].format(n=item.minutes))}" if item.minutes else ""
        rows.append(
            f'<li><{heading}><a href="{href(page, item_path(item))}">{esc(item.title)}</a>'
            f'</{heading}><span class="item-kind">{esc(kind)}{minutes}</span></li>'
        )
    return f'<ol class="module-list">{"".join(rows)}</ol>\n'


def _counts(course: Course, items: list[AnyItem]) -> str:
    """How many lessons (always said), quizzes, assignments and forums (when there are)."""
    s = strings(course.language)
    counts = s["lessons_n"].format(n=sum(isinstance(i, Lesson) for i in items))
    for kind, key in ((Quiz, "quizzes_n"), (Assignment, "assignments_n"), (Forum, "forums_n")):
        n = sum(isinstance(i, kind) for i in items)
        if n:
            counts += " · " + s[key].format(n=n)
    return counts


def _home(course: Course) -> str:
    s = strings(course.language)
    page = "index.html"
    res = resolver(course, page)
    parts = [f"<article>\n<h1>{esc(course.title)}</h1>\n", res(course.summary), "\n"]
    parts.append(f'<h2>{esc(s["modules"])}</h2>\n<ol class="module-list">\n')
    learners = learners_modules(course)
    for module in learners:
        parts.append(_module_entry(course, page, module_path(module), module.title, module.items))
    parts.append("</ol>\n")
    groups = trainers_part(course)
    if groups:
        parts.append(
            f'<h2 id="{TRAINERS_ANCHOR}">{esc(s["for_trainers"])}</h2>\n'
            f"<p>{esc(s['trainers_part'])}</p>\n"
            '<ol class="module-list">\n'
        )
        for group in groups:
            parts.append(_module_entry(course, page, group.path, group.module.title, group.items))
        parts.append("</ol>\n")
    parts.append("</article>\n")
    first = learners[0].items[0] if learners else None
    if first is not None:
        parts.append(
            f'<nav class="pager" aria-label="{esc(s["pages"])}"><a class="next" rel="next" '
            f'href="{href(page, item_path(first))}">'
            f"{esc(s['start'])}: {esc(first.title)} →</a></nav>\n"
        )
    return _frame(course, page, course.title, "".join(parts), page)


def _module_entry(course: Course, page: str, target: str, title: str, items: list[AnyItem]) -> str:
    return (
        f'<li><h3><a href="{href(page, target)}">{esc(title)}</a></h3>'
        f'<span class="item-kind">{esc(_counts(course, items))}</span></li>\n'
    )


def _module_page(course: Course, module: Module) -> str:
    """A module's page: its items; a module shared with trainers lists their items after a
    heading of their own, a trainers' module is marked as one."""
    s = strings(course.language)
    page = module_path(module)
    res = resolver(course, page)
    mine = [i for i in module.items if not for_trainers(module, i)]
    theirs = [i for i in module.items if for_trainers(module, i)]
    whole = not mine
    main = _breadcrumb(course, page, None, trainers=whole)
    if whole:
        main += _trainers_note(course)
    main += (
        f"<article>\n<h1>{esc(module.title)}</h1>\n{res(module.summary)}\n"
        + f"<h2>{esc(s['in_this_module'])}</h2>\n"
        + _item_list(course, page, mine or theirs, "h3")
    )
    if mine and theirs:
        main += (
            f'<h2 id="{TRAINERS_ANCHOR}">{esc(s["for_trainers"])}</h2>\n'
            f"<p>{esc(s['trainers_part'])}</p>\n" + _item_list(course, page, theirs, "h3")
        )
    main += "</article>\n"
    return _frame(course, page, module.title, main, page)


def _article(course: Course, item: AnyItem, res: pages.Resolve) -> str:
    if isinstance(item, Lesson):
        return pages.lesson_article(course, item, res)
    if isinstance(item, Assignment):
        return pages.assignment_article(course, item, res)
    if isinstance(item, Forum):
        return pages.forum_article(course, item, res)
    return quiz_article(course, item, res)


def _item_page(
    course: Course,
    item: AnyItem,
    prev_item: AnyItem | None,
    next_item: AnyItem | None,
) -> str:
    s = strings(course.language)
    page = item_path(item)
    res = resolver(course, page)
    module = course.module_of(item)
    article = _article(course, item, res)
    pager = [f'<nav class="pager" aria-label="{esc(s["pages"])}">']
    if prev_item is not None:
        pager.append(
            f'<a class="prev" rel="prev" href="{href(page, item_path(prev_item))}">'
            f"← {esc(s['previous'])}: {esc(prev_item.title)}</a>"
        )
    if next_item is not None:
        pager.append(
            f'<a class="next" rel="next" href="{href(page, item_path(next_item))}">'
            f"{esc(s['next'])}: {esc(next_item.title)} →</a>"
        )
    pager.append("</nav>\n")
    if for_trainers(module, item):
        shared = any(not for_trainers(module, i) for i in module.items)
        part = f"#{TRAINERS_ANCHOR}" if shared else ""
        main = _breadcrumb(course, page, module, trainers=True, in_part=part)
        main += _trainers_note(course)
    else:
        main = _breadcrumb(course, page, module)
    main += f"<article>\n{article}</article>\n" + "".join(pager)
    return _frame(course, page, item.title, main, page, task=has_checklist(item))
