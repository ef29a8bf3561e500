"""The per-user cache: a folder that nobody else can write, where a build keeps what it can
reuse (processed images, converted Markdown).

Every entry is one file named by its key: a magic line, a JSON header line (the key, the
entry's own fields, the data's size and SHA-256) and the data. Its reader uses an entry only when
all of that checks out. Every access goes through directory descriptors and never follows a
link. Using an entry marks it as recently used; when a build has written entries and the cache
is over its size limit (``PACKAGER_CACHE_SIZE`` MiB, default 1024), the entries used longest ago
are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .messages import tr

_DIR_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
# O_NONBLOCK: opening a FIFO planted in the cache must not hang the build.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NONBLOCK", 0)
)
_WRITE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
# Needed to use the cache without following links: Linux, macOS and the BSDs have them all.
_CACHE_SUPPORTED = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "getuid")
    and {os.open, os.mkdir, os.rename, os.unlink} <= os.supports_dir_fd
)


DEFAULT_SIZE_MIB = 1024
# After trimming, the entries left take at most this share of the limit, so that the builds
# after it do not trim again at once.
_TRIM_TO = 0.8
# A temporary file this old belongs to no running build (one that was killed while writing).
_STALE_TMP_SECONDS = 3600
_SUBDIR = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}")
_TMP = re.compile(r"\.tmp-[0-9a-f]{16}")


class CacheProblem(Exception):
    """The cache cannot be used; the message says why."""


def cache_off_by_env() -> bool:
    """``PACKAGER_NO_CACHE`` set to anything but "" or "0"."""
    return os.environ.get("PACKAGER_NO_CACHE", "") not in ("", "0")


def size_limit() -> int | None:
    """The cache's size limit in bytes: ``PACKAGER_CACHE_SIZE`` MiB, else DEFAULT_SIZE_MIB;
    None when the variable is not a whole number of MiB (above 0)."""
    given = os.environ.get("PACKAGER_CACHE_SIZE", "").strip()
    if not given:
        return DEFAULT_SIZE_MIB << 20
    if not given.isascii() or not given.isdigit() or int(given) < 1:
        return None
    return int(given) << 20


def default_cache_dir() -> Path | None:
    """The cache folder from the environment; None when ``PACKAGER_NO_CACHE`` turns it off.

    ``PACKAGER_NO_CACHE`` (any value but "" or "0") disables the cache, else
    ``PACKAGER_CACHE_DIR`` names it, else ``$XDG_CACHE_HOME/course-packager/media``,
    else ``~/.cache/course-packager/media``.
    """
    if cache_off_by_env():
        return None
    if env := os.environ.get("PACKAGER_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "course-packager" / "media"


class CacheAccess:
    """The per-user cache as a build uses it (for images and rendered Markdown). A cache that
    cannot be used never fails a build: the first problem is kept in ``problems`` and passed to
    ``warn`` (once), and the cache is not touched again.

    ``cache_dir`` overrides :func:`default_cache_dir` (so a folder given on the command line
    wins over the environment); ``enabled=False`` turns the cache off.
    """

    def __init__(
        self,
        cache_dir: Path | None = None,
        enabled: bool = True,
        warn: Callable[[Path, str], None] | None = None,
    ) -> None:
        self.cache_dir: Path | None = None
        if enabled:
            self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.warn = warn
        self.problems: list[str] = []
        self.written = 0  # entries this build wrote
        self.limit = size_limit()
        if self.cache_dir is not None and self.limit is None:
            self._give_up(
                tr(
                    "PACKAGER_CACHE_SIZE must be a whole number of MiB, such as 1024; "
                    "it is {value!r}",
                    value=os.environ.get("PACKAGER_CACHE_SIZE", ""),
                )
            )

    def get(self, key: str) -> bytes | None:
        """The stored entry for ``key``, unchecked (its reader checks it), or None."""
        entry = self._call(lambda cache: cache.get(key))
        return entry if isinstance(entry, bytes) else None

    def put(self, key: str, entry: bytes) -> None:
        self._call(lambda cache: cache.put(key, entry))
        self.written += 1

    def trim(self) -> Trimmed | None:
        """Once a build is done with the cache: when it wrote entries and the cache is over its
        size limit, remove the entries used longest ago (and temporary files left by killed
        builds). What was removed, or None when nothing had to be looked at."""
        limit = self.limit
        if not self.written or limit is None:  # (no limit: the cache is already given up)
            return None
        self.written = 0
        result = self._call(lambda cache: cache.trim(limit))
        return result if isinstance(result, Trimmed) else None

    def _call(self, action: Callable[[_Cache], object]) -> object:
        if self.cache_dir is None or self.problems:
            return None
        try:
            with _Cache(self.cache_dir) as cache:
                return action(cache)
        except CacheProblem as exc:
            self._give_up(str(exc))
        except OSError as exc:
            where = exc.filename or self.cache_dir
            self._give_up(tr("cannot use {path}: {reason}", path=where, reason=exc.strerror or exc))
        return None

    def _give_up(self, reason: str) -> None:
        self.problems.append(reason)
        if self.warn is not None and self.cache_dir is not None:
            self.warn(self.cache_dir, tr("cache not used: {reason}", reason=reason))


class _Cache:
    """An open, verified cache folder: every access goes through directory descriptors, so no
    link is followed and no folder can be swapped in between a check and its use."""

    def __init__(self, root: Path) -> None:
        if not _CACHE_SUPPORTED:
            raise CacheProblem(tr("this system cannot open files without following links"))
        self.root = root
        self.uid = os.getuid()
        _make_dirs(root)
        try:
            self.fd = os.open(root, _DIR_FLAGS)
        except OSError as exc:
            raise CacheProblem(_open_problem(root, exc)) from None
        try:
            _check_dir(self.fd, root, self.uid)
        except BaseException:
            os.close(self.fd)
            raise

    def __enter__(self) -> _Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def _subdir(self, key: str, create: bool) -> int | None:
        name = key[:2]
        if create:
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o700, dir_fd=self.fd)
        try:
            fd = os.open(name, _DIR_FLAGS, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CacheProblem(_open_problem(self.root / name, exc)) from None
        try:
            _check_dir(fd, self.root / name, self.uid)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def get(self, key: str) -> bytes | None:
        """The entry for ``key`` as it is stored (to be checked by its reader), or None
        (missing, a link, not ours)."""
        dir_fd = self._subdir(key, create=False)
        if dir_fd is None:
            return None
        try:
            try:
                fd = os.open(key, _READ_FLAGS, dir_fd=dir_fd)
            except OSError:
                return None  # missing, a link (ELOOP) or unreadable: processed and written anew
            with os.fdopen(fd, "rb") as fh:
                st = os.fstat(fh.fileno())
                if not stat.S_ISREG(st.st_mode) or st.st_uid != self.uid:
                    return None
                entry = fh.read()
                with contextlib.suppress(OSError):  # used now: the last to be trimmed
                    os.utime(fh.fileno())
        finally:
            os.close(dir_fd)
        return entry

    def put(self, key: str, entry: bytes) -> None:
        dir_fd = self._subdir(key, create=True)
        assert dir_fd is not None
        tmp = f".tmp-{secrets.token_hex(8)}"
        try:
            fd = os.open(tmp, _WRITE_FLAGS, 0o600, dir_fd=dir_fd)
            try:
                with os.fdopen(fd, "wb") as fh:
                    _write_all(fh, entry)
                # rename() replaces a link at ``key`` itself; it never writes through it
                os.rename(tmp, key, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dir_fd)
                raise
        except OSError as exc:
            shown = self.root / key[:2] / key
            raise CacheProblem(
                tr("cannot write {path}: {reason}", path=shown, reason=exc.strerror or exc)
            ) from None
        finally:
            os.close(dir_fd)

    def trim(self, limit: int) -> Trimmed:
        """Remove the least recently used entries until the rest take at most _TRIM_TO of
        ``limit`` bytes, when they take more than ``limit``; and stale temporary files."""
        entries: list[tuple[int, int, str, str]] = []  # last use (ns), size, folder, name
        removed = Trimmed()
        now = time.time_ns()
        for folder in sorted(os.listdir(self.fd)):
            if not _SUBDIR.fullmatch(folder):
                continue
            dir_fd = self._subdir(folder, create=False)
            if dir_fd is None:
                continue
            try:
                for name in os.listdir(dir_fd):
                    try:
                        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
                    except FileNotFoundError:
                        continue  # removed by another build meanwhile
                    if not stat.S_ISREG(st.st_mode) or st.st_uid != self.uid:
                        continue
                    if _ENTRY.fullmatch(name):
                        entries.append((st.st_mtime_ns, st.st_size, folder, name))
                    elif _TMP.fullmatch(name) and now - st.st_mtime_ns > _STALE_TMP_SECONDS * 10**9:
                        self._unlink(folder, name, st.st_size, removed)
            finally:
                os.close(dir_fd)
        total = sum(size for _, size, _, _ in entries)
        if total > limit:
            for _, size, folder, name in sorted(entries):
                if total <= limit * _TRIM_TO:
                    break
                self._unlink(folder, name, size, removed)
                total -= size
        removed.kept = total
        return removed

    def _unlink(self, folder: str, name: str, size: int, removed: Trimmed) -> None:
        dir_fd = self._subdir(folder, create=False)
        if dir_fd is None:
            return
        try:
            os.unlink(name, dir_fd=dir_fd)
        except FileNotFoundError:
            return  # removed by another build meanwhile
        finally:
            os.close(dir_fd)
        removed.files += 1
        removed.size += size


@dataclass
class Trimmed:
    """What trimming the cache removed, and the size of the entries it kept (bytes)."""

    files: int = 0
    size: int = 0
    kept: int = 0


def _write_all(fh: io.BufferedWriter, data: bytes) -> None:
    fh.write(data)


def _make_dirs(root: Path) -> None:
    """Create the missing folders of ``root``, each readable by its owner only."""
    missing: list[Path] = []
    level = root
    while not os.path.lexists(level) and level != level.parent:
        missing.append(level)
        level = level.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise CacheProblem(
                tr("cannot create {path}: {reason}", path=folder, reason=exc.strerror or exc)
            ) from None
        os.chmod(folder, 0o700)  # exactly 0700, whatever the umask


def _open_problem(path: Path, exc: OSError) -> str:
    if os.path.islink(path):
        return tr("{path} is a link; the cache must be a real folder", path=path)
    if os.path.lexists(path) and not os.path.isdir(path):
        return tr("{path} is not a folder", path=path)
    return tr("cannot open {path}: {reason}", path=path, reason=exc.strerror or exc)


def _check_dir(fd: int, path: Path, uid: int) -> None:
    st = os.fstat(fd)
    if st.st_uid != uid:
        raise CacheProblem(tr("{path} belongs to another user; the cache must be yours", path=path))
    if st.st_mode & 0o022:
        mode = stat.S_IMODE(st.st_mode)
        raise CacheProblem(
            tr(
                "{path} can be changed by other users (mode {mode}); run `chmod 700 {path}`",
                path=path,
                mode=f"{mode:o}",
            )
        )


def encode_entry(magic: bytes, key: str, data: bytes, **fields: object) -> bytes:
    """A cache entry: ``magic``, a JSON header line (the key, ``fields``, the data's size and
    SHA-256), then the data."""
    header = {"key": key, **fields, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return magic + json.dumps(header).encode() + b"\n" + data


def decode_entry(entry: bytes, magic: bytes, key: str) -> tuple[dict, bytes] | None:
    """The header and data of an entry written by :func:`encode_entry` for ``key``, when its
    magic, key, size and SHA-256 check out; else None."""
    if not entry.startswith(magic):
        return None
    line, sep, data = entry[len(magic) :].partition(b"\n")
    try:
        header = json.loads(line) if sep else None
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("key") != key:
        return None
    if header.get("size") != len(data) or header.get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    return header, data
