"""The preview's builds: the whole site once, then only what a change touches.

The loader's state and the model stay in memory between builds. A changed lesson (or quiz,
assignment, forum, or a GIFT file one quiz reads) is read and rendered again alone, its
diagnostics replace the ones it had, and only its page is written again, or, when its title
or minutes changed, the few pages that show them. Anything else, or anything this path cannot
prove gives the same site as a full build (an item that changes its id, kind or audience; a
new image; course.yml or a module.md; a file added or removed; a failed full build), is a full
build. Either way only the files whose bytes changed are written, each atomically.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..diagnostics import BuildError, Diagnostic, Diagnostics, Severity
from ..loader import COURSE_FILES, _AnchorLink, _Loader, _Pending, load
from ..messages import tr
from ..model import AnyItem, Course, Module
from ..targets.html import has_checklist, item_path, pages_showing, site_files, site_pages

SOURCE_SUFFIXES = (".md", ".gift", ".yml", ".yaml")  # files the loader may read as sources
FULL = "full"  # an update that needs a full build


class _Scope:
    """The diagnostics of one item file: reported as usual, and also kept apart, so that
    reading the file again replaces exactly them. ``opened``: the other source files read for
    it (a GIFT bank)."""

    def __init__(self, rel: str, main: Diagnostics) -> None:
        self.rel = rel
        self.main = main
        self.own = Diagnostics(strict=main.strict)
        self.opened: set[str] = set()

    def _both(self, name: str, *args: Any, **kwargs: Any) -> None:
        getattr(self.main, name)(*args, **kwargs)
        getattr(self.own, name)(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> None:
        self._both("add", *args, **kwargs)

    def error(self, *args: Any, **kwargs: Any) -> None:
        self._both("error", *args, **kwargs)

    def warning(self, *args: Any, **kwargs: Any) -> None:
        self._both("warning", *args, **kwargs)

    def notice(self, *args: Any, **kwargs: Any) -> None:
        self._both("notice", *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.main, name)


class _LineCounts(dict):
    """The loader's line counts, which also record what file each item read."""

    def __init__(self, loader: _KeptLoader) -> None:
        super().__init__()
        self.loader = loader

    def __setitem__(self, key: str, value: int) -> None:
        super().__setitem__(key, value)
        scope = self.loader.scope
        if scope is None:
            self.loader.course_files.add(key)  # course.yml, module.md
        elif key != scope.rel:
            scope.opened.add(key)


class _KeptLoader(_Loader):
    """A loader kept after the build, with each item's diagnostics and files apart, that can
    read one item file again."""

    def __init__(
        self, root: Path, diags: Diagnostics, cache_dir: Path | None, use_cache: bool
    ) -> None:
        super().__init__(root, diags, cache_dir, use_cache)
        self.main = diags
        self.scopes: dict[str, _Scope] = {}  # item file -> its diagnostics, in reading order
        self.scope: _Scope | None = None
        self.course_files: set[str] = set()
        self.line_counts = _LineCounts(self)

    @contextlib.contextmanager
    def _within(self, rel: str, fresh: bool = False) -> Iterator[None]:
        if fresh or rel not in self.scopes:
            self.scopes[rel] = _Scope(rel, self.main)
        self.scope = self.scopes[rel]
        self.diags = self.scope  # type: ignore[assignment]
        try:
            yield
        finally:
            self.scope = None
            self.diags = self.main

    def _read_item(self, path: Path, rel: str, module: Module) -> _Pending | None:
        with self._within(rel, fresh=True):
            return super()._read_item(path, rel, module)

    def _render_item(self, p: _Pending, module: Module) -> AnyItem | None:
        with self._within(p.src.path):
            return super()._render_item(p, module)

    def check_anchors(self, links: list[_AnchorLink] | None = None) -> None:
        """The links to anchors, each checked as part of the item file it is in."""
        if links is not None:
            super().check_anchors(links)
            return
        groups: dict[str | None, list[_AnchorLink]] = {}
        for link in self.anchor_links:
            groups.setdefault(self._owner(link.rel), []).append(link)
        for owner, group in groups.items():
            with self._within(owner) if owner else contextlib.nullcontext():
                super().check_anchors(group)

    def _owner(self, rel: str) -> str | None:
        """The item file ``rel`` is, or is read for (a GIFT bank); None: neither."""
        if rel in self.scopes:
            return rel
        return next((r for r, scope in self.scopes.items() if rel in scope.opened), None)

    def reload(self, rel: str) -> AnyItem | str | None:
        """Read and render the item file ``rel`` again, after forgetting what its last reading
        left behind: its id, the links, anchors and images it resolved, its Markdown budget
        and lines (and those of the files it read). None when it cannot be read (reported);
        FULL when its anchors changed and another file links to one."""
        old = self.by_path[rel]
        files = {rel} | self.scopes[rel].opened
        old_anchors = {f: self.anchors.get(f, set()) for f in files}
        for key in [k for k, (_, user) in self.ids.items() if user == rel]:
            del self.ids[key]
        for name in files:
            for kept in (self.budgets, self.file_lines, self.anchors):
                kept.pop(name, None)
            dict.pop(self.line_counts, name, None)
        self.opened.pop(rel, None)
        self.resolved = {k: v for k, v in self.resolved.items() if k[1] not in files}
        self.anchor_links = [link for link in self.anchor_links if link.rel not in files]
        kept_links = len(self.anchor_links)
        self.unreadable.discard(rel)
        # Only earlier readings of changed files can have left bad images: a full build with
        # one fails, and a failed full build is never updated. Reading them again reports them.
        self.bad_media.clear()
        pending = self._read_item(self.root / rel, rel, old.module)
        if pending is None:
            self.by_path[rel] = old
            return None
        item = self._render_item(pending, old.module)
        files |= self.scopes[rel].opened
        if any(self.anchors.get(f, set()) != old_anchors.get(f, set()) for f in files) and any(
            link.target in files for link in self.anchor_links[:kept_links]
        ):
            return FULL  # another file's links to this one may break, or work now
        with self._within(rel):
            super().check_anchors(self.anchor_links[kept_links:])
        return item

    def problems(self) -> set[Diagnostic]:
        """Every diagnostic that belongs to an item file."""
        return {d for scope in self.scopes.values() for d in scope.own}


