"""Every SCO of both SCORM packages played like a learner in headless Chromium, inside a test LMS
page whose API is the scorm-again runtime; and axe-core on every SCO page."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from .browser_support import (
    EDGE_QUIZ,
    POOLS,
    POOLS_MAX,
    STRATIFIED_QUIZ,
    Server,
    Watch,
    axe_violations,
    edge_course,
    needs_browser,
    scorm_site,
    stratified_course,
    typed_answers,
)
from .conftest import FIXTURE, load_course

pytestmark = needs_browser
DRIVER = (Path(__file__).parent / "quiz_driver.js").read_text("utf-8")
EDITIONS = ("1.2", "2004")
KEYS = typed_answers(load_course(FIXTURE)[0])


def answer(frame, mode: str) -> list[str]:
    """Answers the quiz(zes) in the frame: "right", "wrong" or "some"."""
    return frame.evaluate(DRIVER, {"mode": mode, "keys": KEYS})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A web root with the test LMS page, the npm packages and both packages unpacked."""
    server = scorm_site(tmp_path_factory, FIXTURE)
    yield server
    server.close()


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
        element = "cmi.completion_status" if edition == "2004" else "cmi.core.lesson_status"
        sets = [e["args"] for e in launch.log() if e["call"] in ("SetValue", "LMSSetValue")]
        first = next(value for name, value in sets if name == element)
        assert first == "incomplete", href  # at launch; a short page is soon read to its end
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
            assert cmi["session_time"].startswith("PT") and cmi["exit"] == "suspend"
        launch.check_clean(site)
        launch.close()


def _quiz_href(site: Server, edition: str) -> str:
    return next(h for h in scos(site, edition) if "тест" in h)


@pytest.mark.parametrize("edition", EDITIONS)
def test_quiz_answered_right_passes_with_full_score(browser, site, edition):
    course, _ = load_course(FIXTURE)
    launch = Launch(browser, site, edition, _quiz_href(site, edition))
    assert launch.status() in ("incomplete", "incomplete/unknown")  # never passed before answering
    answered = answer(launch.frame, "right")
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
    answer(launch.frame, "wrong")
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
    answered = answer(first.frame, "some")
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
    """The section being read is kept (cmi.location, and in suspend_data, which is what the
    runtime reads back: cmi.location is never read, so a lesson left unscrolled is no 403)."""
    href = scos(site, edition)[0]
    first = Launch(browser, site, edition, href)
    first.frame.evaluate("() => document.getElementById('защо-стратегия').scrollIntoView()")
    location = "cmi.location" if edition == "2004" else "cmi.core.lesson_location"
    first.page.wait_for_function(f"() => lmsApi.{location} === 'защо-стратегия'")
    first.unload()
    saved = first.cmi()["cmi"]["suspend_data"]
    first.close()
    preload = (
        {"cmi": {"entry": "resume", "location": "защо-стратегия", "suspend_data": saved}}
        if edition == "2004"
        else {
            "cmi": {
                "suspend_data": saved,
                "core": {"entry": "resume", "lesson_location": "защо-стратегия"},
            }
        }
    )
    second = Launch(browser, site, edition, href, preload=preload)
    top = second.frame.evaluate(
        "() => document.getElementById('защо-стратегия').getBoundingClientRect().top"
    )
    assert abs(top) < 50
    second.unload()
    second.check_clean(site)
    second.close()


def relaunch(cmi: dict, edition: str, mode: str = "normal", entry: str = "") -> dict:
    """What an LMS hands a SCO on its next launch, from what the last one left: its
    suspend_data, statuses and score; ``entry`` "" after a finished attempt (exit normal)."""
    if edition == "2004":
        keep = ("suspend_data", "completion_status", "success_status", "location")
        out = {k: cmi[k] for k in keep if cmi.get(k)}
        score = {k: v for k, v in cmi["score"].items() if v not in ("", None)}
        return {"cmi": {**out, "score": score, "mode": mode, "entry": entry}}
    core = cmi["core"]
    keep = ("lesson_status", "lesson_location")
    out = {k: core[k] for k in keep if core.get(k)}
    score = {k: v for k, v in core["score"].items() if v not in ("", None)}
    return {
        "cmi": {
            "suspend_data": cmi["suspend_data"],
            "core": {**out, "score": score, "lesson_mode": mode, "entry": entry},
        }
    }


WRITES_STATE = (
    "cmi.core.lesson_status", "cmi.core.score", "cmi.completion_status", "cmi.success_status",
    "cmi.score", "cmi.interactions", "cmi.suspend_data", "cmi.core.exit", "cmi.exit",
    "cmi.core.session_time", "cmi.session_time",
)  # fmt: skip


