"""SCORM packages: structure, manifests valid against the official XSDs, Moodle's quirks."""

from __future__ import annotations

import posixpath
import re
import zipfile
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml import etree

from packager.model import Assignment, Forum, Lesson
from packager.targets.html import item_path
from packager.targets.scorm import package_entries
from packager.verify import scorm_schema, verify

from .conftest import FIXTURE, SHARED, load_course, run_cli, write

SCHEMAS = SHARED / "schemas"
needs_schemas = pytest.mark.skipif(
    not (SCHEMAS / "scorm12").is_dir(),
    reason=f"the official XSDs are not at {SCHEMAS} (CI has them in ../shared/schemas)",
)


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    out = tmp_path_factory.mktemp("scorm")
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-t", "scorm12", "-t", "scorm2004")
    assert result.exit_code == 0, result.output
    per_module = tmp_path_factory.mktemp("scorm-module")
    result = run_cli(
        "build", str(FIXTURE), "-o", str(per_module), "-t", "scorm12", "-t", "scorm2004",
        "-O", "scorm.sco=module",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {
        ("1.2", "item"): out / "proben-kurs-0.1.0-scorm12.zip",
        ("2004", "item"): out / "proben-kurs-0.1.0-scorm2004.zip",
        ("1.2", "module"): per_module / "proben-kurs-0.1.0-scorm12.zip",
        ("2004", "module"): per_module / "proben-kurs-0.1.0-scorm2004.zip",
    }


def manifest(path):
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("imsmanifest.xml")), set(zf.namelist())


@needs_schemas
@pytest.mark.parametrize(
    "key", [("1.2", "item"), ("2004", "item"), ("1.2", "module"), ("2004", "module")]
)
def test_manifest_valid_against_official_xsds(packages, key):
    doc, _ = manifest(packages[key])
    schema = scorm_schema(SCHEMAS, key[0])
    assert schema.validate(doc), [f"{e.line}: {e.message}" for e in schema.error_log]


@needs_schemas
def test_schema_check_can_fail(packages):
    doc, _ = manifest(packages[("2004", "item")])
    doc.find(".//{*}primaryObjective").set("satisfiedByMeasure", "yes")
    assert not scorm_schema(SCHEMAS, "2004").validate(doc)


@pytest.mark.parametrize(
    "key", [("1.2", "item"), ("2004", "item"), ("1.2", "module"), ("2004", "module")]
)
def test_verify_finds_nothing_wrong(packages, key):
    report = verify(packages[key], SCHEMAS if (SCHEMAS / "scorm12").is_dir() else None)
    assert report.ok, report.problems


def test_moodle_parser_quirks(packages):
    for edition in ("1.2", "2004"):
        raw = zipfile.ZipFile(packages[(edition, "item")]).read("imsmanifest.xml")
        assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest ')
        assert b"<imscp:" not in raw  # content packaging in the default namespace
        version = (
            b"<schemaversion>1.2</schemaversion>"
            if edition == "1.2"
            else (b"<schemaversion>2004 4th Edition</schemaversion>")
        )
        assert version in raw
    raw12 = zipfile.ZipFile(packages[("1.2", "item")]).read("imsmanifest.xml")
    assert (
        b'adlcp:scormtype="sco"' in raw12
        and b"<adlcp:masteryscore>60</adlcp:masteryscore>" in raw12
    )
    raw04 = zipfile.ZipFile(packages[("2004", "item")]).read("imsmanifest.xml")
    assert b'adlcp:scormType="sco"' in raw04 and b"<imsss:sequencing>" in raw04


def test_organization_mirrors_modules(packages):
    course = load_course(FIXTURE)[0].for_learners()
    for edition in ("1.2", "2004"):
        doc, names = manifest(packages[(edition, "item")])
        org = doc.find(".//{*}organization")
        clusters = org.findall("{*}item")
        assert [c.findtext("{*}title") for c in clusters] == [m.title for m in course.modules]
        for cluster, module in zip(clusters, course.modules, strict=True):
            titles = [i.findtext("{*}title") for i in cluster.findall("{*}item")]
            assert titles == [i.title for i in module.items]
        for res in doc.iter("{*}resource"):
            for f in res.iter("{*}file"):
                assert f.get("href") in names
        assert "imsmanifest.xml" in names


