"""Reads a content folder once into the course model, reporting every problem found."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from . import assessments, schema
from .diagnostics import BuildError, Diagnostics, did_you_mean
from .markup import Document, Renderer
from .media import EXTENSIONS, LINKABLE, ImageProcessor, MediaError
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
from .names import ID_MAX, ID_PART_MAX, ID_RULE, id_problem, normal_id, safe_file_name
from .refs import doc_ref, media_ids, media_ref
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


def load(
    root: Path, diags: Diagnostics, cache_dir: Path | None = None, use_cache: bool = True
) -> Course:
    """Load the course in ``root``; raise BuildError when any error was reported.

    Images are cached in ``cache_dir`` (default: see :func:`packager.media.default_cache_dir`)
    unless ``use_cache`` is False; a cache that cannot be used is a ``diags.notice``.
    """
    loader = _Loader(Path(root), diags, cache_dir, use_cache)
    try:
        course = loader.load()
    except RecursionError:  # a last resort: the limits in source.py should come first
        diags.error(loader.current, 1, "the file is nested too deeply to be read")
        course = None
    if diags.has_errors or course is None:
        raise BuildError("the content has errors")
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
        self.unreadable: set[str] = set()
        self.bad_media: set[str] = set()
        self.budgets: dict[str, MarkdownBudget] = {}  # what each file's Markdown may still cost
        self.line_counts: dict[str, int] = {}  # lines of each source file read
        self.resolved: dict[tuple[str, str, str, int], Any] = {}  # link and image answers
        self.typography = False  # set from the course file
        self.current = COURSE_FILES[0]  # the file being read, for a last-resort error

    # ---------------------------------------------------------------------------------------
    # course file

    def load(self) -> Course | None:
        course_file = next((self.root / n for n in COURSE_FILES if is_file(self.root / n)), None)
        if course_file is None:
            where = f'"{self.root}"' if self.root.is_dir() else f'"{self.root}" (no such folder)'
            self.diags.error(
                COURSE_FILES[0],
                1,
                f"no course file in {where}: create course.yml there, "
                "or start a new course with `packager new FOLDER`",
            )
            return None
        rel = course_file.name
        text = read_text(course_file, rel, self.diags)
        if text is None:
            return None
        self.line_counts[rel] = text.count("\n") + 1
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
                f'language must be a two-letter code such as "bg", not "{language}"',
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
        self.renderer = Renderer(language, course.iframe_hosts)
        self.images = ImageProcessor(
            max_width,
            self.cache_dir,
            self.use_cache,
            warn=lambda where, message: self.diags.notice(str(where), message),
        )
        self.quiz_defaults = assessments.QuizDefaults(pass_percentage=pass_percentage)

        drafts = self._read_modules()
        for draft in drafts:
            self._render_module(draft)
        summary = f.str("summary", "")
        if summary:
            node = f.node("summary")
            line = f.key_line("summary") + (getattr(node, "style", None) in ("|", ">"))
            course.summary = self._markdown(summary, rel, line)
        course.modules = [d.module for d in drafts]
        course.media = self._named_media()
        if not course.modules:
            self.diags.error(
                rel,
                1,
                f"the course has no modules: add a folder with a {MODULE_FILE} next to {rel}",
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
            allowed = '"-", "_", "."' + (' and "+"' if extra else "")
            f.error(
                f.node(key),
                f'{key} "{value}" cannot name the package files: {problem}; it must start '
                f"with a letter or a digit and hold only letters, digits and {allowed} "
                f"(at most {ID_PART_MAX} characters)",
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
                "this is a link to a place outside the content folder; "
                "copy what it points to into the content folder instead",
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
                        f"this folder has Markdown files but no {MODULE_FILE}, "
                        "so it is not part of the course",
                    )
                continue
            draft = self._read_module(folder)
            if draft:
                drafts.append(draft)
        orders: dict[int, str] = {}
        for draft in drafts:
            m = draft.module
            if m.order in orders:
                self.diags.error(
                    m.location.path,
                    m.location.line,
                    f"order {m.order} is also used by {orders[m.order]}; "
                    "give each module its own order",
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
            return None
        self.line_counts[rel] = src.text.count("\n") + 1
        f = Fields(src.front, rel, self.diags, MODULE_KEYS, src.front_line, "module front matter")
        prefix = _ORDER_PREFIX.match(folder.name)
        order = f.int("order", int(prefix[1]) if prefix else None, required=not prefix)
        module_id = self._claim_id(f, folder.name, rel, "folder", folder.name)
        module = Module(
            id=module_id,
            title=self._title(f.str("title", required=True) or folder.name),
            order=order if order is not None else 0,
            summary="",
            location=Location(rel, 1),
            audience=AUDIENCES[f.choice("audience", AUDIENCES, "learners")],
        )
        draft = _ModuleDraft(module, src)
        for name, _line in self._item_files(folder, f, rel):
            item_rel = f"{folder.name}/{name}"
            pending = self._read_item(folder / name, item_rel, module)
            if pending is not None:
                draft.items.append(pending)
        if not draft.items:
            self.diags.error(
                rel,
                f.key_line("lessons") if "lessons" in f else 1,
                "the module is empty: add a lesson (a .md file) to its folder"
                + (' and list it under "lessons"' if "lessons" in f else ""),
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
        for name, line in f.str_list_with_lines("lessons"):
            if name in seen:
                self.diags.error(
                    rel, line, f'"{name}" is listed twice (first on line {seen[name]})'
                )
                continue
            seen[name] = line
            if "/" in name or "\\" in name:
                self.diags.error(rel, line, f'"{name}": list files of this module\'s folder only')
            elif not is_file(folder / name):
                self.diags.error(
                    rel, line, f'lesson file "{name}" not found{did_you_mean(name, present)}'
                )
            elif not name.endswith(".md"):
                self.diags.error(rel, line, f'"{name}" is not a Markdown (.md) file')
            else:
                listed.append((name, line))
        for name in present:
            if name.endswith(".md") and name not in seen:
                self.diags.warning(
                    f"{folder.name}/{name}",
                    1,
                    f'this file is not listed under "lessons" in {rel}, so it is not built',
                )
        return listed

    def _read_item(self, path: Path, rel: str, module: Module) -> _Pending | None:
        self.current = rel
        src = None if self._outside(path, rel) else read_source(path, rel, self.diags)
        if src is None:
            self.unreadable.add(rel)  # reported; links to it are not errors of their own
            return None
        self.line_counts[rel] = src.text.count("\n") + 1
        probe = Fields(src.front, rel, self.diags, None, src.front_line)
        kind = probe.choice("type", ITEM_TYPES, "lesson")
        f = Fields(src.front, rel, self.diags, ITEM_KEYS[kind], src.front_line)
        derived = f"{module.id}/{PurePosixPath(rel).stem}"
        ident = self._claim_id(f, derived, rel, "file", path.name, id_problem(module.id) is None)
        pending = _Pending(kind, src, f, module, ident)
        self.by_path[rel] = pending
        return pending

    def _claim_id(
        self, f: Fields, default: str, rel: str, source: str, name: str, check: bool = True
    ) -> str:
        """An id written as "id:" or made from a folder or file ``name`` (``source``)."""
        written = f.str("id")
        ident = normal_id(written or default)
        problem = id_problem(ident)
        if problem and written:
            f.error(f.node("id"), f'id "{written}" cannot name files: {problem}; {ID_RULE}')
        elif problem and check:
            where = "module.md" if source == "folder" else "its front matter"
            self.diags.error(
                rel,
                1,
                f'the id "{ident}" made from the {source} name "{name}" cannot name files: '
                f'{problem}; rename the {source} or set "id:" in {where} '
                f"({ID_RULE}; at most {ID_PART_MAX} characters a part, {ID_MAX} in all)",
            )
        key = ident.casefold()  # two ids that differ only in case are one file on Windows
        if key in self.ids:
            first = self.ids[key]
            self.diags.error(
                rel,
                f.key_line("id"),
                f'id "{ident}" is already used by {first[1]}'
                + (
                    ""
                    if first[0] == ident
                    else f' (as "{first[0]}": ids must differ in more than case)'
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
                    "the module is for trainers, so everything in it is: remove "
                    '"audience" here, or move the file to a module for learners',
                )
                item.audience = module.audience
        return item

    def _audience(self, p: _Pending) -> Audience:
        return AUDIENCES[p.fields.choice("audience", AUDIENCES, p.module.audience.value)]

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
                        'the lesson needs a title: add "title: …" to its front matter',
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
                self.diags.error(src.path, body_line, "the forum needs a text: what to discuss")
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
            self.diags.warning(src.path, body_line, "the lesson has no text")
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
            self.diags.error(rel, line, "the assignment needs a text: what to do and hand in")
        weights = f.weights("criteria", minimum=0)
        criteria = [
            Criterion(self._inline(text, rel, at), points) for text, points, at in weights or ()
        ]
        node = f.node("criteria")
        if node is not None and weights is None and getattr(node, "value", None) not in ("", None):
            f.error(node, '"criteria" must be "criterion: points" lines')
        total = sum(c.points for c in criteria)
        points = f.float("points", None, minimum=1)
        if points is None:
            points = total or 10.0
        elif criteria and abs(total - points) > 1e-9:
            f.error(
                f.node("criteria"),  # type: ignore[arg-type]
                f'the criteria add up to {total:g} points, but "points" is {points:g}: '
                "make them agree",
            )
        pass_points = f.float("pass_points", None, minimum=0)
        if pass_points is not None and pass_points > points:
            f.error(
                f.node("pass_points"),  # type: ignore[arg-type]
                f'"pass_points" ({pass_points:g}) is more than the assignment\'s {points:g} points',
            )
        kinds = []
        f.str_list("submission")  # reports entries that are not text
        for word, at in f.str_list_with_lines("submission"):
            if word not in SUBMISSIONS:
                self.diags.error(
                    rel,
                    at,
                    f'"submission" takes text and/or file, not "{word}"'
                    + did_you_mean(word, SUBMISSIONS),
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
            html = how(Document(rel, text, line), diags, _DocContext(self, rel))
            return typeset_html(html) if self.typography else html
        except RecursionError:
            self.diags.error(
                rel,
                line,
                "the text is nested too deeply (lists, quotes, emphasis or HTML): nest less",
            )
            budget.paragraphs = -1
            return ""

    def _refused(self, rel: str) -> bool:
        """True when a text of ``rel`` broke a limit (reported) and was not rendered."""
        budget = self.budgets.get(rel)
        return budget is not None and budget.paragraphs < 0

    def _media_of(self, *htmls: str) -> list[str]:
        return list(dict.fromkeys(m for h in htmls if "media:" in h for m in media_ids(h)))

    # ---------------------------------------------------------------------------------------
    # references

    def local_path(self, rel: str, target: str, line: int, what: str) -> tuple[Path, str] | None:
        """Resolve a reference written in ``rel``; None (with an error) if it leaves the root."""
        raw = unquote(target)
        if raw.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", raw):
            self.diags.error(
                rel, line, f'{what} "{target}" is an absolute path: write it relative to the file'
            )
            return None
        base = PurePosixPath(rel).parent
        joined = os.path.normpath(str(base / raw.replace("\\", "/")))
        if joined == ".." or joined.startswith("../") or joined.startswith("/"):
            self.diags.error(rel, line, f'{what} "{target}" points outside the content folder')
            return None
        if any(len(part.encode("utf-8")) > NAME_MAX for part in joined.split("/")):
            self.diags.error(
                rel, line, f'{what} "{target}": a file name is longer than {NAME_MAX} bytes'
            )
            return None
        path = self.root / joined
        try:
            path.resolve().relative_to(self.real_root)
        except RuntimeError:  # a link that leads back to itself
            self.diags.error(rel, line, f'{what} "{target}" is a link that points to itself')
            return None
        except ValueError:
            self.diags.error(
                rel,
                line,
                f'{what} "{target}" is a link to a file outside the content folder; '
                "copy the file into the content folder instead",
            )
            return None
        return path, PurePosixPath(joined).as_posix()

    def link(self, rel: str, target: str, line: int) -> str | None:
        key = ("link", rel, target, line)  # the same reference again: same answer, no file system
        if key not in self.resolved:
            self.resolved[key] = self._link(rel, target, line)
        return self.resolved[key]

    def image(self, rel: str, src: str, line: int) -> tuple[str, int, int] | None:
        key = ("image", rel, src, line)
        if key not in self.resolved:
            self.resolved[key] = self._image(rel, src, line)
        return self.resolved[key]

    def _link(self, rel: str, target: str, line: int) -> str | None:
        path_part, _, fragment = target.partition("#")
        if not path_part:
            return None
        found = self.local_path(rel, path_part, line, "link")
        if found is None:
            return None
        path, target_rel = found
        if target_rel.endswith(".md"):
            if target_rel in self.unreadable:
                return None
            pending = self.by_path.get(target_rel)
            if pending is None:
                reason = "is not part of the course" if is_file(path) else "does not exist"
                self.diags.error(rel, line, f'link to "{path_part}": that lesson {reason}')
                return None
            source = self.by_path.get(rel)
            reader = source is None or self._audience(source) is Audience.LEARNERS
            if reader and self._audience(pending) is Audience.TRAINERS:
                if (
                    source is not None
                    or not pending.module.for_trainers
                    or (rel.rpartition("/")[0] != target_rel.rpartition("/")[0])
                ):
                    self.diags.error(
                        rel,
                        line,
                        f'link to "{path_part}": that page is for trainers only, so learners '
                        "would not find it (SCORM leaves it out): link to it only from pages "
                        "for trainers",
                    )
                    return None
            return doc_ref(pending.ident, fragment)
        if not is_file(path):
            self.diags.error(rel, line, f'link to "{path_part}": no such file')
            return None
        if path.suffix.lower() not in LINKABLE:
            self.diags.error(
                rel,
                line,
                f'link to "{path_part}": {path.suffix or "this"} files cannot go into a package '
                "(only documents, spreadsheets, presentations, audio, video, images and "
                f"archives: {', '.join(sorted(LINKABLE))}); a web page or SVG could run "
                "scripts inside the LMS: link to it by its web address, or save it as PDF",
            )
            return None
        media = self._register(path, target_rel, rel, line)
        return media_ref(media.id) if media else None

    def _image(self, rel: str, src: str, line: int) -> tuple[str, int, int] | None:
        found = self.local_path(rel, src, line, "image")
        if found is None:
            return None
        path, target_rel = found
        if not is_file(path):
            self.diags.error(rel, line, f'image "{src}" not found')
            return None
        if path.suffix.lower() not in EXTENSIONS:
            self.diags.error(
                rel,
                line,
                f'image "{src}": {path.suffix or "this"} files are not supported; '
                "use PNG, JPEG, GIF or WebP",
            )
            return None
        media = self._register(path, target_rel, rel, line, image=True)
        if media is None or media.width is None or media.height is None:
            return None
        return media_ref(media.id), media.width, media.height

    def _register(
        self, path: Path, target_rel: str, rel: str, line: int, image: bool = False
    ) -> Media | None:
        if target_rel in self.media:
            return self.media[target_rel]
        if image:
            if target_rel in self.bad_media:
                return None  # reported at its first use
            try:
                prepared = self.images.prepare(path)
            except MediaError as exc:
                self.diags.error(rel, line, f'image "{target_rel}": {exc}')
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
                    rel, line, f'link to "{target_rel}": cannot read the file: {exc.strerror}'
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

    def link(self, target: str, line: int) -> str | None:
        return self.loader.link(self.rel, target, line)

    def image(self, src: str, line: int) -> tuple[str, int, int] | None:
        return self.loader.image(self.rel, src, line)

    def remote(self, url: str, line: int, what: str) -> None:
        shown = url if len(url) < 60 else url[:57] + "…"
        self.diags.warning(
            self.rel,
            line,
            f'{what} "{shown}" is not in the content folder: packages must work offline, '
            "so save the file beside the lesson and link to it",
        )

    def missing_alt(self, src: str, line: int) -> None:
        self.diags.warning(
            self.rel,
            line,
            f'image "{src}" has no alt text: write what it shows between the brackets, '
            "![like this](file.png)",
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
                f"the file has more than {MAX_GIFT_TEXTS:,} texts (questions, answers and "
                "feedback): split it into several files",
            )
            budget.paragraphs = -1
            return ""
        problem = lookup_problem(text, budget)
        if problem:
            self.diags.error(self.rel, line, problem)
            budget.paragraphs = -1
            return ""
        doc = Document(self.rel, text, line)
        diags = _InFile(self.diags, self.rel, self.loader.line_counts.get(self.rel, line))
        return self.loader.renderer.html(doc, diags, self)

    def open_sibling(self, target: str, line: int) -> tuple[_DocContext, str] | None:
        """Another source file named in this one (a GIFT bank), with its text."""
        found = self.loader.local_path(self.rel, target, line, "file")
        if found is None:
            return None
        path, rel = found
        if not is_file(path):
            self.diags.error(self.rel, line, f'file "{target}" not found')
            return None
        text = read_text(path, rel, self.diags, max_line=None)
        if text is None:
            return None
        self.loader.line_counts[rel] = text.count("\n") + 1
        return _DocContext(self.loader, rel), text
