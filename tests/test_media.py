"""Images are verified, stripped of metadata, downscaled and cached."""

from __future__ import annotations

import io

from PIL import Image

from packager import media
from packager.media import ImageProcessor

from .conftest import FIXTURE, load_course

PHOTO = FIXTURE / "01-основи" / "images" / "читалня.jpg"


def test_fixture_photo_really_has_metadata():
    with Image.open(PHOTO) as im:
        exif = im.getexif()
        assert exif[0x010F] == "TestCam"
        assert exif.get_ifd(0x8825)  # GPS


def test_metadata_stripped_and_downscaled(tmp_path):
    prepared = ImageProcessor(1600, tmp_path).prepare(PHOTO)
    assert (prepared.width, prepared.height) == (1600, 800)
    data = prepared.path.read_bytes()
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
    assert b"Someone" not in prepared.path.read_bytes()


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
    data = prepared.path.read_bytes()
    assert b"SecretCam" not in data and b"private note" not in data
    with Image.open(src) as before, Image.open(io.BytesIO(data)) as after:
        assert not after.getexif()
        assert after.tobytes() == before.tobytes()  # not re-encoded


def test_png_metadata_chunks_are_dropped(tmp_path):
    src = tmp_path / "diagram.png"
    Image.new("RGB", (200, 100), "white").save(src, pnginfo=_png_text("Comment", "secret"))
    data = ImageProcessor(1600, tmp_path / "cache").prepare(src).path.read_bytes()
    assert b"tEXt" not in data and b"secret" not in data
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        assert im.size == (200, 100)
