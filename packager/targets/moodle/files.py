"""Files of a Moodle backup and the HTML that uses them.

Every image or document an HTML text uses becomes a file of that text's file area (its context,
component, area and item), is referenced as ``@@PLUGINFILE@@/name`` and stored once under
``files/`` by its SHA-1. Links to lessons and quizzes become the encoded links Moodle rewrites to
the restored activities.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from urllib.parse import quote

from ...model import Media
from ...refs import resolve
from .plan import COURSE_ID, Plan
from .records import El, box, rec

MIME = {"js": "application/x-javascript", "xml": "application/xml", "zip": "application/zip"}
"""Moodle's types where Python's differ; Moodle stores the type the backup gives."""


@dataclass(frozen=True)
class Area:
    context: int
    component: str
    filearea: str
    itemid: int = 0
    inforef: list[int] | None = None  # file ids go there; question files need none


@dataclass(frozen=True)
class _File:
    id: int
    sha1: str
    area: Area
    filepath: str  # "/" or "/folder/"
    filename: str
    mime: str


class Files:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.links: dict[str, str] = {}  # item id -> encoded link
        self._files: dict[tuple, _File] = {}
        self._blobs: dict[str, bytes] = {}
        self._sha1: dict[str, str] = {}  # media id -> SHA-1

    def link(self, item_id: str, modname: str, cmid: int) -> None:
        self.links[item_id] = f"$@{modname.upper()}VIEWBYID*{cmid}@$"

    def text(self, html: str, area: Area) -> str:
        """``html`` sanitized, with its media in ``area`` and its lesson links encoded."""

        def media(ident: str) -> str:
            return "@@PLUGINFILE@@/" + quote(self.add(ident, area).filename, safe="")

        def doc(ident: str) -> str:
            return self.links.get(ident, f"$@COURSEVIEWBYID*{COURSE_ID}@$")

        return resolve(html, doc, media, self.plan.course.iframe_hosts)

    def add(self, media_id: str, area: Area) -> _File:
        """A media file of the course in ``area`` (read once, however many areas use it)."""
        media: Media = self.plan.course.media[media_id]
        key = (area.context, area.component, area.filearea, area.itemid, "/", media.name)
        if key not in self._files:
            if media_id not in self._sha1:
                self._sha1[media_id] = self._store(media.read())
            self._files[key] = self._file(self._sha1[media_id], area, "/", media.name, media.mime)
        return self._files[key]

    def add_data(self, data: bytes, area: Area, path: str) -> _File:
        """Any file, at ``path`` (folders included) in ``area``."""
        folder, _, name = path.rpartition("/")
        filepath = f"/{folder}/" if folder else "/"
        mime = MIME.get(name.rpartition(".")[2].lower()) or mimetypes.guess_type(name)[0]
        key = (area.context, area.component, area.filearea, area.itemid, filepath, name)
        mime = mime or "application/octet-stream"
        self._files[key] = self._file(self._store(data), area, filepath, name, mime)
        return self._files[key]

    def _store(self, data: bytes) -> str:
        sha1 = hashlib.sha1(data).hexdigest()
        self._blobs[sha1] = data
        return sha1

    def _file(self, sha1: str, area: Area, filepath: str, name: str, mime: str) -> _File:
        file = _File(self.plan.ids("file"), sha1, area, filepath, name, mime)
        if area.inforef is not None:
            area.inforef.append(file.id)
        return file

    def entries(self) -> dict[str, bytes]:
        """The ``files/`` folder of the archive."""
        return {f"files/{sha1[:2]}/{sha1}": data for sha1, data in self._blobs.items()}

    def xml(self) -> El:
        mtime = self.plan.mtime
        return box(
            "files",
            [
                rec(
                    "file",
                    {
                        "contenthash": f.sha1,
                        "contextid": f.area.context,
                        "component": f.area.component,
                        "filearea": f.area.filearea,
                        "itemid": f.area.itemid,
                        "filepath": f.filepath,
                        "filename": f.filename,
                        "userid": None,
                        "filesize": len(self._blobs[f.sha1]),
                        "mimetype": f.mime,
                        "status": 0,
                        "timecreated": mtime,
                        "timemodified": mtime,
                        "source": f.filename,
                        "author": None,
                        "license": None,
                        "sortorder": 0,
                        "repositorytype": None,
                        "repositoryid": None,
                        "reference": None,
                    },
                    id=f.id,
                )
                for f in sorted(self._files.values(), key=lambda f: f.id)
            ],
        )
