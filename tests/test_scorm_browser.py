"""Every SCO of both SCORM packages played like a learner in headless Chromium, inside a test LMS
page whose API is the scorm-again runtime; and axe-core on every SCO page."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from .browser_support import (
    ARGS,
    CHROMIUM,
    HERE,
    POOLS,
    POOLS_MAX,
    STRATIFIED_QUIZ,
    Server,
    Watch,
    axe_violations,
    needs_browser,
    stratified_course,
)
from .conftest import FIXTURE, load_course, run_cli

pytestmark = needs_browser
DRIVER = (Path(__file__).parent / "quiz_driver.js").read_text("utf-8")
EDITIONS = ("1.2", "2004")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A web root with the test LMS page, the npm packages and both packages unpacked."""
    root = tmp_path_factory.mktemp("www")
    (root / "lms.html").write_bytes((HERE / "lms.html").read_bytes())
    os.symlink(HERE / "node_modules", root / "node_modules")
    out = tmp_path_factory.mktemp("dist")
    for per in ("item", "module"):
        result = run_cli(
            "build", str(FIXTURE), "-o", str(out / per), "-t", "scorm12", "-t", "scorm2004",
            "-O", f"scorm.sco={per}",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        for edition, name in (("1.2", "scorm12"), ("2004", "scorm2004")):
            with zipfile.ZipFile(out / per / f"proben-kurs-0.1.0-{name}.zip") as zf:
                zf.extractall(root / f"{per}{edition}")
    server = Server(root)
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def scos(site: Server, edition: str, per: str = "item") -> list[str]:
    """The launch page of every SCO in the unpacked package's manifest."""
    from lxml import etree

    manifest = etree.parse(str(site.root / f"{per}{edition}" / "imsmanifest.xml"))
    out = []
    for res in manifest.iter("{*}resource"):
        kind = res.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") or res.get(
            "{http://www.adlnet.org/xsd/adlcp_v1p3}scormType"
        )
        if kind == "sco":
            out.append(res.get("href"))
    return out


class Launch:
    """One launch of a SCO in the test LMS."""

    def __init__(self, browser, server, edition: str, href: str, preload=None, per="item"):
        self.edition = edition
        self.page = browser.new_page(viewport={"width": 1000, "height": 700})
        self.watch = Watch(self.page)
        self.page.goto(f"{server.url}/lms.html")
        launch = f"/{per}{edition}/{quote(href)}"
        self.page.evaluate("([e, p, l]) => startLms(e, p, l)", [edition, preload, launch])
        self.page.wait_for_function(
            "() => { const w = document.getElementById('sco').contentWindow;"
            " return w && w.CourseSco !== undefined; }"
        )
        self.frame = next(f for f in self.page.frames if f.url.endswith(launch))

    def cmi(self) -> dict:
        return self.page.evaluate("() => lmsApi.renderCMIToJSONObject()")

    def get(self, path: str):
        return self.page.evaluate(f"() => lmsApi.{path}")

    def status(self) -> str:
        if self.edition == "2004":
            return self.get("cmi.completion_status") + "/" + self.get("cmi.success_status")
        return self.get("cmi.core.lesson_status")

    def log(self) -> list[dict]:
        return self.page.evaluate("() => window.lmsLog")

    def unload(self) -> None:
        self.page.evaluate("() => lmsUnload()")
        self.page.wait_for_function("() => lmsApi.isTerminated()")

    def close(self) -> None:
        self.page.close()

    def check_clean(self, server) -> None:
        errors = [e for e in self.log() if e["error"] != "0"]
        assert not errors, errors
        assert not self.watch.errors, self.watch.errors
        assert not server.not_found, server.not_found


def quiz_count(course) -> int:
    return len(course.quizzes[0].graded_questions)


