"""The output folder: every file a build writes goes through here.

Targets write into a staging folder inside the output folder. Only when every target has
succeeded are the outputs moved into place, replacing the previous ones; a failed or interrupted
build leaves the folder as it was. A manifest records which paths the builds wrote, per target:
a rebuild replaces those paths and nothing else, and refuses to overwrite what it did not write.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import archive
from .messages import tr, trn
from .safepath import UnsafePath, check_relpath, inside

MANIFEST = ".packager-outputs.json"
STAGING_PREFIX = ".packager-staging-"


class OutputError(Exception):
    """The output folder cannot be used as asked; ``problems`` (path, message) say why and what
    to do."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))
        self.problems = problems

    def __reduce__(self) -> tuple[type[OutputError], tuple[list[tuple[str, str]]]]:
        return type(self), (self.problems,)  # from a build's child process, as it was


class WriteError(OSError):
    """Writing an output failed (as opposed to reading a source)."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_folders(content: Path, out_dir: Path) -> None:
    """The output folder must be apart from the content folder: not it, not in it, not above it."""
    src = os.path.realpath(content)
    out = os.path.realpath(out_dir)
    if out == src:
        message = tr(
            "the output folder is the content folder ({content}); choose a folder apart from "
            "it, for example -o dist beside the content folder",
            content=content,
        )
    elif os.path.commonpath([src, out]) == src:
        message = tr(
            "the output folder is inside the content folder ({content}); choose a folder apart "
            "from it, for example -o dist beside the content folder",
            content=content,
        )
    elif os.path.commonpath([src, out]) == out:
        message = tr(
            "the output folder contains the content folder ({content}); choose a folder apart "
            "from it, for example -o dist beside the content folder",
            content=content,
        )
    else:
        return
    raise OutputError([(str(out_dir), message)])


@dataclass
class Manifest:
    """What earlier builds wrote: the outputs of each target, and the files of each folder."""

    outputs: dict[str, list[str]] = field(default_factory=dict)
    trees: dict[str, list[str]] = field(default_factory=dict)

    def owns(self, rel: str) -> bool:
        return any(rel in rels for rels in self.outputs.values())

    def foreign(self, folder: Path, rel: str) -> list[str]:
        """What is in an output folder that the build did not write there."""
        known = set(self.trees.get(rel, []))
        extra = []
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_symlink() or (path.is_file() and name not in known):
                extra.append(name)
            elif path.is_dir() and not any(k.startswith(name + "/") for k in known):
                extra.append(name + "/")
        return extra


def read_manifest(out_dir: Path) -> Manifest:
    """What earlier builds wrote; entries that are not plain relative paths are ignored."""
    path = out_dir / MANIFEST
    try:
        if path.is_symlink():
            return Manifest()
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return Manifest()
    return Manifest(_paths_by_key(data, "outputs"), _paths_by_key(data, "trees"))


def _paths_by_key(data: object, key: str) -> dict[str, list[str]]:
    table = data.get(key) if isinstance(data, dict) else None
    if not isinstance(table, dict):
        return {}
    return {
        k: [r for r in v if _plain(r)]
        for k, v in table.items()
        if isinstance(k, str) and isinstance(v, list)
    }


def _plain(rel: object) -> bool:
    try:
        check_relpath(rel)  # type: ignore[arg-type]
    except UnsafePath:
        return False
    return not str(rel).startswith(STAGING_PREFIX) and rel != MANIFEST


class Staging:
    """A build's outputs, staged inside the output folder until :meth:`commit`."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self._mode = 0o666 & ~_umask()
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            _remove_abandoned(self.out_dir)
            name = f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            self.root = self.out_dir / name
            self.root.mkdir()
        except OSError as exc:
            raise WriteError(exc.errno, exc.strerror, exc.filename or str(self.out_dir)) from None
        self._written: dict[str, list[str]] = {}
        self._trees: dict[str, list[str]] = {}

    # -- writing ---------------------------------------------------------------------------

    def _path(self, target: str, rel: str) -> Path:
        path = inside(self.root, rel)
        self._written.setdefault(target, []).append(rel)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(exc.errno, exc.strerror, self._shown(rel)) from None
        return path

    def _shown(self, rel: str) -> str:
        return str(self.out_dir / rel)

    def write_bytes(self, target: str, rel: str, data: bytes) -> str:
        path = self._path(target, rel)
        with self._writing(rel):
            path.write_bytes(data)
            os.chmod(path, self._mode)
        return rel

    def write_zip(self, target: str, rel: str, entries: archive.Entries, mtime: int) -> str:
        path = self._path(target, rel)
        with self._writing(rel), open(path, "wb") as fh:
            archive.zip_to(fh, entries, mtime)
        with self._writing(rel):
            os.chmod(path, self._mode)
        return rel

    def write_tree(self, target: str, rel: str, files: Mapping[str, bytes]) -> str:
        """A folder of files, replaced as a whole on commit."""
        folder = self._path(target, rel)
        self._trees[rel] = sorted(files)
        with self._writing(rel):
            folder.mkdir()
            for name in sorted(files):
                path = inside(folder, name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[name])
                os.chmod(path, self._mode)
        return rel

    @contextlib.contextmanager
    def _writing(self, rel: str):
        try:
            yield
        except OSError as exc:
            raise WriteError(exc.errno, exc.strerror, self._shown(rel)) from None

    def target(self, name: str) -> TargetOutput:
        return TargetOutput(self, name)

    def staged(self, target: str) -> tuple[list[str], dict[str, list[str]]]:
        """What ``target`` wrote here: its paths, and the files of its folders. A target built
        in another process hands this back to the build's own staging (:meth:`adopt`)."""
        rels = list(self._written.get(target, []))
        return rels, {rel: files for rel, files in self._trees.items() if rel in rels}

    def adopt(self, target: str, rels: list[str], trees: dict[str, list[str]]) -> None:
        """Record what another process wrote for ``target`` into this staging folder."""
        self._written.setdefault(target, []).extend(rels)
        self._trees.update(trees)

    # -- finishing -------------------------------------------------------------------------

    def commit(self) -> None:
        """Move every staged output into place, or nothing at all."""
        try:
            self._commit()
        except WriteError:
            raise
        except OSError as exc:
            where = exc.filename or str(self.out_dir)
            raise WriteError(exc.errno, exc.strerror, where) from None
        finally:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _commit(self) -> None:
        before = read_manifest(self.out_dir)
        new = {t: sorted(set(rels)) for t, rels in self._written.items()}
        produced = sorted({r for rels in new.values() for r in rels})
        kept = {t: rels for t, rels in before.outputs.items() if t not in new}
        still = {r for rels in kept.values() for r in rels}
        stale = sorted({r for t in new for r in before.outputs.get(t, [])} - set(produced) - still)
        problems = [p for rel in produced if (p := self._refusal(before, rel))]
        if problems:
            raise OutputError(problems)
        trash = self.root / ".replaced"
        done: list[tuple[Path | None, Path, Path | None]] = []  # (staged, dest, old copy)
        try:
            for rel in produced:
                dest = inside(self.out_dir, rel)
                dest.parent.mkdir(parents=True, exist_ok=True)
                old = _move_aside(dest, trash / rel)
                done.append((None, dest, old))
                os.rename(self.root / rel, dest)
                done[-1] = (self.root / rel, dest, old)
            for rel in stale:  # an earlier build's output that this build no longer makes
                try:
                    dest = inside(self.out_dir, rel)
                except UnsafePath:
                    continue
                if dest.is_dir() and before.foreign(dest, rel):
                    continue  # holds someone else's files: left alone
                old = _move_aside(dest, trash / rel)
                if old is not None:
                    done.append((None, dest, old))
            trees = {r: f for r, f in before.trees.items() if r in still} | self._trees
            _write_manifest(self.out_dir, Manifest(kept | new, trees), self._mode)
        except BaseException:
            for staged, dest, old in reversed(done):
                with contextlib.suppress(OSError):
                    if staged is not None:
                        os.rename(dest, staged)
                    if old is not None:
                        os.rename(old, dest)
            raise

    def _refusal(self, before: Manifest, rel: str) -> tuple[str, str] | None:
        """Why the output at ``rel`` may not be replaced, or None."""
        try:
            dest = inside(self.out_dir, rel)
        except UnsafePath as exc:
            return self._shown(rel), tr("refused: {reason}", reason=exc)
        if dest.is_symlink():
            return str(dest), tr("is a symbolic link; remove it, then build again")
        if not dest.exists():
            return None
        if not before.owns(rel) or dest.is_dir() != (rel in before.trees):
            message = (
                tr(
                    "this folder was not written by packager, so it is left alone; "
                    "move it away or choose another output folder (-o)"
                )
                if dest.is_dir()
                else tr(
                    "this file was not written by packager, so it is left alone; "
                    "move it away or choose another output folder (-o)"
                )
            )
            return str(dest), message
        if dest.is_dir() and (extra := before.foreign(dest, rel)):
            shown = ", ".join(extra[:3])
            if len(extra) > 3:
                more = len(extra) - 3
                shown = trn("{names} and {n} more", "{names} and {n} more", more, names=shown)
            return str(dest), tr(
                "this folder holds files packager did not write ({files}); "
                "move them away, then build again",
                files=shown,
            )
        return None


