"""Reads a content folder once into the course model, reporting every problem found."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass, field
from functools import partial
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from . import assessments, schema
from .diagnostics import BuildError, Diagnostics, closest, did_you_mean
from .markup import Document, Renderer
from .media import EXTENSIONS, LINKABLE, ImageProcessor, MediaError
from .messages import tr
from .model import (
    AnyItem,
    Assignment,
    Audience,
    Completion,
    Course,
    Criterion,
    Forum,
    Lesson,
    Location,
    Media,
    Module,
    Submission,
)
from .names import ID_MAX, ID_PART_MAX, id_problem, id_rule, normal_id, safe_file_name
from .refs import doc_ref, media_ids, media_ref
from .rendered import RenderedCache
from .source import (
    MAX_GIFT_TEXTS,
    NAME_MAX,
    Fields,
    MarkdownBudget,
    SourceFile,
    is_file,
    lookup_problem,
    markdown_problem,
    parse_yaml,
    position,
    read_source,
    read_text,
)
from .typography import typeset_html, typeset_text

COURSE_FILES = ("course.yml", "course.yaml")
MODULE_FILE = "module.md"
# the keys each file may hold: declared once, in packager/schema.py
COURSE_KEYS = schema.COURSE.names()
COMPLETION_KEYS = schema.COURSE["completion"].names()
IMAGE_KEYS = schema.COURSE["images"].names()
MODULE_KEYS = schema.MODULE.names()
ITEM_KEYS = {kind: src.names() for kind, src in schema.ITEMS.items()}
ITEM_TYPES = schema.ITEM_TYPES
AUDIENCES = {word: Audience(value) for word, value in schema.AUDIENCE_WORDS.items()}
SUBMISSIONS = {word: Submission(value) for word, value in schema.SUBMISSION_WORDS.items()}
DEFAULT_DATE: dt.date = schema.DEFAULT_DATE
_ORDER_PREFIX = re.compile(r"(\d+)")
_TYPE_LINE = re.compile(r"""^type[ \t]*:[ \t]*["']?([A-Za-z]+)""", re.M)
_ID_ATTRIBUTE = re.compile(r'<[a-zA-Z][^\s/>]*\s(?:[^>"]|"[^"]*")*?(?<=\s)id="([^"]*)"')


def load(
    root: Path,
    diags: Diagnostics,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    loader: _Loader | None = None,
) -> Course:
    """Load the course in ``root``; raise BuildError when any error was reported.

    Images and Markdown conversions are cached in ``cache_dir`` (default: see
    :func:`packager.cache.default_cache_dir`) unless ``use_cache`` is False; a cache that
    cannot be used is a ``diags.notice``.
    ``loader``: one made by the caller for the same root and diagnostics, which keeps it (the
    preview, packager/preview/, reloads the files that change through it).
    """
    loader = loader or _Loader(Path(root), diags, cache_dir, use_cache)
    try:
        course = loader.load()
    except RecursionError:  # a last resort: the limits in source.py should come first
        diags.error(loader.current, 1, tr("the file is nested too deeply to be read"))
        course = None
    finally:
        loader.trim_cache()
        diags.set_order(loader.reading_order())
    if diags.has_errors or course is None:
        raise BuildError(tr("the content has errors"))
    return course


@dataclass
class _Pending:
    """An item read in the first pass, rendered in the second."""

    kind: str
    src: SourceFile
    fields: Fields
    module: Module
    ident: str


@dataclass
class _ModuleDraft:
    module: Module
    src: SourceFile
    items: list[_Pending] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # its item files, in order
    order_known: bool = True  # False: its front matter is broken and its folder has no number


@dataclass(frozen=True)
class _AnchorLink:
    """A link to an anchor, checked once every page is rendered."""

    rel: str  # the file the link is in
    line: int
    col: int
    target: str  # the file it points to (``rel`` for "#anchor")
    fragment: str
    written: str  # the link as written


