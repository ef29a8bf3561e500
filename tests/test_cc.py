"""IMS Common Cartridge 1.1: the manifest and every QTI file valid against the official XSDs,
every reference resolved, the course's structure, questions, answers and feedback carried, what
cannot be carried reported once, Moodle's importer quirks respected, nothing executable."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from lxml import etree

from packager.archive import zip_bytes
from packager.diagnostics import Diagnostics
from packager.markup import text_of
from packager.model import (
    Essay,
    Forum,
    MultipleChoice,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from packager.targets import TARGETS
from packager.targets.cc import cartridge_entries

from .conftest import FIXTURE, SHARED, load_course, run_cli, write
from .hostile_support import ALLOWED_HOST, HTML_PAYLOADS, entry_problems, html_problems

SCHEMAS = SHARED / "schemas" / "cc11"
CONTENT = Path(__file__).resolve().parents[1] / "content"
needs_schemas = pytest.mark.skipif(
    not SCHEMAS.is_dir(),
    reason=f"the official CC 1.1 XSDs are not at {SCHEMAS} (CI has them in ../shared/schemas)",
)
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOMR = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
DT = "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1"
NS = {"cp": CP, "lom": LOM, "lomr": LOMR, "q": QTI, "dt": DT}
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
TOPIC = "imsdt_xmlv1p1"
UNSUPPORTED = {
    "Колко са стъпките на цикъла на планиране?": "numerical",
    "Свържете понятието с описанието": "matching",
    "Подредете етапите": "ordering",
    "Попълнете": "fill-in-the-blanks",
    "Прочетете внимателно": "description",
}


@dataclass
class Cartridge:
    path: Path
    files: dict[str, bytes]
    manifest: etree._Element
    output: str = ""

    @property
    def resources(self) -> dict[str, etree._Element]:
        return {r.get("identifier"): r for r in self.manifest.iterfind(".//cp:resource", NS)}

    def descriptors(self, kind: str) -> dict[str, etree._Element]:
        """The XML files of the resources of one type, by path."""
        return {
            r.find("cp:file", NS).get("href"): etree.fromstring(
                self.files[r.find("cp:file", NS).get("href")]
            )
            for r in self.resources.values()
            if r.get("type") == kind
        }

    def qti_files(self) -> dict[str, etree._Element]:
        return self.descriptors(ASSESSMENT)

    def topic_files(self) -> dict[str, etree._Element]:
        return self.descriptors(TOPIC)

    def items(self) -> dict[str, etree._Element]:
        """The resource of each item of the organization, by the item's title."""
        resources = self.resources
        return {
            i.findtext("cp:title", None, NS): resources[i.get("identifierref")]
            for i in self.manifest.iterfind(".//cp:item[@identifierref]", NS)
        }


def build(content: Path, out: Path, *options: str) -> Cartridge:
    result = run_cli("build", str(content), "-o", str(out), "-t", "cc", *options)
    assert result.exit_code == 0, result.output
    (path,) = out.glob("*.imscc")
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    return Cartridge(path, files, etree.fromstring(files["imsmanifest.xml"]), result.output)


@pytest.fixture(scope="module")
def fixture_cc(tmp_path_factory) -> Cartridge:
    return build(FIXTURE, tmp_path_factory.mktemp("cc"))


@pytest.fixture(scope="module")
def programme_cc(tmp_path_factory) -> Cartridge:
    return build(CONTENT, tmp_path_factory.mktemp("cc-programme"))


@pytest.fixture(scope="module")
def cartridges(fixture_cc, programme_cc) -> dict[str, Cartridge]:
    return {"fixture": fixture_cc, "programme": programme_cc}


@pytest.fixture(scope="module")
def course():
    return load_course(FIXTURE)[0]


def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser))


# ---------------------------------------------------------------------------------------------
# a reader of the QTI the cartridge holds


@dataclass
class Item:
    title: str
    profile: str
    weighting: str
    text: str
    labels: dict[str, str]  # response label ident -> text
    right: set[str]  # right label idents, or accepted answers of a short answer
    case: set[str]  # case attributes of the scoring varequals
    feedback: dict[str, str]  # label ident or answer text -> feedback text
    general: str
    shuffle: str | None
    rows: str | None
    continues: list[str] = field(default_factory=list)


def _mattext(el: etree._Element | None) -> str:
    return "" if el is None else (el.findtext(".//q:mattext", "", NS) or "")