@pytest.mark.parametrize("entry", ["", "resume"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_review_shows_the_last_attempt_and_changes_nothing(browser, site, edition, entry):
    """After a finished attempt an LMS launches the SCO with mode=review and entry "" (or
    "resume"): the learner's answers, the feedback and the score are there, every control is
    locked, and nothing that holds status or score is written."""
    first = Launch(browser, site, edition, _quiz_href(site, edition))
    answer(first.frame, "wrong")
    first.frame.click("[data-action=submit]")
    first.page.wait_for_function(
        "e => (e === '2004' ? lmsApi.cmi.success_status : lmsApi.cmi.core.lesson_status)"
        " === 'failed'",
        arg=edition,
    )
    checked = first.frame.evaluate("() => document.querySelectorAll('input:checked').length")
    shown = first.frame.text_content(".result")
    first.unload()
    cmi = first.cmi()["cmi"]
    first.close()
    review = Launch(
        browser, site, edition, _quiz_href(site, edition), relaunch(cmi, edition, "review", entry)
    )
    frame = review.frame
    assert frame.evaluate("() => document.querySelectorAll('input:checked').length") == checked
    result = frame.text_content(".result")
    assert "Преглед на предишния опит." in result
    assert shown.split("Резултат")[1][:40] in result  # the same score line
    assert "Нов опит" not in result  # no retry in review
    feedback = frame.evaluate(
        "() => Array.from(document.querySelectorAll('.feedback'), f => f.textContent).join()"
    )
    assert "Бюджетът е средство, а не цел." in feedback  # the chosen answer's feedback
    assert "Верен отговор" not in feedback  # 1 of 2 attempts used: right answers wait
    assert frame.evaluate(
        "() => Array.from(document.querySelectorAll('form input, form select, form textarea,"
        " form button')).every(i => i.disabled || i.hidden)"
    )
    review.unload()
    sets = [e["args"][0] for e in review.log() if e["call"] in ("SetValue", "LMSSetValue")]
    assert not [s for s in sets if s.startswith(WRITES_STATE)], sets
    review.check_clean(site)
    review.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_attempts_hold_across_launches(browser, site, edition):
    """attempts: 2. A failed attempt in one launch, a passing one in the next (the quiz shows
    the first with a retry button), and then none left in a third launch; the LMS keeps
    the best. The right answers are not shown while an attempt is left."""
    href = _quiz_href(site, edition)
    status = "lmsApi.cmi.success_status" if edition == "2004" else "lmsApi.cmi.core.lesson_status"
    first = Launch(browser, site, edition, href)
    answer(first.frame, "wrong")
    first.frame.click("[data-action=submit]")
    first.page.wait_for_function(f"() => {status} === 'failed'")
    assert "Верен отговор" not in first.frame.text_content("form")
    assert first.frame.is_visible("[data-action=retry]")
    first.unload()
    first.check_clean(site)
    cmi = first.cmi()["cmi"]
    first.close()

    second = Launch(browser, site, edition, href, relaunch(cmi, edition))
    assert second.frame.evaluate("() => CourseQuizzes[0].state().a") == 1
    assert second.frame.evaluate("() => CourseQuizzes[0].state().s")  # attempt 1, submitted
    second.frame.click("[data-action=retry]")
    answer(second.frame, "right")
    second.frame.click("[data-action=submit]")
    second.page.wait_for_function(f"() => {status} === 'passed'")
    assert "Използвали сте всички опити (2)." in second.frame.text_content(".result")
    assert not second.frame.is_visible("[data-action=retry]")
    second.unload()
    second.check_clean(site)
    cmi = second.cmi()["cmi"]
    second.close()
    score = cmi["score"] if edition == "2004" else cmi["core"]["score"]
    assert score["raw"] == "100"

    third = Launch(browser, site, edition, href, relaunch(cmi, edition))
    assert third.frame.evaluate("() => CourseQuizzes[0].state().a") == 2
    assert not third.frame.is_visible("[data-action=retry]")
    assert third.frame.is_disabled("[data-action=submit]")
    third.unload()
    third.check_clean(site)
    sets = [e["args"][0] for e in third.log() if e["call"] in ("SetValue", "LMSSetValue")]
    assert not [
        s for s in sets if s.startswith(("cmi.interactions", "cmi.score", "cmi.core.score"))
    ]
    third.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_commits_on_submit_and_leaving_only(browser, site, edition):
    """Answering every question of a quiz and submitting it (within 30 s of the launch)
    commits on submit and on leaving only: not at launch, not on every change of an answer."""
    status = "cmi.success_status" if edition == "2004" else "cmi.core.lesson_status"
    launch = Launch(browser, site, edition, _quiz_href(site, edition))
    answer(launch.frame, "right")
    launch.frame.click("[data-action=submit]")
    launch.unload()
    commits = [e for e in launch.log() if e["call"] in ("Commit", "LMSCommit")]
    assert len(commits) == 2, len(commits)
    calls = [e["call"] for e in launch.log()]
    submitted = max(i for i, e in enumerate(launch.log()) if e["args"][:1] == [status])
    assert calls.index(commits[0]["call"]) > submitted  # the first commit carries the result
    launch.check_clean(site)
    launch.close()


@pytest.mark.parametrize(
    ("edition", "per", "script"),
    [("1.2", "item", "quiz.js"), ("2004", "module", "quiz.js"), ("2004", "item", "kinds.js")],
)
def test_a_sco_whose_quiz_player_failed_never_completes(browser, site, edition, per, script):
    """The quiz player (quiz.js, or the kinds it needs) does not load: the quiz SCO stays
    incomplete (and so does a module's SCO with its lessons read), left to be resumed."""
    href = next(h for h in scos(site, edition, per) if "тест" in h or per == "module")
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.route(f"**/{script}", lambda route: route.abort())
    page.goto(f"{site.url}/lms.html")
    launch = f"/{per}{edition}/{quote(href)}"
    page.evaluate("([e, l]) => startLms(e, null, l)", [edition, launch])
    page.wait_for_function(
        "() => { const w = document.getElementById('sco').contentWindow;"
        " return w && w.CourseSco !== undefined; }"
    )
    frame = next(f for f in page.frames if f.url.endswith(launch))
    assert frame.evaluate("() => CourseSco.broken")
    for _ in range(frame.evaluate("() => document.querySelectorAll('.sco-item').length")):
        frame.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(400)
        if frame.is_visible("[data-go=next]") and frame.is_enabled("[data-go=next]"):
            frame.click("[data-go=next]")
    page.evaluate("() => lmsUnload()")
    page.wait_for_function("() => lmsApi.isTerminated()")
    cmi = page.evaluate("() => lmsApi.renderCMIToJSONObject()")["cmi"]
    if edition == "2004":
        assert (cmi["completion_status"], cmi["exit"]) == ("incomplete", "suspend")
    else:
        assert (cmi["core"]["lesson_status"], cmi["core"]["exit"]) == ("incomplete", "suspend")
    page.close()


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
    browse = Launch(
        browser, site, "2004", _quiz_href(site, "2004"), preload={"cmi": {"mode": "browse"}}
    )
    answer(browse.frame, "right")
    browse.frame.click("[data-action=submit]")
    browse.unload()
    assert browse.status() == "unknown/unknown"  # browsing records nothing
    browse.check_clean(site)
    browse.close()
    nocredit = Launch(
        browser, site, "2004", _quiz_href(site, "2004"), preload={"cmi": {"credit": "no-credit"}}
    )
    answer(nocredit.frame, "right")
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
                answer(launch.frame, "right")
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
    answer(page, "right")
    page.click("[data-action=submit]")
    assert "100" in page.text_content(".result")
    assert not watch.errors, watch.errors
    page.close()


def test_interaction_record_format(browser, site):
    """SCORM 1.2 choice responses are single letters; 2004 matching pairs use [.] and [,]."""
    launch = Launch(browser, site, "2004", _quiz_href(site, "2004"))
    answer(launch.frame, "right")
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


def _item_scos(tmp_path_factory, label: str, content: Path) -> Server:
    """Both SCORM editions of ``content``, one SCO per item, under a test LMS page."""
    return scorm_site(tmp_path_factory, content, label, pers=("item",))


@pytest.fixture(scope="module")
def pools_site(tmp_path_factory):
    """Both packages of a course with a stratified quiz, unpacked under a test LMS page."""
    content = stratified_course(FIXTURE, tmp_path_factory.mktemp("pools"))
    server = _item_scos(tmp_path_factory, "pools", content)
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
    answer(first.frame, "some")
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
    answered = answer(second.frame, "right")
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


@pytest.fixture(scope="module")
def edge_site(tmp_path_factory):
    """Both packages of a course with the quiz of browser_support.edge_course."""
    content = edge_course(FIXTURE, tmp_path_factory.mktemp("edge"))
    server = _item_scos(tmp_path_factory, "edge", content)
    server.keys = typed_answers(load_course(content)[0])  # type: ignore[attr-defined]
    yield server
    server.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_interaction_patterns_follow_the_data_model(browser, edge_site, edition):
    """A numeric range written exactly (0.39[:]0.41, not 0.41000000000000003); no pattern for
    a short answer with a wildcard (it is no literal answer); case that matters says so."""
    launch = Launch(browser, edge_site, edition, f"{EDGE_QUIZ}.html")
    launch.frame.evaluate(DRIVER, {"mode": "right", "keys": edge_site.keys})
    launch.frame.click("[data-action=submit]")
    status = "lmsApi.cmi.success_status" if edition == "2004" else "lmsApi.cmi.core.lesson_status"
    launch.page.wait_for_function(f"() => {status} === 'passed'")
    launch.unload()
    interactions = launch.cmi()["cmi"]["interactions"]
    records = [interactions[k] for k in sorted(k for k in interactions if k.isdigit())]
    patterns = [r.get("correct_responses", {}).get("0", {}).get("pattern") for r in records]
    if edition == "2004":
        assert patterns == ["0.39[:]0.41", None, "{case_matters=true}ISBN"]
        assert records[0]["learner_response"] == "0.4"
    else:
        assert patterns == ["0.4", None, "ISBN"]
    assert [r["result"] for r in records] == ["correct"] * 3
    launch.check_clean(edge_site)
    launch.close()