class _Loader:
    def __init__(
        self, root: Path, diags: Diagnostics, cache_dir: Path | None, use_cache: bool = True
    ) -> None:
        self.root = root
        self.real_root = Path(os.path.realpath(root))  # never raises, even on a link loop
        self.diags = diags
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.by_path: dict[str, _Pending] = {}
        self.ids: dict[str, tuple[str, str]] = {}  # casefolded id -> id, rel path of its user
        self.media: dict[str, Media] = {}
        self.unreadable: set[str] = set()  # reported files: links to them are not errors too
        self.bad_media: set[str] = set()
        self.budgets: dict[str, MarkdownBudget] = {}  # what each file's Markdown may still cost
        self.line_counts: dict[str, int] = {}  # lines of each source file read
        self.file_lines: dict[str, list[str]] = {}  # the lines of each file, for columns
        self.anchors: dict[str, set[str]] = {}  # the ids in each file's rendered HTML
        self.anchor_links: list[_AnchorLink] = []
        self.drafts: list[_ModuleDraft] = []  # the modules read, in course order
        self.unread_modules: list[str] = []  # module.md files that could not be read
        self.course_rel = COURSE_FILES[0]
        self.opened: dict[str, list[str]] = {}  # file -> the files it read (GIFT banks)
        self.resolved: dict[tuple[str, str, str, int, int], Any] = {}  # link and image answers
        self.typography = False  # set from the course file
        self.current = COURSE_FILES[0]  # the file being read, for a last-resort error
        self.images: ImageProcessor | None = None  # made once the course file is read

    def trim_cache(self) -> None:
        """Keep the cache within its size limit once entries have been written to it."""
        if self.images is not None:
            self.images.cache.trim()

    # ---------------------------------------------------------------------------------------
    # course file

    def load(self) -> Course | None:
        course_file = next((self.root / n for n in COURSE_FILES if is_file(self.root / n)), None)
        if course_file is None:
            message = (
                tr(
                    'no course file in "{folder}": create course.yml there, '
                    "or start a new course with `packager new FOLDER`",
                    folder=self.root,
                )
                if self.root.is_dir()
                else tr(
                    'no course file in "{folder}" (no such folder): create course.yml there, '
                    "or start a new course with `packager new FOLDER`",
                    folder=self.root,
                )
            )
            self.diags.error(COURSE_FILES[0], 1, message)
            return None
        rel = self.course_rel = course_file.name
        text = read_text(course_file, rel, self.diags)
        if text is None:
            return None
        self._keep_lines(rel, text)
        node = parse_yaml(text, rel, 1, self.diags) if text.strip() else None
        if node is None and text.strip():
            return None  # everything else depends on the course file: fix it first
        f = Fields(node, rel, self.diags, COURSE_KEYS, 1, "course file")
        title = f.str("title", required=True) or ""
        short_name = self._name(f, "short_name", "course", required=True)
        language = f.str("language", "bg")
        if not re.fullmatch(r"[a-z]{2}", language):
            self.diags.error(
                rel,
                f.key_line("language"),
                tr(
                    'language must be a two-letter code such as "bg", not "{language}"',
                    language=language,
                ),
            )
        completion = f.mapping("completion", COMPLETION_KEYS)
        images = f.mapping("images", IMAGE_KEYS)
        pass_percentage = completion.float("pass_percentage", 70.0, minimum=0, maximum=100)
        max_width = images.int("max_width", 1600, minimum=16)
        date = f.date("date", DEFAULT_DATE)
        course = Course(
            id=short_name,
            title=title,
            short_name=short_name,
            language=language,
            version=self._name(f, "version", "1.0", extra="+"),
            authors=f.str_list("authors"),
            license=f.str("license", ""),
            summary="",
            date=date,
            start_date=f.date("start_date", date),
            completion=Completion(
                lessons_required=completion.bool("lessons_required", True),
                quizzes_required=completion.bool("quizzes_required", True),
                assignments_required=completion.bool("assignments_required", True),
                forums_required=completion.bool("forums_required", False),
                pass_percentage=pass_percentage,
            ),
            root=self.root,
            iframe_hosts=f.str_list("iframe_hosts"),
            max_image_width=max_width,
            keywords=f.str_list("keywords"),
            typography=f.bool("typography", True) and language == "bg",
        )
        self.typography = course.typography
        course.title = self._title(course.title)
        self.course = course
        self.images = ImageProcessor(
            max_width,
            self.cache_dir,
            self.use_cache,
            warn=lambda where, message: self.diags.notice(str(where), message),
        )
        kept = RenderedCache(self.images.cache) if self.images.cache.cache_dir else None
        self.renderer = Renderer(language, course.iframe_hosts, kept)
        self.quiz_defaults = assessments.QuizDefaults(pass_percentage=pass_percentage)

        drafts = self.drafts = self._read_modules()
        for draft in drafts:
            self._render_module(draft)
        summary = f.str("summary", "")
        if summary:
            node = f.node("summary")
            line = f.key_line("summary") + (getattr(node, "style", None) in ("|", ">"))
            course.summary = self._markdown(summary, rel, line)
        self.check_anchors()
        course.modules = [d.module for d in drafts]
        course.media = self._named_media()
        if not course.modules:
            self.diags.error(
                rel,
                1,
                tr(
                    "the course has no modules: add a folder with a {module_file} next to {file}",
                    module_file=MODULE_FILE,
                    file=rel,
                ),
            )
        return course

    # ---------------------------------------------------------------------------------------
    # first pass: modules and the front matter of every item

    def _name(
        self, f: Fields, key: str, default: str, required: bool = False, extra: str = ""
    ) -> str:
        """short_name or version: one part of an id, as they name the package files."""
        value = normal_id(f.str(key, default, required=required) or default)
        problem = id_problem(value, parts=False, extra=extra)
        if problem and key in f:
            allowed = tr('"-", "_", "." and "+"') if extra else tr('"-", "_", "."')
            f.error(
                f.node(key),  # type: ignore[arg-type]
                tr(
                    '{key} "{value}" cannot name the package files: {problem}; it must start '
                    "with a letter or a digit and hold only letters, digits and {allowed} "
                    "(at most {most} characters)",
                    key=key,
                    value=value,
                    problem=problem,
                    allowed=allowed,
                    most=ID_PART_MAX,
                ),
            )
        return value

    def _outside(self, path: Path, rel: str) -> bool:
        """True (with an error) when ``path`` is a link to a place outside the content folder."""
        try:
            path.resolve().relative_to(self.real_root)
        except (ValueError, OSError, RuntimeError):
            self.diags.error(
                rel,
                1,
                tr(
                    "this is a link to a place outside the content folder; "
                    "copy what it points to into the content folder instead"
                ),
            )
            return True
        return False

    def _read_modules(self) -> list[_ModuleDraft]:
        drafts: list[_ModuleDraft] = []
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            if folder.name.startswith((".", "_")):
                continue
            if self._outside(folder, f"{folder.name}/"):
                continue
            if not is_file(folder / MODULE_FILE):
                if any(folder.glob("*.md")):
                    self.diags.warning(
                        f"{folder.name}/",
                        1,
                        tr(
                            "this folder has Markdown files but no {module_file}, "
                            "so it is not part of the course",
                            module_file=MODULE_FILE,
                        ),
                    )
                continue
            draft = self._read_module(folder)
            if draft:
                drafts.append(draft)
        orders: dict[int, str] = {}
        for draft in drafts:
            m = draft.module
            if not draft.order_known:
                continue  # its front matter is broken (reported): no order to compare
            if m.order in orders:
                self.diags.error(
                    m.location.path,
                    m.location.line,
                    tr(
                        "order {order} is also used by {other}; give each module its own order",
                        order=m.order,
                        other=orders[m.order],
                    ),
                )
            orders.setdefault(m.order, m.location.path)
        drafts.sort(key=lambda d: (d.module.order, d.module.location.path))
        return drafts

    def _read_module(self, folder: Path) -> _ModuleDraft | None:
        rel = f"{folder.name}/{MODULE_FILE}"
        self.current = rel
        if self._outside(folder / MODULE_FILE, rel):
            return None
        src = read_source(folder / MODULE_FILE, rel, self.diags)
        if src is None:
            self.unread_modules.append(rel)
            # reported: links to its lessons are not errors of their own
            self.unreadable.update(f"{folder.name}/{p.name}" for p in folder.glob("*.md"))
            return None
        self._keep_lines(rel, src.text)
        f = Fields(src.front, rel, self.diags, MODULE_KEYS, src.front_line, "module front matter")
        broken = src.front_broken  # reported: what it may have held is not asked for again
        prefix = _ORDER_PREFIX.match(folder.name)
        order = f.int(
            "order", int(prefix[1]) if prefix else None, required=not prefix and not broken
        )
        module_id = self._claim_id(f, folder.name, rel, "folder", folder.name)
        module = Module(
            id=module_id,
            title=self._title(f.str("title", required=not broken) or folder.name),
            order=order if order is not None else 0,
            summary="",
            location=Location(rel, 1),
            audience=AUDIENCES[f.choice("audience", AUDIENCES, "learners")],
        )
        draft = _ModuleDraft(module, src, order_known=order is not None)
        for name, _line in self._item_files(folder, f, rel):
            item_rel = f"{folder.name}/{name}"
            draft.files.append(item_rel)
            pending = self._read_item(folder / name, item_rel, module)
            if pending is not None:
                draft.items.append(pending)
        listed = "lessons" in f and bool(f.str_list_with_lines("lessons"))
        if not draft.files and not listed:  # a file it lists or has that failed: reported
            self.diags.error(
                rel,
                f.key_line("lessons") if "lessons" in f else 1,
                tr(
                    "the module is empty: add a lesson (a .md file) to its folder "
                    'and list it under "lessons"'
                )
                if "lessons" in f
                else tr("the module is empty: add a lesson (a .md file) to its folder"),
            )
        return draft

    def _item_files(self, folder: Path, f: Fields, rel: str) -> list[tuple[str, int]]:
        present = sorted(
            p.name
            for p in folder.iterdir()
            if is_file(p) and p.suffix in (".md", ".gift") and p.name != MODULE_FILE
        )
        if "lessons" not in f:
            return [(n, 1) for n in present if n.endswith(".md")]
        listed: list[tuple[str, int]] = []
        seen: dict[str, int] = {}
        meant: set[str] = set()  # present files a missing name is a misspelling of
        for name, line in f.str_list_with_lines("lessons"):
            if name in seen:
                self.diags.error(
                    rel,
                    line,
                    tr(
                        '"{name}" is listed twice (first on line {first})',
                        name=name,
                        first=seen[name],
                    ),
                )
                continue
            seen[name] = line
            if "/" in name or "\\" in name:
                self.diags.error(
                    rel, line, tr('"{name}": list files of this module\'s folder only', name=name)
                )
            elif not is_file(folder / name):
                self.diags.error(
                    rel,
                    line,
                    tr(
                        'lesson file "{name}" not found{suggestion}',
                        name=name,
                        suggestion=did_you_mean(name, present),
                    ),
                )
                # one mistake, one error: no link to either name is an error of its own, and
                # the file it was meant to be is not also "not listed"
                self.unreadable.add(f"{folder.name}/{name}")
                close = closest(name, present)
                if close is not None:
                    meant.add(close)
                    self.unreadable.add(f"{folder.name}/{close}")
            elif not name.endswith(".md"):
                self.diags.error(rel, line, tr('"{name}" is not a Markdown (.md) file', name=name))
            else:
                listed.append((name, line))
        for name in present:
            if name.endswith(".md") and name not in seen and name not in meant:
                self.diags.warning(
                    f"{folder.name}/{name}",
                    1,
                    tr(
                        'this file is not listed under "lessons" in {module}, so it is not built',
                        module=rel,
                    ),
                )
        return listed

    def _read_item(self, path: Path, rel: str, module: Module) -> _Pending | None:
        self.current = rel
        src = None if self._outside(path, rel) else read_source(path, rel, self.diags)
        if src is None:
            self.unreadable.add(rel)  # reported; links to it are not errors of their own
            return None
        self._keep_lines(rel, src.text)
        probe = Fields(src.front, rel, self.diags, None, src.front_line)
        kind = self._kind(probe, src)
        if kind is None:  # an unknown type (reported): nothing else of it can be checked
            self.unreadable.add(rel)
            return None
        f = Fields(src.front, rel, self.diags, ITEM_KEYS[kind], src.front_line)
        derived = f"{module.id}/{PurePosixPath(rel).stem}"
        ident = self._claim_id(f, derived, rel, "file", path.name, id_problem(module.id) is None)
        pending = _Pending(kind, src, f, module, ident)
        self.by_path[rel] = pending
        return pending

    @staticmethod
    def _kind(probe: Fields, src: SourceFile) -> str | None:
        """The item's type; None for a type that is not one (reported), whose body is then not
        read: one mistake, one error (read as something else, it would show errors that are
        not there). A broken front matter (reported) is searched for a "type:" line."""
        if src.front_broken:
            front = "\n".join(src.text.split("\n")[src.front_line - 1 : src.body_line - 2])
            written = _TYPE_LINE.search(front)
            return written[1] if written and written[1] in ITEM_TYPES else "lesson"
        kind = probe.choice("type", ITEM_TYPES, "")  # "": absent, empty or not a type
        if kind:
            return kind
        node = probe.node("type")
        absent = node is None or (isinstance(node.value, str) and probe.str("type") is None)
        return "lesson" if absent else None

    def _claim_id(
        self, f: Fields, default: str, rel: str, source: str, name: str, check: bool = True
    ) -> str:
        """An id written as "id:" or made from a folder or file ``name`` (``source``)."""
        written = f.str("id")
        ident = normal_id(written or default)
        problem = id_problem(ident)
        if problem and written:
            f.error(
                f.node("id"),  # type: ignore[arg-type]
                tr(
                    'id "{id}" cannot name files: {problem}; {rule}',
                    id=written,
                    problem=problem,
                    rule=id_rule(),
                ),
            )
        elif problem and check:
            values = {
                "id": ident,
                "name": name,
                "problem": problem,
                "rule": id_rule(),
                "part": ID_PART_MAX,
                "most": ID_MAX,
            }
            message = (
                tr(
                    'the id "{id}" made from the folder name "{name}" cannot name files: '
                    '{problem}; rename the folder or set "id:" in module.md '
                    "({rule}; at most {part} characters a part, {most} in all)",
                    **values,
                )
                if source == "folder"
                else tr(
                    'the id "{id}" made from the file name "{name}" cannot name files: '
                    '{problem}; rename the file or set "id:" in its front matter '
                    "({rule}; at most {part} characters a part, {most} in all)",
                    **values,
                )
            )
            self.diags.error(rel, 1, message)
        key = ident.casefold()  # two ids that differ only in case are one file on Windows
        if key in self.ids:
            first = self.ids[key]
            self.diags.error(
                rel,
                f.key_line("id"),
                tr('id "{id}" is already used by {user}', id=ident, user=first[1])
                if first[0] == ident
                else tr(
                    'id "{id}" is already used by {user} (as "{other}": ids must differ in '
                    "more than case)",
                    id=ident,
                    user=first[1],
                    other=first[0],
                ),
            )
        else:
            self.ids[key] = (ident, rel)
        return ident

    # ---------------------------------------------------------------------------------------
    # second pass: bodies

    def _render_module(self, draft: _ModuleDraft) -> None:
        module = draft.module
        src = draft.src
        module.summary = self._markdown(src.body, src.path, src.body_line)
        module.media = self._media_of(module.summary)
        for pending in draft.items:
            item = self._render_item(pending, module)
            if item is not None:
                module.items.append(item)

    def _render_item(self, p: _Pending, module: Module) -> AnyItem | None:
        item = self._render_body(p, module)
        if item is not None:
            item.title = self._title(item.title)
            item.audience = self._audience(p)
            if module.for_trainers and not item.for_trainers:
                p.fields.error(
                    p.fields.node("audience"),  # type: ignore[arg-type]
                    tr(
                        "the module is for trainers, so everything in it is: remove "
                        '"audience" here, or move the file to a module for learners'
                    ),
                )
                item.audience = module.audience
        return item

    def _audience(self, p: _Pending) -> Audience:
        word = p.fields.choice("audience", AUDIENCES, None)
        node = p.fields.node("audience")
        if word is None and node is not None and isinstance(node.value, str):
            word = closest(node.value.strip(), AUDIENCES)  # misspelt (reported): the closest
        return AUDIENCES[word] if word else p.module.audience

    def _render_body(self, p: _Pending, module: Module) -> AnyItem | None:
        src, f, ident = p.src, p.fields, p.ident
        stem = PurePosixPath(src.path).stem
        body, body_line = src.body, src.body_line
        title = f.str("title")
        if not title:
            heading = re.match(r"\s*#\s+(.+?)\s*#*\s*(\n|$)", body)
            if heading:
                title = heading[1]
                lead = body[: heading.end()]
                body_line += lead.count("\n")
                body = body[heading.end() :]
            else:
                if not src.front_broken:
                    self.diags.error(
                        src.path,
                        f.line,
                        tr('the lesson needs a title: add "title: …" to its front matter'),
                    )
                title = stem
        location = Location(src.path, 1)
        minutes = f.int("minutes", None, minimum=1)
        if p.kind == "quiz":
            ctx = _DocContext(self, src.path)
            quiz = assessments.parse_quiz(
                ctx, f, body, body_line, self.quiz_defaults, ident=ident, title=title
            )
            quiz.location = location
            quiz.minutes = minutes
            quiz.media = self._media_of(quiz.intro, *assessments.question_html(quiz))
            return quiz
        html = self._markdown(body, src.path, body_line)
        if p.kind == "forum":
            if not html.strip() and not self._refused(src.path):
                self.diags.error(src.path, body_line, tr("the forum needs a text: what to discuss"))
            return Forum(
                id=ident,
                title=title,
                location=location,
                minutes=minutes,
                html=html,
                media=self._media_of(html),
            )
        if p.kind == "assignment":
            return self._assignment(f, src.path, body_line, html, ident, title, minutes)
        objectives = [
            self._inline(text, src.path, line) for text, line in f.str_list_with_lines("objectives")
        ]
        if not html.strip() and not self._refused(src.path):
            self.diags.warning(src.path, body_line, tr("the lesson has no text"))
        return Lesson(
            id=ident,
            title=title,
            location=location,
            minutes=minutes,
            html=html,
            objectives=objectives,
            media=self._media_of(html, *objectives),
        )

    def _assignment(
        self, f: Fields, rel: str, line: int, html: str, ident: str, title: str, minutes: int | None
    ) -> Assignment:
        if not html.strip() and not self._refused(rel):
            self.diags.error(rel, line, tr("the assignment needs a text: what to do and hand in"))
        weights = f.weights("criteria", minimum=0)
        criteria = [
            Criterion(self._inline(text, rel, at), points) for text, points, at in weights or ()
        ]
        node = f.node("criteria")
        if node is not None and weights is None and getattr(node, "value", None) not in ("", None):
            f.error(node, tr('"criteria" must be "criterion: points" lines'))
        total = sum(c.points for c in criteria)
        points = f.float("points", None, minimum=1)
        if points is None:
            points = total or 10.0
        elif criteria and abs(total - points) > 1e-9:
            f.error(
                f.node("criteria"),  # type: ignore[arg-type]
                tr(
                    'the criteria add up to {total} points, but "points" is {points}: '
                    "make them agree",
                    total=f"{total:g}",
                    points=f"{points:g}",
                ),
            )
        pass_points = f.float("pass_points", None, minimum=0)
        if pass_points is not None and pass_points > points:
            f.error(
                f.node("pass_points"),  # type: ignore[arg-type]
                tr(
                    '"pass_points" ({pass_points}) is more than the assignment\'s {points} points',
                    pass_points=f"{pass_points:g}",
                    points=f"{points:g}",
                ),
            )
        kinds = []
        f.str_list("submission")  # reports entries that are not text
        for word, at in f.str_list_with_lines("submission"):
            if word not in SUBMISSIONS:
                self.diags.error(
                    rel,
                    at,
                    tr(
                        '"submission" takes text and/or file, not "{word}"{suggestion}',
                        word=word,
                        suggestion=did_you_mean(word, SUBMISSIONS),
                    ),
                )
            elif SUBMISSIONS[word] not in kinds:
                kinds.append(SUBMISSIONS[word])
        return Assignment(
            id=ident,
            title=title,
            location=Location(rel, 1),
            minutes=minutes,
            html=html,
            points=points,
            pass_points=pass_points,
            submission=tuple(kinds) or (Submission.TEXT, Submission.FILE),
            criteria=criteria,
            media=self._media_of(html, *(c.text for c in criteria)),
        )

    def _title(self, title: str) -> str:
        return typeset_text(title) if self.typography else title

    def _markdown(self, text: str, rel: str, line: int) -> str:
        return self._render(text, rel, line)

    def _inline(self, text: str, rel: str, line: int) -> str:
        return self._render(text, rel, line, inline=True)

    def _snippet(self, text: str, rel: str, line: int, inline: bool = False) -> str:
        """A question's text, answer, feedback or hint (markup.SNIPPET_EXTENSIONS)."""
        return self._render(text, rel, line, inline, snippet=True)

    def _render(
        self, text: str, rel: str, line: int, inline: bool = False, snippet: bool = False
    ) -> str:
        """Markdown as HTML, once it is known to stay within the limits of source.py."""
        budget = self.budgets.get(rel)
        if budget is None:
            budget = self.budgets[rel] = MarkdownBudget()
        if budget.paragraphs < 0:
            return ""  # the file broke a limit: reported once, the rest is not rendered
        problem = markdown_problem(text, budget)
        if problem:
            offset, message = problem
            at, col = position(text, offset)
            self.diags.error(rel, line + at - 1, message, col)
            budget.paragraphs = -1
            return ""
        quick = self.renderer.quick(text, inline)  # most question texts: no Markdown needed
        if quick is not None:
            return typeset_html(quick) if self.typography else quick
        # a text may hold newlines its file writes as escapes (GIFT's \n): keep lines in the file
        diags = _InFile(self.diags, rel, self.line_counts.get(rel, line))
        how = partial(self.renderer.inline if inline else self.renderer.render, snippet=snippet)
        try:
            doc = Document(rel, text, line, self.file_lines.get(rel))
            html = how(doc, diags, _DocContext(self, rel))
            self._note_anchors(rel, html)
            return typeset_html(html) if self.typography else html
        except RecursionError:
            self.diags.error(
                rel,
                line,
                tr("the text is nested too deeply (lists, quotes, emphasis or HTML): nest less"),
            )
            budget.paragraphs = -1
            return ""

    def _keep_lines(self, rel: str, text: str) -> None:
        """A source file's lines: how many (no line past them is reported), and the lines
        themselves, for the columns of what its texts hold."""
        lines = text.split("\n")
        self.line_counts[rel] = len(lines)
        self.file_lines[rel] = lines

    def _note_anchors(self, rel: str, html: str) -> None:
        """The ids of a rendered text: what links to "#anchor" in its file may point to."""
        found = self.anchors.setdefault(rel, set())
        if 'id="' in html:
            found.update(unescape(m[1]) for m in _ID_ATTRIBUTE.finditer(html))

    def reading_order(self) -> list[str]:
        """The course's files in reading order: the course file, then module by module its
        module.md, and its items, each followed by the files it read (GIFT banks)."""
        order = [self.course_rel]
        for draft in self.drafts:
            order.append(draft.src.path)
            for rel in draft.files:
                order += [rel, *self.opened.get(rel, ())]
        return order + self.unread_modules

    def check_anchors(self, links: list[_AnchorLink] | None = None) -> None:
        """Report the links to an anchor that is not there (``links``, or all), once every
        text is rendered: anchors are the ids of the target's HTML (headings, footnotes,
        {#id} and id="…"); a quiz has none to link to from another page."""
        for link in self.anchor_links if links is None else links:
            target = link.target
            if target in self.unreadable or self._refused(target):
                continue  # reported
            pending = self.by_path.get(target)
            quiz = pending is not None and pending.kind == "quiz"
            ids = self.anchors.get(target, set())
            name = unquote(link.fragment)
            page = link.written.partition("#")[0]
            if quiz and target != link.rel:
                message = tr(
                    'link to "{link}": a quiz has no anchors to link to (its questions are '
                    "numbered anew in each attempt, and may be drawn or shuffled): link to the "
                    'quiz itself, "{page}"',
                    link=link.written,
                    page=page,
                )
            elif link.fragment in ids or name in ids:
                continue
            elif quiz:
                message = tr(
                    'link to "{link}": the quiz has no anchor "{id}" (a question\'s {{#id}} '
                    "names the question, not a place on the page)",
                    link=link.written,
                    id=name,
                )
            elif target == link.rel:
                message = tr(
                    'link to "{link}": nothing on this page has the id "{id}"{suggestion}; '
                    'a heading\'s id is its text in lower case with "-" for spaces, or the one '
                    "given as {{#id}}",
                    link=link.written,
                    id=name,
                    suggestion=did_you_mean(name, ids),
                )
            else:
                message = tr(
                    'link to "{link}": nothing in "{page}" has the id "{id}"{suggestion}; '
                    'a heading\'s id is its text in lower case with "-" for spaces, or the one '
                    "given as {{#id}}",
                    link=link.written,
                    page=page,
                    id=name,
                    suggestion=did_you_mean(name, ids),
                )
            self.diags.error(link.rel, link.line, message, link.col)

    def _refused(self, rel: str) -> bool:
        """True when a text of ``rel`` broke a limit (reported) and was not rendered."""
        budget = self.budgets.get(rel)
        return budget is not None and budget.paragraphs < 0

    def _media_of(self, *htmls: str) -> list[str]:
        return list(dict.fromkeys(m for h in htmls if "media:" in h for m in media_ids(h)))

    # ---------------------------------------------------------------------------------------
    # references

    def local_path(
        self, rel: str, target: str, line: int, what: str, col: int = 1
    ) -> tuple[Path, str] | None:
        """Resolve a reference written in ``rel``; None (with an error) if it leaves the root."""
        raw = unquote(target)
        if raw.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", raw):
            self.diags.error(
                rel,
                line,
                tr(
                    '{what} "{target}" is an absolute path: write it relative to the file',
                    what=_what(what),
                    target=target,
                ),
                col,
            )
            return None
        base = PurePosixPath(rel).parent
        joined = os.path.normpath(str(base / raw.replace("\\", "/")))
        if joined == ".." or joined.startswith("../") or joined.startswith("/"):
            self.diags.error(
                rel,
                line,
                tr(
                    '{what} "{target}" points outside the content folder',
                    what=_what(what),
                    target=target,
                ),
                col,
            )
            return None
        if any(len(part.encode("utf-8")) > NAME_MAX for part in joined.split("/")):
            self.diags.error(
                rel,
                line,
                tr(
                    '{what} "{target}": a file name is longer than {most} bytes',
                    what=_what(what),
                    target=target,
                    most=NAME_MAX,
                ),
                col,
            )
            return None
        path = self.root / joined
        try:
            path.resolve().relative_to(self.real_root)
        except RuntimeError:  # a link that leads back to itself
            self.diags.error(
                rel,
                line,
                tr(
                    '{what} "{target}" is a link that points to itself',
                    what=_what(what),
                    target=target,
                ),
                col,
            )
            return None
        except ValueError:
            self.diags.error(
                rel,
                line,
                tr(
                    '{what} "{target}" is a link to a file outside the content folder; '
                    "copy the file into the content folder instead",
                    what=_what(what),
                    target=target,
                ),
                col,
            )
            return None
        return path, PurePosixPath(joined).as_posix()

    def link(self, rel: str, target: str, line: int, col: int = 1) -> str | None:
        key = ("link", rel, target, line, col)  # the same reference again: same answer
        if key not in self.resolved:
            self.resolved[key] = self._link(rel, target, line, col)
        return self.resolved[key]

    def image(self, rel: str, src: str, line: int, col: int = 1) -> tuple[str, int, int] | None:
        key = ("image", rel, src, line, col)
        if key not in self.resolved:
            self.resolved[key] = self._image(rel, src, line, col)
        return self.resolved[key]

    def _link(self, rel: str, target: str, line: int, col: int) -> str | None:
        path_part, _, fragment = target.partition("#")
        if not path_part:
            if fragment:  # an anchor on the same page: checked once every text is rendered
                self.anchor_links.append(_AnchorLink(rel, line, col, rel, fragment, target))
            return None
        found = self.local_path(rel, path_part, line, "link", col)
        if found is None:
            return None
        path, target_rel = found
        if target_rel.endswith(".md"):
            if target_rel in self.unreadable:
                return None
            pending = self.by_path.get(target_rel)
            if pending is None:
                message = (
                    tr(
                        'link to "{target}": that lesson is not part of the course',
                        target=path_part,
                    )
                    if is_file(path)
                    else tr('link to "{target}": that lesson does not exist', target=path_part)
                )
                self.diags.error(rel, line, message, col)
                return None
            source = self.by_path.get(rel)
            reader = source is None or self._audience(source) is Audience.LEARNERS
            if (
                reader
                and self._audience(pending) is Audience.TRAINERS
                and (
                    source is not None
                    or not pending.module.for_trainers
                    or (rel.rpartition("/")[0] != target_rel.rpartition("/")[0])
                )
            ):
                self.diags.error(
                    rel,
                    line,
                    tr(
                        'link to "{target}": that page is for trainers only, so learners '
                        "would not find it (SCORM leaves it out): link to it only from pages "
                        "for trainers",
                        target=path_part,
                    ),
                    col,
                )
                return None
            if fragment:
                link = _AnchorLink(rel, line, col, target_rel, fragment, target)
                self.anchor_links.append(link)
            return doc_ref(pending.ident, fragment)
        if not is_file(path):
            self.diags.error(
                rel, line, tr('link to "{target}": no such file', target=path_part), col
            )
            return None
        if path.suffix.lower() not in LINKABLE:
            why = tr(
                "(only documents, spreadsheets, presentations, audio, video, images and "
                "archives: {kinds}); a web page or SVG could run scripts inside the LMS: link "
                "to it by its web address, or save it as PDF",
                kinds=", ".join(sorted(LINKABLE)),
            )
            message = (
                tr(
                    'link to "{target}": {suffix} files cannot go into a package {why}',
                    target=path_part,
                    suffix=path.suffix,
                    why=why,
                )
                if path.suffix
                else tr(
                    'link to "{target}": files without an extension cannot go into a package {why}',
                    target=path_part,
                    why=why,
                )
            )
            self.diags.error(rel, line, message, col)
            return None
        media = self._register(path, target_rel, rel, line, col)
        return media_ref(media.id) if media else None

    def _image(self, rel: str, src: str, line: int, col: int) -> tuple[str, int, int] | None:
        found = self.local_path(rel, src, line, "image", col)
        if found is None:
            return None
        path, target_rel = found
        if not is_file(path):
            self.diags.error(rel, line, tr('image "{src}" not found', src=src), col)
            return None
        if path.suffix.lower() not in EXTENSIONS:
            message = (
                tr(
                    'image "{src}": {suffix} files are not supported; use PNG, JPEG, GIF or WebP',
                    src=src,
                    suffix=path.suffix,
                )
                if path.suffix
                else tr(
                    'image "{src}": files without an extension are not supported; '
                    "use PNG, JPEG, GIF or WebP",
                    src=src,
                )
            )
            self.diags.error(rel, line, message, col)
            return None
        media = self._register(path, target_rel, rel, line, col, image=True)
        if media is None or media.width is None or media.height is None:
            return None
        return media_ref(media.id), media.width, media.height

    def _register(
        self, path: Path, target_rel: str, rel: str, line: int, col: int, image: bool = False
    ) -> Media | None:
        if target_rel in self.media:
            return self.media[target_rel]
        if image:
            if target_rel in self.bad_media:
                return None  # reported at its first use
            assert self.images is not None  # made before any item is read
            try:
                prepared = self.images.prepare(path)
            except MediaError as exc:
                self.diags.error(
                    rel, line, tr('image "{src}": {problem}', src=target_rel, problem=exc), col
                )
                self.bad_media.add(target_rel)
                return None
            media = Media(
                id=target_rel,
                source=path,
                name=PurePosixPath(target_rel).name,
                mime=prepared.mime,
                sha256=prepared.sha256,
                size=prepared.size,
                width=prepared.width,
                height=prepared.height,
                data=prepared.data,
            )
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                self.diags.error(
                    rel,
                    line,
                    tr(
                        'link to "{target}": cannot read the file: {reason}',
                        target=target_rel,
                        reason=exc.strerror,
                    ),
                    col,
                )
                self.bad_media.add(target_rel)
                return None
            media = Media(
                id=target_rel,
                source=path,
                name=PurePosixPath(target_rel).name,
                mime=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                data=data,
            )
        self.media[target_rel] = media
        return media

    def _named_media(self) -> dict[str, Media]:
        """Give every media file an output name that no other file of the course has."""
        taken: set[str] = set()
        out: dict[str, Media] = {}
        for ident in sorted(self.media):
            media = self.media[ident]
            name = safe_file_name(media.name, media.sha256)  # "my photo.png" -> my-photo-<hash>
            stem, dot, ext = name.rpartition(".")
            stem, ext = (stem, dot + ext) if dot else (name, "")
            stem = stem[: ID_PART_MAX - len(ext) - 12]
            n = 1
            while name.casefold() in taken:
                name = f"{stem}-{media.sha256[:8]}" + (f"-{n}" if n > 1 else "") + ext
                n += 1
            taken.add(name.casefold())
            media.name = name
            out[ident] = media
        return out