@pytest.mark.parametrize("edition", EDITIONS)
def test_lessons_complete_at_their_end_and_terminate(browser, site, edition):
    for href in scos(site, edition):
        if "тест" in href:
            continue
        launch = Launch(browser, site, edition, href)
        start = launch.status()
        assert start in ("incomplete", "incomplete/unknown"), (href, start)
        launch.frame.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        done = "completed" if edition == "1.2" else "completed/unknown"
        launch.page.wait_for_function(
            "([e, d]) => (e === '2004' ? lmsApi.cmi.completion_status + '/' + lmsApi.cmi.success_status"
            " : lmsApi.cmi.core.lesson_status) === d",
            arg=[edition, done],
        )
        launch.unload()
        calls = [e["call"] for e in launch.log()]
        assert calls[0] in ("LMSInitialize", "Initialize")
        assert calls[-1] in ("LMSFinish", "Terminate")
        cmi = launch.cmi()["cmi"]
        if edition == "1.2":
            assert cmi["core"]["session_time"] != "00:00:00"
            assert cmi["core"]["exit"] == ""
        else:
            assert cmi["session_time"].startswith("PT") and cmi["exit"] == "normal"
        launch.check_clean(site)
        launch.close()


def _quiz_href(site: Server, edition: str) -> str:
    return next(h for h in scos(site, edition) if "тест" in h)


@pytest.mark.parametrize("edition", EDITIONS)
def test_quiz_answered_right_passes_with_full_score(browser, site, edition):
    course, _ = load_course(FIXTURE)
    launch = Launch(browser, site, edition, _quiz_href(site, edition))
    assert launch.status() in ("incomplete", "incomplete/unknown")  # never passed before answering
    answered = launch.frame.evaluate(DRIVER, "right")
    assert len(answered) == quiz_count(course)
    launch.frame.click("[data-action=submit]")
    launch.page.wait_for_function(
        "e => e === '2004' ? lmsApi.cmi.success_status === 'passed' : lmsApi.cmi.core.lesson_status === 'passed'",
        arg=edition,
    )
    launch.unload()
    cmi = launch.cmi()["cmi"]
    score = cmi["score"] if edition == "2004" else cmi["core"]["score"]
    assert (score["raw"], score["min"], score["max"]) == ("100", "0", "100")
    if edition == "2004":
        assert cmi["score"]["scaled"] == "1" and cmi["completion_status"] == "completed"
    interactions = cmi["interactions"]
    records = [
        interactions[k]
        for k in sorted(interactions, key=lambda k: int(k) if k.isdigit() else -1)
        if k.isdigit()
    ]
    assert len(records) == quiz_count(course)
    kinds = {r["type"] for r in records}
    assert {"choice", "true-false", "fill-in", "numeric", "matching", "sequencing"} <= kinds
    for record in records:
        assert record["id"] and record["result"] in ("correct", "neutral"), record
        assert record["weighting"]
        assert record["latency"]
    essay = next(r for r in records if r["result"] == "neutral")
    assert essay["type"] in ("fill-in", "long-fill-in")
    launch.check_clean(site)
    launch.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_quiz_answered_wrong_fails(browser, site, edition):
    launch = Launch(browser, site, edition, _quiz_href(site, edition))
    launch.frame.evaluate(DRIVER, "wrong")
    launch.frame.click("[data-action=submit]")
    launch.page.wait_for_function(
        "e => e === '2004' ? lmsApi.cmi.success_status === 'failed' : lmsApi.cmi.core.lesson_status === 'failed'",
        arg=edition,
    )
    launch.unload()
    cmi = launch.cmi()["cmi"]
    score = cmi["score"] if edition == "2004" else cmi["core"]["score"]
    assert float(score["raw"]) < 60
    results = [v["result"] for k, v in cmi["interactions"].items() if k.isdigit()]
    assert ("incorrect" if edition == "2004" else "wrong") in results
    launch.check_clean(site)
    launch.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_second_launch_resumes(browser, site, edition):
    first = Launch(browser, site, edition, _quiz_href(site, edition))
    answered = first.frame.evaluate(DRIVER, "some")
    first.unload()
    saved = first.cmi()
    first.check_clean(site)
    first.close()
    core = saved["cmi"] if edition == "2004" else saved["cmi"]["core"]
    assert core["exit"] == "suspend"
    assert saved["cmi"]["suspend_data"]
    if edition == "1.2":
        assert len(saved["cmi"]["suspend_data"]) <= 4096
    # the LMS hands the data back with entry=resume
    preload = {"cmi": {"suspend_data": saved["cmi"]["suspend_data"]}}
    if edition == "2004":
        preload["cmi"].update(entry="resume", location=saved["cmi"].get("location", ""))
    else:
        preload["cmi"]["core"] = {
            "entry": "resume",
            "lesson_location": core.get("lesson_location", ""),
        }
    second = Launch(browser, site, edition, _quiz_href(site, edition), preload=preload)
    restored = second.frame.evaluate(
        "() => CourseQuizzes[0].data.questions.filter((q, i) => {"
        " const r = CourseQuizzes[0].state().r[i];"
        " return r !== undefined && r !== null && r !== '' && !(Array.isArray(r) && !r.length); }).length"
    )
    assert restored == len(answered)
    checked = second.frame.evaluate("() => document.querySelectorAll('input:checked').length")
    assert checked >= 1
    second.unload()
    second.check_clean(site)
    second.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_lesson_bookmark_resumes(browser, site, edition):
    href = scos(site, edition)[0]
    first = Launch(browser, site, edition, href)
    first.frame.evaluate("() => document.getElementById('защо-стратегия').scrollIntoView()")
    location = "cmi.location" if edition == "2004" else "cmi.core.lesson_location"
    first.page.wait_for_function(f"() => lmsApi.{location} === 'защо-стратегия'")
    first.unload()
    first.close()
    preload = (
        {"cmi": {"entry": "resume", "location": "защо-стратегия"}}
        if edition == "2004"
        else {"cmi": {"core": {"entry": "resume", "lesson_location": "защо-стратегия"}}}
    )
    second = Launch(browser, site, edition, href, preload=preload)
    top = second.frame.evaluate(
        "() => document.getElementById('защо-стратегия').getBoundingClientRect().top"
    )
    assert abs(top) < 50
    second.unload()
    second.check_clean(site)
    second.close()


