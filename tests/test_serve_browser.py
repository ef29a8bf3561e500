"""``packager serve`` in headless Chromium: a saved lesson shows in the open page within 2 s
without a manual reload; an error shows over the page (as text) and goes when fixed; a quiz
works in the preview as in the site."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from packager.serve import Serve

from .browser_support import Watch, needs_browser
from .conftest import FIXTURE

pytestmark = needs_browser
LESSON = "01-основи/01-стратегия.md"
QUIZ_PAGE = "01-основи/03-тест.html"


@pytest.fixture
def served(tmp_path: Path):
    """A copy of the fixture course, served and watched: (course folder, Serve)."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURE, course)
    serve = Serve(course, 0, lambda line, err: None)
    serve.start()
    loop = threading.Thread(target=serve.loop, daemon=True)
    loop.start()
    yield course, serve
    serve.close()
    loop.join(5)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_saved_lesson_shows_by_itself_and_errors_come_and_go(browser, served):
    course, serve = served
    page = browser.new_page()
    watch = Watch(page)
    page.goto(serve.url + "01-основи/01-стратегия.html")
    page.evaluate("() => { window.notReloaded = true; }")  # gone when the page reloads
    assert "Стратегията свързва" in page.text_content("main")

    # a change: the page shows it within 2 s, reloaded by itself
    started = time.monotonic()
    _replace(course / LESSON, "Стратегията свързва", "Живият преглед свързва")
    page.wait_for_function(
        "() => document.querySelector('main').textContent.includes('Живият преглед')",
        timeout=2000,
    )
    assert time.monotonic() - started < 2
    assert page.evaluate("() => window.notReloaded") is None

    # an error: shown over the page, as text (never as markup)
    _replace(course / LESSON, "minutes: 20", "minutes: <b>двадесет</b>")
    overlay = page.wait_for_selector("#packager-errors", timeout=2000)
    text = overlay.text_content()
    assert "The course has errors" in text
    assert f"{LESSON}:3:" in text and ": error: " in text and "<b>двадесет</b>" in text
    assert page.query_selector("#packager-errors b") is None
    assert overlay.get_attribute("role") == "alert"

    # fixed: the overlay goes, the page shows the fix
    _replace(course / LESSON, "minutes: <b>двадесет</b>", "minutes: 25")
    page.wait_for_selector("#packager-errors", state="detached", timeout=2000)
    page.wait_for_function(
        "() => document.querySelector('main').textContent.includes('25')", timeout=2000
    )
    assert not watch.errors, watch.errors
    page.close()


def test_a_page_opened_while_the_course_has_errors_shows_them(browser, served):
    course, serve = served
    _replace(course / LESSON, "](images/цикъл.png)", "](images/няма.png)")
    deadline = time.monotonic() + 5
    while not serve.server.live.errors and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.02)
    page = browser.new_page()
    page.goto(serve.url)
    overlay = page.wait_for_selector("#packager-errors", timeout=2000)
    assert 'image "images/няма.png"' in overlay.text_content()
    page.click("#packager-errors button")  # it can be closed
    assert page.query_selector("#packager-errors") is None
    page.close()


def test_a_quiz_works_in_the_preview(browser, served):
    _, serve = served
    page = browser.new_page()
    watch = Watch(page)
    page.goto(serve.url + QUIZ_PAGE)
    first = page.query_selector("section.question")
    assert first is not None
    first.query_selector("label:has-text('Стратегията') input").check()
    first.query_selector("[data-action=check]").click()
    feedback = first.query_selector(".feedback")
    assert feedback is not None and feedback.text_content().startswith("Вярно!")
    assert not watch.errors, watch.errors
    # the very files of the site: only the script tag is added, and only in the response
    served_html = page.evaluate("() => document.documentElement.outerHTML")
    assert 'id="packager-live"' in served_html
    assert b"__packager__" not in (serve.folder / QUIZ_PAGE).read_bytes()  # type: ignore[operator]
    page.close()