def read_items(qti: etree._Element) -> list[Item]:
    items = []
    for item in qti.iterfind(".//q:item", NS):
        meta = {
            f.findtext("q:fieldlabel", "", NS): f.findtext("q:fieldentry", "", NS)
            for f in item.iterfind("q:itemmetadata//q:qtimetadatafield", NS)
        }
        texts = {fb.get("ident"): _mattext(fb) for fb in item.iterfind("q:itemfeedback", NS)}
        labels = {
            lab.get("ident"): _mattext(lab) for lab in item.iterfind(".//q:response_label", NS)
        }
        right: set[str] = set()
        case: set[str] = set()
        feedback: dict[str, str] = {}
        general = ""
        conds = item.findall("q:resprocessing/q:respcondition", NS)
        for cond in conds:
            var = cond.find("q:conditionvar", NS)
            shown = [texts[d.get("linkrefid")] for d in cond.iterfind("q:displayfeedback", NS)]
            if var.find("q:other", NS) is not None:
                general = " ".join(shown)
                continue
            scores = cond.findtext("q:setvar", "", NS) == "100"
            if scores:
                for eq in var.iterfind("q:and/q:varequal", NS):
                    right.add(eq.text)
                    case.add(eq.get("case"))
                for eq in var.iterfind("q:varequal", NS):
                    right.add(eq.text)
                    case.add(eq.get("case"))
            first = var.find("q:varequal", NS)
            if shown and first is not None:
                feedback[first.text] = " ".join(shown)
        fib = item.find(".//q:render_fib", NS)
        choice = item.find(".//q:render_choice", NS)
        items.append(
            Item(
                title=item.get("title"),
                profile=meta["cc_profile"],
                weighting=meta["cc_weighting"],
                text=_mattext(item.find("q:presentation/q:material", NS)),
                labels=labels,
                right=right,
                case=case,
                feedback=feedback,
                general=general,
                shuffle=None if choice is None else choice.get("shuffle"),
                rows=None if fib is None else fib.get("rows"),
                continues=[c.get("continue") for c in conds],
            )
        )
    return items


def quiz_qti(cart: Cartridge) -> etree._Element:
    (qti,) = cart.qti_files().values()
    return qti


# ---------------------------------------------------------------------------------------------
# schemas


@needs_schemas
@pytest.mark.parametrize("which", ["fixture", "programme"])
def test_manifest_and_every_qti_file_valid_against_official_xsds(cartridges, which):
    cart = cartridges[which]
    manifest_schema = schema("cc11libxml2validator.xsd")
    assert manifest_schema.validate(cart.manifest), [str(e) for e in manifest_schema.error_log]
    qti_schema = schema("ccv1p1_qtiasiv1p2p1_v1p0.xsd")
    qtis = cart.qti_files()
    assert qtis
    for path, qti in qtis.items():
        assert qti_schema.validate(qti), (path, [str(e) for e in qti_schema.error_log])
    topic_schema = schema("ccv1p1_imsdt_v1p1.xsd")
    topics = cart.topic_files()
    assert topics or which == "programme"
    for path, topic in topics.items():
        assert topic_schema.validate(topic), (path, [str(e) for e in topic_schema.error_log])


@needs_schemas
def test_the_schema_checks_can_fail(fixture_cc):
    manifest = etree.fromstring(fixture_cc.files["imsmanifest.xml"])
    manifest.find(".//cp:item", NS).set("identifier", "1st")  # not an xs:ID
    assert not schema("cc11libxml2validator.xsd").validate(manifest)
    qti = quiz_qti(fixture_cc)
    qti.find(".//q:setvar", NS).set("action", "Add")  # the profile allows Set only
    assert not schema("ccv1p1_qtiasiv1p2p1_v1p0.xsd").validate(qti)
    (topic,) = fixture_cc.topic_files().values()
    topic.find("dt:text", NS).set("texttype", "text/markdown")
    assert not schema("ccv1p1_imsdt_v1p1.xsd").validate(topic)
    role = manifest.find(".//lomr:intendedEndUserRole/lomr:value", NS)
    role.text = "Trainer"  # the profile's vocabulary has Instructor, Mentor and Learner
    assert not schema("cc11libxml2validator.xsd").validate(manifest)


# ---------------------------------------------------------------------------------------------
# package structure


@pytest.mark.parametrize("which", ["fixture", "programme"])
def test_every_file_listed_and_every_reference_resolved(cartridges, which):
    cart = cartridges[which]
    resources = cart.resources
    listed = set()
    for res in resources.values():
        hrefs = [f.get("href") for f in res.iterfind("cp:file", NS)]
        assert hrefs, res.get("identifier")
        for href in hrefs:
            assert href in cart.files, href
        listed.update(hrefs)
        if res.get("href") is not None:
            assert res.get("href") in hrefs
        for dep in res.iterfind("cp:dependency", NS):
            assert dep.get("identifierref") in resources
    for item in cart.manifest.iterfind(".//cp:item[@identifierref]", NS):
        assert item.get("identifierref") in resources
    assert set(cart.files) - listed == {"imsmanifest.xml"}  # nothing in the zip unlisted


