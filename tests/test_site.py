"""The static site: complete, self-contained, navigable, accessible structure."""

from __future__ import annotations

import posixpath
import re
import zipfile
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from packager.model import Lesson
from packager.targets.html import item_path
from packager.targets.html.site import site_files

from .conftest import FIXTURE, load_course, run_cli


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-t", "site")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "proben-kurs-0.1.0-site.zip") as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def pages(files):
    return {n: lxml.html.fromstring(d) for n, d in files.items() if n.endswith(".html")}


def test_zip_and_folder_hold_the_same_files(built, tmp_path):
    course, _ = load_course(FIXTURE)
    assert site_files(course) == built


def test_every_item_has_a_page(built):
    course, _ = load_course(FIXTURE)
    for item in course.items():
        assert item_path(item) in built
    assert "01-основи/01-стратегия.html" in built  # Cyrillic file names survive
    assert "media/цикъл.png" in built and "media/брошура.pdf" in built


def test_every_local_link_and_resource_exists(built):
    for name, doc in pages(built).items():
        for _el, _attr, url, _ in doc.iterlinks():
            parts = urlsplit(url)
            if url.startswith("#"):
                assert doc.get_element_by_id(unquote(url[1:]), None) is not None, (name, url)
                continue
            if parts.scheme:
                assert parts.scheme in ("https", "mailto"), (name, url)
                continue
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(name), unquote(parts.path))
            )
            assert target in built, (name, url)
            if parts.fragment and target.endswith(".html"):
                linked = lxml.html.fromstring(built[target])
                assert linked.get_element_by_id(unquote(parts.fragment), None) is not None, url


def test_self_contained(built):
    for name, doc in pages(built).items():
        for el in doc.iter("link", "script", "img"):
            src = el.get("href") or el.get("src") or ""
            assert not re.match(r"(https?:)?//", src), (name, src)


def test_page_structure_is_accessible(built):
    for name, doc in pages(built).items():
        assert doc.get("lang") == "bg"
        assert len(doc.findall(".//h1")) == 1, name
        assert doc.find(".//a[@class='skip-link']").get("href") == "#main"
        assert doc.find(".//main[@id='main']") is not None
        assert doc.find(".//header") is not None and doc.find(".//footer") is not None
        assert doc.find(".//nav[@aria-label]") is not None
        assert doc.find(".//meta[@name='viewport']") is not None
        assert doc.find(".//link[@media='print']") is not None
        for img in doc.iter("img"):
            assert img.get("alt") and img.get("width") and img.get("height"), name


def test_previous_and_next_links(built):
    doc = pages(built)["01-основи/02-данни.html"]
    prev = doc.find(".//a[@rel='prev']")
    nxt = doc.find(".//a[@rel='next']")
    assert prev.get("href") == quote_path("01-стратегия.html")
    assert nxt.get("href") == quote_path("03-тест.html")
    last = pages(built)["02-услуги/01-дигитални.html"]
    assert last.find(".//a[@rel='next']") is None


def test_current_page_is_marked_in_navigation(built):
    doc = pages(built)["01-основи/02-данни.html"]
    current = doc.findall(".//nav[@class='toc']//a[@aria-current='page']")
    assert [a.text_content() for a in current] == ["Решения, основани на данни"]


def test_no_text_is_lost(built):
    course, _ = load_course(FIXTURE)
    docs = pages(built)
    for item in course.items():
        if not isinstance(item, Lesson):
            continue
        page_text = _norm(docs[item_path(item)].text_content())
        for block in lxml.html.fragments_fromstring(item.html):
            if isinstance(block, str):
                continue
            assert _norm(block.text_content()) in page_text, (item.id, block.text_content()[:60])
        for objective in item.objectives:
            assert _norm(lxml.html.fromstring(f"<p>{objective}</p>").text_content()) in page_text


def test_quiz_page_is_a_form_with_every_question(built):
    course, _ = load_course(FIXTURE)
    doc = pages(built)["01-основи/03-тест.html"]
    form = doc.find(".//form[@data-quiz]")
    assert form is not None
    sections = form.findall(".//section[@class='question']")
    assert len(sections) == len(course.quizzes[0].questions)
    for section in sections:
        for control in section.iter("input", "select", "textarea"):
            labelled = (
                control.get("aria-label")
                or control.get("aria-labelledby")
                or control.getparent().tag == "label"
                or doc.find(f".//label[@for='{control.get('id')}']") is not None
            )
            assert labelled, lxml.html.tostring(control)


def quote_path(path):
    from urllib.parse import quote

    return quote(path)


def _norm(text):
    return re.sub(r"\s+", " ", text).strip()
