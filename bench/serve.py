"""Benchmark: `packager serve`, from saving a lesson to the page reloaded in the browser.

    python bench/serve.py                       # the programme (content/) and 500 lessons
    python bench/serve.py --lessons 2000 --repeat 10
    python bench/serve.py --no-programme --lessons 500

For each course (a copy: its lesson is edited) the preview is started in this process, a
lesson in the middle of the course is opened in headless Chromium (Debian's, through
Playwright), and the lesson's file is saved again and again with one more paragraph. Each time
is from just before the file is written to the reloaded page's load event, both on the wall
clock (the browser's performance.timeOrigin + loadEventEnd), split into: the watcher noticing
the change, the incremental build, and the reload (event, request, page load). A new title
(which rewrites the pages that show it) is measured too. Target: under 0.5 s for one changed
lesson, whatever the size of the course.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from run import ROOT, generate

sys.path.insert(0, str(ROOT))

from packager.preview.incremental import Update
from packager.serve import Serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
LOADED = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return nav && nav.loadEventEnd > 0 ? performance.timeOrigin + nav.loadEventEnd : null;
}"""
STARTED = "() => performance.timeOrigin"  # when the reload began
SHOWN = """() => performance.timeOrigin +
  performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"""  # text is there


@dataclass
class Timing:
    total: float  # saved -> page loaded
    shown: float  # saved -> the page's text is there (DOMContentLoaded)
    watch: float  # saved -> the build started
    build: float
    event: float  # the build done -> the page's reload began (event, script)
    load: float  # the reload began -> the page's load event
    kind: str
    pages: int


@dataclass
class Result:
    name: str
    lessons: int
    first_build: float
    text: list[Timing] = field(default_factory=list)
    title: list[Timing] = field(default_factory=list)


class _Clock:
    """Records when each update of the preview starts and what it did."""

    def __init__(self, serve: Serve) -> None:
        assert serve.preview is not None
        self.updates: list[tuple[float, Update]] = []
        update = serve.preview.update

        def timed(paths):  # type: ignore[no-untyped-def]
            started = time.time()
            result = update(paths)
            if result is not None:
                self.updates.append((started, result))
            return result

        serve.preview.update = timed  # type: ignore[method-assign]


def measure(
    name: str, course: Path, repeat: int, cache: Path, page, verbose: bool = False
) -> Result:
    echo = (lambda line, err: print(line, file=sys.stderr)) if verbose else (lambda line, err: None)
    serve = Serve(course, 0, echo, cache_dir=cache)
    started = time.perf_counter()
    serve.start()
    first = time.perf_counter() - started
    assert serve.preview is not None and serve.preview.loader is not None
    assert serve.preview.course is not None
    clock = _Clock(serve)
    loop = threading.Thread(target=serve.loop, daemon=True)
    loop.start()
    lessons = serve.preview.course.lessons
    lesson = lessons[len(lessons) // 2]
    source = course / lesson.location.path
    result = Result(name, len(lessons), first)
    try:
        page.goto(serve.url + lesson.id + ".html")
        page.wait_for_function(LOADED)
        for n in range(repeat):
            result.text.append(_save(page, clock, source, f"bench-{n}-text", _add_paragraph))
        for n in range(max(1, repeat // 3)):
            result.title.append(_save(page, clock, source, f"bench-{n}-title", _retitle))
    finally:
        serve.close()
        loop.join(5)
    return result


def _add_paragraph(text: str, marker: str) -> str:
    return text + f"\n\n{marker}\n"


def _retitle(text: str, marker: str) -> str:
    return re.sub(r"(?m)^title: .*$", f'title: "{marker}"', text, count=1)


def _save(page, clock: _Clock, source: Path, marker: str, change) -> Timing:  # type: ignore[no-untyped-def]
    text = change(source.read_text("utf-8"), marker)
    time.sleep(0.3)  # apart from the last save
    before = len(clock.updates)
    saved = time.time()
    source.write_text(text, "utf-8")
    page.wait_for_function(
        f"() => document.body.textContent.includes({marker!r}) && ({LOADED})()", timeout=30000
    )
    loaded = page.evaluate(LOADED) / 1000
    reloaded = page.evaluate(STARTED) / 1000
    shown = page.evaluate(SHOWN) / 1000
    started, update = clock.updates[before]
    built = started + update.seconds
    return Timing(
        loaded - saved,
        shown - saved,
        started - saved,
        update.seconds,
        reloaded - built,
        loaded - reloaded,
        update.kind,
        len(update.written),
    )


def report(results: list[Result]) -> str:
    rows = [("course", "lessons", "first build", "change", "saved → page loaded",
             "→ text shown", "watch", "build", "event", "load", "pages")]  # fmt: skip
    for r in results:
        for what, timings in (("text", r.text), ("title", r.title)):
            if not timings:
                continue
            totals = [t.total for t in timings]
            rows.append((
                r.name,
                str(r.lessons),
                f"{r.first_build:.2f} s",
                what,
                f"median {statistics.median(totals):.3f} s, max {max(totals):.3f} s",
                f"{statistics.median(t.shown for t in timings):.3f} s",
                f"{statistics.median(t.watch for t in timings):.3f} s",
                f"{statistics.median(t.build for t in timings):.3f} s",
                f"{statistics.median(t.event for t in timings):.3f} s",
                f"{statistics.median(t.load for t in timings):.3f} s",
                f"{timings[-1].pages} ({timings[-1].kind})",
            ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=int, default=500, help="generated course (0: none)")
    parser.add_argument("--images", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7, help="saves per course")
    parser.add_argument("--no-programme", action="store_true", help="leave out content/")
    parser.add_argument("-v", "--verbose", action="store_true", help="print what serve prints")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        courses = []
        if not args.no_programme:
            shutil.copytree(ROOT / "content", work / "programme")
            courses.append(("programme", work / "programme"))
        if args.lessons:
            generate(work / "generated", args.lessons, args.images, 0)
            courses.append((f"generated {args.lessons}", work / "generated"))
        for name, course in courses:
            results.append(measure(name, course, args.repeat, work / "cache", page, args.verbose))
            print(f"{name}: done", file=sys.stderr)
        browser.close()
    print(report(results))


if __name__ == "__main__":
    main()