@pytest.mark.parametrize("which", ["fixture", "programme"])
def test_identifiers_are_unique_ids_and_paths_ascii(cartridges, which):
    cart = cartridges[which]
    idents = [el.get("identifier") for el in cart.manifest.iter() if el.get("identifier")]
    assert len(idents) == len(set(idents))
    for ident in idents:
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", ident), ident
    for name in cart.files:
        # Moodle finds a page's images by parsing it as Latin-1: only ASCII paths resolve
        assert name.isascii(), name
        assert name == posixpath.normpath(name) and not name.startswith("/")
    lower = [n.lower() for n in cart.files]
    assert len(lower) == len(set(lower))


def test_identifiers_are_stable_across_versions(fixture_cc, course_dir, tmp_path):
    yml = course_dir / "course.yml"
    yml.write_text(yml.read_text("utf-8").replace("version: 0.1.0", "version: 0.2.0"), "utf-8")
    again = build(course_dir, tmp_path / "out")
    assert again.path.name == "proben-kurs-0.2.0.imscc"

    def ids(cart: Cartridge) -> list[str]:
        return [el.get("identifier") for el in cart.manifest.iter() if el.get("identifier")]

    assert ids(again) == ids(fixture_cc)
    assert sorted(again.files) == sorted(fixture_cc.files)


def test_ids_that_transliterate_alike_stay_apart(course_dir, tmp_path):
    module = course_dir / "01-основи"
    write(module / "04-a.md", "---\ntitle: Latin\n---\nLatin a.\n")
    write(module / "04-а.md", "---\ntitle: Cyrillic\n---\nCyrillic а.\n")
    listed = (module / "module.md").read_text("utf-8")
    listed = listed.replace("  - 03-тест.md\n", "  - 03-тест.md\n  - 04-a.md\n  - 04-а.md\n")
    (module / "module.md").write_text(listed, "utf-8")
    cart = build(course_dir, tmp_path / "out")
    pages = {
        r.find("cp:title", NS).text: r.get("identifierref")
        for r in cart.manifest.iterfind(".//cp:item[@identifierref]", NS)
    }
    latin, cyrillic = cart.resources[pages["Latin"]], cart.resources[pages["Cyrillic"]]
    assert latin.get("href") != cyrillic.get("href")
    assert b"Latin a." in cart.files[latin.get("href")]
    assert b"Cyrillic" in cart.files[cyrillic.get("href")]
    if SCHEMAS.is_dir():
        assert schema("cc11libxml2validator.xsd").validate(cart.manifest)


def test_reproducible_bytes(fixture_cc, tmp_path):
    again = build(FIXTURE, tmp_path)
    assert again.path.read_bytes() == fixture_cc.path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(again.path.read_bytes())) as zf:
        names = zf.namelist()
    assert names == sorted(names)


def test_moodle_recognises_a_cc11_cartridge(fixture_cc):
    raw = fixture_cc.files["imsmanifest.xml"]
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns=')
    # what backup/converter/imscc11/lib.php does with the first 1024 bytes
    head = re.sub(r"[\s\"']", "", raw[:1024].decode("utf-8", "ignore").lower())
    assert "xmlns=http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1" in head
    assert fixture_cc.manifest.findtext("cp:metadata/cp:schemaversion", None, NS) == "1.1.0"


# ---------------------------------------------------------------------------------------------
# the course


def test_lom_metadata(fixture_cc, course):
    lom = fixture_cc.manifest.find("cp:metadata/lom:lom", NS)
    title = lom.find("lom:general/lom:title/lom:string", NS)
    assert title.text == "Библиотеката днес – пробен курс" and title.get("language") == "bg"
    assert lom.findtext("lom:general/lom:language", None, NS) == "bg"
    assert lom.findtext("lom:general/lom:description/lom:string", None, NS) == text_of(
        course.summary
    )
    keywords = [k.text for k in lom.iterfind("lom:general/lom:keyword/lom:string", NS)]
    assert keywords == ["библиотека", "обучение"]
    (contribute,) = lom.iterfind("lom:lifeCycle/lom:contribute", NS)
    assert contribute.findtext("lom:role/lom:value", None, NS) == "author"
    assert "FN:Екип „Модерна библиотека“" in contribute.findtext("lom:entity", None, NS)
    rights = lom.find("lom:rights", NS)
    assert rights.findtext("lom:copyrightAndOtherRestrictions/lom:value", None, NS) == "yes"
    assert rights.findtext("lom:description/lom:string", None, NS) == "CC BY 4.0"