def test_one_sco_per_module(packages):
    doc, _ = manifest(packages[("1.2", "module")])
    scos = [
        r
        for r in doc.iter("{*}resource")
        if r.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"
    ]
    assert [r.get("href") for r in scos] == ["01-основи/module.html", "02-услуги/module.html"]


def test_2004_sequencing_and_objectives(packages):
    doc, _ = manifest(packages[("2004", "item")])
    ss = "{http://www.imsglobal.org/xsd/imsss}"
    org = doc.find(".//{*}organization")
    control = org.find(f"{ss}sequencing/{ss}controlMode")
    assert control.get("choice") == "true" and control.get("flow") == "true"
    quiz = next(i for i in org.iter("{*}item") if i.findtext("{*}title") == "Тест към модул 1")
    objective = quiz.find(f"{ss}sequencing/{ss}objectives/{ss}primaryObjective")
    assert objective.get("satisfiedByMeasure") == "true"
    assert objective.findtext(f"{ss}minNormalizedMeasure") == "0.6"
    lesson = next(
        i for i in org.iter("{*}item") if i.findtext("{*}title") == "Стратегия на библиотеката"
    )
    assert lesson.find(f"{ss}sequencing/{ss}rollupRules").get("rollupObjectiveSatisfied") == "false"
    assert lesson.find(f"{ss}sequencing/{ss}objectives") is None


@pytest.mark.parametrize("per", ["item", "module"])
def test_2004_modules_of_lessons_only_take_no_part_in_satisfaction(packages, per):
    """The course is satisfied when every quiz is (tests/test_rollup.py plays it through a
    real sequencing engine): a module without a quiz neither satisfies nor fails it, but does
    count for completion; a module with a quiz fails as soon as a quiz fails."""
    doc, _ = manifest(packages[("2004", per)])
    ss = "{http://www.imsglobal.org/xsd/imsss}"
    org = doc.find(".//{*}organization")
    first, second = org.findall("{*}item")
    rollup = second.find(f"{ss}sequencing/{ss}rollupRules")
    assert rollup.get("rollupObjectiveSatisfied") == "false"  # lessons, an assignment, a forum
    assert rollup.get("rollupProgressCompletion") is None
    assert rollup.find(f"{ss}rollupRule") is None
    for parent in (first, org):
        rules = parent.find(f"{ss}sequencing/{ss}rollupRules")
        assert rules.get("rollupObjectiveSatisfied") is None
        rule = rules.find(f"{ss}rollupRule")
        assert rule.get("childActivitySet") == "any"
        condition = rule.find(f"{ss}rollupConditions/{ss}rollupCondition")
        assert (condition.get("operator"), condition.get("condition")) == ("not", "satisfied")
        assert rule.find(f"{ss}rollupAction").get("action") == "notSatisfied"


def test_2004_module_sco_with_two_quizzes_reports_its_own_success(course_dir, tmp_path):
    """Two quizzes with their own pass marks in one SCO: its objective is not satisfied by
    its measure (an average against the higher pass mark would contradict the quizzes)."""
    quiz = course_dir / "01-основи" / "03-тест.md"
    write(course_dir / "01-основи" / "05-втори-тест.md", quiz.read_text("utf-8"))
    module = course_dir / "01-основи" / "module.md"
    listed = module.read_text("utf-8").replace("  - 04-", "  - 05-втори-тест.md\n  - 04-")
    module.write_text(listed, "utf-8")
    out = tmp_path / "dist"
    result = run_cli(
        "build", str(course_dir), "-o", str(out), "-t", "scorm2004", "-O", "scorm.sco=module"
    )
    assert result.exit_code == 0, result.output
    doc, _ = manifest(out / "proben-kurs-0.1.0-scorm2004.zip")
    ss = "{http://www.imsglobal.org/xsd/imsss}"
    objective = doc.find(
        f".//{{*}}item/{{*}}item/{ss}sequencing/{ss}objectives/{ss}primaryObjective"
    )
    assert objective.get("satisfiedByMeasure") is None
    assert objective.find(f"{ss}minNormalizedMeasure") is None


