"""The static site: complete, self-contained, navigable, accessible structure."""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from dataclasses import replace
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from packager.model import Assignment, Forum, Lesson, Pool, Submission
from packager.targets.html import item_path, resolver
from packager.targets.html.quizview import quiz_data
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
    last = pages(built)["02-услуги/03-форум.html"]
    assert last.find(".//a[@rel='next']") is None


def _sequence(docs, first):
    """The pages met following "next" from ``first``, and each page's "previous"."""
    out, page = [], first
    while page:
        out.append(page)
        link = docs[page].find(".//nav[@class='pager']/a[@rel='next']")
        if link is None:
            break
        nxt = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(link.get("href"))))
        back = docs[nxt].find(".//nav[@class='pager']/a[@rel='prev']")
        assert (
            back is not None
            and posixpath.normpath(
                posixpath.join(posixpath.dirname(nxt), unquote(back.get("href")))
            )
            == page
        )
        page = nxt
    return out


def test_learners_and_trainers_have_separate_sequences(built):
    course, _ = load_course(FIXTURE)
    docs = pages(built)
    learners = [item_path(i) for i in course.for_learners().items()]
    trainers = [item_path(i) for i in course.items() if item_path(i) not in learners]
    assert trainers == ["01-основи/04-бележки.html", "03-за-обучители/01-план.html"]
    start = docs["index.html"].find(".//nav[@class='pager']/a[@rel='next']").get("href")
    assert unquote(start) == learners[0]
    # the learners' pages run from the first to the last without a trainers' page between
    assert _sequence(docs, learners[0]) == learners
    assert docs[learners[0]].find(".//a[@rel='prev']") is None
    assert _sequence(docs, trainers[0]) == trainers
    assert docs[trainers[0]].find(".//a[@rel='prev']") is None


def test_trainers_part_comes_after_the_learners_modules(built):
    docs = pages(built)
    home = docs["index.html"]
    headings = [h.text_content() for h in home.findall(".//article/h2")]
    assert headings == ["Модули", "За обучители"]
    learners, trainers = home.findall(".//article/ol[@class='module-list']")
    assert [a.text_content() for a in learners.iter("a")] == [
        "Основи на управлението",
        "Нови услуги",
    ]
    assert [unquote(a.get("href")) for a in trainers.iter("a")] == [
        "01-основи/index.html#for-trainers",
        "03-за-обучители/index.html",
    ]
    counts = [s.text_content() for s in learners.findall(".//span[@class='item-kind']")]
    assert counts == ["Уроци: 2 · Тестове: 1", "Уроци: 1 · Задания: 1 · Форуми: 1"]
    # the contents: the learners' modules, then a heading and the trainers' part
    for name, doc in docs.items():
        toc = doc.find(".//nav[@class='toc']")
        parts = [el.tag for el in toc]
        assert parts == ["ol", "h2", "ol"], name
        assert toc[1].text_content() == "За обучители"
        learner_links = {unquote(a.get("href")).rsplit("/", 1)[-1] for a in toc[0].iter("a")}
        assert "04-бележки.html" not in learner_links and "01-план.html" not in learner_links
    opened = docs["01-основи/04-бележки.html"].find(".//nav[@class='toc']")
    assert [a.text_content() for a in opened[2].iter("a")] == [
        "Основи на управлението",
        "Бележки за обучителя",
        "За обучителя",
    ]
    assert [a.text_content() for a in opened[0].iter("a")] == [
        "Основи на управлението",
        "Нови услуги",
    ]  # the learners' part stays closed on a trainers' page


def test_trainers_pages_are_marked_and_listed_apart(built):
    docs = pages(built)
    note = ".//p[@class='notice audience-note']"
    for name in (
        "01-основи/04-бележки.html",
        "03-за-обучители/01-план.html",
        "03-за-обучители/index.html",
    ):
        assert docs[name].find(note) is not None, name
        crumbs = [a.text_content() for a in docs[name].findall(".//nav[@class='breadcrumb']//a")]
        assert crumbs[:2] == ["Начало", "За обучители"], name
    for name in ("01-основи/01-стратегия.html", "01-основи/index.html", "index.html"):
        assert docs[name].find(note) is None, name
    module = docs["01-основи/index.html"]
    mine, theirs = module.findall(".//article/ol[@class='module-list']")
    assert "Бележки за обучителя" not in mine.text_content()
    assert module.get_element_by_id("for-trainers").text_content() == "За обучители"
    assert [a.text_content() for a in theirs.iter("a")] == ["Бележки за обучителя"]