@pytest.mark.parametrize("which", ["fixture", "programme"])
def test_organization_follows_the_modules(cartridges, which):
    cart = cartridges[which]
    c = load_course(FIXTURE if which == "fixture" else CONTENT)[0]
    org = cart.manifest.find(".//cp:organization", NS)
    assert org.get("structure") == "rooted-hierarchy"
    (root,) = org.findall("cp:item", NS)
    assert root.find("cp:title", NS) is None
    top = root.findall("cp:item", NS)
    # Moodle makes the first top-level item its "General" section: it is an empty one
    general, modules = top[0], top[1:]
    assert general.findtext("cp:title", None, NS) == c.title and len(general) == 1
    assert [m.findtext("cp:title", None, NS) for m in modules] == [m.title for m in c.modules]
    resources = cart.resources
    kinds = TARGETS["cc"].kinds
    empty = {quiz.id for quiz in c.quizzes if not any(q.kind in kinds for q in quiz.questions)}
    for el, module in zip(modules, c.modules, strict=True):
        items = [i for i in module.items if i.id not in empty]
        children = el.findall("cp:item", NS)
        assert [ch.findtext("cp:title", None, NS) for ch in children] == [i.title for i in items]
        for ch, item in zip(children, items, strict=True):
            res = resources[ch.get("identifierref")]
            expected = {Quiz: ASSESSMENT, Forum: TOPIC}.get(type(item), "webcontent")
            assert res.get("type") == expected


def test_without_the_general_item(tmp_path, course):
    cart = build(FIXTURE, tmp_path, "-O", "cc.general=none")
    top = cart.manifest.findall(".//cp:organization/cp:item/cp:item", NS)
    assert [t.findtext("cp:title", None, NS) for t in top] == [m.title for m in course.modules]


def test_lessons_are_complete_pages_with_their_files(fixture_cc, course):
    cart = fixture_cc
    resources = cart.resources
    pages = {t: r for t, r in cart.items().items() if r.get("type") == "webcontent"}
    with_pages = [i.title for i in course.items() if not isinstance(i, Quiz | Forum)]
    assert list(pages) == with_pages  # lessons and assignments
    lessons = {t: pages[t] for t in (lesson.title for lesson in course.lessons)}
    for lesson in course.lessons:
        res = lessons[lesson.title]
        page = res.get("href")
        html = cart.files[page].decode("utf-8")
        assert html.startswith('<!DOCTYPE html>\n<html lang="bg">')
        assert f"<h1>{lesson.title}</h1>" in html
        own = {f.get("href") for f in res.iterfind("cp:file", NS)}
        for dep in res.iterfind("cp:dependency", NS):
            shared = resources[dep.get("identifierref")]
            own |= {f.get("href") for f in shared.iterfind("cp:file", NS)}
        for url in re.findall(r'(?:src|href)="([^"#:]+)(?:#[^"]*)?"', html):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(url)))
            assert target in cart.files, (page, url)
            if not target.endswith(".html"):
                assert target in own, (page, target)  # its files are its resource's
        for ident in lesson.media:
            media = course.media[ident]
            (path,) = [p for p in own if p.startswith("media/") and cart.files[p] == media.read()]
            assert path.isascii()
    strategy = cart.files["01-osnovi/01-strategiya.html"].decode()
    assert 'src="../media/tsikal.png"' in strategy
    assert '<a href="02-danni.html#' in strategy  # a link to a lesson: its page, relative
    digital = cart.files["02-uslugi/01-digitalni.html"].decode()
    assert '<a href="../01-osnovi/01-strategiya.html">стратегията</a>' in digital
    assert '<a href="../media/broshura.pdf">брошурата</a>' in digital


def test_cyrillic_names_survive(fixture_cc, course):
    titles = [t.text for t in fixture_cc.manifest.iterfind(".//cp:title", NS)]
    assert "Основи на управлението" in titles and "Стратегия на библиотеката" in titles
    qti = quiz_qti(fixture_cc)
    assert qti.find("q:assessment", NS).get("title") == "Тест към модул 1"
    assert read_items(qti)[0].title == "Кое свързва мисията с нуждите на общността?"
    # files get transliterated ASCII names; the text keeps the original ones
    assert "media/tsikal.png" in fixture_cc.files
    page = fixture_cc.files["01-osnovi/01-strategiya.html"].decode()
    assert 'alt="Цикъл на планирането: анализ, цели, действия, оценка"' in page
    with zipfile.ZipFile(fixture_cc.path) as zf:
        assert all(not i.flag_bits & 0x800 for i in zf.infolist())  # no UTF-8 names needed


# ---------------------------------------------------------------------------------------------
# quizzes