@dataclass
class Update:
    """What one build did."""

    kind: str  # "full", "pages" (only changed items read again) or "failed"
    sources: list[str]  # the changed source files, relative to the course folder
    written: list[str] = field(default_factory=list)  # site files written (relative)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)  # all of them, sorted

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


class Preview:
    """The site of the course in ``root``, built into ``out`` and kept up to date."""

    def __init__(
        self, root: Path, out: Path, cache_dir: Path | None = None, use_cache: bool = True
    ) -> None:
        self.root = root
        self.real_root = Path(os.path.realpath(root))
        self.out = out
        self.real_out = Path(os.path.realpath(out))
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.loader: _KeptLoader | None = None
        self.course: Course | None = None
        self.files: dict[str, bytes] = {}  # what the output folder holds
        self.base: list[Diagnostic] = []  # the last full build's, outside item files
        self.failed: Diagnostics | None = None  # the last full build's, when it failed

    # ---------------------------------------------------------------------------------------

    def build(self, sources: Iterable[str] = ()) -> Update:
        """A full build; when it fails, the last good site stays."""
        start = time.perf_counter()
        diags = Diagnostics()
        loader = _KeptLoader(self.root, diags, self.cache_dir, self.use_cache)
        try:
            course = load(self.root, diags, loader=loader)
            files = site_files(course)
        except BuildError:
            course = None
        except OSError as exc:  # a file read while writing (an image that went away)
            where = str(exc.filename or self.root)
            diags.error(where, 1, tr("cannot read the file: {reason}", reason=exc.strerror))
            course = None
        if course is None:
            self.failed = diags
            return Update("failed", sorted(sources), [], [], _since(start), self.diagnostics())
        self.loader, self.course, self.failed = loader, course, None
        scoped = loader.problems()
        self.base = [d for d in diags if d not in scoped]
        written = self._write(files)
        removed = sorted(set(self.files) - set(files))
        for name in removed:
            with contextlib.suppress(FileNotFoundError):
                (self.out / name).unlink()
        self.files = files
        return Update("full", sorted(sources), written, removed, _since(start), self.diagnostics())

    def update(self, paths: Iterable[Path]) -> Update | None:
        """Bring the site up to date after the files at ``paths`` changed (were written,
        added or removed); None when none of them is part of the course."""
        start = time.perf_counter()
        plan, sources = self._plan(paths)
        if plan is None:
            return None
        if plan == FULL:
            return self.build(sources)
        assert self.loader is not None and self.course is not None
        pages: set[str] = set()
        for rel in sorted(plan):
            touched = self._reload(rel)
            if touched == FULL:
                return self.build(sources)
            pages |= touched  # type: ignore[arg-type]
        self.loader.trim_cache()
        files = site_pages(self.course, pages)
        written = self._write(files)
        self.files.update(files)
        return Update("pages", sources, written, [], _since(start), self.diagnostics())

    def diagnostics(self) -> list[Diagnostic]:
        """Every current diagnostic, sorted as the command line prints them."""
        if self.failed is not None:
            return self.failed.sorted()
        out = Diagnostics()
        items = list(self.base)
        if self.loader is not None:
            out.set_order(self.loader.main.order)
            items += [d for scope in self.loader.scopes.values() for d in scope.own]
        for d in items:
            if d.line == 0:
                out.notice(d.path, d.message)
            else:
                out.add(d.severity, d.path, d.line, d.message, d.col)
        return out.sorted()

    # ---------------------------------------------------------------------------------------

    def _plan(self, paths: Iterable[Path]) -> tuple[set[str] | str | None, list[str]]:
        """The item files to read again, FULL, or None (nothing of the course changed); and
        the changed files of the course."""
        rels = sorted({r for r in (self._rel(p) for p in paths) if r is not None})
        if self.loader is None or self.failed is not None:
            return (FULL if rels else None), rels
        loader, course = self.loader, self.course
        assert course is not None
        reload: set[str] = set()
        sources: list[str] = []
        for rel in rels:
            path = self.root / rel
            exists = path.is_file()
            if rel in loader.by_path:  # an item file
                if not exists:
                    return FULL, rels
                reload.add(rel)
                sources.append(rel)
                continue
            owners = [r for r, scope in loader.scopes.items() if rel in scope.opened]
            if owners:  # a file an item reads (a GIFT bank)
                if len(owners) > 1 or not exists:
                    return FULL, rels
                reload.add(owners[0])
                sources.append(rel)
                continue
            known = rel in loader.course_files or rel in course.media
            if known or any(k.startswith(rel + "/") for k in self._known()):
                return FULL, rels  # course.yml, a module.md, an image, a folder of the course
            if exists and _may_be_source(rel):
                return FULL, rels  # a new lesson, module or course file
            if exists and any(d.severity is Severity.ERROR for d in self.diagnostics()):
                return FULL, rels  # perhaps the image a lesson is missing
        return (reload or None), sources

    def _known(self) -> set[str]:
        assert self.loader is not None and self.course is not None
        return set(self.loader.by_path) | self.loader.course_files | set(self.course.media)

    def _rel(self, path: Path) -> str | None:
        """``path`` relative to the course folder; None outside it, or in the output folder
        (when the course folder holds the temporary folders)."""
        real = Path(os.path.realpath(path))
        if real.is_relative_to(self.real_out):
            return None
        try:
            rel = real.relative_to(self.real_root).as_posix()
        except ValueError:
            return None
        return rel if rel != "." else None

    def _reload(self, rel: str) -> set[str] | str:
        """Read the item file ``rel`` again: the pages to write, or FULL. An item with errors
        keeps its last good page (the errors are shown over it)."""
        assert self.loader is not None and self.course is not None
        course = self.course
        module = self.loader.by_path[rel].module
        index, old = next((i, it) for i, it in enumerate(module.items) if it.location.path == rel)
        new = self.loader.reload(rel)
        if new == FULL:
            return FULL
        if new is None or self.loader.scopes[rel].own.has_errors:
            return set()
        assert not isinstance(new, str)
        if _shape(new) != _shape(old) or not _media_kept(course, old, new):
            return FULL
        module.items[index] = new
        if (new.title, new.minutes) != (old.title, old.minutes):
            return pages_showing(course, new)
        return {item_path(new)}

    def _write(self, files: dict[str, bytes]) -> list[str]:
        """Write the files whose bytes changed (each whole, never half written)."""
        written = []
        for name in sorted(files):
            data = files[name]
            if self.files.get(name) == data:
                continue
            target = self.out / PurePosixPath(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
            written.append(name)
        return written


def _shape(item: AnyItem) -> tuple[Any, ...]:
    """What other pages and the site's files depend on, besides titles and minutes."""
    return (type(item), item.id, item.audience, has_checklist(item))


def _media_kept(course: Course, old: AnyItem, new: AnyItem) -> bool:
    """Whether the course keeps the same media files: the item uses only media the course
    already has, and what it no longer uses another item or module still does."""
    if not set(new.media) <= set(course.media):
        return False
    dropped = set(old.media) - set(new.media)
    if not dropped:
        return True
    used = {m for item in course.items() if item is not old for m in item.media}
    used.update(m for module in course.modules for m in module.media)
    return dropped <= used


def _may_be_source(rel: str) -> bool:
    """Whether the loader would read a file at ``rel`` by itself: the course file, or a
    Markdown or other source file of a module folder."""
    parts = PurePosixPath(rel).parts
    if len(parts) == 1:
        return parts[0] in COURSE_FILES
    return (
        len(parts) == 2
        and not parts[0].startswith((".", "_"))
        and PurePosixPath(rel).suffix.lower() in SOURCE_SUFFIXES
    )


def _since(start: float) -> float:
    return time.perf_counter() - start