def test_review_mode_shows_the_attempt_and_changes_nothing(browser, site):
    first = Launch(browser, site, "1.2", _quiz_href(site, "1.2"))
    first.frame.evaluate(DRIVER, "right")
    first.frame.click("[data-action=submit]")
    first.page.wait_for_function("() => lmsApi.cmi.core.lesson_status === 'passed'")
    first.unload()
    saved = first.cmi()["cmi"]["suspend_data"]
    first.close()
    preload = {
        "cmi": {
            "suspend_data": saved,
            "core": {"lesson_mode": "review", "entry": "resume", "lesson_status": "passed"},
        }
    }
    review = Launch(browser, site, "1.2", _quiz_href(site, "1.2"), preload=preload)
    assert review.frame.evaluate("() => document.querySelector('.result').textContent.length > 0")
    assert review.frame.evaluate(
        "() => Array.from(document.querySelectorAll('form input')).every(i => i.disabled)"
    )
    review.unload()
    sets = [e["args"][0] for e in review.log() if e["call"] == "LMSSetValue"]
    assert not any(
        s.startswith(
            ("cmi.core.lesson_status", "cmi.core.score", "cmi.interactions", "cmi.suspend_data")
        )
        for s in sets
    ), sets
    review.check_clean(site)
    review.close()