def test_every_supported_question_with_its_answers_and_feedback(fixture_cc, course):
    quiz = course.quizzes[0]
    qti = quiz_qti(fixture_cc)
    test = qti.find("q:assessment", NS)
    settings = {
        f.findtext("q:fieldlabel", "", NS): f.findtext("q:fieldentry", "", NS)
        for f in test.iterfind("q:qtimetadata/q:qtimetadatafield", NS)
    }
    assert settings == {
        "cc_profile": "cc.exam.v0p1",
        "qmd_assessmenttype": "Examination",
        "cc_maxattempts": "2",
    }
    assert "Проверете знанията си от модула." in _mattext(test.find("q:rubric", NS))
    carried = [q for q in quiz.questions if q.kind in TARGETS["cc"].kinds]
    items = read_items(qti)
    assert [i.title for i in items] == [q.title for q in carried]
    profiles = {
        "single": "cc.multiple_choice.v0p1",
        "multiple": "cc.multiple_response.v0p1",
        "truefalse": "cc.true_false.v0p1",
        "short": "cc.fib.v0p1",
        "essay": "cc.essay.v0p1",
    }
    for q, item in zip(carried, items, strict=True):
        assert item.profile == profiles[q.kind]
        assert float(item.weighting) == q.points
        assert text_of(item.text) == text_of(q.text)
        assert text_of(item.general) == text_of(q.general_feedback)
        # the general feedback is the only condition that continues and shows feedback
        match q:
            case SingleChoice() | MultipleChoice():
                texts = [text_of(t) for t in item.labels.values()]
                assert texts == [text_of(c.text) for c in q.choices]
                idents = list(item.labels)
                full = 1 if isinstance(q, SingleChoice) else 1e-9
                right = {i for i, c in zip(idents, q.choices, strict=True) if c.fraction >= full}
                assert item.right == right
                for ident, c in zip(idents, q.choices, strict=True):
                    assert text_of(item.feedback.get(ident, "")) == text_of(c.feedback)
                assert item.shuffle == "Yes"
                if isinstance(q, MultipleChoice):
                    assert item.case == {"Yes"}  # what Moodle looks for
            case TrueFalse():
                assert list(item.labels) == ["true", "false"]
                assert item.labels == {"true": "Вярно", "false": "Невярно"}
                assert item.right == {"true" if q.answer else "false"}
                assert item.shuffle == "No"
                assert text_of(item.feedback.get("true", "")) == text_of(q.feedback_true)
                assert text_of(item.feedback.get("false", "")) == text_of(q.feedback_false)
            case ShortAnswer():
                assert item.right == {a.text for a in q.answers if a.fraction >= 1}
                assert item.case == {"No"}
                for a in q.answers:
                    assert text_of(item.feedback.get(a.text, "")) == text_of(a.feedback)
            case Essay():
                assert item.right == set() and item.rows == str(q.lines)
    multiple = items[1]
    assert multiple.weighting == "2"
    assert {multiple.labels[i] for i in multiple.right} == {"Брой читатели", "Заети книги"}
    short = items[3]
    assert short.right == {"Финландия", "Finland"}
    assert short.feedback == {"Finland": "Правилно, но на английски."}


def test_feedback_conditions_do_not_continue(fixture_cc):
    """Moodle takes the feedback of every condition that continues as the general feedback:
    only the general feedback's own condition may continue and show feedback."""
    for item in quiz_qti(fixture_cc).iterfind(".//q:item", NS):
        for cond in item.iterfind(".//q:respcondition", NS):
            if cond.get("continue") == "Yes" and cond.find("q:displayfeedback", NS) is not None:
                assert cond.find("q:conditionvar/q:other", NS) is not None


def test_question_texts_are_on_one_line(programme_cc):
    """Moodle's importer reads texts as Moodle format, where a line break becomes <br>."""
    for qti in programme_cc.qti_files().values():
        for mattext in qti.iterfind(".//q:mattext", NS):
            assert "\n" not in (mattext.text or "")


def test_what_cannot_be_carried_is_reported_once(fixture_cc):
    out = fixture_cc.output
    for title, kind in UNSUPPORTED.items():
        line = (
            f'cc: question "{title}" is left out: {kind} questions cannot be carried; '
            "the moodle and moodlexml targets carry them"
        )
        assert out.count(line) == 1, line
    assert out.count("is left out") == len(UNSUPPORTED)
    assert (
        "01-основи/03-тест.md:1:1: warning: cc: cannot carry combined feedback (1 question), "
        "hints (1 question); they are left out"
    ) in out
    assert "warning: cc: cannot carry the quiz setting pass_percentage; left out" in out
    assert (
        'cc: question "Кое свързва мисията с нуждите на общността?": cannot carry partial or '
        'negative credit ("Каталогът" 50%); those answers count as wrong'
    ) in out
    assert (
        'cc: question "Опишете една услуга на вашата библиотека": cannot carry word limits, '
        "the information for graders; left out"
    ) in out
    titles = [i.title for i in read_items(quiz_qti(fixture_cc))]
    assert not set(titles) & set(UNSUPPORTED)


def test_wildcard_answers_leave_the_question_out(course_dir, tmp_path):
    quiz = course_dir / "01-основи" / "03-тест.md"
    quiz.write_text(quiz.read_text("utf-8").replace("- = Финландия", "- = Финланд*"), "utf-8")
    cart = build(course_dir, tmp_path / "out")
    assert (
        'cc: question "В коя държава е град Оулу?" is left out: its answer "Финланд*" uses the '
        'wildcard "*", and the cartridge\'s short answers match exactly; the moodle and '
        "moodlexml targets carry it"
    ) in cart.output
    titles = [i.title for i in read_items(quiz_qti(cart))]
    assert "В коя държава е град Оулу?" not in titles


