"""Relative paths the build may write: inside the output folder or inside an archive."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from .messages import tr


class UnsafePath(ValueError):
    """A path that could leave the folder or archive it is meant for."""


def check_relpath(rel: str) -> str:
    """Return ``rel`` when it is a plain relative POSIX path; raise UnsafePath otherwise.

    Plain means: not empty, no leading "/", no "\\" or drive letter, no empty, "." or ".."
    segment, and no control or unassigned character.
    """
    if not isinstance(rel, str) or not rel:
        raise UnsafePath(tr("empty path"))
    if rel.startswith("/") or "\\" in rel or (len(rel) > 1 and rel[1] == ":"):
        raise UnsafePath(tr("not a relative path: {path}", path=repr(rel)))
    for char in rel:
        if unicodedata.category(char) in ("Cc", "Cs", "Cn") or char in "\ufffe\uffff":
            raise UnsafePath(
                tr(
                    "control or invalid character U+{code} in {path}",
                    code=f"{ord(char):04X}",
                    path=repr(rel),
                )
            )
    for part in rel.split("/"):
        if part in ("", ".", ".."):
            raise UnsafePath(tr("empty, '.' or '..' segment in {path}", path=repr(rel)))
    return rel


def inside(folder: Path, rel: str) -> Path:
    """``folder/rel``, refused when it would resolve (symlinks followed) outside ``folder``."""
    check_relpath(rel)
    base = os.path.realpath(folder)
    final = os.path.realpath(os.path.join(base, rel))
    if os.path.commonpath([base, final]) != base or final == base:
        raise UnsafePath(tr("{path} resolves outside {folder}", path=repr(rel), folder=folder))
    return Path(base, rel)
