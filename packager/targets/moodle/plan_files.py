"""Planning the files of a Moodle backup and the HTML that uses them (the writer is files.py).

Every image or document an HTML text uses becomes a file of that text's file area (its context,
component, area and item), is referenced as ``@@PLUGINFILE@@/name`` and stored once under
``files/`` by its SHA-1. Links to lessons and quizzes become the encoded links Moodle rewrites to
the restored activities. The registry is the one mutable thing of planning: it numbers files in
the order texts are resolved, and :meth:`FileRegistry.frozen` hands them to the plan.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable, Mapping
from urllib.parse import quote

from ...model import Course, Media
from ...refs import resolve
from ..common.moodle_theme import fit_theme
from .plan import COURSE_ID, Area, Blob, StoredFile

MIME = {"js": "application/x-javascript", "xml": "application/xml", "zip": "application/zip"}
"""Moodle's types where Python's differ; Moodle stores the type the backup gives."""

Key = tuple[int, str, str, int, str, str]  # area, filepath, filename


class FileRegistry:
    def __init__(self, course: Course, next_id: Callable[[], int], links: Mapping[str, str]):
        self.course = course
        self._next_id = next_id
        self._links = links  # item id -> encoded link to the activity that holds it
        self._files: dict[Key, StoredFile] = {}
        self._blobs: dict[str, bytes] = {}
        self._sha1: dict[str, str] = {}  # media id -> SHA-1

    def text(self, html: str, area: Area) -> str:
        """``html`` sanitized, with its media in ``area``, its lesson links encoded and the
        classes and styles Moodle's themes need (see common/moodle_theme.py)."""

        def media(ident: str) -> str:
            return "@@PLUGINFILE@@/" + quote(self.media(ident, area).filename, safe="")

        def doc(ident: str) -> str:
            return self._links.get(ident, f"$@COURSEVIEWBYID*{COURSE_ID}@$")

        return fit_theme(resolve(html, doc, media, self.course.iframe_hosts))

    def media(self, media_id: str, area: Area) -> StoredFile:
        """A media file of the course in ``area`` (read once, however many areas use it)."""
        media: Media = self.course.media[media_id]
        key = (area.context, area.component, area.filearea, area.itemid, "/", media.name)
        if key not in self._files:
            if media_id not in self._sha1:
                self._sha1[media_id] = self._store(media.read())
            self._files[key] = self._file(self._sha1[media_id], area, "/", media.name, media.mime)
        return self._files[key]

    def data(self, data: bytes, area: Area, path: str) -> StoredFile:
        """Any file, at ``path`` (folders included) in ``area``."""
        folder, _, name = path.rpartition("/")
        filepath = f"/{folder}/" if folder else "/"
        mime = MIME.get(name.rpartition(".")[2].lower()) or mimetypes.guess_type(name)[0]
        mime = mime or "application/octet-stream"
        key = (area.context, area.component, area.filearea, area.itemid, filepath, name)
        if key in self._files:
            raise ValueError(f"two files at {filepath}{name} in {area}")
        self._files[key] = self._file(self._store(data), area, filepath, name, mime)
        return self._files[key]

    def ids_in(
        self, context: int, component: str, filearea: str | None = None, itemid: int | None = None
    ) -> tuple[int, ...]:
        """The ids of the files registered so far in the matching areas, in order."""
        return tuple(
            f.id
            for f in self._files.values()
            if f.area.context == context
            and f.area.component == component
            and filearea in (None, f.area.filearea)
            and itemid in (None, f.area.itemid)
        )

    def frozen(self) -> tuple[tuple[StoredFile, ...], tuple[Blob, ...]]:
        """The files by id and their contents, for the plan."""
        files = tuple(sorted(self._files.values(), key=lambda f: f.id))
        return files, tuple(Blob(sha1, data) for sha1, data in self._blobs.items())

    def _store(self, data: bytes) -> str:
        sha1 = hashlib.sha1(data).hexdigest()
        self._blobs[sha1] = data
        return sha1

    def _file(self, sha1: str, area: Area, filepath: str, name: str, mime: str) -> StoredFile:
        size = len(self._blobs[sha1])
        return StoredFile(self._next_id(), sha1, size, area, filepath, name, mime)