def test_scoring_the_profile_cannot_state(tmp_path):
    """The profile scores all or nothing: partial credit counts as wrong (reported), and a
    question without a fully right answer is left out (reported)."""
    course = load_course(FIXTURE)[0]
    quiz = course.quizzes[0]
    single = next(q for q in quiz.questions if isinstance(q, SingleChoice))
    short = next(q for q in quiz.questions if isinstance(q, ShortAnswer))
    for choice in single.choices:
        choice.fraction = min(choice.fraction, 0.5)
    short.answers[1].fraction = 0.5
    short.text = "<p>Един ред</p>\n<pre>a\n  b</pre>\n<p>друг</p>"
    notices = Diagnostics()
    carried = {quiz.id: [q for q in quiz.questions if q.kind in TARGETS["cc"].kinds]}
    entries = cartridge_entries(course, carried, notices)
    shown = [str(d) for d in notices.sorted()]
    assert any(
        f'cc: question "{single.title}" is left out: none of its choices is fully right' in s
        for s in shown
    )
    assert any(
        f'cc: question "{short.title}": cannot carry partial credit ("Finland" 50%)' in s
        for s in shown
    )
    items = {i.title: i for i in read_items(etree.fromstring(entries["01-osnovi/03-test.xml"]))}
    assert single.title not in items
    assert items[short.title].right == {"Финландия"}
    assert items[short.title].feedback == {"Finland": "Правилно, но на английски."}
    # line breaks become spaces, except in <pre>
    assert items[short.title].text == "<p>Един ред</p> <pre>a\n  b</pre> <p>друг</p>"


def test_quiz_settings_and_case(course_dir, tmp_path):
    quiz = course_dir / "01-основи" / "03-тест.md"
    text = quiz.read_text("utf-8").replace(
        "attempts: 2\n", "time_limit: 30\nshuffle_answers: false\n"
    )
    text = text.replace(
        "## В коя държава е град Оулу?", "## В коя държава е град Оулу? {case_sensitive=true}"
    )
    quiz.write_text(text, "utf-8")
    cart = build(course_dir, tmp_path / "out")
    qti = quiz_qti(cart)
    fields = {
        f.findtext("q:fieldlabel", "", NS): f.findtext("q:fieldentry", "", NS)
        for f in qti.iterfind("q:assessment/q:qtimetadata/q:qtimetadatafield", NS)
    }
    assert fields["qmd_timelimit"] == "30" and fields["cc_maxattempts"] == "unlimited"
    items = {i.title: i for i in read_items(qti)}
    assert items["Кое свързва мисията с нуждите на общността?"].shuffle == "No"
    assert items["В коя държава е град Оулу?"].case == {"Yes"}


def test_a_quiz_with_nothing_to_carry_is_left_out(course_dir, tmp_path):
    write(
        course_dir / "02-услуги" / "02-тест.md",
        "---\ntype: quiz\ntitle: Само съпоставяне\n---\n## Свържете\n\n"
        "- Мисия -> Защо\n- Визия -> Каква\n",
    )
    cart = build(course_dir, tmp_path / "out")
    assert (
        'cc: quiz "Само съпоставяне" is left out: it has no question the cartridge can carry'
    ) in cart.output
    titles = [t.text for t in cart.manifest.iterfind(".//cp:title", NS)]
    assert "Само съпоставяне" not in titles
    assert len(cart.qti_files()) == 1


def test_question_images_are_files_of_the_cartridge(course_dir, tmp_path):
    quiz = course_dir / "01-основи" / "03-тест.md"
    quiz.write_text(
        quiz.read_text("utf-8").replace(
            "## Стратегията се преразглежда всяка година.\n",
            "## Стратегията се преразглежда всяка година.\n\n![Читалня](images/читалня.jpg) "
            "Вижте [урока](01-стратегия.md).\n",
        ),
        "utf-8",
    )
    cart = build(course_dir, tmp_path / "out")
    ((path, qti),) = cart.qti_files().items()
    item = next(i for i in read_items(qti) if i.profile == "cc.true_false.v0p1")
    (src,) = re.findall(r'src="([^"]*)"', item.text)
    assert src == "$IMS-CC-FILEBASE$../media/chitalnya.jpg"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(path), src.split("$")[-1]))
    assert target == "media/chitalnya.jpg" and target in cart.files
    assert "<a" not in item.text and "урока" in item.text  # no page to link a question to
    test = next(r for r in cart.resources.values() if r.get("type") == ASSESSMENT)
    (dep,) = test.iterfind("cp:dependency", NS)
    media = cart.resources[dep.get("identifierref")]
    assert [f.get("href") for f in media.iterfind("cp:file", NS)] == [target]


# ---------------------------------------------------------------------------------------------
# assignments, forums, the trainers' part, stratified draws


