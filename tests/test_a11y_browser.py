"""Learner pages on small and large screens, in headless Chromium: axe-core (every WCAG 2.0, 2.1
and 2.2 A/AA rule axe has) and horizontal overflow at 320, 380 and 1280 px on every page of the
site and every SCO page of both SCORM editions (a quiz also after it is submitted); scrollable
tables reachable by keyboard; the navigation toggle; result states; ordering moves announced.

The course is the fixture with one more lesson: a wide table, a long link and a code line, the
things that make a phone scroll sideways."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from packager.targets.html.pages import table_regions

from .browser_support import (
    Server,
    Watch,
    axe_violations,
    needs_browser,
    scorm_site,
    typed_answers,
)
from .conftest import FIXTURE, load_course, run_cli

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (320, 380, 1280)
EDITIONS = ("1.2", "2004")
DRIVER = (Path(__file__).parent / "quiz_driver.js").read_text("utf-8")
WIDE_LESSON = "01-основи/05-широка-таблица"
QUIZ = "01-основи/03-тест"

# The page's horizontal overflow, or null; names the element that sticks out furthest.
OVERFLOW = """() => {
  const d = document.documentElement;
  if (d.scrollWidth <= window.innerWidth) return null;
  let worst = null;
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right;
    if (right > window.innerWidth && (!worst || right > worst.right)) {
      worst = {right: right, el: el.tagName.toLowerCase() + "." + el.className};
    }
  }
  return {scrollWidth: d.scrollWidth, innerWidth: window.innerWidth, worst: worst};
}"""


@functools.cache
def _keys() -> dict:
    return typed_answers(load_course(FIXTURE)[0])


def answer(frame, mode: str) -> None:
    """Answers the quiz in the frame (quiz_driver.js): "right", "wrong" or "some"."""
    frame.evaluate(DRIVER, {"mode": mode, "keys": _keys()})


def wide_course(root: Path) -> Path:
    """The fixture course with a lesson whose table, link and code are wider than a phone."""
    course = root / "content"
    shutil.copytree(FIXTURE, course)
    head = "| " + " | ".join(f"Показател {n}" for n in range(1, 9)) + " |\n"
    rule = "|" + "---|" * 8 + "\n"
    row = "| " + " | ".join(f"стойност-{n}-без-интервали" for n in range(1, 9)) + " |\n"
    text = (
        "---\ntitle: Широка таблица\nminutes: 5\n---\n"
        "## Показатели на библиотеката\n\n" + head + rule + row * 3 + "\n"
        "## Същата таблица още веднъж\n\n" + head + rule + row + "\n"
        "Връзка: <https://example.org/много-дълъг-адрес-без-никакви-интервали-който-не-се-пренася"
        "-от-само-себе-си/и-продължава-още/и-още>\n\n"
        "```\nкод_на_един_ред_без_интервали_който_е_по-широк_от_телефона_при_320_пиксела()\n```\n"
    )
    (course / f"{WIDE_LESSON}.md").write_text(text, encoding="utf-8")
    module = course / "01-основи" / "module.md"
    listed = "  - 04-бележки.md\n"
    module.write_text(
        module.read_text("utf-8").replace(listed, f"{listed}  - {WIDE_LESSON.split('/')[1]}.md\n"),
        "utf-8",
    )
    return course


# ---------------------------------------------------------------------------------------------
# without a browser: the table regions the page layer writes


def test_tables_become_labelled_keyboard_regions():
    label = table_regions("Таблица")
    html = label(
        "<h2>Данни</h2><table><tr><td>1</td></tr></table>"
        "<table><caption>Цени <em>2025</em></caption><tr><td>2</td></tr></table>"
        "<table><tr><td>3</td></tr></table>"
    )
    assert html.count('<div class="table-region" role="region" tabindex="0"') == 3
    assert 'aria-label="Данни"><table>' in html
    assert 'aria-label="Цени 2025"><table><caption>' in html
    # a label seen before on the page gets a number: landmarks must differ
    assert 'aria-label="Данни (2)"' in html
    # the same function for the next fragment of the page goes on counting
    assert 'aria-label="Данни (3)"' in label("<h3>Данни</h3><table></table>")
    assert 'aria-label="Таблица 5"' in label("<table><tr><td>5</td></tr></table>")


def test_table_regions_fall_back_to_a_numbered_name_and_leave_nested_tables_alone():
    label = table_regions("Таблица")
    html = label("<p>x</p><table><tr><td><table><tr><td>in</td></tr></table></td></tr></table>")
    assert html.count("table-region") == 1
    assert 'aria-label="Таблица 1"' in html
    assert html.endswith("</table></td></tr></table></div>")
    # a heading with markup and entities gives its text
    assert 'aria-label="A &amp; B"' in table_regions("T")(
        "<h3>A &amp; <b>B</b></h3><table></table>"
    )


# ---------------------------------------------------------------------------------------------
# in the browser


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return wide_course(tmp_path_factory.mktemp("wide"))


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory, course):
    out = tmp_path_factory.mktemp("site")
    result = run_cli("build", str(course), "-o", str(out), "-t", "site")
    assert result.exit_code == 0, result.output
    return out / "site"


@pytest.fixture(scope="module")
def site(site_dir):
    """The site over HTTP (axe reads the stylesheets, which file:// does not allow), with the
    icon a browser asks a web server for."""
    (site_dir / "favicon.ico").write_bytes(b"")
    server = Server(site_dir)
    yield server
    server.close()


@pytest.fixture(scope="module")
def lms(tmp_path_factory, course):
    """A web root with the test LMS page, the npm packages and both SCORM editions, one SCO per
    item and one per module, unpacked."""
    server = scorm_site(tmp_path_factory, course)
    yield server
    server.close()


def axe(frame) -> list[str]:
    """axe-core's violations of the WCAG A/AA rules in a page or frame, one line each."""
    return axe_violations(frame, TAGS)


def audit(page, frame, where: str) -> list[str]:
    """axe and horizontal overflow of ``frame`` at every width (the page's viewport resized)."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        frame.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        found += [f"{where} @{width}: {v}" for v in axe(frame)]
        over = frame.evaluate(OVERFLOW)
        if over:
            found.append(f"{where} @{width}: scrolls sideways {over}")
    return found


def audit_quiz(page, frame, where: str) -> list[str]:
    """A quiz page as first shown, then answered wrong and submitted (feedback and a result)."""
    found = audit(page, frame, where)
    if frame.evaluate("() => !!document.querySelector('[data-action=submit]:not([disabled])')"):
        answer(frame, "wrong")
        frame.click("[data-action=submit]")
        found += audit(page, frame, where + " (submitted)")
    return found


def site_pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


@needs_browser
def test_every_site_page_at_every_width(browser, site):
    pages = site_pages(site.root)
    assert len(pages) == 13  # home, 3 module pages, 9 items
    found = []
    for path in pages:
        page = browser.new_page(viewport={"width": WIDTHS[0], "height": 800})
        watch = Watch(page)
        where = path.relative_to(site.root).as_posix()
        page.goto(f"{site.url}/{quote(where)}")
        found += audit_quiz(page, page.main_frame, where)
        assert not watch.errors, (where, watch.errors, site.not_found)
        page.close()
    assert found == []


def scos(root: Path) -> list[str]:
    """The launch page of every SCO in an unpacked package's manifest."""
    from lxml import etree

    manifest = etree.parse(str(root / "imsmanifest.xml"))
    out = []
    for res in manifest.iter("{*}resource"):
        kind = res.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") or res.get(
            "{http://www.adlnet.org/xsd/adlcp_v1p3}scormType"
        )
        if kind == "sco":
            out.append(res.get("href"))
    return out


