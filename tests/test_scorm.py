"""SCORM packages: structure, manifests valid against the official XSDs, Moodle's quirks."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from packager.verify import scorm_schema, verify

from .conftest import FIXTURE, SHARED, load_course, run_cli

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
    course, _ = load_course(FIXTURE)
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
