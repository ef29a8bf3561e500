"""Images: verified, stripped of metadata, downscaled, and cached by content hash.

The cache is a per-user folder that nobody else can write. Every entry is one file: a JSON
header line (the entry's key, the image's size and format, the sha256 of the processed bytes)
and the processed bytes. An entry is used only when its key and hash match; links are never
followed. When the folder cannot be trusted or written, images are processed without it and
one warning says why.
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
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import PIL

from .messages import tr

if TYPE_CHECKING:
    from PIL import Image

# Bump when the processing changes, so older cache entries are not reused.
PIPELINE = "2"

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
# Files a lesson may link to (shipped inside the packages and served from the LMS's own
# address): documents and media that browsers do not run. No HTML, SVG, XML or scripts.
LINKABLE = EXTENSIONS | {
    ".pdf", ".txt", ".csv", ".rtf", ".epub",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
    ".mp3", ".m4a", ".ogg", ".oga", ".wav", ".mp4", ".m4v", ".webm", ".ogv", ".vtt",
    ".zip",
}  # fmt: skip
# Not metadata: needed to draw the image as its author saw it.
_KEEP_INFO = {"icc_profile", "transparency", "duration", "loop", "background"}

# Largest image accepted (width × height): 50 megapixels, e.g. 8660 × 5773. Decoded as RGBA
# that is 200 MB of memory; anything larger is far beyond what a course page shows.
MAX_PIXELS = 50_000_000
# Largest animation accepted, over all its frames: 200 megapixels (e.g. 400 frames of 800 × 600).
MAX_ANIMATION_PIXELS = 200_000_000

_ENTRY_MAGIC = b"course-packager-media 1\n"
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


class MediaError(Exception):
    """A file that cannot be used as an image; the message says why."""


class CacheProblem(Exception):
    """The media cache cannot be used; the message says why."""


@dataclass(frozen=True)
class Prepared:
    width: int
    height: int
    mime: str
    sha256: str  # of the processed bytes
    size: int
    data: bytes = field(repr=False)  # the processed bytes, read once


def cache_off_by_env() -> bool:
    """``PACKAGER_NO_CACHE`` set to anything but "" or "0"."""
    return os.environ.get("PACKAGER_NO_CACHE", "") not in ("", "0")


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

    def get(self, key: str) -> bytes | None:
        """The stored entry for ``key``, unchecked (its reader checks it), or None."""
        return self._call(lambda cache: cache.get(key))

    def put(self, key: str, entry: bytes) -> None:
        self._call(lambda cache: cache.put(key, entry))

    def _call(self, action: Callable[[_Cache], bytes | None]) -> bytes | None:
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


class ImageProcessor:
    """Prepares images for packages; an unchanged image is not processed again.

    ``cache_dir``, ``enabled`` and ``warn``: see :class:`CacheAccess` (``cache``), which the
    build's other users of the cache share.
    """

    def __init__(
        self,
        max_width: int,
        cache_dir: Path | None = None,
        enabled: bool = True,
        warn: Callable[[Path, str], None] | None = None,
    ) -> None:
        self.max_width = max_width
        self.cache = CacheAccess(cache_dir, enabled, warn)

    @property
    def problems(self) -> list[str]:
        return self.cache.problems

    def prepare(self, source: Path) -> Prepared:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise MediaError(
                tr("cannot read the file: {reason}", reason=exc.strerror or exc)
            ) from None
        key = cache_key(hashlib.sha256(data).hexdigest(), self.max_width)
        entry = self.cache.get(key)
        cached = _decode_entry(entry, key) if entry is not None else None
        if cached is not None:
            return cached
        processed, width, height, fmt = process(data, self.max_width)
        digest = hashlib.sha256(processed).hexdigest()
        prepared = Prepared(width, height, FORMATS[fmt], digest, len(processed), processed)
        self.cache.put(key, _encode_entry(key, prepared))
        return prepared


def cache_key(source_sha256: str, max_width: int) -> str:
    """Names an entry by everything that decides the processed bytes."""
    parts = [source_sha256, max_width, PIPELINE, PIL.__version__, MAX_PIXELS, MAX_ANIMATION_PIXELS]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


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


def _encode_entry(key: str, prepared: Prepared) -> bytes:
    fmt = next(f for f, mime in FORMATS.items() if mime == prepared.mime)
    return encode_entry(
        _ENTRY_MAGIC, key, prepared.data, format=fmt, width=prepared.width, height=prepared.height
    )


def _decode_entry(entry: bytes, key: str) -> Prepared | None:
    """The entry's image when everything in it checks out, else None."""
    decoded = decode_entry(entry, _ENTRY_MAGIC, key)
    if decoded is None:
        return None
    header, data = decoded
    fmt, width, height = header.get("format"), header.get("width"), header.get("height")
    if fmt not in FORMATS or not all(type(n) is int and n > 0 for n in (width, height)):
        return None
    return Prepared(width, height, FORMATS[fmt], header["sha256"], len(data), data)


