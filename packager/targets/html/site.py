"""Static site: the whole course as linked HTML pages that work from file:// and offline."""

from __future__ import annotations

from ...i18n import strings
from ...model import Course, Lesson, Module, Quiz
from ..base import BuildContext, Target
from . import pages
from .pages import PLAYER_SCRIPTS, THEME, esc, href, item_path, media_path, resolver
from .quizview import quiz_article

ASSETS = "assets"


def module_path(module: Module) -> str:
    return f"{module.id}/index.html"


def site_files(course: Course) -> dict[str, bytes]:
    """Every file of the site, by its path."""
    files: dict[str, bytes] = {}
    for name in THEME:
        files[f"{ASSETS}/{name}"] = pages.theme_file(name)
    for media in course.media.values():
        files[media_path(media.name)] = media.read()
    items = list(course.items())
    files["index.html"] = _home(course).encode()
    for module in course.modules:
        files[module_path(module)] = _module_page(course, module).encode()
    for i, item in enumerate(items):
        prev_item = items[i - 1] if i else None
        next_item = items[i + 1] if i + 1 < len(items) else None
        files[item_path(item)] = _item_page(course, item, prev_item, next_item).encode()
    return files


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


def _frame(course: Course, page: str, title: str, main: str, current: str | None) -> str:
    s = strings(course.language)
    assets = href(page, ASSETS)
    home = href(page, "index.html")
    body = (
        f'<a class="skip-link" href="#main">{esc(s["skip"])}</a>\n'
        f'<header class="site-header"><a href="{home}">{esc(course.title)}</a></header>\n'
        '<div class="layout">\n'
        f"{_toc(course, page, current)}"
        f'<main id="main" tabindex="-1">\n{main}</main>\n</div>\n'
        f"{_footer(course)}"
    )
    page_title = title if title == course.title else f"{title} – {course.title}"
    scripts = [f"{assets}/{name}" for name in PLAYER_SCRIPTS] if "data-quiz" in main else []
    return pages.document(
        lang=course.language, title=page_title, body=body, assets=assets, scripts=scripts
    )


def _toc(course: Course, page: str, current: str | None) -> str:
    s = strings(course.language)
    out = [f'<nav class="toc" aria-label="{esc(s["contents"])}">\n<ol>\n']
    for module in course.modules:
        target = module_path(module)
        cur = ' aria-current="page"' if target == current else ""
        out.append(
            f'<li><a class="module-link" href="{href(page, target)}"{cur}>{esc(module.title)}</a>\n'
        )
        # Only the open module lists its items: a page stays small however big the course.
        paths = [item_path(item) for item in module.items]
        if current in paths or target == current:
            out.append("<ol>\n")
            for item, path in zip(module.items, paths, strict=True):
                cur = ' aria-current="page"' if path == current else ""
                out.append(f'<li><a href="{href(page, path)}"{cur}>{esc(item.title)}</a></li>\n')
            out.append("</ol>")
        out.append("</li>\n")
    out.append("</ol>\n</nav>\n")
    return "".join(out)


def _footer(course: Course) -> str:
    s = strings(course.language)
    bits = [f"{esc(s['version'])} {esc(course.version)}"]
    if course.authors:
        bits.append(f"{esc(s['authors'])}: {esc(', '.join(course.authors))}")
    if course.license:
        bits.append(f"{esc(s['license'])}: {esc(course.license)}")
    return f'<footer class="site-footer">{" · ".join(bits)}</footer>\n'


def _breadcrumb(course: Course, page: str, module: Module | None) -> str:
    s = strings(course.language)
    crumbs = [f'<li><a href="{href(page, "index.html")}">{esc(s["home"])}</a></li>']
    if module is not None:
        crumbs.append(
            f'<li><a href="{href(page, module_path(module))}">{esc(module.title)}</a></li>'
        )
    label = esc(s["breadcrumb"])
    return f'<nav class="breadcrumb" aria-label="{label}"><ol>{"".join(crumbs)}</ol></nav>\n'


def _item_list(course: Course, page: str, module: Module, heading: str) -> str:
    s = strings(course.language)
    rows = []
    for item in module.items:
        kind = s["quiz"] if isinstance(item, Quiz) else s["lesson"]
        minutes = f" · {esc(s['minutes'].format(n=item.minutes))}" if item.minutes else ""
        rows.append(
            f'<li><{heading}><a href="{href(page, item_path(item))}">{esc(item.title)}</a>'
            f'</{heading}><span class="item-kind">{esc(kind)}{minutes}</span></li>'
        )
    return f'<ol class="module-list">{"".join(rows)}</ol>\n'


def _home(course: Course) -> str:
    s = strings(course.language)
    page = "index.html"
    res = resolver(course, page)
    parts = [f"<article>\n<h1>{esc(course.title)}</h1>\n", res(course.summary), "\n"]
    parts.append(f'<h2>{esc(s["modules"])}</h2>\n<ol class="module-list">\n')
    for module in course.modules:
        counts = s["lessons_n"].format(n=len(module.lessons))
        if module.quizzes:
            counts += " · " + s["quizzes_n"].format(n=len(module.quizzes))
        parts.append(
            f'<li><h3><a href="{href(page, module_path(module))}">{esc(module.title)}</a></h3>'
            f'<span class="item-kind">{esc(counts)}</span></li>\n'
        )
    parts.append("</ol>\n</article>\n")
    first = next(course.items(), None)
    if first is not None:
        parts.append(
            f'<nav class="pager" aria-label="{esc(s["pages"])}"><a class="next" rel="next" '
            f'href="{href(page, item_path(first))}">'
            f"{esc(s['start'])}: {esc(first.title)} →</a></nav>\n"
        )
    return _frame(course, page, course.title, "".join(parts), page)


def _module_page(course: Course, module: Module) -> str:
    s = strings(course.language)
    page = module_path(module)
    res = resolver(course, page)
    main = (
        _breadcrumb(course, page, None)
        + f"<article>\n<h1>{esc(module.title)}</h1>\n{res(module.summary)}\n"
        + f"<h2>{esc(s['in_this_module'])}</h2>\n"
        + _item_list(course, page, module, "h3")
        + "</article>\n"
    )
    return _frame(course, page, module.title, main, page)


def _item_page(
    course: Course,
    item: Lesson | Quiz,
    prev_item: Lesson | Quiz | None,
    next_item: Lesson | Quiz | None,
) -> str:
    s = strings(course.language)
    page = item_path(item)
    res = resolver(course, page)
    module = course.module_of(item)
    if isinstance(item, Lesson):
        article = pages.lesson_article(course, item, res)
    else:
        article = quiz_article(course, item, res)
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
    main = _breadcrumb(course, page, module) + f"<article>\n{article}</article>\n" + "".join(pager)
    return _frame(course, page, item.title, main, page)
