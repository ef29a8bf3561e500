"""Images: verified, stripped of metadata, downscaled, and cached by content hash.

Each processed image is one entry of the per-user cache (:mod:`packager.cache`), whose header
also holds the image's format, width and height. When the cache cannot be trusted or written,
images are processed without it and one warning says why.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import PIL

from .cache import CacheAccess, decode_entry, encode_entry
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


class MediaError(Exception):
    """A file that cannot be used as an image; the message says why."""


@dataclass(frozen=True)
class Prepared:
    width: int
    height: int
    mime: str
    sha256: str  # of the processed bytes
    size: int
    data: bytes = field(repr=False)  # the processed bytes, read once


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