def process(data: bytes, max_width: int) -> tuple[bytes, int, int, str]:
    """Verify, orient, downscale and re-encode an image without its metadata."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # only when an image is processed

    try:
        with warnings.catch_warnings():
            # Our own limit (MAX_PIXELS) is lower than the size Pillow warns about, and its
            # message names the size; Pillow still refuses outright above twice its own.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise MediaError(
                        tr(
                            "unsupported image format {format}; use PNG, JPEG, GIF or WebP",
                            format=fmt,
                        )
                    )
                _check_pixels(probe)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except MediaError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow's own limit, met before the size could be read: its message has the count.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = (
            tr("{n} megapixels", n=f"{int(found[1]) / 1e6:.0f}") if found else tr("too many pixels")
        )
        raise MediaError(tr("the image has {size}; {limit}", size=size, limit=_limit())) from None
    except UnidentifiedImageError:
        raise MediaError(tr("not an image Pillow can read (PNG, JPEG, GIF or WebP)")) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise MediaError(tr("the image is damaged: {reason}", reason=exc)) from None

    animated = getattr(image, "n_frames", 1) > 1
    if image.width <= max_width and not _needs_turning(image):
        # Nothing to change in the pixels: drop the metadata and keep the encoding as it is.
        if fmt == "PNG":
            return _strip_png(data), image.width, image.height, fmt
        if fmt == "JPEG":
            return _strip_jpeg(data), image.width, image.height, fmt
    resized = False
    if not animated:
        oriented = ImageOps.exif_transpose(image)
        resized = oriented is not image and oriented.size != image.size
        image = oriented
        if image.width > max_width:
            height = max(1, round(image.height * max_width / image.width))
            image = image.resize((max_width, height), Image.Resampling.LANCZOS)
            resized = True
    info = {k: v for k, v in image.info.items() if k in _KEEP_INFO}
    image.info = dict(info)
    out = io.BytesIO()
    options: dict = {k: v for k, v in info.items() if k != "background"}
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        # Unchanged pixels keep the original quantisation; no second generation loss.
        options["quality"] = 90 if resized or not hasattr(image, "quantization") else "keep"
        options["exif"] = b""
    elif fmt == "PNG":
        options["optimize"] = False
    elif fmt == "GIF" and animated:
        options["save_all"] = True
    elif fmt == "WEBP":
        options["quality"] = 90
        options["exif"] = b""
        options["xmp"] = b""
    image.save(out, fmt, **options)
    return out.getvalue(), image.width, image.height, fmt


def _limit() -> str:
    return tr(
        "the limit is {n} megapixels: scale it down and save it again", n=MAX_PIXELS // 1_000_000
    )


def _check_pixels(image: Image.Image) -> None:
    """Refuse an image too large to decode safely, before its pixels are read."""
    width, height = image.size
    pixels = width * height
    if pixels > MAX_PIXELS:
        raise MediaError(
            tr(
                "the image is {width}×{height} pixels ({n} megapixels); {limit}",
                width=width,
                height=height,
                n=f"{pixels / 1e6:.1f}",
                limit=_limit(),
            )
        )
    frames = getattr(image, "n_frames", 1)
    if frames * pixels > MAX_ANIMATION_PIXELS:
        raise MediaError(
            tr(
                "the animation has {frames} frames of {width}×{height} pixels ({n} megapixels "
                "in all); the limit is {most} megapixels: use fewer or smaller frames",
                frames=frames,
                width=width,
                height=height,
                n=f"{frames * pixels / 1e6:.0f}",
                most=MAX_ANIMATION_PIXELS // 1_000_000,
            )
        )


def _needs_turning(image: Image.Image) -> bool:
    return image.getexif().get(0x0112, 1) not in (1, None)


# PNG chunks an image needs to be drawn as its author saw it; every other chunk (text,
# time, EXIF, private data) is dropped.
_PNG_KEEP = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sRGB",
    b"sBIT", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip


def _strip_png(data: bytes) -> bytes:
    out = [data[:8]]
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if kind in _PNG_KEEP:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


# JPEG segments kept: JFIF (APP0), ICC profile (APP2), Adobe colour transform (APP14) and
# everything that is not an APPn or comment segment. EXIF, XMP, IPTC and comments go.
def _strip_jpeg(data: bytes) -> bytes:
    out = [data[:2]]
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            out.append(data[pos:])
            return b"".join(out)
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        app = 0xE0 <= marker <= 0xEF
        keep = not (app or marker == 0xFE) or (
            (marker == 0xE0 and segment[4:9] == b"JFIF\0")
            or (marker == 0xE2 and segment[4:16] == b"ICC_PROFILE\0")
            or marker == 0xEE
        )
        if keep:
            out.append(segment)
        pos += 2 + length
    return data  # not a layout this reader knows: leave it to the caller's re-encoding