def launch(browser, server: Server, edition: str, folder: str, href: str):
    """A SCO started in the test LMS (scorm-again): the page and the SCO's frame."""
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 800})
    watch = Watch(page)
    page.goto(f"{server.url}/lms.html")
    url = f"/{folder}/{quote(href)}"
    page.evaluate("([e, l]) => startLms(e, null, l)", [edition, url])
    page.wait_for_function(
        "() => { const w = document.getElementById('sco').contentWindow;"
        " return w && w.CourseSco !== undefined; }"
    )
    frame = next(f for f in page.frames if f.url.endswith(url))
    return page, frame, watch


def audit_sco(browser, server: Server, edition: str, per: str) -> tuple[int, list[str]]:
    """Every SCO of one package, every part of a module SCO: (parts checked, problems)."""
    folder = f"{per}{edition}"
    found: list[str] = []
    parts = 0
    for href in scos(server.root / folder):
        page, frame, watch = launch(browser, server, edition, folder, href)
        sections = frame.evaluate("() => document.querySelectorAll('.sco-item').length")
        for n in range(sections):
            if n:
                frame.click("[data-go=next]")
            where = f"{folder}/{href}" + (f" part {n + 1}" if sections > 1 else "")
            kind = frame.evaluate(
                "() => document.querySelector('.sco-item:not([hidden])').dataset.kind"
            )
            found += (audit_quiz if kind == "quiz" else audit)(page, frame, where)
            parts += 1
        assert not watch.errors, (href, watch.errors)
        page.close()
    return parts, found


@needs_browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_sco_page_at_every_width(browser, lms, edition):
    item_parts, found = audit_sco(browser, lms, edition, "item")
    module_parts, more = audit_sco(browser, lms, edition, "module")
    assert found + more == []
    assert item_parts == module_parts == 7  # every learners' item once either way


def _open(browser, site: Server, rel: str, width: int, **context):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, **context)
    page = ctx.new_page()
    page.goto(f"{site.url}/{quote(rel)}")
    return page


