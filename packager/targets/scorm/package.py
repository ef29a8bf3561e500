"""SCORM packages (1.2 and 2004 4th edition): the SCO pages, the files, the manifest.

By default every item (lesson, quiz, assignment, forum) is a SCO of its own;
``-O scorm.sco=module`` makes one SCO per module, its items shown one after the other. What is
for trainers is left out: a package holds what learners see (``Course.for_learners``).
Assignments and forums are pages read to their end, as lessons are; a learner hands in or
discusses on the learning platform.

A page links only within its own SCO: a link to another lesson or quiz becomes its text. The LMS
moves between SCOs; a page opened by a link would run under the SCO that was launched (Moodle's
SCORM 1.2 API lets it initialize again and records its progress and score as that SCO's), and a
package of one module has no page for the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from ...i18n import strings
from ...messages import tr
from ...model import AnyItem, Assignment, Course, Forum, Lesson, Module, Quiz
from ...names import ncname
from .. import html
from ..base import BuildContext
from ..html import (
    PLAYER_SCRIPTS,
    TASK_SCRIPT,
    THEME,
    esc,
    has_checklist,
    href,
    item_path,
    media_path,
    quiz_article,
    resolver,
)
from . import manifest as scorm_manifest

EDITIONS = ("1.2", "2004")
ASSETS = "assets"
RUNTIME = "scorm.js"  # the SCORM runtime, beside this module


@dataclass
class Sco:
    """One launchable page and what the manifest says of it."""

    ident: str  # item identifier in the manifest
    title: str
    href: str
    files: list[str]
    quizzes: list[Quiz] = field(default_factory=list)
    pages: list[Lesson | Assignment | Forum] = field(default_factory=list)  # read to the end

    @property
    def resource(self) -> str:
        return "RES" + self.ident[4:]

    @property
    def pass_percentage(self) -> float | None:
        if not self.quizzes:
            return None
        return max(q.settings.pass_percentage for q in self.quizzes)


@dataclass
class Group:
    """A module as the manifest shows it: a titled cluster of SCOs."""

    ident: str
    title: str
    scos: list[Sco]


def build(ctx: BuildContext, edition: str, suffix: str) -> list[str]:
    if not ctx.course.for_learners().modules:
        ctx.notices.warning(
            "course.yml",
            1,
            tr("{target}: no package, as every module is for trainers only", target=suffix),
        )
        return []
    per = ctx.option("scorm.sco", "item")
    entries = package_entries(ctx.course, edition, per=per)
    return [ctx.out.write_zip(ctx.package_name(suffix, "zip"), entries, ctx.mtime)]


def package_entries(
    course: Course,
    edition: str,
    modules: list[Module] | None = None,
    per: str = "item",
    trainers: bool = False,
) -> dict[str, bytes]:
    """Every file of a SCORM package of ``modules`` (default: the whole course), without what
    is for trainers unless ``trainers`` (for an LMS section only trainers see)."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown SCORM edition {edition}")
    given = course.modules if modules is None else modules
    if trainers:
        chosen = list(given)
    else:
        learners = [m.for_learners() for m in given if not m.for_trainers]
        chosen = [m for m in learners if m.items]
    if not chosen:
        raise ValueError("no module with anything for learners: a SCORM package needs a SCO")
    files: dict[str, bytes] = {}
    groups: list[Group] = []
    for module in chosen:
        if per == "module":
            path = f"{module.id}/module.html"
            files[path] = _module_page(course, module, edition, path).encode()
            media = [m for item in module.items for m in item.media]
            sco = Sco(
                ncname("ITEM", module.id),
                module.title,
                path,
                [path, *_media_files(course, media)],
                module.quizzes,
                _pages(module.items),
            )
            groups.append(Group(ncname("MOD", module.id), module.title, [sco]))
            continue
        scos = []
        for item in module.items:
            path = item_path(item)
            files[path] = _item_page(course, item, edition, path).encode()
            quizzes = [item] if isinstance(item, Quiz) else []
            scos.append(
                Sco(
                    ncname("ITEM", item.id),
                    item.title,
                    path,
                    [path, *_media_files(course, item.media)],
                    quizzes,
                    _pages([item]),
                )
            )
        groups.append(Group(ncname("MOD", module.id), module.title, scos))
    used = sorted({m for module in chosen for item in module.items for m in item.media})
    for ident in used:
        media = course.media[ident]
        files[media_path(media.name)] = media.read()
    theme = list(THEME)
    if any(has_checklist(item) for module in chosen for item in module.items):
        theme.append(TASK_SCRIPT)
    for name in theme:
        files[f"{ASSETS}/{name}"] = html.theme_file(name)
    files[f"{ASSETS}/{RUNTIME}"] = resources.files(__package__).joinpath(RUNTIME).read_bytes()
    assets = [f"{ASSETS}/{name}" for name in (*theme, RUNTIME)]
    files.update(scorm_manifest.write(course, edition, groups, assets))
    return files