def test_metadata_title_language_keywords(packages):
    doc, _ = manifest(packages[("2004", "item")])
    lom = "{http://ltsc.ieee.org/xsd/LOM}"
    general = doc.find(f".//{lom}general")
    assert general.findtext(f"{lom}title/{lom}string") == "Библиотеката днес – пробен курс"
    assert general.findtext(f"{lom}language") == "bg"
    assert [k.findtext(f"{lom}string") for k in general.findall(f"{lom}keyword")] == [
        "библиотека",
        "обучение",
    ]
    with zipfile.ZipFile(packages[("1.2", "item")]) as zf:
        md = etree.fromstring(zf.read("metadata.xml"))
    assert md.findtext(".//{*}general/{*}title/{*}langstring") == "Библиотеката днес – пробен курс"


def test_identifiers_are_stable(packages, tmp_path):
    run_cli("build", str(FIXTURE), "-o", str(tmp_path), "-t", "scorm12")
    a, _ = manifest(packages[("1.2", "item")])
    b, _ = manifest(tmp_path / "proben-kurs-0.1.0-scorm12.zip")
    ids = lambda d: [e.get("identifier") for e in d.iter() if e.get("identifier")]  # noqa: E731
    assert ids(a) == ids(b)
    assert "ITEM_01-osnovi_01-strategiya" in ids(a)


