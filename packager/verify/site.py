"""The static site, as a zip or a folder: every page and asset present, every local link and
anchor resolves, and nothing is loaded from another host. The link check is shared with the
packages whose pages are HTML files (SCORM)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from ..messages import tr, trn
from .report import Report

# Attributes whose URL the browser loads by itself (as opposed to a link the learner follows).
LOADED = {
    "img": ("src",),
    "script": ("src",),
    "link": ("href",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "source": ("src",),
    "track": ("src",),
    "input": ("src",),
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")


def is_site(files: dict[str, bytes]) -> bool:
    return "index.html" in files and not any(
        n in files for n in ("imsmanifest.xml", "moodle_backup.xml")
    )


def verify_site(files: dict[str, bytes], report: Report) -> None:
    report.kind = tr("static site")
    pages = html_pages(files)
    found = check_links(files, pages, tr("leaves the site"), report)
    for name in sorted(n for n in files if n.endswith(".css")):
        for url in _CSS_URL.findall(files[name].decode("utf-8", "replace")):
            if urlsplit(url).scheme or url.startswith("//"):
                found.external.add(tr("{page}: loads {url}", page=name, url=url))
            elif not url.startswith("data:"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(url)))
                if target not in files:
                    report.problems.append(
                        tr("{page}: url({url}) points to a missing file", page=name, url=url)
                    )
    report.problems += sorted(found.external)
    report.checked.append(
        tr(
            "{pages}, {files}, every local link resolves",
            pages=trn("{n} page", "{n} pages", len(pages)),
            files=trn("{n} file", "{n} files", len(files)),
        )
    )
    if found.embedded:
        report.checked.append(
            tr("embeds pages from {hosts}", hosts=", ".join(sorted(found.embedded)))
        )


def html_pages(files: dict[str, bytes]) -> list[str]:
    return sorted(n for n in files if n.endswith(".html"))


@dataclass
class Found:
    """What the pages load from other hosts, and the hosts whose pages they embed."""

    external: set[str] = field(default_factory=set)
    embedded: set[str] = field(default_factory=set)


def check_links(files: dict[str, bytes], pages: list[str], outside: str, report: Report) -> Found:
    """Reports each local link or source of ``pages`` that leads to no file of ``files`` (or
    to no anchor of its page); ``outside`` says what a link out of the folder does."""
    ids = {name: _ids(files[name]) for name in pages}
    found = Found()
    for name in pages:
        try:
            root = lxml.html.fromstring(files[name])
        except (etree.ParserError, ValueError) as exc:
            report.problems.append(
                tr("{page}: not readable as HTML: {reason}", page=name, reason=exc)
            )
            continue
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("href", "src", "poster"):
                url = el.get(attr)
                if not url:
                    continue
                parts = urlsplit(url.strip())
                if parts.scheme or url.strip().startswith("//"):
                    host = parts.hostname or url
                    if el.tag == "iframe":
                        found.embedded.add(host)
                    elif attr in LOADED.get(el.tag, ()) and parts.scheme != "data":
                        found.external.add(
                            tr(
                                "{page}: <{tag} {attribute}> loads {url}",
                                page=name,
                                tag=el.tag,
                                attribute=attr,
                                url=url,
                            )
                        )
                    continue
                problem = _resolve(name, parts.path, parts.fragment, files, ids, outside)
                if problem:
                    report.problems.append(f'{name}: {el.tag} {attr}="{url}" {problem}')
    return found


def _resolve(
    page: str,
    path: str,
    fragment: str,
    files: dict[str, bytes],
    ids: dict[str, set[str]],
    outside: str,
) -> str | None:
    if not path:
        target = page
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
        if target.startswith("../") or target == "..":
            return outside
        if target not in files:
            if target + "/index.html" in files:
                target += "/index.html"
            else:
                return tr("points to a missing file")
    if fragment and target in ids and unquote(fragment) not in ids[target]:
        return tr('points to a missing anchor "#{anchor}"', anchor=unquote(fragment))
    return None


def _ids(data: bytes) -> set[str]:
    try:
        root = lxml.html.fromstring(data)
    except (etree.ParserError, ValueError):
        return set()
    return {v for el in root.iter() if isinstance(el.tag, str) for v in (el.get("id"),) if v} | {
        v for el in root.iter("a") for v in (el.get("name"),) if v
    }