@needs_browser
def test_wide_tables_scroll_in_named_regions_the_keyboard_reaches(browser, site):
    page = _open(browser, site, f"{WIDE_LESSON}.html", 320)
    regions = page.evaluate(
        """() => Array.from(document.querySelectorAll('main .table-region')).map(r => ({
            role: r.getAttribute('role'), tabindex: r.tabIndex, label: r.getAttribute('aria-label'),
            scrolls: r.scrollWidth > r.clientWidth}))"""
    )
    assert regions == [
        {"role": "region", "tabindex": 0, "label": name, "scrolls": True}
        for name in ("Показатели на библиотеката", "Същата таблица още веднъж")
    ]
    assert page.evaluate(OVERFLOW) is None  # the table scrolls, the page does not
    for _ in range(40):  # the keyboard reaches the region and scrolls it
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('table-region')"):
            break
    else:
        raise AssertionError("Tab never reached the table")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    page.context.close()


TOGGLE_STATE = """() => {
  const button = document.querySelector('.nav-toggle');
  const nav = document.getElementById(button.getAttribute('aria-controls'));
  const main = document.querySelector('main');
  const shown = el => el.getClientRects().length > 0;
  return {button: shown(button), expanded: button.getAttribute('aria-expanded'), nav: shown(nav),
          navAboveMain: shown(nav) && nav.getBoundingClientRect().top < main.getBoundingClientRect().top,
          buttonTop: button.getBoundingClientRect().top};
}"""


@needs_browser
def test_navigation_toggle_at_the_top_on_small_screens(browser, site):
    page = _open(browser, site, "01-основи/01-стратегия.html", 380)
    state = page.evaluate(TOGGLE_STATE)
    assert state["button"] and not state["nav"] and state["expanded"] == "false"
    assert state["buttonTop"] < 100  # in the header, at the top of the page
    page.focus(".nav-toggle")
    page.keyboard.press("Enter")
    state = page.evaluate(TOGGLE_STATE)
    assert state["nav"] and state["navAboveMain"] and state["expanded"] == "true"
    # Tab goes from the toggle into the navigation; Escape folds it and returns to the toggle
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('nav.toc')")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.classList.contains('nav-toggle')")
    assert not page.evaluate(TOGGLE_STATE)["nav"]
    # a large screen shows the navigation beside the page, without the toggle
    page.set_viewport_size({"width": 1280, "height": 800})
    state = page.evaluate(TOGGLE_STATE)
    assert state["nav"] and not state["button"]
    page.context.close()
    # without scripts: no toggle, the navigation after the page as before
    page = _open(browser, site, "01-основи/01-стратегия.html", 380, java_script_enabled=False)
    state = page.evaluate(TOGGLE_STATE)
    assert state["nav"] and not state["button"] and not state["navAboveMain"]
    page.context.close()


# A result state as shown: its words, colour, background and icon (the ::before of its words).
RESULT_STATE = """(selector) => Array.from(document.querySelectorAll(selector)).map(el => {
  const words = el.querySelector('strong');
  const style = getComputedStyle(el);
  return {cls: el.className, text: words.textContent, color: style.color,
          background: style.backgroundColor, icon: getComputedStyle(words, '::before').content};
})"""


@needs_browser
def test_result_states_differ_in_words_colour_and_icon(browser, site):
    page = _open(browser, site, f"{QUIZ}.html", 380)
    answer(page, "wrong")
    page.click("[data-action=submit]")
    failed = page.evaluate(RESULT_STATE, ".result .failed")
    feedback = page.evaluate(RESULT_STATE, ".feedback.incorrect")[:1]
    page.click("[data-action=retry]")
    answer(page, "right")
    page.click("[data-action=submit]")
    passed = page.evaluate(RESULT_STATE, ".result .passed")
    feedback += page.evaluate(RESULT_STATE, ".feedback.correct")[:1]
    page.context.close()
    assert len(failed) == len(passed) == 1
    for key in ("text", "color", "background", "icon"):
        assert failed[0][key] != passed[0][key], key
    assert passed[0]["icon"].startswith('"✓"') and failed[0]["icon"].startswith('"✗"')
    assert passed[0]["text"].startswith("Успешно") and failed[0]["text"].startswith("Не е")
    # the feedback of each question: right and wrong look and read differently too
    states = {f["cls"]: f for f in feedback}
    right, wrong = states["feedback correct"], states["feedback incorrect"]
    for key in ("text", "color", "background", "icon"):
        assert right[key] != wrong[key], key
    # the icon is decoration: its alternative text is empty, the words say it
    assert right["icon"].endswith('/ ""')


@needs_browser
def test_ordering_moves_are_announced(browser, site):
    page = _open(browser, site, f"{QUIZ}.html", 380)
    section = "section.question[data-kind=ordering]"
    items = page.eval_on_selector_all(
        f"{section} .order-text", "els => els.map(e => e.textContent)"
    )
    live = page.locator("form.quiz [aria-live=polite].visually-hidden")
    assert live.count() == 1
    page.click(f"{section} li:first-child [data-action=down]")
    assert live.text_content() == f"„{items[0]}“ е преместен на позиция 2 от {len(items)}."
    # a move past the top still answers, so a screen reader user hears where the item is
    page.click(f"{section} li:first-child [data-action=up]")
    first = page.eval_on_selector(f"{section} li:first-child .order-text", "e => e.textContent")
    assert live.text_content().strip() == f"„{first}“ е преместен на позиция 1 от {len(items)}."
    page.context.close()
