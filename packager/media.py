"""Images: verified, stripped of metadata, downscaled, and cached by content hash."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# Bump when the processing changes, so older cache entries are not reused.
PIPELINE = "2"

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
# Not metadata: needed to draw the image as its author saw it.
_KEEP_INFO = {"icc_profile", "transparency", "duration", "loop", "background"}


class MediaError(Exception):
    """A file that cannot be used as an image; the message says why."""


@dataclass(frozen=True)
class Prepared:
    width: int
    height: int
    mime: str
    sha256: str  # of the processed bytes
    size: int
    path: Path  # processed bytes


def default_cache_dir() -> Path:
    if env := os.environ.get("PACKAGER_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "course-packager" / "media"


class ImageProcessor:
    """Prepares images for packages; an unchanged image is not processed again."""

    def __init__(self, max_width: int, cache_dir: Path | None = None) -> None:
        self.max_width = max_width
        self.cache_dir = cache_dir or default_cache_dir()

    def prepare(self, source: Path) -> Prepared:
        data = source.read_bytes()
        key = hashlib.sha256(data).hexdigest()
        stem = self.cache_dir / f"{key[:2]}/{key}-w{self.max_width}-p{PIPELINE}"
        meta_file = stem.with_suffix(".json")
        try:
            meta = json.loads(meta_file.read_text("utf-8"))
            out = stem.with_suffix(meta["ext"])
            if out.stat().st_size == meta["size"]:
                return Prepared(
                    meta["width"], meta["height"], meta["mime"], meta["sha256"], meta["size"], out
                )
        except (OSError, ValueError, KeyError):
            pass
        processed, width, height, fmt = process(data, self.max_width)
        ext = {"JPEG": ".jpg"}.get(fmt, "." + fmt.lower())
        out = stem.with_suffix(ext)
        digest = hashlib.sha256(processed).hexdigest()
        meta = {
            "width": width,
            "height": height,
            "mime": FORMATS[fmt],
            "sha256": digest,
            "size": len(processed),
            "ext": ext,
        }
        _atomic_write(out, processed)
        _atomic_write(meta_file, json.dumps(meta).encode())
        return Prepared(width, height, FORMATS[fmt], digest, len(processed), out)


def process(data: bytes, max_width: int) -> tuple[bytes, int, int, str]:
    """Verify, orient, downscale and re-encode an image without its metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                probe.verify()
            if fmt not in FORMATS:
                raise MediaError(f"unsupported image format {fmt}; use PNG, JPEG, GIF or WebP")
            image = Image.open(io.BytesIO(data))
            image.load()
    except MediaError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError("not an image Pillow can read (PNG, JPEG, GIF or WebP)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(f"the image is damaged: {exc}") from None

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


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