def _media_files(course: Course, ids: list[str]) -> list[str]:
    return [media_path(course.media[i].name) for i in ids]


def _pages(items: list[AnyItem]) -> list[Lesson | Assignment | Forum]:
    return [i for i in items if not isinstance(i, Quiz)]


# ---------------------------------------------------------------------------------------------
# SCO pages


def _page(
    course: Course, edition: str, page: str, title: str, kind: str, main: str, task: bool = False
) -> str:
    """A SCO page; ``task``: it has a checklist to print."""
    s = strings(course.language)
    assets = href(page, ASSETS)
    scripts = [f"{assets}/{name}" for name in (*PLAYER_SCRIPTS, RUNTIME)]
    if task:
        scripts.append(f"{assets}/{TASK_SCRIPT}")
    body = (
        f'<a class="skip-link" href="#main">{esc(s["skip"])}</a>\n'
        f'<main id="main" class="sco" tabindex="-1">\n{main}</main>\n'
    )
    attrs = f' data-scorm="{"2004" if edition == "2004" else "1.2"}" data-sco="{kind}"'
    head = '<link rel="icon" href="data:,">\n'
    return html.document(
        lang=course.language,
        title=title,
        body=body,
        assets=assets,
        scripts=scripts,
        head=head,
        body_attrs=attrs,
    )


# what ends a page that is read to its end, by the section's kind
_END = {"lesson": "end_of_lesson", "assignment": "end_of_assignment", "forum": "end_of_forum"}


def _kind(item: AnyItem) -> str:
    if isinstance(item, Quiz):
        return "quiz"
    if isinstance(item, Assignment):
        return "assignment"
    if isinstance(item, Forum):
        return "forum"
    return "lesson"


def _section(course: Course, item: AnyItem, res, prefix: str, hidden: bool) -> str:
    s = strings(course.language)
    shown = " hidden" if hidden else ""
    kind = _kind(item)
    if isinstance(item, Quiz):
        article = quiz_article(course, item, res, prefix=prefix, deferred=True)
        return (
            f'<section class="sco-item" data-kind="quiz"{shown}>\n<article>\n{article}</article>\n'
            "</section>\n"
        )
    if isinstance(item, Assignment):
        article = html.assignment_article(course, item, res, prefix="t" + prefix[1:].rstrip("-"))
    elif isinstance(item, Forum):
        article = html.forum_article(course, item, res)
    else:
        article = html.lesson_article(course, item, res)
    end = f'<p class="sco-end meta">{esc(s[_END[kind]])}</p>\n'
    return (
        f'<section class="sco-item" data-kind="{kind}"{shown}>\n<article>\n{article}'
        f"</article>\n{end}</section>\n"
    )


def _item_page(course: Course, item: AnyItem, edition: str, page: str) -> str:
    res = resolver(course, page, {item.id: page})
    main = _section(course, item, res, "q", hidden=False)
    return _page(course, edition, page, item.title, _kind(item), main, has_checklist(item))


def _module_page(course: Course, module: Module, edition: str, page: str) -> str:
    s = strings(course.language)
    res = resolver(course, page, dict.fromkeys((item.id for item in module.items), page))
    sections = "".join(
        _section(course, item, res, f"q{i + 1}-", hidden=i > 0)
        for i, item in enumerate(module.items)
    )
    pager = (
        f'<nav class="sco-pager pager" aria-label="{esc(s["module_parts"])}">'
        f'<button type="button" data-go="prev">← {esc(s["previous"])}</button>'
        '<span class="sco-position" aria-live="polite"></span>'
        f'<button type="button" data-go="next">{esc(s["next"])} →</button></nav>\n'
    )
    task = any(has_checklist(item) for item in module.items)
    return _page(course, edition, page, module.title, "module", sections + pager, task)