def _move_aside(dest: Path, to: Path) -> Path | None:
    if not (dest.exists() or dest.is_symlink()):
        return None
    to.parent.mkdir(parents=True, exist_ok=True)
    os.rename(dest, to)
    return to


def _write_manifest(out_dir: Path, manifest: Manifest, mode: int) -> None:
    body = {
        "format": 1,
        "outputs": {t: sorted(r) for t, r in sorted(manifest.outputs.items())},
        "trees": {t: sorted(r) for t, r in sorted(manifest.trees.items())},
    }
    data = (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    path = out_dir / MANIFEST
    if path.is_symlink():
        path.unlink()
    archive.write_bytes(path, data, mode)


def _remove_abandoned(out_dir: Path) -> None:
    """Staging folders left by a build that was killed (its process is gone)."""
    for entry in out_dir.iterdir():
        if not entry.name.startswith(STAGING_PREFIX):
            continue
        pid = entry.name[len(STAGING_PREFIX) :].split("-")[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        if entry.is_symlink() or not entry.is_dir():
            entry.unlink(missing_ok=True)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class TargetOutput:
    """One target's view of the staging folder; paths are relative to the output folder."""

    def __init__(self, staging: Staging, target: str) -> None:
        self._staging, self._target = staging, target

    def write_bytes(self, rel: str, data: bytes) -> str:
        return self._staging.write_bytes(self._target, rel, data)

    def write_zip(self, rel: str, entries: archive.Entries, mtime: int) -> str:
        return self._staging.write_zip(self._target, rel, entries, mtime)

    def write_tree(self, rel: str, files: Mapping[str, bytes]) -> str:
        return self._staging.write_tree(self._target, rel, files)
