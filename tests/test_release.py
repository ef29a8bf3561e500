"""Releases: checksums, the release record, change reports, verify of every output, and
identifiers that stay the same from one version to the next."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from packager import changes, inventory
from packager.messages import set_language
from packager.model import Audience, Pool
from packager.readback import package_record
from packager.release import read_record
from packager.verify import verify, verify_all

from .conftest import FIXTURE, load_course, run_cli, write
from .test_output import snapshot

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas"


def set_version(course: Path, version: str) -> None:
    yml = course / "course.yml"
    text = yml.read_text("utf-8")
    yml.write_text(re.sub(r"(?m)^version: .*$", f"version: {version}", text), "utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def released(tmp_path) -> Path:
    out = tmp_path / "release"
    result = run_cli("release", str(FIXTURE), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_release_writes_checksums_and_a_record(released):
    sums = (released / "SHA256SUMS").read_text()
    assert "proben-kurs-0.1.0.mbz" in sums and "release.json" in sums
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "-c", "SHA256SUMS"], cwd=released, capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
    record = json.loads((released / "release.json").read_text())
    assert record["course"] == {
        "title": "Библиотеката днес – пробен курс",
        "short_name": "proben-kurs",
        "version": "0.1.0",
        "date": record["course"]["date"],
        "language": "bg",
    }
    counts = record["counts"]
    assert (counts["lessons"], counts["quizzes"], counts["questions"]) == (5, 1, 10)
    assert (counts["assignments"], counts["forums"], counts["for_trainers"]) == (1, 1, 2)
    assert sum(record["counts"]["questions_by_kind"].values()) == 10
    assert record["tool"]["name"] == "course-packager"
    targets = {f["target"] for f in record["files"]}
    assert targets == {"site", "scorm12", "scorm2004", "moodle", "moodlexml", "gift", "cc"}
    for entry in record["files"]:
        assert (released / entry["path"]).stat().st_size == entry["size"]
    contents = record["contents"]
    ids = [e["id"] for e in contents["lessons"]]
    assert ids == ["01-основи/01-стратегия", "01-основи/02-данни", "01-основи/04-бележки",
                   "02-услуги/01-дигитални", "03-за-обучители/01-план"]  # fmt: skip
    audiences = {e["id"]: e["audience"] for kind in ("modules", "lessons") for e in contents[kind]}
    assert [i for i, a in audiences.items() if a == "trainers"] == [
        "03-за-обучители", "01-основи/04-бележки", "03-за-обучители/01-план",
    ]  # fmt: skip
    (task,) = contents["assignments"]
    assert task["id"] == "02-услуги/02-задание" and task["position"] == 2
    assert task["module"] == "02-услуги" and len(task["sha256"]) == 64
    assert [f["id"] for f in contents["forums"]] == ["02-услуги/03-форум"]


def test_a_release_is_reproducible_and_can_be_repeated(released):
    before = snapshot(released)
    result = run_cli("release", str(FIXTURE), "-o", str(released))
    assert result.exit_code == 0, result.output
    assert snapshot(released) == before


def test_the_same_version_with_other_contents_is_refused(released, course_dir):
    before = snapshot(released)
    edit(course_dir / "01-основи" / "02-данни.md", "##", "## Нов раздел\n\nТекст.\n\n##")
    result = run_cli("release", str(course_dir), "-o", str(released))
    assert result.exit_code == 1
    assert "version 0.1.0 was already released with other contents" in result.output
    assert snapshot(released) == before
    set_version(course_dir, "0.2.0")
    assert run_cli("release", str(course_dir), "-o", str(released)).exit_code == 0


def test_a_release_fails_strictly(course_dir, tmp_path):
    write(course_dir / "01-основи" / "чернова.md", "---\ntitle: Чернова\n---\nТекст.\n")
    result = run_cli("release", str(course_dir), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "error: this file is not listed" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# -- verify for every output ------------------------------------------------------------------


def test_verify_accepts_everything_a_release_holds(released):
    paths = sorted(str(p) for p in released.iterdir() if not p.name.startswith("."))
    args = ["verify", *paths]
    if (SCHEMAS / "scorm12").is_dir():
        args += ["--schemas", str(SCHEMAS)]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    out = result.output
    for kind in (
        "static site", "SCORM 1.2", "SCORM 2004 4th Edition", "Moodle backup",
        "Moodle XML question bank", "GIFT question bank", "SHA256SUMS", "release record",
        "IMS Common Cartridge 1.1",
    ):  # fmt: skip
        assert f"ok: {kind}" in out, kind
    assert re.search(r"site: ok: static site; \d+ pages", out)


def test_verify_finds_a_file_changed_after_the_release(released):
    mbz = released / "proben-kurs-0.1.0.mbz"
    mbz.write_bytes(mbz.read_bytes() + b"x")
    result = run_cli("verify", str(released / "SHA256SUMS"), str(released / "release.json"))
    assert result.exit_code == 1
    assert "proben-kurs-0.1.0.mbz: checksum differs" in result.output
    assert "proben-kurs-0.1.0.mbz: size or checksum differs" in result.output


def test_verify_refuses_sums_that_point_outside(tmp_path):
    write(tmp_path / "SHA256SUMS", "0" * 64 + "  ../secret\n")
    result = run_cli("verify", str(tmp_path / "SHA256SUMS"))
    assert result.exit_code == 1
    assert "is not a path inside" in result.output


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_verify_site_finds_broken_links_anchors_and_remote_loads(tmp_path):
    page = (
        '<html><body><a href="missing.html">x</a><a href="b.html#nowhere">y</a>'
        '<a href="b.html#here">z</a><img src="https://cdn.example.org/x.png" alt="">'
        '<script src="//cdn.example.org/x.js"></script><a href="https://example.org/">ok</a>'
        "</body></html>"
    )
    site = tmp_path / "site.zip"
    site.write_bytes(_zip({"index.html": page.encode(), "b.html": b'<p id="here">b</p>'}))
    report = verify(site)
    assert report.kind == "static site"
    text = "\n".join(report.problems)
    assert 'a href="missing.html" points to a missing file' in text
    assert 'points to a missing anchor "#nowhere"' in text
    assert "loads https://cdn.example.org/x.png" in text
    assert "loads //cdn.example.org/x.js" in text
    assert 'example.org/"' not in text and len(report.problems) == 4


def test_verify_moodle_xml_checks_types_grades_and_images(tmp_path):
    xml = tmp_path / "bank.xml"
    xml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><quiz>'
        '<question type="category"><category><text>$course$/top</text></category></question>'
        '<question type="hotspot"><name><text>A</text></name></question>'
        '<question type="multichoice"><name><text>B</text></name>'
        '<questiontext format="html"><text>&lt;img src="@@PLUGINFILE@@/a.png"&gt;</text>'
        "</questiontext>"
        '<answer fraction="37"><text>x</text></answer>'
        '<answer fraction="100"><text>y</text></answer></question></quiz>',
        "utf-8",
    )
    report = verify(xml)
    text = "\n".join(report.problems)
    assert 'question type "hotspot" is not a standard Moodle one' in text
    assert "answer grade 37% is not one Moodle offers" in text
    assert 'shows "a.png" but does not carry the file' in text
    assert len(report.problems) == 3


def test_verify_gift_reports_what_does_not_parse(tmp_path):
    gift = tmp_path / "bank.gift"
    gift.write_text("::Q1:: Въпрос {=да ~не}\n\n::Q2:: Счупен {=да ~не\n", "utf-8")
    report = verify(gift)
    assert report.kind == "GIFT question bank"
    assert report.problems and report.problems[0].startswith("line 3:")


def test_verify_a_folder_without_outputs_fails(tmp_path):
    write(tmp_path / "empty" / "notes.md", "x")
    result = run_cli("verify", str(tmp_path / "empty"))
    assert result.exit_code == 1


# -- what changed ----------------------------------------------------------------------------


def test_diff_names_added_removed_changed_and_moved(course_dir, tmp_path, released):
    set_version(course_dir, "0.2.0")
    module = course_dir / "01-основи"
    edit(module / "01-стратегия.md", "title: Стратегия на библиотеката", "title: Стратегията")
    edit(module / "module.md", "  - 01-стратегия.md\n  - 02-данни.md\n",
         "  - 02-данни.md\n  - 01-стратегия.md\n  - 04-нов.md\n")  # fmt: skip
    write(module / "04-нов.md", "---\ntitle: Нов урок\n---\nТекст на новия урок.\n")
    edit(module / "03-тест.md", "## Кои са източници на данни? {points=2}",
         "## Кои са източниците на данни? {#sources points=2}")  # fmt: skip
    result = run_cli("diff", str(released), str(course_dir))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "added    lesson 01-основи/04-нов: Нов урок" in out
    assert 'changed  lesson 01-основи/01-стратегия: Стратегията (was "Стратегия на' in out
    assert (
        "moved    lesson 01-основи/01-стратегия: Стратегията (01-основи #1 → 01-основи #2)" in out
    )
    assert "moved    lesson 01-основи/02-данни" in out
    assert "added    question 01-основи/03-тест/sources" in out
    assert "removed  question 01-основи/03-тест/кои-са-източници-на-данни" in out
    assert "02-услуги" not in out

    out_dir = tmp_path / "v2"
    since = run_cli("release", str(course_dir), "-o", str(out_dir), "--since", str(released))
    assert since.exit_code == 0, since.output
    report = (out_dir / "CHANGES.md").read_text()
    assert report.startswith("# Библиотеката днес – пробен курс: 0.1.0 → 0.2.0")
    assert "- Lessons: 1 added, 1 changed, 3 moved" in report
    assert "| added | 01-основи/04-нов | Нов урок |" in report
    assert "CHANGES.md" in (out_dir / "SHA256SUMS").read_text()


def test_diff_of_identical_versions(released):
    result = run_cli("diff", str(released / "release.json"), str(FIXTURE))
    assert result.exit_code == 0
    assert result.output.strip() == "no changes"


def test_diff_refuses_what_is_not_a_release(tmp_path):
    write(tmp_path / "x.json", "{}")
    result = run_cli("diff", str(tmp_path / "x.json"), str(FIXTURE))
    assert result.exit_code == 1
    assert "not a release record" in result.output


# -- stable identifiers ------------------------------------------------------------------------


def _identifiers(out: Path) -> dict[str, dict[str, str]]:
    """SCO identifiers, Moodle activity and question idnumbers, by title."""
    found: dict[str, dict[str, str]] = {"sco": {}, "activity": {}, "question": {}}
    with zipfile.ZipFile(next(out.glob("*-scorm2004.zip"))) as zf:
        manifest = etree.fromstring(zf.read("imsmanifest.xml"))
    for item in manifest.iter("{*}item"):
        found["sco"][item.findtext("{*}title")] = item.get("identifier")
    with zipfile.ZipFile(next(out.glob("*.mbz"))) as zf:
        for name in zf.namelist():
            if name.startswith("activities/") and name.endswith("/module.xml"):
                module = etree.fromstring(zf.read(name))
                act = name.split("/")[1]
                inner = etree.fromstring(zf.read(f"activities/{act}/{act.split('_')[0]}.xml"))
                title = inner.findtext(".//name")
                found["activity"][title] = module.findtext("idnumber")
        questions = etree.fromstring(zf.read("questions.xml"))
    for q in questions.iter("question"):
        found["question"][q.findtext("name")] = q.findtext(".//idnumber")
    return found


def test_identifiers_survive_insertions_renames_and_reordering(course_dir, tmp_path):
    assert run_cli("build", str(course_dir), "-o", str(tmp_path / "v1")).exit_code == 0
    first = _identifiers(tmp_path / "v1")
    module = course_dir / "01-основи"
    edit(module / "module.md", "  - 01-стратегия.md\n  - 02-данни.md\n",
         "  - 00-нов.md\n  - 02-данни.md\n  - 01-стратегия.md\n")  # fmt: skip
    write(module / "00-нов.md", "---\ntitle: Нов урок\n---\nТекст.\n")
    edit(module / "02-данни.md", "title: ", "title: Преименуван – ")
    quiz = module / "03-тест.md"
    text = quiz.read_text("utf-8")
    first_q, second_q = text.index("## Кое свързва"), text.index("## Кои са източници")
    third_q = text.index("\n## ", second_q + 1) + 1
    quiz.write_text(
        text[:first_q] + text[second_q:third_q] + text[first_q:second_q] + text[third_q:], "utf-8"
    )
    assert run_cli("build", str(course_dir), "-o", str(tmp_path / "v2")).exit_code == 0
    second = _identifiers(tmp_path / "v2")
    for kind in ("sco", "activity", "question"):
        for title, ident in first[kind].items():
            if title in second[kind]:
                assert second[kind][title] == ident, (kind, title)
    renamed = [t for t in second["sco"] if t and t.startswith("Преименуван")]
    assert renamed and second["sco"][renamed[0]] in first["sco"].values()
    assert "01-основи/01-стратегия" in second["activity"].values()
    assert len(first["question"]) == len(second["question"]) >= 10


def test_diff_of_two_packages(course_dir, tmp_path):
    assert run_cli("build", str(course_dir), "-o", str(tmp_path / "v1")).exit_code == 0
    set_version(course_dir, "0.2.0")
    module = course_dir / "01-основи"
    edit(module / "02-данни.md", "##", "## Нов раздел\n\nТекст.\n\n##")
    # the new lesson comes first: every backup-internal id after it shifts, links included
    edit(module / "module.md", "lessons:\n", "lessons:\n  - 04-нов.md\n")
    write(module / "04-нов.md", "---\ntitle: Нов урок\n---\nТекст на новия урок.\n")
    edit(module / "03-тест.md", "- ( ) Бюджетът", "- ( ) Бюджетът на общината")
    assert run_cli("build", str(course_dir), "-o", str(tmp_path / "v2")).exit_code == 0
    old, new = tmp_path / "v1" / "proben-kurs-0.1.0.mbz", tmp_path / "v2" / "proben-kurs-0.2.0.mbz"
    result = run_cli("diff", str(old), str(new))
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if not x.startswith("moved")]
    assert "added    lesson 01-основи/04-нов: Нов урок (Основи на управлението #1)" in lines
    assert "changed  lesson 01-основи/02-данни: Решения, основани на данни" in lines
    assert any(
        line.startswith("changed  question 01-основи/03-тест/mission: Кое свързва")
        for line in lines
    )
    assert len(lines) == 3, result.output  # 02-услуги links to a lesson: not "changed"
    assert "moved    quiz 01-основи/03-тест" in result.output
    folders = run_cli("diff", str(tmp_path / "v1"), str(tmp_path / "v2"))
    assert folders.output == result.output
    scorm = run_cli(
        "diff", str(next((tmp_path / "v1").glob("*-scorm12.zip"))),
        str(next((tmp_path / "v2").glob("*-scorm12.zip"))),
    )  # fmt: skip
    assert scorm.exit_code == 0
    assert "added    lesson ITEM_" in scorm.output and "Нов урок" in scorm.output
    assert "moved    quiz ITEM_" in scorm.output
    mixed = run_cli("diff", str(old), str(course_dir))
    assert mixed.exit_code == 1 and "compare like with like" in mixed.output


def test_verify_finds_a_broken_cartridge(released, tmp_path):
    cartridge = next(released.glob("*.imscc"))
    with zipfile.ZipFile(cartridge) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = files["imsmanifest.xml"].decode()
    page = next(n for n in files if n.endswith(".html") and "assets/" not in n)
    del files[page]
    files["imsmanifest.xml"] = manifest.replace(
        "<manifest ", "<!--" + " " * 1100 + "-->\n<manifest ", 1
    ).encode()
    broken = tmp_path / "broken.imscc"
    broken.write_bytes(_zip(files))
    report = verify(broken)
    text = "\n".join(report.problems)
    assert "not declared in the first 1024 bytes" in text
    assert f'"{page}" is missing' in text


# -- assignments, forums and audiences ------------------------------------------------------


def _second_version(course: Path) -> None:
    """0.2.0: other criterion points, a lesson now for trainers (so the learners' lesson that
    linked to it no longer does), the trainers' module now for everyone, the forum replaced by
    another."""
    set_version(course, "0.2.0")
    task = course / "02-услуги" / "02-задание.md"
    edit(task, "Има партньор и бюджет: 3", "Има партньор и бюджет: 2")
    edit(task, 'работи": 3', 'работи": 4')
    edit(course / "01-основи" / "02-данни.md", "---\n", "---\naudience: trainers\n")
    edit(course / "01-основи" / "01-стратегия.md", "[данните](02-данни.md#източници)", "данните")
    edit(course / "03-за-обучители" / "module.md", "audience: trainers\n", "")
    (course / "02-услуги" / "03-форум.md").unlink()
    write(
        course / "02-услуги" / "04-дискусия.md",
        "---\ntype: forum\ntitle: Дискусия\n---\nСподелете един въпрос към колегите.\n",
    )


def test_diff_knows_assignments_forums_and_audiences(course_dir):
    _second_version(course_dir)
    result = run_cli("diff", str(FIXTURE), str(course_dir))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines == [
        "changed  module 03-за-обучители: За обучителя (now for learners)",
        "changed  lesson 01-основи/01-стратегия: Стратегия на библиотеката",
        "changed  lesson 01-основи/02-данни: Решения, основани на данни (now for trainers)",
        "changed  lesson 03-за-обучители/01-план: План на учебния ден (now for learners)",
        "changed  assignment 02-услуги/02-задание: Задание: нова услуга",
        "added    forum 02-услуги/04-дискусия: Дискусия (02-услуги #3)",
        "removed  forum 02-услуги/03-форум: Форум: идеи за услуги (02-услуги #3)",
    ]
    old, new = read_record(FIXTURE), read_record(course_dir)
    report = changes.markdown(changes.compare(old, new), "Курс")
    assert "- Assignments: 1 changed\n- Forums: 1 added, 1 removed\n" in report
    assert "## Forums\n" in report and "| added | 02-услуги/04-дискусия | Дискусия |" in report


def test_a_record_from_before_assignments_and_audiences_compares_equal():
    """A record written before assignments, forums and audiences existed (no such lists, no
    audience keys) still compares item by item: the digests of what it has are unchanged."""
    new = read_record(FIXTURE)
    old = json.loads(json.dumps(new))
    for kind in ("assignments", "forums"):
        del old["contents"][kind]
    for entries in old["contents"].values():
        for entry in entries:
            entry.pop("audience", None)
    found = changes.text(changes.compare(old, new)).splitlines()
    assert found == [
        "added    assignment 02-услуги/02-задание: Задание: нова услуга (02-услуги #2)",
        "added    forum 02-услуги/03-форум: Форум: идеи за услуги (02-услуги #3)",
    ]


def test_an_item_digest_ignores_fields_at_their_later_added_default():
    """Audience and pools came after the first records: at their defaults they leave a digest
    as it was, so unchanged items of an earlier release are not reported as changed."""
    course = load_course(FIXTURE)[0]
    lesson = course.lessons[0]
    assert not lesson.for_trainers
    fields = {"id", "title", "minutes", "media", "html", "objectives"}
    as_before = {"item": {f: getattr(lesson, f) for f in fields}, "kind": "Lesson", "media": {}}
    as_before["media"] = {m: course.media[m].sha256 for m in lesson.media}
    entry = next(e for e in inventory.contents(course)["lessons"] if e["id"] == lesson.id)
    assert entry["sha256"] == inventory.digest(as_before)
    lesson.audience = Audience.TRAINERS
    again = next(e for e in inventory.contents(course)["lessons"] if e["id"] == lesson.id)
    assert again["sha256"] != entry["sha256"] and again["audience"] == "trainers"
    quiz = course.quizzes[0]
    before = inventory.digest(quiz.settings)
    quiz.settings.pools = (Pool("а", 1),)
    assert inventory.digest(quiz.settings) != before


def test_packages_read_back_with_assignments_forums_and_audiences(course_dir, tmp_path):
    targets = ("-t", "moodle", "-t", "scorm12")
    assert run_cli("build", str(course_dir), "-o", str(tmp_path / "v1"), *targets).exit_code == 0
    _second_version(course_dir)
    edit(course_dir / "02-услуги" / "04-дискусия.md", "Сподел", "Моля, сподел")
    assert run_cli("build", str(course_dir), "-o", str(tmp_path / "v2"), *targets).exit_code == 0
    v1 = package_record(tmp_path / "v1" / "proben-kurs-0.1.0.mbz")
    audience = {e["id"]: e["audience"] for kind in ("lessons", "assignments", "forums")
                for e in v1["contents"][kind]}  # fmt: skip
    assert audience == {
        "01-основи/01-стратегия": "learners", "01-основи/02-данни": "learners",
        "01-основи/04-бележки": "trainers", "02-услуги/01-дигитални": "learners",
        "03-за-обучители/01-план": "trainers", "02-услуги/02-задание": "learners",
        "02-услуги/03-форум": "learners",
    }  # fmt: skip
    result = run_cli(
        "diff", str(tmp_path / "v1" / "proben-kurs-0.1.0.mbz"),
        str(tmp_path / "v2" / "proben-kurs-0.2.0.mbz"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    assert (
        "changed  lesson 01-основи/02-данни: Решения, основани на данни (now for trainers)" in out
    )
    assert "changed  module За обучителя: За обучителя (now for learners)" in out
    assert "changed  assignment 02-услуги/02-задание: Задание: нова услуга" in out
    assert "removed  forum 02-услуги/03-форум: Форум: идеи за услуги" in out
    assert "added    forum 02-услуги/04-дискусия: Дискусия" in out
    scorm = run_cli(
        "diff", str(tmp_path / "v1" / "proben-kurs-0.1.0-scorm12.zip"),
        str(tmp_path / "v2" / "proben-kurs-0.2.0-scorm12.zip"),
    )  # fmt: skip
    assert scorm.exit_code == 0, scorm.output
    # SCORM leaves out what is for trainers: the lesson is gone, the plan is new
    assert "removed  lesson ITEM_01-osnovi_02-danni: Решения, основани на данни" in scorm.output
    assert "added    lesson ITEM_03-za-obuchiteli_01-plan: План на учебния ден" in scorm.output
    assert "changed  assignment ITEM_02-uslugi_02-zadanie: Задание: нова услуга" in scorm.output
    assert "added    forum ITEM_02-uslugi_04-diskusiya: Дискусия" in scorm.output


def test_diff_and_verify_speak_bulgarian(course_dir, tmp_path):
    """packager diff and verify in Bulgarian, plurals included; the change report stays
    English, so a release is the same bytes whoever makes it."""
    _second_version(course_dir)
    old, new = read_record(FIXTURE), read_record(course_dir)
    found = changes.compare(old, new)
    write(tmp_path / "a.txt", "1")
    write(tmp_path / "b.txt", "2")
    sums = "".join(
        f"{hashlib.sha256(t.encode()).hexdigest()}  {n}\n"
        for n, t in (("a.txt", "1"), ("b.txt", "2"))
    )
    write(tmp_path / "SHA256SUMS", sums)
    try:
        set_language("bg")
        lines = changes.text(found).splitlines()
        two = verify(tmp_path / "SHA256SUMS")
        report = changes.markdown(found, "Курс")
    finally:
        set_language("en")
    assert lines[:3] == [
        "промяна      модул 03-за-обучители: За обучителя (вече за учащите)",
        "промяна      урок 01-основи/01-стратегия: Стратегия на библиотеката",
        "промяна      урок 01-основи/02-данни: Решения, основани на данни (вече за обучителите)",
    ]
    assert lines[-2:] == [
        "добавяне     форум 02-услуги/04-дискусия: Дискусия (02-услуги #3)",
        "премахване   форум 02-услуги/03-форум: Форум: идеи за услуги (02-услуги #3)",
    ]
    assert (two.kind, two.checked) == ("SHA256SUMS", ["2 контролни суми съвпадат"])
    assert "- Forums: 1 added, 1 removed" in report and "| now for trainers |" in report
    assert changes.text(changes.compare(old, old)) == "no changes"


def test_verify_site_counts_data_urls_as_inline_not_as_loads_from_elsewhere(tmp_path):
    write(
        tmp_path / "site" / "index.html",
        '<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>'
        '<img src="https://example.org/x.png" alt=""><a href="#top" id="top">x</a></body></html>',
    )
    (report,) = verify_all(tmp_path / "site")
    assert report.problems == ["index.html: <img src> loads https://example.org/x.png"]