def test_verify_reports_broken_packages(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("course/imsmanifest.xml", "<manifest/>")
    report = verify(bad)
    assert report.problems == [
        "imsmanifest.xml is in course/, not at the root of the zip: LMSs look for it at the root"
    ]
    missing = tmp_path / "missing.zip"
    with zipfile.ZipFile(missing, "w") as zf:
        zf.writestr(
            "imsmanifest.xml",
            '<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" identifier="M">'
            "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
            '<organizations default="O"><organization identifier="O"><title>t</title>'
            '<item identifier="I" identifierref="R2"><title>x</title></item></organization>'
            '</organizations><resources><resource identifier="R" type="webcontent" href="a.html"/>'
            "</resources></manifest>",
        )
    report = verify(missing)
    assert 'identifierref "R2" names no resource' in report.problems
    assert 'resource R: "a.html" is not in the zip' in report.problems


def test_verify_follows_the_links_of_the_pages(packages, tmp_path):
    """A link of a SCO page to a file the zip lacks is what a learner would click into a
    "not found" in the LMS."""
    with zipfile.ZipFile(packages[("1.2", "item")]) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    page = next(n for n, data in files.items() if n.endswith(".html") and b'href="' in data)
    files[page] = files[page].replace(
        b"</main>", b'<a href="../elsewhere/gone.html">x</a><a href="#nowhere">y</a></main>', 1
    )
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    report = verify(broken)
    assert report.problems == [
        f'{page}: a href="../elsewhere/gone.html" '
        + ("leaves the package" if page.count("/") == 0 else "points to a missing file"),
        f'{page}: a href="#nowhere" points to a missing anchor "#nowhere"',
    ]


KEYS = [("1.2", "item"), ("2004", "item"), ("1.2", "module"), ("2004", "module")]


def _pages(path) -> dict[str, str]:
    """The text of every HTML page of a package, by name."""
    with zipfile.ZipFile(path) as zf:
        return {
            n: _norm(lxml.html.fromstring(zf.read(n)).text_content())
            for n in zf.namelist()
            if n.endswith(".html")
        }


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _blocks(html: str) -> list[str]:
    return [
        _norm(b.text_content())
        for b in lxml.html.fragments_fromstring(html)
        if not isinstance(b, str) and _norm(b.text_content())
    ]


def _text(fragment: str) -> str:
    return _norm(lxml.html.fromstring(f"<p>{fragment}</p>").text_content())


@pytest.mark.parametrize("key", KEYS)
def test_trainers_content_is_left_out(packages, key):
    course, _ = load_course(FIXTURE)
    trainers = [i for m in course.modules for i in m.items if i.for_trainers or m.for_trainers]
    assert {i.id for i in trainers} == {"01-основи/04-бележки", "03-за-обучители/01-план"}
    doc, names = manifest(packages[key])
    titles = {t.text for t in doc.iter("{*}title")}
    assert "За обучителя" not in titles
    texts = _pages(packages[key])
    everything = " ".join(texts.values())
    for item in trainers:
        assert item_path(item) not in names
        assert item.title not in titles
        for block in _blocks(item.html):
            assert block not in everything, (item.id, block)
    assert not any(n.startswith("03-за-обучители/") for n in names)


@pytest.mark.parametrize("key", KEYS)
def test_assignments_and_forums_are_there_in_full(packages, key):
    course = load_course(FIXTURE)[0].for_learners()
    texts = _pages(packages[key])
    everything = " ".join(texts.values())
    items = [i for i in course.items() if isinstance(i, Assignment | Forum)]
    assert len(items) == 2
    for item in items:
        for block in _blocks(item.html):
            assert block in everything, (item.id, block)
    task = course.find("02-услуги/02-задание")
    with zipfile.ZipFile(packages[key]) as zf:
        page = "02-услуги/" + ("module.html" if key[1] == "module" else "02-задание.html")
        doc = lxml.html.fromstring(zf.read(page))
    rows = doc.findall(".//table[@class='checklist-table']/tbody/tr")
    assert [_norm(r[0].text_content()) for r in rows] == [_text(c.text) for c in task.criteria]
    assert [r[1].text_content() for r in rows] == ["4", "3", "3"]
    assert all(r[2].find("input").get("type") == "checkbox" for r in rows)
    assert doc.find(".//table[@class='checklist-table']/tfoot/tr/td").text_content() == "10"
    assert "Работата се оценява от обучител." in everything
    assert "Обсъждането се води във форума на курса в платформата за обучение." in everything
    with zipfile.ZipFile(packages[key]) as zf:
        docs = [lxml.html.fromstring(zf.read(n)) for n in zf.namelist() if n.endswith(".html")]
    sections = [s for d in docs for s in d.iter("section") if s.get("class") == "sco-item"]
    # each is read to its end, like a lesson
    for kind, end in (("assignment", "Край на заданието."), ("forum", "Край на темата")):
        section = next(s for s in sections if s.get("data-kind") == kind)
        assert section.find("p[@class='sco-end meta']").text_content().startswith(end)
    scripts = [s.get("src") for s in doc.iter("script")]
    assert scripts[-1] == "../assets/task.js"
    manifest_doc, names = manifest(packages[key])
    assert "assets/task.js" in names
    assets = next(
        r for r in manifest_doc.iter("{*}resource") if r.get("identifier") == "RES_assets"
    )
    assert "assets/task.js" in [f.get("href") for f in assets.iter("{*}file")]


def test_assignment_and_forum_scos_count_like_lessons(packages):
    doc, _ = manifest(packages[("2004", "item")])
    ss = "{http://www.imsglobal.org/xsd/imsss}"
    org = doc.find(".//{*}organization")
    by_title = {i.findtext("{*}title"): i for i in org.iter("{*}item")}
    expected = etree.tostring(by_title["Дигитални услуги"].find(f"{ss}sequencing"))
    for title in ("Задание: нова услуга", "Форум: идеи за услуги"):
        assert etree.tostring(by_title[title].find(f"{ss}sequencing")) == expected
    rollup = by_title["Задание: нова услуга"].find(f"{ss}sequencing/{ss}rollupRules")
    assert rollup.get("rollupObjectiveSatisfied") == "false"
    assert rollup.get("rollupProgressCompletion") is None  # it counts for completion
    doc12, _ = manifest(packages[("1.2", "item")])
    task = next(
        i for i in doc12.iter("{*}item") if i.findtext("{*}title") == "Задание: нова услуга"
    )
    assert task.find("{*}masteryscore") is None


def test_module_packages_leave_trainers_out_too():
    course, _ = load_course(FIXTURE)
    first, second, trainers = course.modules
    for edition in ("1.2", "2004"):
        files = package_entries(course, edition, [first])
        names = set(files)
        assert "01-основи/04-бележки.html" not in names
        assert "01-основи/01-стратегия.html" in names
        assert "assets/task.js" not in names  # no checklist in this module
        assert b"04-belezhki" not in files["imsmanifest.xml"]
        with pytest.raises(ValueError, match="anything for learners"):
            package_entries(course, edition, [trainers])
        # an LMS section only trainers see may still ask for them
        full = package_entries(course, edition, [first, trainers], trainers=True)
        assert "01-основи/04-бележки.html" in full and "03-за-обучители/01-план.html" in full
    module = package_entries(course, "1.2", [first, second], per="module")
    page = lxml.html.fromstring(module["01-основи/module.html"])
    kinds = [s.get("data-kind") for s in page.iter("section") if s.get("class") == "sco-item"]
    assert kinds == ["lesson", "lesson", "quiz"]


def test_no_package_when_everything_is_for_trainers(course_dir, tmp_path):
    for module in ("01-основи", "02-услуги"):
        path = course_dir / module / "module.md"
        text = path.read_text("utf-8")
        write(path, text.replace("---\ntitle:", "---\naudience: trainers\ntitle:", 1))
    result = run_cli("build", str(course_dir), "-o", str(tmp_path / "out"), "-t", "scorm12")
    assert result.exit_code == 0, result.output
    assert "every module is for trainers only" in result.output
    assert not list((tmp_path / "out").glob("*.zip"))


def test_lessons_keep_their_pages(packages):
    """Nothing a learner reads is lost: every learners' lesson's text is in each package."""
    course = load_course(FIXTURE)[0].for_learners()
    for key in KEYS:
        everything = " ".join(_pages(packages[key]).values())
        for lesson in course.lessons:
            assert isinstance(lesson, Lesson)
            for block in _blocks(lesson.html):
                assert block in everything, (key, lesson.id, block)


@pytest.mark.parametrize("key", KEYS)
def test_pages_link_only_within_their_sco(packages, key):
    """A link to another lesson becomes its text: the LMS moves between SCOs, and a page opened
    by a link would be tracked as the SCO that was launched."""
    pages = _pages(packages[key])
    with zipfile.ZipFile(packages[key]) as zf:
        html = "".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".html"))
    assert "02-%D0%B4%D0%B0%D0%BD%D0%BD%D0%B8.html" not in html  # 02-данни.html
    assert "Продължете с урока за данните." in " ".join(pages.values())
    assert "01-%D1%81%D1%82%D1%80%D0%B0%D1%82%D0%B5%D0%B3%D0%B8%D1%8F.html" not in html
    assert "Вижте и стратегията и" in " ".join(pages.values())


@pytest.mark.parametrize("key", KEYS)
def test_every_local_link_resolves(packages, key):
    """No page links to what a package leaves out (a trainers' page, say)."""
    with zipfile.ZipFile(packages[key]) as zf:
        names = set(zf.namelist())
        for name in sorted(n for n in names if n.endswith(".html")):
            for _el, _attr, url, _pos in lxml.html.fromstring(zf.read(name)).iterlinks():
                parts = urlsplit(url)
                if parts.scheme or not parts.path:
                    continue
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), unquote(parts.path))
                )
                assert target in names, (name, url)