def _role(res: etree._Element) -> list[tuple[str, str]]:
    return [
        (r.findtext("lomr:source", "", NS), r.findtext("lomr:value", "", NS))
        for r in res.iterfind("cp:metadata/lomr:lom/lomr:educational/lomr:intendedEndUserRole", NS)
    ]


def test_what_is_for_trainers_is_marked_for_the_instructor(fixture_cc, course):
    """Moodle's CC 1.1 importer hides an activity whose resource names the Instructor as its
    intended end user; the trainers' module stays a section, with its items so marked."""
    items = fixture_cc.items()
    for item in course.items():
        expected = [("IMSGLC_CC_Rolesv1p1", "Instructor")] if item.for_trainers else []
        assert _role(items[item.title]) == expected, item.title
    trainers = [i.title for i in course.items() if i.for_trainers]
    assert trainers == ["Бележки за обучителя", "План на учебния ден"]
    titles = [t.text for t in fixture_cc.manifest.iterfind(".//cp:organization//cp:title", NS)]
    assert "За обучителя" in titles
    # media and theme resources are no activity: they carry no role
    assert _role(fixture_cc.resources["THEME"]) == []


def test_a_trainers_quiz_and_forum_are_marked_too(course_dir, tmp_path):
    for name in ("01-основи/03-тест.md", "02-услуги/03-форум.md"):
        path = course_dir / name
        path.write_text(
            path.read_text("utf-8").replace("---\n", "---\naudience: trainers\n", 1), "utf-8"
        )
    cart = build(course_dir, tmp_path / "out")
    items = cart.items()
    instructor = [("IMSGLC_CC_Rolesv1p1", "Instructor")]
    assert _role(items["Тест към модул 1"]) == instructor
    assert _role(items["Форум: идеи за услуги"]) == instructor
    assert _role(items["Стратегия на библиотеката"]) == []
    if SCHEMAS.is_dir():
        assert schema("cc11libxml2validator.xsd").validate(cart.manifest)


def test_a_forum_is_a_discussion_topic_with_its_prompt(fixture_cc, course):
    (forum,) = course.forums
    res = fixture_cc.items()[forum.title]
    assert res.get("type") == TOPIC and res.get("href") is None
    (topic,) = fixture_cc.topic_files().values()
    assert topic.tag == f"{{{DT}}}topic"
    assert topic.findtext("dt:title", None, NS) == forum.title
    text = topic.find("dt:text", NS)
    assert text.get("texttype") == "text/html"
    assert text_of(text.text) == text_of(forum.html) != ""
    assert "\n" not in text.text  # Moodle reads it as Moodle format


def test_a_forum_prompt_with_an_image_and_a_link(course_dir, tmp_path):
    forum = course_dir / "02-услуги" / "03-форум.md"
    forum.write_text(
        forum.read_text("utf-8")
        + "\n![Читалня](../01-основи/images/читалня.jpg) Вижте [урока](01-дигитални.md).\n",
        "utf-8",
    )
    cart = build(course_dir, tmp_path / "out")
    ((path, topic),) = cart.topic_files().items()
    text = topic.findtext("dt:text", "", NS)
    (src,) = re.findall(r'src="([^"]*)"', text)
    assert src == "$IMS-CC-FILEBASE$../media/chitalnya.jpg"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(path), src.split("$")[-1]))
    assert target in cart.files
    assert "<a" not in text and "урока" in text  # a topic has no page to link from
    res = cart.items()["Форум: идеи за услуги"]
    (dep,) = res.iterfind("cp:dependency", NS)
    media = cart.resources[dep.get("identifierref")]
    assert [f.get("href") for f in media.iterfind("cp:file", NS)] == [target]


def test_an_assignment_is_a_page_with_instructions_and_criteria(fixture_cc, course):
    (task,) = course.assignments
    res = fixture_cc.items()[task.title]
    assert res.get("type") == "webcontent" and _role(res) == []
    page = res.get("href")
    assert page == "02-uslugi/02-zadanie.html"
    html = fixture_cc.files[page].decode()
    doc = lxml.html.fromstring(html)
    text = " ".join(doc.text_content().split())
    instructions = lxml.html.fragment_fromstring(task.html, create_parent="div")
    assert " ".join(instructions.text_content().split()) in text  # the instructions, whole
    # the criteria table: every criterion with its points, and the total
    rows = [
        [" ".join(td.text_content().split()) for td in tr.findall("td")[:2]]
        for tr in doc.iterfind(".//table/tbody/tr")
    ]
    assert rows == [[text_of(c.text), f"{c.points:g}"] for c in task.criteria]
    assert len(rows) == 3
    total = doc.find(".//table/tfoot/tr/td").text_content()
    assert total == f"{sum(c.points for c in task.criteria):g}" == "10"
    assert "Нужни за успех: 6" in text and "Най-много точки: 10" in text
    assert "Файл, качен в платформата за обучение" in text
    # the link to a lesson: its page in the cartridge
    assert '<a href="01-digitalni.html">' in html
    assert (
        '02-услуги/02-задание.md:1:1: warning: cc: assignment "Задание: нова услуга" becomes a '
        "page with its instructions and criteria: the cartridge has no assignments, so handing "
        "in and grading are left out; the moodle target carries them"
    ) in fixture_cc.output
    assert fixture_cc.output.count("cc: assignment") == 1


