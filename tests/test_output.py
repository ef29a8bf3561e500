"""The output folder: guarded paths, ownership, all-or-nothing builds, permissions, errors."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from packager import build as build_module
from packager.diagnostics import Diagnostics
from packager.messages import set_language
from packager.output import MANIFEST, STAGING_PREFIX, OutputError, Staging, check_folders
from packager.safepath import UnsafePath, check_relpath, inside
from packager.targets import TARGETS

from .conftest import FIXTURE, load_course, run_cli, write


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with a digest of its bytes (or its link target)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


# -- one guarded writer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    ["", "/etc/x", "../x", "a/../../x", "a//b", "a/./b", "a\\b", "C:x", "a/\x00b", "x/", "."],
)
def test_unsafe_relative_paths_are_refused(rel):
    with pytest.raises(UnsafePath):
        check_relpath(rel)


def test_plain_cyrillic_paths_are_accepted():
    assert check_relpath("questions/01-основи/03-тест.xml") == "questions/01-основи/03-тест.xml"


def test_a_symlink_inside_the_folder_cannot_lead_out(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "questions").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePath):
        inside(tmp_path / "out", "questions/x.xml")


def test_a_target_cannot_write_outside_the_staging_folder(tmp_path):
    staging = Staging(tmp_path / "out")
    out = staging.target("site")
    for rel in ("../escape.txt", "/tmp/escape.txt", "a/../../escape.txt"):
        with pytest.raises(UnsafePath):
            out.write_bytes(rel, b"x")
    with pytest.raises(UnsafePath):
        out.write_tree("site", {"../../escape.html": b"x"})
    staging.discard()
    assert not (tmp_path / "escape.txt").exists()
    assert list((tmp_path / "out").iterdir()) == []


def test_commit_refuses_a_symlinked_subfolder_that_leads_out(tmp_path):
    out_dir = tmp_path / "out"
    (tmp_path / "elsewhere").mkdir()
    out_dir.mkdir()
    (out_dir / "questions").symlink_to(tmp_path / "elsewhere")
    staging = Staging(out_dir)
    staging.target("gift").write_bytes("questions/q.gift", b"x")
    with pytest.raises(OutputError, match="outside"):
        staging.commit()
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert not any(p.name.startswith(STAGING_PREFIX) for p in out_dir.iterdir())


def test_archive_entry_names_are_checked():
    from packager.archive import zip_bytes

    for name in ("../x", "/x", "a//b", "a\\b"):
        with pytest.raises(UnsafePath):
            zip_bytes({name: b"x"}, 0)


# -- the build owns only what it wrote --------------------------------------------------------


def test_output_folder_apart_from_the_content_folder(tmp_path):
    content = tmp_path / "course"
    content.mkdir()
    for out, why in (
        (content, "is the content folder"),
        (content / "dist", "is inside the content folder"),
        (tmp_path, "contains the content folder"),
    ):
        with pytest.raises(OutputError, match=why):
            check_folders(content, out)
    check_folders(content, tmp_path / "dist")


def test_build_into_the_content_folder_is_refused(course_dir):
    before = snapshot(course_dir)
    result = run_cli("build", str(course_dir), "-o", str(course_dir / "dist"))
    assert result.exit_code == 1
    assert "the output folder is inside the content folder" in result.output
    assert snapshot(course_dir) == before


def test_a_course_folder_named_site_survives_a_build_into_its_parent(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    before = snapshot(site)
    result = run_cli("build", str(site), "-o", str(tmp_path), "-t", "site")
    assert result.exit_code == 1
    assert "contains the content folder" in result.output
    assert snapshot(site) == before


def test_an_existing_folder_the_build_did_not_write_is_left_alone(tmp_path):
    out = tmp_path / "out"
    write(out / "site" / "notes.txt", "мои бележки")
    write(out / ".site.old" / "keep.txt", "пази")
    before = snapshot(out)
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-t", "site")
    assert result.exit_code == 1
    assert f"{out / 'site'}: error: this folder was not written by packager" in result.output
    assert "Traceback" not in result.output
    assert snapshot(out) == before


def test_an_existing_file_the_build_did_not_write_is_left_alone(tmp_path):
    out = tmp_path / "out"
    write(out / "proben-kurs-0.1.0.mbz", "someone else's")
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-t", "moodle")
    assert result.exit_code == 1
    assert "this file was not written by packager" in result.output
    assert (out / "proben-kurs-0.1.0.mbz").read_text() == "someone else's"


def test_a_rebuild_replaces_its_own_outputs_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", str(FIXTURE), "-o", str(out)).exit_code == 0
    write(out / "README.txt", "мое")
    write(out / "questions" / "mine.xml", "<mine/>")
    first = snapshot(out)
    result = run_cli("build", str(FIXTURE), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert snapshot(out) == first  # reproducible, and the user's files are untouched


def test_a_file_added_inside_an_output_folder_blocks_the_rebuild(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", str(FIXTURE), "-o", str(out), "-t", "site").exit_code == 0
    write(out / "site" / "notes.txt", "бележки")
    before = snapshot(out)
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-t", "site")
    assert result.exit_code == 1
    assert "holds files packager did not write (notes.txt)" in result.output
    assert snapshot(out) == before


def test_outputs_a_target_no_longer_makes_are_removed(course_dir, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", str(course_dir), "-o", str(out), "-t", "gift").exit_code == 0
    old = out / "questions" / "01-основи" / "03-тест.gift"
    assert old.is_file()
    quiz = course_dir / "01-основи" / "03-тест.md"
    quiz.write_text(
        quiz.read_text("utf-8").replace("---\n", "---\nid: 01-основи/тест\n", 1), "utf-8"
    )
    assert run_cli("build", str(course_dir), "-o", str(out), "-t", "gift").exit_code == 0
    assert not old.exists()
    assert (out / "questions" / "01-основи" / "тест.gift").is_file()


def test_outputs_of_other_targets_are_kept(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", str(FIXTURE), "-o", str(out), "-t", "moodle").exit_code == 0
    assert run_cli("build", str(FIXTURE), "-o", str(out), "-t", "site").exit_code == 0
    assert (out / "proben-kurs-0.1.0.mbz").is_file()
    assert run_cli("build", str(FIXTURE), "-o", str(out), "-t", "moodle").exit_code == 0


def test_a_hostile_manifest_cannot_make_the_build_delete_outside(tmp_path):
    out = tmp_path / "out"
    victim = write(tmp_path / "victim.txt", "keep me")
    write(
        out / MANIFEST,
        '{"format": 1, "outputs": {"gift": ["../victim.txt", "/etc/passwd"]}, "trees": {}}',
    )
    assert run_cli("build", str(FIXTURE), "-o", str(out), "-t", "gift").exit_code == 0
    assert victim.read_text() == "keep me"


# -- all or nothing ---------------------------------------------------------------------------


def test_a_failing_target_leaves_every_previous_output_byte_identical(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_cli("build", str(FIXTURE), "-o", str(out)).exit_code == 0
    before = snapshot(out)

    def broken(ctx):
        raise OSError(28, "No space left on device", "somewhere")

    monkeypatch.setattr(TARGETS["gift"], "build", broken)
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-O", "scorm.sco=module")
    assert result.exit_code == 1
    assert snapshot(out) == before
    assert not any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir())


def test_an_interrupted_build_leaves_no_debris(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_cli("build", str(FIXTURE), "-o", str(out)).exit_code == 0
    before = snapshot(out)

    def interrupted(ctx):
        raise KeyboardInterrupt

    monkeypatch.setattr(TARGETS["moodle"], "build", interrupted)
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-O", "scorm.sco=module")
    assert result.exit_code == 130
    assert "interrupted" in result.output
    assert snapshot(out) == before


def test_a_failure_while_moving_into_place_is_rolled_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_cli("build", str(FIXTURE), "-o", str(out)).exit_code == 0
    before = snapshot(out)
    real = os.rename
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 6:
            raise OSError(5, "Input/output error", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "rename", flaky)
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-O", "scorm.sco=module")
    assert result.exit_code == 1
    assert "cannot write" in result.output
    monkeypatch.setattr(os, "rename", real)
    assert snapshot(out) == before


def test_abandoned_staging_folders_are_cleaned(tmp_path):
    out = tmp_path / "out"
    write(out / f"{STAGING_PREFIX}999999999-dead" / "x.zip", "half")
    assert run_cli("build", str(FIXTURE), "-o", str(out), "-t", "gift").exit_code == 0
    assert not any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir())


# -- permissions and errors -------------------------------------------------------------------


def test_outputs_get_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        assert run_cli("build", str(FIXTURE), "-o", str(tmp_path / "out")).exit_code == 0
    finally:
        os.umask(old)
    site = tmp_path / "out" / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "index.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "out" / "proben-kurs-0.1.0.mbz").stat().st_mode) == 0o644


def test_cannot_read_is_not_cannot_write(tmp_path, monkeypatch):
    from packager.model import Media

    def unreadable(self):
        raise PermissionError(13, "Permission denied", str(self.source))

    monkeypatch.setattr(Media, "read", unreadable)
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path / "out"), "-t", "site")
    assert result.exit_code == 1
    assert re.search(r"\S+\.(png|jpg): error: cannot read: Permission denied", result.output)
    assert "cannot write" not in result.output


def test_an_internal_error_is_one_line_and_exit_70(tmp_path, monkeypatch):
    def bug(ctx):
        raise RuntimeError("unexpected state")

    monkeypatch.setattr(TARGETS["site"], "build", bug)
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path / "out"), "-t", "site")
    assert result.exit_code == 70
    assert "internal error: RuntimeError: unexpected state — please report it" in result.output
    assert "Traceback" not in result.output
    debug = run_cli("--debug", "build", str(FIXTURE), "-o", str(tmp_path / "o2"), "-t", "site")
    assert debug.exit_code == 70
    assert "Traceback" in debug.output


def test_run_targets_reports_every_output(tmp_path):
    course, _ = load_course(FIXTURE)
    outputs = build_module.run_targets(course, tmp_path, ["site", "gift"], Diagnostics())
    assert {o.target for o in outputs} == {"site", "gift"}
    assert all(o.path.exists() for o in outputs)


def test_output_folder_messages_in_bulgarian(tmp_path):
    content = tmp_path / "course"
    content.mkdir()
    try:
        set_language("bg")
        with pytest.raises(OutputError) as caught:
            check_folders(content, content / "dist")
        with pytest.raises(UnsafePath, match="не е относителен път: '/etc'"):
            check_relpath("/etc")
    finally:
        set_language("en")
    assert caught.value.problems == [
        (
            str(content / "dist"),
            f"папката за пакетите е вътре в папката със съдържанието ({content}); изберете "
            "папка извън нея, например -o dist до папката със съдържанието",
        )
    ]
