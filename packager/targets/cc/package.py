"""Every file of a cartridge: lesson pages, QTI assessments, media, theme, manifest."""

from __future__ import annotations

from ...diagnostics import Diagnostics
from ...model import Course, Lesson, Question, Quiz
from ..html import theme_file
from . import manifest
from .layout import ASSETS, THEME, Layout, layout
from .manifest import ASSESSMENT, WEBCONTENT, Entry, Resource
from .pages import lesson_page
from .qti import ELSEWHERE, Writer


def cartridge_entries(
    course: Course,
    carried: dict[str, list[Question]],
    notices: Diagnostics,
    general: bool = True,
) -> dict[str, bytes]:
    """The cartridge's files by path. ``carried`` maps each quiz id to the questions of kinds the
    target carries (the others were reported already)."""
    lay = layout(course)
    files: dict[str, bytes] = {}
    theme = [f"{ASSETS}/{name}" for name in THEME]
    for path in theme:
        files[path] = theme_file(path.rsplit("/", 1)[1])
    resources: list[Resource] = []
    tree: list[Entry] = []
    used: dict[str, None] = {}
    for module in course.modules:
        entry = Entry(lay.ident("module", module.id), module.title)
        for item in module.items:
            res_id = lay.ident("res", item.id)
            if isinstance(item, Lesson):
                page = lay.pages[item.id]
                files[page] = lesson_page(course, item, lay).encode()
                media = [lay.media[m] for m in item.media]
                used.update(dict.fromkeys(item.media))
                resources.append(
                    Resource(res_id, WEBCONTENT, [page, *media], page, [manifest.THEME_RES])
                )
            elif isinstance(item, Quiz) and not _quiz(
                course, item, lay, carried, notices, files, resources, used
            ):
                continue
            entry.children.append(Entry(lay.ident("item", item.id), item.title, res_id))
        tree.append(entry)
    for ident in used:
        files[lay.media[ident]] = course.media[ident].read()
    resources.append(manifest.theme_resource(theme))
    files["imsmanifest.xml"] = manifest.write(course, lay, tree, resources, general)
    return files


def _quiz(
    course: Course,
    quiz: Quiz,
    lay: Layout,
    carried: dict[str, list[Question]],
    notices: Diagnostics,
    files: dict[str, bytes],
    resources: list[Resource],
    used: dict[str, None],
) -> bool:
    """Writes the quiz's assessment; False when it has no question the cartridge carries."""
    written = Writer(course, quiz, lay, notices).write(carried.get(quiz.id, []))
    if written is None:
        notices.warning(
            quiz.location.path,
            quiz.location.line,
            f'cc: quiz "{quiz.title}" is left out: it has no question the cartridge can carry; '
            f"{ELSEWHERE}",
        )
        return False
    path = lay.tests[quiz.id]
    files[path] = written.data
    depends = []
    if written.media:
        media_res = lay.ident("media", quiz.id)
        resources.append(Resource(media_res, WEBCONTENT, [lay.media[m] for m in written.media]))
        depends.append(media_res)
        used.update(dict.fromkeys(written.media))
    resources.append(Resource(lay.ident("res", quiz.id), ASSESSMENT, [path], None, depends))
    return True
