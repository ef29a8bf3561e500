"""The quiz's policy in the static site, in Chromium: the attempts used are kept in the
browser, so the limit holds when the page is opened again, and the right answers show only as
show_answers allows (after_last_attempt by default; always, after_pass, never)."""

from __future__ import annotations

import shutil

import pytest

from .browser_support import Server, Watch, needs_browser, typed_answers
from .conftest import FIXTURE, load_course, run_cli

pytestmark = needs_browser
QUIZ = "01-основи/03-тест"  # attempts: 2, pass_percentage: 60
RIGHT = "Верен отговор: Стратегията"
DRIVER = (FIXTURE.parent.parent / "quiz_driver.js").read_text("utf-8")
KEYS = typed_answers(load_course(FIXTURE)[0])


def site_with(tmp_path, show_answers: str | None) -> Server:
    """The site of the fixture course, its quiz set to ``show_answers`` (None: the default)."""
    course = tmp_path / "content"
    shutil.copytree(FIXTURE, course)
    if show_answers:
        quiz = course / f"{QUIZ}.md"
        text = quiz.read_text("utf-8")
        text = text.replace("attempts: 2\n", f"attempts: 2\nshow_answers: {show_answers}\n")
        quiz.write_text(text, "utf-8")
    result = run_cli("build", str(course), "-o", str(tmp_path / "out"), "-t", "site")
    assert result.exit_code == 0, result.output
    return Server(tmp_path / "out" / "site")


def attempt(page, mode: str) -> str:
    page.evaluate(DRIVER, {"mode": mode, "keys": KEYS})
    page.click("[data-action=submit]")
    return page.text_content("form")


def test_attempts_are_kept_when_the_page_is_opened_again(browser, tmp_path):
    server = site_with(tmp_path, None)
    page = browser.new_page()
    watch = Watch(page)
    url = f"{server.url}/{QUIZ}.html"
    page.goto(url)
    text = attempt(page, "wrong")
    assert "Не е преминат" in text and RIGHT not in text  # an attempt is left: no answers
    page.reload()
    assert page.evaluate("() => CourseQuizzes[0].state().a") == 1
    assert "Не е преминат" in page.text_content(".result")  # the attempt is shown again
    page.click("[data-action=retry]")
    text = attempt(page, "wrong")
    assert RIGHT in text  # the last attempt: now the right answers
    assert "Използвали сте всички опити (2)." in text
    page.reload()
    assert page.evaluate("() => CourseQuizzes[0].state().a") == 2
    assert not page.is_visible("[data-action=retry]")
    assert page.is_disabled("[data-action=submit]")
    # the site's pages name no icon: a browser's request for /favicon.ico is no error of ours
    assert set(server.not_found) <= {"/favicon.ico"}, server.not_found
    assert not [e for e in watch.errors if "404" not in e], watch.errors
    page.close()
    server.close()


# show_answers → right answers shown after (a failed first attempt, a failed last attempt)
POLICIES = {
    "always": (True, True),
    "after_pass": (False, False),
    "never": (False, False),
    "след-последния-опит": (False, True),  # the Bulgarian word for after_last_attempt
}


@pytest.mark.parametrize("policy", list(POLICIES))
def test_show_answers(browser, tmp_path, policy):
    server = site_with(tmp_path, policy)
    page = browser.new_page()
    page.goto(f"{server.url}/{QUIZ}.html")
    first, last = POLICIES[policy]
    assert (RIGHT in attempt(page, "wrong")) is first
    page.click("[data-action=retry]")
    assert (RIGHT in attempt(page, "wrong")) is last
    page.close()
    server.close()