def test_browse_mode_and_no_credit(browser, site):
    browse = Launch(
        browser,
        site,
        "1.2",
        scos(site, "1.2")[0],
        preload={"cmi": {"core": {"lesson_mode": "browse"}}},
    )
    assert browse.status() == "browsed"
    browse.unload()
    browse.check_clean(site)
    browse.close()
    nocredit = Launch(
        browser, site, "2004", _quiz_href(site, "2004"), preload={"cmi": {"credit": "no-credit"}}
    )
    nocredit.frame.evaluate(DRIVER, "right")
    nocredit.frame.click("[data-action=submit]")
    nocredit.page.wait_for_function("() => lmsApi.cmi.completion_status === 'completed'")
    nocredit.unload()
    cmi = nocredit.cmi()["cmi"]
    assert cmi["success_status"] == "unknown" and cmi["score"]["raw"] == ""
    nocredit.check_clean(site)
    nocredit.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_one_sco_per_module(browser, site, edition):
    """Each learners' module (trainers' items left out): the lessons, the assignment and the
    forum read to their end and the quiz passed complete the SCO."""
    course = load_course(FIXTURE)[0].for_learners()
    hrefs = scos(site, edition, "module")
    assert len(hrefs) == len(course.modules) == 2
    for href, module in zip(hrefs, course.modules, strict=True):
        launch = Launch(browser, site, edition, href, per="module")
        count = launch.frame.evaluate("() => document.querySelectorAll('.sco-item').length")
        assert count == len(module.items)
        for index, item in enumerate(module.items):
            if index:
                launch.frame.click("[data-go=next]")
            if item.__class__.__name__ != "Quiz":
                launch.frame.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            else:
                launch.frame.evaluate(DRIVER, "right")
                launch.frame.click(".sco-item:not([hidden]) [data-action=submit]")
        if module.quizzes:
            done = (
                "e => e === '2004' ? lmsApi.cmi.success_status === 'passed'"
                " && lmsApi.cmi.completion_status === 'completed'"
                " : lmsApi.cmi.core.lesson_status === 'passed'"
            )
        else:
            done = (
                "e => (e === '2004' ? lmsApi.cmi.completion_status"
                " : lmsApi.cmi.core.lesson_status) === 'completed'"
            )
        launch.page.wait_for_function(done, arg=edition)
        launch.unload()
        launch.check_clean(site)
        launch.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_sco_page_passes_axe(browser, site, edition):
    for per in ("item", "module"):
        for href in scos(site, edition, per):
            launch = Launch(browser, site, edition, href, per=per)
            assert axe_violations(launch.frame) == [], href
            launch.close()


def test_no_lms_the_page_still_works(browser, site):
    page = browser.new_page()
    watch = Watch(page)
    page.goto(f"{site.url}/item1.2/{quote(_quiz_href(site, '1.2'))}")
    page.wait_for_function("() => window.CourseSco !== undefined")
    page.evaluate(DRIVER, "right")
    page.click("[data-action=submit]")
    assert "100" in page.text_content(".result")
    assert not watch.errors, watch.errors
    page.close()


def test_interaction_record_format(browser, site):
    """SCORM 1.2 choice responses are single letters; 2004 matching pairs use [.] and [,]."""
    launch = Launch(browser, site, "2004", _quiz_href(site, "2004"))
    launch.frame.evaluate(DRIVER, "right")
    launch.frame.click("[data-action=submit]")
    launch.page.wait_for_function("() => lmsApi.cmi.success_status === 'passed'")
    launch.unload()
    records = {v["type"]: v for k, v in launch.cmi()["cmi"]["interactions"].items() if k.isdigit()}
    assert "[.]" in records["matching"]["learner_response"]
    assert records["numeric"]["correct_responses"]["0"]["pattern"] == "4[:]4"
    launch.close()
    print(json.dumps(records["matching"], ensure_ascii=False))