POOLED = """---
type: quiz
title: Финален тест
draw:
  модул 1: 1
  модул 2: 2
---
## Въпрос А {tags="модул 1"}

- (x) да
- ( ) не

## Въпрос Б {tags="модул 2"}

- (x) да
- ( ) не

## Бележка {type=description}

Само текст.

## Въпрос В {tags="модул 1"}

- (x) да
- ( ) не

## Въпрос Г {tags="модул 2"}

Вярно ли е?

- (x) Вярно
- ( ) Невярно

## Въпрос Д {tags="модул 2"}

- = да
"""


def test_a_stratified_draw_carries_every_question_with_the_draw_notice(course_dir, tmp_path):
    write(course_dir / "02-услуги" / "04-финал.md", POOLED)
    quiz = load_course(course_dir)[0].find("02-услуги/04-финал")
    assert [p.count for p in quiz.settings.pools] == [1, 2] and quiz.settings.draw is None
    cart = build(course_dir, tmp_path / "out")
    notice = "02-услуги/04-финал.md:1:1: warning: cc: cannot carry the quiz setting draw; left out"
    assert cart.output.count(notice) == 1
    assert cart.output.count("cannot carry the quiz setting draw") == 1  # only that quiz
    qti = cart.qti_files()["02-uslugi/04-final.xml"]
    titles = [i.title for i in read_items(qti)]
    assert titles == ["Въпрос А", "Въпрос Б", "Въпрос В", "Въпрос Г", "Въпрос Д"]
    assert qti.find(".//q:selection_ordering", NS) is None  # the profile has no selection


# ---------------------------------------------------------------------------------------------
# nothing executable


def _problems(cart: Cartridge) -> list[str]:
    hosts = [ALLOWED_HOST]
    name = cart.path.name
    problems = entry_problems(name, cart.path.read_bytes(), name, allowed_hosts=hosts)
    for path, qti in cart.qti_files().items():
        for mattext in qti.iterfind(".//q:mattext[@texttype='text/html']", NS):
            problems += html_problems(mattext.text or "", path, fragment=True, allowed_hosts=hosts)
    for path, topic in cart.topic_files().items():
        text = topic.findtext("dt:text", "", NS)
        problems += html_problems(text, path, fragment=True, allowed_hosts=hosts)
    return problems


@pytest.mark.parametrize("which", ["fixture", "programme"])
def test_no_executable_content(cartridges, which):
    assert _problems(cartridges[which]) == []


def test_hostile_html_is_made_harmless(tmp_path):
    """The loader refuses such HTML; this puts it into the model behind the loader's back, to
    show the cartridge's own writing sanitizes every text (pages and QTI)."""
    course = load_course(FIXTURE)[0]
    payload = "\n".join(HTML_PAYLOADS.values())
    course.lessons[0].html += payload
    course.lessons[0].objectives.append(payload)
    (task,) = course.assignments
    task.html += payload
    task.criteria[0].text += payload
    course.forums[0].html += payload
    quiz = course.quizzes[0]
    quiz.intro += payload
    for q in quiz.questions:
        q.text += payload
        q.general_feedback += payload
        for choice in getattr(q, "choices", []):
            choice.text += payload
            choice.feedback += payload
    carried = {quiz.id: [q for q in quiz.questions if q.kind in TARGETS["cc"].kinds]}
    entries = cartridge_entries(course, carried, Diagnostics())
    path = tmp_path / "hostile.imscc"
    path.write_bytes(zip_bytes(entries, 315532800))
    cart = Cartridge(path, entries, etree.fromstring(entries["imsmanifest.xml"]))
    assert _problems(cart) == []
    for page in ("01-osnovi/01-strategiya.html", "02-uslugi/02-zadanie.html"):
        assert b"alert(1)</script>" not in entries[page]
    topic = etree.fromstring(entries["02-uslugi/03-forum.xml"]).findtext("dt:text", "", NS)
    assert "<script" not in topic and "onerror" not in topic
    # the check sees what it must: a script put back into a question text is found
    qti = quiz_qti(cart)
    qti.find(".//q:mattext", NS).text = "<p>x</p><img src=x onerror=alert(1)>"
    assert html_problems(qti.find(".//q:mattext", NS).text, "qti", fragment=True)


def test_the_target_is_registered_with_its_contract():
    target = TARGETS["cc"]
    assert target.kinds == {"single", "multiple", "truefalse", "short", "essay"}
    assert target.question_features == {"points"}
    assert target.quiz_settings == {"attempts", "time_limit", "shuffle_answers"}
