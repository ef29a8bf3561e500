"""Images are verified, stripped of metadata, downscaled and cached."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import zlib
from pathlib import Path

import pytest
from PIL import Image

from packager import cache as cache_module
from packager import media
from packager.diagnostics import Diagnostics
from packager.loader import load
from packager.media import ImageProcessor
from packager.messages import set_language

from .conftest import FIXTURE, load_course, problems

PHOTO = FIXTURE / "01-основи" / "images" / "читалня.jpg"


def test_fixture_photo_really_has_metadata():
    with Image.open(PHOTO) as im:
        exif = im.getexif()
        assert exif[0x010F] == "TestCam"
        assert exif.get_ifd(0x8825)  # GPS


def test_metadata_stripped_and_downscaled(tmp_path):
    prepared = ImageProcessor(1600, tmp_path).prepare(PHOTO)
    assert (prepared.width, prepared.height) == (1600, 800)
    data = prepared.data
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (1600, 800)
        assert not im.getexif()
        assert "exif" not in im.info
    assert b"TestCam" not in data and b"Model X" not in data


def test_small_image_keeps_its_size(tmp_path):
    src = tmp_path / "small.png"
    Image.new("RGB", (300, 200), "red").save(src, pnginfo=_png_text("Author", "Someone"))
    prepared = ImageProcessor(1600, tmp_path / "cache").prepare(src)
    assert (prepared.width, prepared.height) == (300, 200)
    assert b"Someone" not in prepared.data


def test_exif_orientation_is_applied(tmp_path):
    src = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    Image.new("RGB", (400, 100), "blue").save(src, exif=exif.tobytes())
    prepared = ImageProcessor(1600, tmp_path / "cache").prepare(src)
    assert (prepared.width, prepared.height) == (100, 400)


def test_unchanged_image_is_not_processed_again(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = ImageProcessor(1600, cache).prepare(PHOTO)
    calls = []
    monkeypatch.setattr(
        media, "process", lambda *a: calls.append(a) or (_ for _ in ()).throw(AssertionError)
    )
    second = ImageProcessor(1600, cache).prepare(PHOTO)
    assert not calls
    assert second == first
    # another maximum width is another cache entry
    monkeypatch.undo()
    third = ImageProcessor(800, cache).prepare(PHOTO)
    assert third.width == 800


def test_max_width_comes_from_the_course_file(course_dir):
    path = course_dir / "course.yml"
    path.write_text(path.read_text("utf-8") + "images:\n  max_width: 1000\n", "utf-8")
    course, _ = load_course(course_dir)
    assert course.media["01-основи/images/читалня.jpg"].width == 1000
    assert 'width="1000" height="500"' in course.lessons[1].html


def test_packaged_image_is_the_processed_one():
    course, _ = load_course(FIXTURE)
    photo = course.media["01-основи/images/читалня.jpg"]
    data = photo.read()
    assert b"TestCam" not in data
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (1600, 800)


def _png_text(key: str, value: str):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)
    return info


def test_jpeg_within_width_keeps_its_pixels_but_not_its_metadata(tmp_path):
    src = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {1: "N", 2: (42.0, 41.0, 0.0)}
    Image.new("RGB", (400, 300), (30, 120, 200)).save(
        src, quality=85, exif=exif.tobytes(), comment=b"private note"
    )
    prepared = ImageProcessor(1600, tmp_path / "cache").prepare(src)
    data = prepared.data
    assert b"SecretCam" not in data and b"private note" not in data
    with Image.open(src) as before, Image.open(io.BytesIO(data)) as after:
        assert not after.getexif()
        assert after.tobytes() == before.tobytes()  # not re-encoded


def test_png_metadata_chunks_are_dropped(tmp_path):
    src = tmp_path / "diagram.png"
    Image.new("RGB", (200, 100), "white").save(src, pnginfo=_png_text("Comment", "secret"))
    data = ImageProcessor(1600, tmp_path / "cache").prepare(src).data
    assert b"tEXt" not in data and b"secret" not in data
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        assert im.size == (200, 100)


# ---------------------------------------------------------------------------------------------
# The cache: private, verified, never following a link, never failing a build


def _png(path: Path, colour: str = "red", size: tuple[int, int] = (40, 30)) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def _entry(cache: Path) -> Path:
    (found,) = [p for p in cache.glob("*/*") if not p.name.startswith(".")]
    return found


def _forged(key: str, secret: bytes) -> bytes:
    """An entry for ``key`` that would pass every check if it were read."""
    fake = media.Prepared(
        1, 1, "image/png", hashlib.sha256(secret).hexdigest(), len(secret), secret
    )
    return media._encode_entry(key, fake)


def _no_processing(monkeypatch) -> list:
    calls: list = []
    real = media.process
    monkeypatch.setattr(media, "process", lambda *a: calls.append(a) or real(*a))
    return calls


def test_cache_folders_are_private(tmp_path):
    cache = tmp_path / "a" / "b" / "media"
    ImageProcessor(1600, cache).prepare(_png(tmp_path / "x.png"))
    entry = _entry(cache)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", cache, entry.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_tampered_entry_of_the_same_size_is_not_reused(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    src = _png(tmp_path / "x.png")
    first = ImageProcessor(1600, cache).prepare(src)
    entry = _entry(cache)
    good = entry.read_bytes()
    tampered = good[:-8] + bytes(b ^ 0xFF for b in good[-8:])
    entry.write_bytes(tampered)
    calls = _no_processing(monkeypatch)
    processor = ImageProcessor(1600, cache)
    again = processor.prepare(src)
    assert calls and again == first
    assert entry.read_bytes() == good  # rebuilt
    assert not processor.problems


def test_entry_with_another_key_is_not_reused(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    src = _png(tmp_path / "x.png")
    ImageProcessor(1600, cache).prepare(src)
    entry = _entry(cache)
    entry.write_bytes(_forged("0" * 64, b"other image"))
    calls = _no_processing(monkeypatch)
    assert ImageProcessor(1600, cache).prepare(src).data != b"other image"
    assert calls


def test_linked_entry_is_not_followed(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    src = _png(tmp_path / "x.png")
    first = ImageProcessor(1600, cache).prepare(src)
    entry = _entry(cache)
    private = tmp_path / "private"
    private.write_bytes(_forged(entry.name, b"PRIVATE"))
    before = private.read_bytes()
    entry.unlink()
    entry.symlink_to(private)
    calls = _no_processing(monkeypatch)
    again = ImageProcessor(1600, cache).prepare(src)
    assert calls and again.data == first.data and b"PRIVATE" not in again.data
    assert private.read_bytes() == before  # not written through the link either
    assert not entry.is_symlink()


def test_linked_cache_folder_is_not_used(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    src = _png(tmp_path / "x.png")
    first = ImageProcessor(1600, elsewhere).prepare(src)
    entry = _entry(elsewhere)
    entry.write_bytes(_forged(entry.name, b"PRIVATE"))
    link = tmp_path / "cache"
    link.symlink_to(elsewhere)
    warned: list[tuple[Path, str]] = []
    processor = ImageProcessor(1600, link, warn=lambda p, m: warned.append((p, m)))
    assert processor.prepare(src).data == first.data
    assert processor.prepare(_png(tmp_path / "y.png", "blue")).width == 40
    assert warned == [(link, f"cache not used: {link} is a link; the cache must be a real folder")]
    assert [p.name for p in elsewhere.glob("*/*")] == [entry.name]  # nothing written there


def test_linked_cache_subfolder_is_not_followed(tmp_path):
    cache = tmp_path / "cache"
    src = _png(tmp_path / "x.png")
    first = ImageProcessor(1600, cache).prepare(src)
    entry = _entry(cache)
    outside = tmp_path / "outside"
    entry.parent.rename(outside)
    (outside / entry.name).write_bytes(_forged(entry.name, b"PRIVATE"))
    entry.parent.symlink_to(outside)
    processor = ImageProcessor(1600, cache)
    assert processor.prepare(src).data == first.data
    assert processor.problems == [f"{entry.parent} is a link; the cache must be a real folder"]
    assert (outside / entry.name).read_bytes() == _forged(entry.name, b"PRIVATE")


def test_fifo_in_the_cache_does_not_hang(tmp_path):
    cache = tmp_path / "cache"
    src = _png(tmp_path / "x.png")
    first = ImageProcessor(1600, cache).prepare(src)
    entry = _entry(cache)
    entry.unlink()
    os.mkfifo(entry)
    assert ImageProcessor(1600, cache).prepare(src) == first
    assert entry.is_file()


def test_cache_of_another_user_is_not_used(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)
    processor = ImageProcessor(1600, cache)
    assert processor.prepare(_png(tmp_path / "x.png")).width == 40
    assert processor.problems == [f"{cache} belongs to another user; the cache must be yours"]
    assert not list(cache.iterdir())


def test_cache_writable_by_others_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o775)
    processor = ImageProcessor(1600, cache)
    processor.prepare(_png(tmp_path / "x.png"))
    assert processor.problems == [
        f"{cache} can be changed by other users (mode 775); run `chmod 700 {cache}`"
    ]
    assert not list(cache.iterdir())


def test_full_disk_means_one_warning_and_no_cache(tmp_path, monkeypatch):
    def full(fh, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cache_module, "_write_all", full)
    cache = tmp_path / "cache"
    processor = ImageProcessor(1600, cache)
    for colour in ("red", "green", "blue"):
        assert processor.prepare(_png(tmp_path / f"{colour}.png", colour)).width == 40
    (problem,) = processor.problems
    assert problem.startswith(f"cannot write {cache}/") and problem.endswith(
        "No space left on device"
    )
    assert not [p for p in cache.rglob("*") if p.is_file()]  # no temporary file left


def test_unusable_cache_is_one_warning_even_under_strict(course_dir, tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file")
    diags = Diagnostics(strict=True)
    course = load(course_dir, diags, cache_dir=not_a_folder)
    assert len(course.images) == 2
    assert [str(d) for d in diags] == [
        f"{not_a_folder}: warning: cache not used: {not_a_folder} is not a folder"
    ]
    assert not diags.has_errors


def test_cache_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    processor = ImageProcessor(1600, blocker / "cache")
    assert processor.prepare(_png(tmp_path / "x.png")).width == 40
    assert processor.problems == [f"cannot create {blocker / 'cache'}: Not a directory"]


def test_cache_folder_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("PACKAGER_CACHE_DIR")
    monkeypatch.delenv("PACKAGER_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_module.default_cache_dir() == tmp_path / "xdg" / "course-packager" / "media"
    monkeypatch.setenv("PACKAGER_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_module.default_cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("PACKAGER_NO_CACHE", "0")
    assert cache_module.default_cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("PACKAGER_NO_CACHE", "1")
    assert cache_module.default_cache_dir() is None


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("PACKAGER_CACHE_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("PACKAGER_NO_CACHE", "1")
    src = _png(tmp_path / "x.png")
    assert ImageProcessor(1600).prepare(src).width == 40
    assert ImageProcessor(1600, tmp_path / "off", enabled=False).prepare(src).width == 40
    assert not (tmp_path / "env").exists() and not (tmp_path / "off").exists()
    # a folder given explicitly (--cache-dir) wins over the environment
    ImageProcessor(1600, tmp_path / "given").prepare(src)
    assert _entry(tmp_path / "given")


def test_loader_passes_the_cache_choice(course_dir, tmp_path):
    load(course_dir, Diagnostics(), cache_dir=tmp_path / "off", use_cache=False)
    assert not (tmp_path / "off").exists()
    load(course_dir, Diagnostics(), cache_dir=tmp_path / "on")
    entries = [p.read_bytes() for p in (tmp_path / "on").glob("*/*")]
    assert len([e for e in entries if e.startswith(media._ENTRY_MAGIC)]) == 2  # the images


def test_packages_use_the_bytes_read_at_load_time(course_dir):
    course, _ = load_course(course_dir)
    photo = course.media["01-основи/images/читалня.jpg"]
    pdf = course.media["02-услуги/брошура.pdf"]
    expected = photo.read(), pdf.read()
    (course_dir / "01-основи" / "images" / "читалня.jpg").write_bytes(b"changed")
    (course_dir / "02-услуги" / "брошура.pdf").write_bytes(b"changed")
    assert (photo.read(), pdf.read()) == expected
    assert hashlib.sha256(photo.read()).hexdigest() == photo.sha256


def test_notice_is_not_made_an_error_by_strict():
    diags = Diagnostics(strict=True)
    diags.notice("/cache", "cache not used: reason")
    diags.notice("/cache", "cache not used: reason")
    assert [str(d) for d in diags] == ["/cache: warning: cache not used: reason"]
    assert not diags.has_errors and len(diags.warnings) == 1


# ---------------------------------------------------------------------------------------------
# Limits and unreadable files


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels and holds none."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    idat = zlib.compress(b"")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_too_many_pixels(tmp_path):
    src = tmp_path / "big.png"
    src.write_bytes(_png_header(10000, 6000))
    with pytest.raises(media.MediaError) as exc:
        ImageProcessor(1600, tmp_path / "cache").prepare(src)
    assert str(exc.value) == (
        "the image is 10000×6000 pixels (60.0 megapixels); "
        "the limit is 50 megapixels: scale it down and save it again"
    )


def test_decompression_bomb_beyond_pillows_limit(tmp_path):
    src = tmp_path / "bomb.png"
    src.write_bytes(_png_header(100000, 100000))
    with pytest.raises(media.MediaError) as exc:
        ImageProcessor(1600, tmp_path / "cache").prepare(src)
    assert str(exc.value) == (
        "the image has 10000 megapixels; "
        "the limit is 50 megapixels: scale it down and save it again"
    )


def test_decompression_bomb_is_a_located_error(course_dir):
    (course_dir / "01-основи" / "images" / "читалня.jpg").write_bytes(_png_header(12000, 10000))
    assert problems(course_dir) == [
        '01-основи/02-данни.md:9:1: error: image "01-основи/images/читалня.jpg": the image is '
        "12000×10000 pixels (120.0 megapixels); the limit is 50 megapixels: "
        "scale it down and save it again"
    ]


def test_too_long_animation(tmp_path, monkeypatch):
    monkeypatch.setattr(media, "MAX_ANIMATION_PIXELS", 1000)
    src = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (20, 20), c) for c in ("red", "green", "blue")]
    frames[0].save(src, save_all=True, append_images=frames[1:])
    with pytest.raises(media.MediaError, match="the animation has 3 frames of 20×20 pixels"):
        ImageProcessor(1600, tmp_path / "cache").prepare(src)


def _unreadable(monkeypatch, *paths: Path) -> None:
    real = Path.read_bytes
    denied = {p.resolve() for p in paths}

    def read_bytes(self: Path) -> bytes:
        if self.resolve() in denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)  # tests run as root: chmod is no use


def test_unreadable_files_are_located_errors(course_dir, monkeypatch):
    _unreadable(
        monkeypatch,
        course_dir / "01-основи" / "images" / "читалня.jpg",
        course_dir / "02-услуги" / "брошура.pdf",
    )
    found = problems(course_dir)
    assert any(
        p.startswith("01-основи/02-данни.md:9:")
        and p.endswith(
            'error: image "01-основи/images/читалня.jpg": cannot read the file: Permission denied'
        )
        for p in found
    ), found
    assert any(
        p.startswith("02-услуги/01-дигитални.md:11:")
        and p.endswith(
            'error: link to "02-услуги/брошура.pdf": cannot read the file: Permission denied'
        )
        for p in found
    ), found


def test_image_problems_in_bulgarian(tmp_path):
    src = tmp_path / "big.png"
    src.write_bytes(_png_header(10000, 6000))
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    try:
        set_language("bg")
        with pytest.raises(media.MediaError) as big:
            ImageProcessor(1600, tmp_path / "cache").prepare(src)
        with pytest.raises(media.MediaError) as unreadable:
            ImageProcessor(1600, tmp_path / "cache").prepare(bad)
    finally:
        set_language("en")
    assert str(big.value) == (
        "изображението е 10000×6000 пиксела (60.0 мегапиксела); "
        "границата е 50 мегапиксела: намалете го и го запишете отново"
    )
    assert str(unreadable.value) == (
        "не е изображение, което Pillow може да прочете (PNG, JPEG, GIF или WebP)"
    )