def _what(what: str) -> str:
    """What a reference is ("link", "image", "file"), as a message names it."""
    return {"link": tr("link"), "image": tr("image")}.get(what) or tr("file")


class _InFile:
    """The diagnostics of one file, with no line past the file's end."""

    def __init__(self, diags: Diagnostics, rel: str, last: int) -> None:
        self.diags, self.rel, self.last = diags, rel, last

    def error(self, path: str, line: int, message: str, col: int = 1) -> None:
        self.diags.error(path, min(line, self.last) if path == self.rel else line, message, col)

    def warning(self, path: str, line: int, message: str, col: int = 1) -> None:
        self.diags.warning(path, min(line, self.last) if path == self.rel else line, message, col)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.diags, name)


class _DocContext:
    """The references and Markdown of one source file: the hook for assessments."""

    def __init__(self, loader: _Loader, rel: str) -> None:
        self.loader = loader
        self.rel = rel
        self.diags = loader.diags

    def link(self, target: str, line: int, col: int = 1) -> str | None:
        return self.loader.link(self.rel, target, line, col)

    def image(self, src: str, line: int, col: int = 1) -> tuple[str, int, int] | None:
        return self.loader.image(self.rel, src, line, col)

    def remote(self, url: str, line: int, what: str, col: int = 1) -> None:
        shown = url if len(url) < 60 else url[:57] + "…"
        self.diags.warning(
            self.rel,
            line,
            tr(
                '{what} "{url}" is not in the content folder: packages must work offline, '
                "so save the file beside the lesson and link to it",
                what=_what(what),
                url=shown,
            ),
            col,
        )

    def missing_alt(self, src: str, line: int, col: int = 1) -> None:
        self.diags.warning(
            self.rel,
            line,
            tr(
                'image "{src}" has no alt text: write what it shows between the brackets, '
                "![like this](file.png)",
                src=src,
            ),
            col,
        )

    def markdown(self, text: str, line: int) -> str:
        return self.loader._markdown(text, self.rel, line)

    def snippet(self, text: str, line: int) -> str:
        return self.loader._snippet(text, self.rel, line)

    def inline(self, text: str, line: int) -> str:
        return self.loader._snippet(text, self.rel, line, inline=True)

    def refused(self) -> bool:
        return self.loader._refused(self.rel)

    def html(self, text: str, line: int) -> str:
        """HTML written by hand (a GIFT bank's), within the limits of its file."""
        budget = self.loader.budgets.setdefault(self.rel, MarkdownBudget())
        if budget.paragraphs < 0:
            return ""  # reported once
        budget.gift_texts -= 1
        if budget.gift_texts < 0:
            self.diags.error(
                self.rel,
                line,
                tr(
                    "the file has more than {most} texts (questions, answers and feedback): "
                    "split it into several files",
                    most=f"{MAX_GIFT_TEXTS:,}",
                ),
            )
            budget.paragraphs = -1
            return ""
        problem = lookup_problem(text, budget)
        if problem:
            self.diags.error(self.rel, line, problem)
            budget.paragraphs = -1
            return ""
        doc = Document(self.rel, text, line, self.loader.file_lines.get(self.rel))
        diags = _InFile(self.diags, self.rel, self.loader.line_counts.get(self.rel, line))
        html = self.loader.renderer.html(doc, diags, self)
        self.loader._note_anchors(self.rel, html)
        return html

    def open_sibling(self, target: str, line: int) -> tuple[_DocContext, str] | None:
        """Another source file named in this one (a GIFT bank), with its text."""
        found = self.loader.local_path(self.rel, target, line, "file")
        if found is None:
            return None
        path, rel = found
        if not is_file(path):
            self.diags.error(self.rel, line, tr('file "{target}" not found', target=target))
            return None
        text = read_text(path, rel, self.diags, max_line=None)
        if text is None:
            return None
        self.loader._keep_lines(rel, text)
        self.loader.opened.setdefault(self.rel, []).append(rel)
        return _DocContext(self.loader, rel), text
