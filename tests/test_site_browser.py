"""The static site in headless Chromium, opened from file:// as an offline reader would:
axe-core on every page, and every question type answered with the keyboard only."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser_support import (
    POOLS,
    POOLS_MAX,
    STRATIFIED_QUIZ,
    Watch,
    axe_violations,
    needs_browser,
    stratified_course,
    typed_answers,
)
from .conftest import FIXTURE, load_course, run_cli

pytestmark = needs_browser
DRIVER = (Path(__file__).parent / "quiz_driver.js").read_text("utf-8")
# The right choice of every question of the first quiz, found by asking its grader about each
# option (the page holds no key): an option, options, true/false, the option for each matching
# item, the items in order, the option of each drop-down blank (null for a typed one).
RIGHT_VALUES = """() => {
  const quiz = CourseQuizzes[0];
  const worth = (i, r) => quiz.grade(i, r).fraction || 0;
  const range = (n) => Array.from({ length: n }, (_, k) => k);
  const only = (n, at, v) => range(n).map((k) => (k === at ? v : null));
  return quiz.data.questions.map((q, i) => {
    switch (q.kind) {
      case "single": return range(q.options.length).find((k) => worth(i, k) >= 1);
      case "multiple": return range(q.options.length).filter((k) => worth(i, [k]) > 0);
      case "truefalse": return worth(i, true) >= 1;
      case "matching": return q.prompts.map((_, p) =>
        range(q.options.length).find((v) => worth(i, only(q.prompts.length, p, v)) > 0));
      case "ordering": { const n = q.items.length;
        return range(n).map((p) => range(n).find((it) => worth(i, only(n, p, it)) > 0)); }
      case "cloze": return q.gaps.map((g, n) => {
        if (g.kind !== "dropdown") return null;
        const w = range(g.texts.length).map((v) => worth(i, only(q.gaps.length, n, v)));
        return w.indexOf(Math.max(...w)); });
      default: return null;
    }
  });
}"""


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = run_cli("build", str(FIXTURE), "-o", str(out), "-t", "site")
    assert result.exit_code == 0, result.output
    return out / "site"


def test_every_page_passes_axe_from_file_urls(browser, site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) == 12  # home, 3 module pages, 8 items (trainers' pages among them)
    for path in pages:
        for width in (1200, 380):  # desktop and phone
            page = browser.new_page(viewport={"width": width, "height": 800})
            watch = Watch(page)
            page.goto(path.as_uri())
            assert not watch.errors, watch.errors
            # (axe itself then tries to fetch the stylesheets, which file:// does not allow)
            assert axe_violations(page) == [], (path, width)
            page.close()


def test_axe_does_report_violations(browser, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><img src="x.png"><a href="#"></a></body></html>', "utf-8")
    page = browser.new_page()
    page.goto(bad.as_uri())
    found = axe_violations(page)
    page.close()
    assert any(v.startswith("image-alt") for v in found)


def test_navigation_works_from_file(browser, site_dir):
    page = browser.new_page()
    page.goto((site_dir / "index.html").as_uri())
    page.click("a[rel=next]")
    assert page.title().startswith("Стратегия на библиотеката")
    page.click("a[rel=next]")
    assert page.title().startswith("Решения, основани на данни")
    assert page.evaluate("() => document.querySelector('img').naturalWidth") == 1600
    page.close()


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_every_question_type_with_the_keyboard_only(browser, site_dir):
    page = browser.new_page()
    watch = Watch(page)
    page.goto((site_dir / "01-основи" / "03-тест.html").as_uri())
    data = page.evaluate("() => CourseQuizzes[0].data")
    questions = data["questions"]
    rights = page.evaluate(RIGHT_VALUES)  # the page holds no key: asked of its grader
    typed = typed_answers(load_course(FIXTURE)[0])
    sections = page.evaluate(
        "() => Array.from(document.querySelectorAll('section.question')).map(s => s.id)"
    )
    for index, q in enumerate(questions):
        sid = f"#{sections[index]}"
        kind = q["kind"]
        right = rights[index]
        if kind in ("single", "truefalse"):
            right = str(right).lower()
            _tab_to(page, f"{sid} input[type=radio]")
            # arrow keys move through the radio group and select
            for _ in range(6):
                value = page.evaluate("() => document.activeElement.value")
                if value == str(right):
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        elif kind == "multiple":
            for i in right:
                _tab_to(page, f'{sid} input[value="{i}"]')
                page.keyboard.press("Space")
        elif kind in ("short", "numerical"):
            _tab_to(page, f"{sid} input[type=text]")
            page.keyboard.type(typed[q["id"]][0])
        elif kind == "matching":
            for i, correct in enumerate(right):
                _tab_to(page, f'{sid} select[name$="-{i}"]')
                for _ in range(len(q["options"]) + 1):
                    if page.evaluate("() => document.activeElement.value") == str(correct):
                        break
                    page.keyboard.press("ArrowDown")
        elif kind == "ordering":
            for pos, item in enumerate(right):
                # move the item for `pos` up with its own "up" button until it sits at `pos`
                while True:
                    where = page.evaluate(
                        f"() => Array.from(document.querySelectorAll('{sid} .order-list li'))"
                        f".findIndex(li => li.dataset.item === '{item}')"
                    )
                    if where == pos:
                        break
                    _tab_to(page, f'{sid} li[data-item="{item}"] [data-action=up]')
                    page.keyboard.press("Enter")
        elif kind == "cloze":
            for i, gap in enumerate(q["gaps"]):
                _tab_to(page, f'{sid} [name$="-g{i}"]')
                if gap["kind"] == "dropdown":
                    for _ in range(len(gap["texts"]) + 1):
                        if page.evaluate("() => document.activeElement.value") == str(right[i]):
                            break
                        page.keyboard.press("ArrowDown")
                else:
                    page.keyboard.type(typed[q["id"]][i])
        elif kind == "essay":
            _tab_to(page, f"{sid} textarea")
            page.keyboard.type("Отговор с клавиатурата.")
        else:
            continue
        if kind != "essay":
            # check the answer with the keyboard; the feedback is announced in a live region
            _tab_to(page, f"{sid} [data-action=check]")
            page.keyboard.press("Enter")
            feedback = page.text_content(f"{sid} .feedback")
            assert feedback.startswith("Вярно!"), (q["id"], feedback)
            assert page.get_attribute(f"{sid} .feedback", "aria-live") == "polite"
    _tab_to(page, "[data-action=submit]")
    page.keyboard.press("Enter")
    result = page.text_content(".result")
    assert "100%" in result and "Успешно" in result
    assert page.evaluate("() => document.activeElement.classList.contains('result')")
    assert not watch.errors, watch.errors
    page.close()


def test_wrong_answers_explain_themselves(browser, site_dir):
    page = browser.new_page()
    page.goto((site_dir / "01-основи" / "03-тест.html").as_uri())
    page.evaluate(DRIVER, "wrong")
    page.click("[data-action=submit]")
    assert "Верен отговор" not in page.text_content("form")  # 1 of 2 attempts: not yet
    page.click("[data-action=retry]")
    page.evaluate(DRIVER, "wrong")
    page.click("[data-action=submit]")
    text = page.text_content("form")
    assert "Не е преминат" in text
    assert "Верен отговор: Стратегията" in text  # shown after the last attempt
    assert "Бюджетът е средство, а не цел." in text  # feedback of the chosen answer
    page.close()


def test_focus_is_visible(browser, site_dir):
    page = browser.new_page()
    page.goto((site_dir / "index.html").as_uri())
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert outline != "none"
    page.close()


# which pool each shown question of the current attempt is from
DRAWN = """() => {
  const quiz = CourseQuizzes[0];
  const o = quiz.state().o;
  return quiz.data.pools.map(p => p.questions.filter(i => o.indexOf(i) >= 0));
}"""


def test_stratified_quiz_draws_per_pool_and_scores_out_of_the_sum(browser, tmp_path):
    content = stratified_course(FIXTURE, tmp_path)
    result = run_cli("build", str(content), "-o", str(tmp_path / "out"), "-t", "site")
    assert result.exit_code == 0, result.output
    page = browser.new_page()
    watch = Watch(page)
    page.goto((tmp_path / "out" / "site" / f"{STRATIFIED_QUIZ}.html").as_uri())
    assert "Въпроси: 3" in page.text_content(".quiz-info")
    pools = page.evaluate("() => CourseQuizzes[0].data.pools")
    assert [(p["tag"], p["count"], len(p["questions"])) for p in pools] == [
        ("първа", 2, 4),
        ("втора", 1, 3),
    ]
    seen = set()
    for attempt in range(8):
        drawn = page.evaluate(DRAWN)
        assert [len(d) for d in drawn] == list(POOLS.values()), drawn
        seen.add(tuple(i for d in drawn for i in d))
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('section.question:not([hidden])'))"
            ".map(s => s.dataset.kind)"
        )
        assert sorted(shown) == ["description", "single", "single", "single"]
        numbers = page.evaluate(
            "() => Array.from(document.querySelectorAll('section.question:not([hidden]) .qnum'))"
            ".map(n => n.textContent)"
        )
        assert numbers == ["1", "2", "3"]
        answered = page.evaluate(DRIVER, "right" if attempt % 2 == 0 else "wrong")
        assert len(answered) == 3
        page.click("[data-action=submit]")
        expected = POOLS_MAX if attempt % 2 == 0 else 0
        percent = 100 if expected else 0
        score = f"Резултат: {expected} от {POOLS_MAX} точки ({percent}%)."
        assert score in page.text_content(".result")
        result = page.evaluate("() => CourseQuizzes[0].result()")
        assert (result["max"], len(result["questions"])) == (POOLS_MAX, 3)
        page.click("[data-action=retry]")
    assert len(seen) > 1  # a new draw each attempt (8 alike: a chance of 1 in 18^7)
    assert not watch.errors, watch.errors
    page.close()


def test_checklist_print_button(browser, site_dir):
    """The button shows once scripts run and prints the title, grading and checklist only."""
    page = browser.new_page()
    watch = Watch(page)
    page.goto((site_dir / "02-услуги" / "02-задание.html").as_uri())
    assert page.is_visible("button[data-print]")
    page.evaluate(
        """() => { window.printed = []; window.print = () => {
             const shown = el => getComputedStyle(el).display !== 'none';
             window.printed.push({
               instructions: shown(document.querySelector('article > p:not(.meta)')),
               handIn: shown(document.querySelector('.task-hand-in')),
               grading: shown(document.querySelector('.task-grading')),
               table: shown(document.querySelector('.checklist-table')),
               title: shown(document.querySelector('h1')),
             }); }; }"""
    )
    page.emulate_media(media="print")  # (which hides the button itself: click it from a script)
    page.evaluate("() => document.querySelector('button[data-print]').click()")
    assert page.evaluate("() => window.printed") == [
        {"instructions": False, "handIn": False, "grading": True, "table": True, "title": True}
    ]
    assert not page.evaluate("() => document.body.classList.contains('printing-checklist')")
    # printing from the browser itself keeps the whole page
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('.task-hand-in')).display !== 'none'"
    )
    assert not watch.errors, watch.errors
    page.close()
