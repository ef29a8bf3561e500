"""Where everything goes in a cartridge, and the identifiers its manifest gives it.

Paths and identifiers are ASCII, made from the source ids (Bulgarian transliterated), so they
are the same in every version of the course. ASCII paths are a Moodle need: its importer finds a
page's images by parsing the page as Latin-1 and asking the file system for the path it read,
so a non-ASCII (or percent-encoded) file name never resolves and the image is lost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ...model import Assignment, Course, Forum, Lesson, Quiz
from ...names import ascii_id

ASSETS = "assets"
THEME = ("style.css", "print.css")  # what the pages use; the quiz player is not needed
MEDIA = "media"


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


class Unique:
    """Hands out names once: a name already taken (ignoring case, as Windows and macOS file
    systems do) gets a digest of its key appended, so it stays stable across builds."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self.taken = {r.lower() for r in reserved}

    def __call__(self, name: str, key: str) -> str:
        if name.lower() in self.taken:
            folder, slash, last = name.rpartition("/")
            stem, dot, ext = last.rpartition(".")
            if not dot:
                stem, ext = last, ""
            name = f"{folder}{slash}{stem}-{_digest(key)}{dot}{ext}"
        self.taken.add(name.lower())
        return name


def ascii_path(ident: str) -> str:
    """An item id as an ASCII relative path (each "/"-separated part transliterated)."""
    return "/".join(ascii_id(part) for part in ident.split("/"))


@dataclass
class Layout:
    pages: dict[str, str] = field(default_factory=dict)  # lesson or assignment id -> its page
    tests: dict[str, str] = field(default_factory=dict)  # quiz id -> its QTI file
    topics: dict[str, str] = field(default_factory=dict)  # forum id -> its discussion topic
    media: dict[str, str] = field(default_factory=dict)  # media id -> its file
    ids: dict[str, str] = field(default_factory=dict)  # (kind:source id) -> XML identifier

    def ident(self, kind: str, source: str) -> str:
        return self.ids[f"{kind}:{source}"]


# identifiers the manifest uses for things that have no source id
ROOT, GENERAL, THEME_RES = "ROOT", "GENERAL", "THEME"


def layout(course: Course) -> Layout:
    out = Layout()
    paths = Unique(("imsmanifest.xml",))
    ids = Unique((ROOT, GENERAL, THEME_RES))

    def name_id(kind: str, prefix: str, source: str) -> None:
        out.ids[f"{kind}:{source}"] = ids(f"{prefix}_{ascii_id(source)}", f"{kind}:{source}")

    name_id("manifest", "MANIFEST", course.short_name)
    name_id("org", "ORG", course.short_name)
    for module in course.modules:
        name_id("module", "MOD", module.id)
        for item in module.items:
            name_id("item", "ITEM", item.id)
            name_id("res", "RES", item.id)
            if isinstance(item, Lesson | Assignment):
                out.pages[item.id] = paths(ascii_path(item.id) + ".html", item.id)
            elif isinstance(item, Quiz):
                name_id("media", "MEDIA", item.id)
                out.tests[item.id] = paths(ascii_path(item.id) + ".xml", item.id)
            elif isinstance(item, Forum):
                name_id("media", "MEDIA", item.id)
                out.topics[item.id] = paths(ascii_path(item.id) + ".xml", item.id)
    for ident in sorted(course.media):
        name = course.media[ident].name
        out.media[ident] = paths(f"{MEDIA}/{ascii_id(name)}", ident)
    return out