def test_assignment_page_has_a_printable_checklist(built):
    course, _ = load_course(FIXTURE)
    task = course.find("02-услуги/02-задание")
    assert isinstance(task, Assignment)
    doc = pages(built)["02-услуги/02-задание.html"]
    text = _norm(doc.text_content())
    assert "Какво предавате" in text
    assert "Текст, написан направо в платформата за обучение" in text
    assert "Файл, качен в платформата за обучение" in text
    assert "Най-много точки: 10" in text and "Нужни за успех: 6 т." in text
    assert "Работата се оценява от обучител." in text
    table = doc.find(".//section[@class='checklist']/table")
    header = [th.text_content() for th in table.findall("thead/tr/th")]
    assert header == ["Критерий", "Точки", "Изпълнен"]
    rows = table.findall("tbody/tr")
    assert len(rows) == len(task.criteria) == 3
    for row, criterion in zip(rows, task.criteria, strict=True):
        cells = row.findall("td")
        assert _norm(cells[0].text_content()) == _norm(_text(criterion.text))
        assert cells[1].text_content() == f"{criterion.points:g}"
        box = cells[2].find("input")
        assert box.get("type") == "checkbox"
        for ident in box.get("aria-labelledby").split():
            assert doc.get_element_by_id(ident) is not None
    total = table.find("tfoot/tr")
    assert [c.text_content() for c in total] == ["Общо", "10", ""]
    button = doc.find(".//button[@data-print]")
    assert button.text_content() == "Отпечатайте списъка" and button.get("hidden") is not None
    scripts = [s.get("src") for s in doc.iter("script")]
    assert scripts == ["../assets/nav.js", "../assets/task.js"]
    assert b".checklist-table" in built["assets/print.css"]
    assert b"window.print()" in built["assets/task.js"]


def test_forum_page_says_where_the_discussion_is(built):
    doc = pages(built)["02-услуги/03-форум.html"]
    note = doc.find(".//p[@class='notice forum-note']")
    assert note.text_content() == (
        "Обсъждането се води във форума на курса в платформата за обучение."
    )
    assert "Публикувайте идеята си" in doc.text_content()
    assert [s.get("src") for s in doc.iter("script")] == ["../assets/nav.js"]  # the toggle only


def test_task_script_only_where_a_checklist_is(built):
    course, _ = load_course(FIXTURE)
    for module in course.modules:
        module.items = [i for i in module.items if not isinstance(i, Assignment)]
    files = site_files(course)
    assert "assets/task.js" not in files
    assert not any(b"task.js" in data for name, data in files.items() if name.endswith(".html"))
    assert "assets/task.js" in built


def test_assignment_without_criteria_or_pass_points(built):
    course, _ = load_course(FIXTURE)
    task = course.find("02-услуги/02-задание")
    task.criteria, task.pass_points, task.submission = [], None, (Submission.FILE,)
    doc = lxml.html.fromstring(site_files(course)["02-услуги/02-задание.html"])
    assert doc.find(".//table") is None and doc.find(".//button[@data-print]") is None
    text = doc.text_content()
    assert "Нужни за успех" not in text and "Текст, написан" not in text
    assert "Файл, качен в платформата за обучение" in text


def test_current_page_is_marked_in_navigation(built):
    doc = pages(built)["01-основи/02-данни.html"]
    current = doc.findall(".//nav[@class='toc']//a[@aria-current='page']")
    assert [a.text_content() for a in current] == ["Решения, основани на данни"]


def test_no_text_is_lost(built):
    """Every lesson, assignment (instructions and criteria) and forum prompt, the trainers'
    items among them."""
    course, _ = load_course(FIXTURE)
    docs = pages(built)
    kinds = set()
    for item in course.items():
        if not isinstance(item, Lesson | Assignment | Forum):
            continue
        kinds.add((type(item).__name__, item.for_trainers))
        page_text = _norm(docs[item_path(item)].text_content())
        for block in lxml.html.fragments_fromstring(item.html):
            if isinstance(block, str):
                continue
            assert _norm(block.text_content()) in page_text, (item.id, block.text_content()[:60])
        for objective in getattr(item, "objectives", []):
            assert _norm(_text(objective)) in page_text
        for criterion in getattr(item, "criteria", []):
            assert _norm(_text(criterion.text)) in page_text
    assert kinds == {
        ("Lesson", False),
        ("Lesson", True),
        ("Assignment", False),
        ("Forum", False),
    }


def test_quiz_data_carries_the_pools():
    course, _ = load_course(FIXTURE)
    quiz = course.quizzes[0]
    res = resolver(course, item_path(quiz))
    assert "pools" not in quiz_data(course, quiz, res)  # no draw by pools: as before
    graded = [i for i, q in enumerate(quiz.questions) if q.gradable]
    for n, i in enumerate(graded):
        quiz.questions[i].tags = ["първи" if n % 3 == 0 else "втори"]
    quiz.settings = replace(quiz.settings, pools=(Pool("първи", 2), Pool("втори", 3)))
    data = quiz_data(course, quiz, res)
    assert data["draw"] is None
    assert data["pools"] == [
        {"tag": "първи", "count": 2, "questions": graded[0::3]},
        {"tag": "втори", "count": 3, "questions": [i for n, i in enumerate(graded) if n % 3]},
    ]
    page = site_files(course)[item_path(quiz)].decode()
    assert "Въпроси: 5" in page  # questions per attempt: the pools' counts together
    block = lxml.html.fromstring(page).get_element_by_id("q-data")
    assert json.loads(block.text)["pools"] == data["pools"]


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


def _text(fragment: str) -> str:
    return lxml.html.fromstring(f"<p>{fragment}</p>").text_content()


def quote_path(path):
    from urllib.parse import quote

    return quote(path)


def _norm(text):
    return re.sub(r"\s+", " ", text).strip()