@pytest.mark.parametrize("edition", EDITIONS)
def test_sco_in_a_new_window_finds_the_api_through_its_opener(browser, site, edition):
    """LMSs that open content in a pop-up: the API is on the opener, not on a parent."""
    page = browser.new_page()
    watch = Watch(page)
    page.goto(f"{site.url}/lms.html")
    launch = f"/item{edition}/{quote(scos(site, edition)[0])}"
    with page.expect_popup() as opened:
        page.evaluate(
            "([e, l]) => { startLms(e, null, 'about:blank'); window.open(l, 'sco'); }",
            [edition, launch],
        )
    popup = opened.value
    popup.wait_for_function("() => window.CourseSco !== undefined")
    assert popup.evaluate("() => CourseSco.lms.live")
    popup.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    status = (
        "lmsApi.cmi.completion_status" if edition == "2004" else "lmsApi.cmi.core.lesson_status"
    )
    page.wait_for_function(f"() => {status} === 'completed'")
    popup.close(run_before_unload=True)
    page.wait_for_function("() => lmsApi.isTerminated()")
    assert not [e for e in page.evaluate("() => window.lmsLog") if e["error"] != "0"]
    assert not watch.errors, watch.errors
    page.close()


@pytest.fixture(scope="module")
def pools_site(tmp_path_factory):
    """Both packages of a course with a stratified quiz, unpacked under a test LMS page."""
    root = tmp_path_factory.mktemp("www-pools")
    (root / "lms.html").write_bytes((HERE / "lms.html").read_bytes())
    os.symlink(HERE / "node_modules", root / "node_modules")
    content = stratified_course(FIXTURE, tmp_path_factory.mktemp("pools"))
    out = tmp_path_factory.mktemp("dist-pools")
    result = run_cli("build", str(content), "-o", str(out), "-t", "scorm12", "-t", "scorm2004")
    assert result.exit_code == 0, result.output
    for edition, name in (("1.2", "scorm12"), ("2004", "scorm2004")):
        with zipfile.ZipFile(out / f"proben-kurs-0.1.0-{name}.zip") as zf:
            zf.extractall(root / f"item{edition}")
    server = Server(root)
    yield server
    server.close()


# which pool each shown question of the current attempt is from
DRAWN = """() => {
  const quiz = CourseQuizzes[0];
  const o = quiz.state().o;
  return quiz.data.pools.map(p => p.questions.filter(i => o.indexOf(i) >= 0));
}"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_stratified_quiz_draws_per_pool_resumes_and_scores(browser, pools_site, edition):
    href = f"{STRATIFIED_QUIZ}.html"
    first = Launch(browser, pools_site, edition, href)
    drawn = first.frame.evaluate(DRAWN)
    assert [len(d) for d in drawn] == list(POOLS.values())
    first.frame.evaluate(DRIVER, "some")
    first.unload()
    saved = first.cmi()["cmi"]["suspend_data"]
    first.check_clean(pools_site)
    first.close()
    # the next launch resumes the same drawn questions
    preload = (
        {"cmi": {"suspend_data": saved, "entry": "resume"}}
        if edition == "2004"
        else {"cmi": {"suspend_data": saved, "core": {"entry": "resume"}}}
    )
    second = Launch(browser, pools_site, edition, href, preload=preload)
    assert second.frame.evaluate(DRAWN) == drawn
    answered = second.frame.evaluate(DRIVER, "right")
    assert len(answered) == 3
    second.frame.click("[data-action=submit]")
    status = "lmsApi.cmi.success_status" if edition == "2004" else "lmsApi.cmi.core.lesson_status"
    second.page.wait_for_function(f"() => {status} === 'passed'")
    result = second.frame.evaluate("() => CourseQuizzes[0].result()")
    assert (result["score"], result["max"]) == (POOLS_MAX, POOLS_MAX)
    second.unload()
    cmi = second.cmi()["cmi"]
    score = cmi["score"] if edition == "2004" else cmi["core"]["score"]
    assert score["raw"] == "100"
    records = [v for k, v in cmi["interactions"].items() if k.isdigit()]
    assert len(records) == 3 and all(r["result"] == "correct" for r in records)
    assert sorted(float(r["weighting"]) for r in records) == [1, 1, 2]
    second.check_clean(pools_site)
    second.close()
