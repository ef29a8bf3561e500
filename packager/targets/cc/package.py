"""Every file of a cartridge: lesson and assignment pages, QTI assessments, discussion topics,
media, theme, manifest."""

from __future__ import annotations

from ...diagnostics import Diagnostics
from ...messages import N_, tr
from ...model import Assignment, Course, Forum, Lesson, Question, Quiz
from ..html import theme_file
from . import manifest
from .layout import ASSETS, THEME, Layout, layout
from .manifest import ASSESSMENT, TOPIC, WEBCONTENT, Entry, Resource
from .pages import assignment_page, lesson_page
from .qti import ELSEWHERE, Writer
from .topics import topic

ASSIGNMENT_NOTICE = N_(
    'cc: assignment "{title}" becomes a page with its instructions and criteria: the '
    "cartridge has no assignments, so handing in and grading are left out; the moodle target "
    "carries them"
)


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
            if isinstance(item, Lesson | Assignment):
                page = lay.pages[item.id]
                if isinstance(item, Lesson):
                    files[page] = lesson_page(course, item, lay).encode()
                    media = list(item.media)
                else:
                    html, media = assignment_page(course, item, lay)
                    files[page] = html.encode()
                    notices.warning(
                        item.location.path,
                        item.location.line,
                        tr(ASSIGNMENT_NOTICE, title=item.title),
                    )
                used.update(dict.fromkeys(media))
                paths = [page, *(lay.media[m] for m in media)]
                resources.append(Resource(res_id, WEBCONTENT, paths, page, [manifest.THEME_RES]))
            elif isinstance(item, Forum):
                _forum(course, item, lay, files, resources, used)
            elif isinstance(item, Quiz) and not _quiz(
                course, item, lay, carried, notices, files, resources, used
            ):
                continue
            if item.for_trainers:
                resources[-1].instructor = True  # the item's own resource: the last one added
            entry.children.append(Entry(lay.ident("item", item.id), item.title, res_id))
        tree.append(entry)
    for ident in used:
        files[lay.media[ident]] = course.media[ident].read()
    resources.append(manifest.theme_resource(theme))
    files["imsmanifest.xml"] = manifest.write(course, lay, tree, resources, general)
    return files


def _media_resource(
    lay: Layout, owner: str, media: list[str], resources: list[Resource], used: dict[str, None]
) -> list[str]:
    """A webcontent resource with the files a descriptor uses; its id as a dependency list."""
    if not media:
        return []
    media_res = lay.ident("media", owner)
    resources.append(Resource(media_res, WEBCONTENT, [lay.media[m] for m in media]))
    used.update(dict.fromkeys(media))
    return [media_res]


def _forum(
    course: Course,
    forum: Forum,
    lay: Layout,
    files: dict[str, bytes],
    resources: list[Resource],
    used: dict[str, None],
) -> None:
    path = lay.topics[forum.id]
    files[path], media = topic(course, forum, lay)
    depends = _media_resource(lay, forum.id, media, resources, used)
    resources.append(Resource(lay.ident("res", forum.id), TOPIC, [path], None, depends))


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
            tr(
                'cc: quiz "{title}" is left out: it has no question the cartridge can carry; '
                "{elsewhere}",
                title=quiz.title,
                elsewhere=tr(ELSEWHERE),
            ),
        )
        return False
    path = lay.tests[quiz.id]
    files[path] = written.data
    depends = _media_resource(lay, quiz.id, written.media, resources, used)
    resources.append(Resource(lay.ident("res", quiz.id), ASSESSMENT, [path], None, depends))
    return True
