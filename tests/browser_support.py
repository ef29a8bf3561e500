"""Headless Chromium (Debian's) through Playwright, a local web server, and the npm packages
(scorm-again, axe-core) the browser tests use. Tests skip, saying why, when any is missing."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "browser"
NODE = HERE / "node_modules"
AXE = NODE / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install '.[test]')"
    if not Path(CHROMIUM).exists():
        return "Chromium is not installed (Debian package chromium; .ci/run installs it)"
    if not (NODE / "scorm-again").is_dir() or not AXE.exists():
        return "npm packages missing: run `npm ci` in tests/browser (.ci/run does)"
    return None


needs_browser = pytest.mark.skipif(missing() is not None, reason=missing() or "")


def lms_root(
    root: Path,
    out: Path,
    course: Path,
    editions: dict[str, str],
    name: str = "{per}{edition}",
    pers: tuple[str, ...] = ("item", "module"),
) -> Server:
    """A web root with the test LMS page, the npm packages and the course's SCORM packages
    (``editions``: folder label -> target), one SCO per item and one per module (``pers``),
    unpacked into ``name`` (with ``{per}`` and ``{edition}``); served."""
    from .conftest import run_cli

    (root / "lms.html").write_bytes((HERE / "lms.html").read_bytes())
    os.symlink(HERE / "node_modules", root / "node_modules")
    for per in pers:
        targets = [arg for target in editions.values() for arg in ("-t", target)]
        result = run_cli(
            "build", str(course), "-o", str(out / per), *targets, "-O", f"scorm.sco={per}"
        )
        assert result.exit_code == 0, result.output
        for edition, target in editions.items():
            (archive,) = (out / per).glob(f"*-{target}.zip")
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(root / name.format(per=per, edition=edition))
    return Server(root)


BOTH_EDITIONS = {"1.2": "scorm12", "2004": "scorm2004"}


def scorm_site(
    tmp_path_factory: pytest.TempPathFactory,
    course: Path,
    label: str = "",
    pers: tuple[str, ...] = ("item", "module"),
) -> Server:
    """Both SCORM editions of ``course`` (see :func:`lms_root`) in fresh folders, served."""
    suffix = f"-{label}" if label else ""
    return lms_root(
        tmp_path_factory.mktemp(f"www{suffix}"),
        tmp_path_factory.mktemp(f"dist{suffix}"),
        course,
        BOTH_EDITIONS,
        pers=pers,
    )


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves files; remembers every request that was not found."""

    not_found: list[str]

    def log_message(self, fmt, *args):  # quiet
        pass

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            self.server.not_found.append(self.path)  # type: ignore[attr-defined]
        super().send_error(code, message, explain)


class Server:
    """A web server on 127.0.0.1 for one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = functools.partial(_Handler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.not_found = []  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def not_found(self) -> list[str]:
        return self.httpd.not_found  # type: ignore[attr-defined]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Watch:
    """Console errors and failed requests of a Playwright page."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        # uncaught errors of frames (SCOs inside the LMS page) reach the console this way
        page.add_init_script(
            "window.addEventListener('error', e => console.error('uncaught: ' + e.message));"
        )
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Only what the package itself serves counts: embedded videos from allowed hosts
        # cannot load on a machine without internet, and that is not the package's fault.
        # A request cut short because the page was left (ERR_ABORTED) is not a failure.
        page.on(
            "requestfailed",
            lambda r: (
                _local(r.url)
                and "ERR_ABORTED" not in (r.failure or "")
                and self.errors.append(f"request failed: {r.url} ({r.failure})")
            ),
        )
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))


def _local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1", "file:"))


def axe_violations(frame, tags: list[str] = WCAG) -> list[str]:
    """Runs axe-core (by default its WCAG 2.1 A and AA rules) in a page or frame, adding it
    once."""
    if not frame.evaluate("() => window.axe !== undefined"):
        frame.add_script_tag(path=str(AXE))
    result = frame.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]


# A quiz that draws by pools: 2 of the 4 questions tagged "първа" (1 point each) and 1 of the 3
# tagged "втора" (2 points each), so every attempt has 3 questions worth 4 points.
POOLS = {"първа": 2, "втора": 1}
POOLS_MAX = 2 * 1 + 1 * 2
STRATIFIED_QUIZ = "02-услуги/04-тест-по-теми"


def stratified_course(fixture: Path, root: Path) -> Path:
    """A copy of the fixture course with a stratified quiz at the end of module 02."""
    course = root / "content"
    shutil.copytree(fixture, course)
    questions = []
    for n in range(1, 5):
        questions.append(f'## Въпрос А{n} от първата тема {{tags="първа"}}\n\n- (x) Да\n- ( ) Не\n')
    for n in range(1, 4):
        questions.append(
            f'## Въпрос Б{n} от втората тема {{points=2 tags="втора"}}\n\n- (x) Да\n- ( ) Не\n'
        )
    questions.append("## Прочетете {type=description}\n\nВъпросите са по два от първата тема.\n")
    draw = "".join(f"  {tag}: {count}\n" for tag, count in POOLS.items())
    text = (
        f"---\ntype: quiz\ntitle: Тест по теми\npass_percentage: 50\ndraw:\n{draw}---\n"
        "Всеки опит тегли въпроси от двете теми.\n\n" + "\n".join(questions)
    )
    (course / f"{STRATIFIED_QUIZ}.md").write_text(text, encoding="utf-8")
    return course


def typed_answers(course) -> dict[str, list[str | None]]:
    """What to type for a right answer to each typed question of the course's quizzes (for
    quiz_driver.js, by question id): a short answer's first right answer (a wildcard typed as
    "x"), a numerical answer's value, each blank of a cloze (None for a drop-down)."""
    from packager.model import Cloze, GapKind, Numerical, ShortAnswer

    def text(value: str) -> str:
        return value.replace("*", "x")

    out: dict[str, list[str | None]] = {}
    for quiz in course.quizzes:
        for q in quiz.questions:
            if isinstance(q, ShortAnswer):
                out[q.id] = [text(next(a.text for a in q.answers if a.fraction >= 1))]
            elif isinstance(q, Numerical):
                out[q.id] = [f"{next(a.value for a in q.answers if a.fraction >= 1):g}"]
            elif isinstance(q, Cloze):
                out[q.id] = [
                    None if gap.kind is GapKind.DROPDOWN else text(gap.correct[0].text)
                    for gap in q.gaps
                ]
    return out


EDGE_QUIZ = "02-услуги/04-точност"


def edge_course(fixture: Path, root: Path) -> Path:
    """A copy of the fixture course with a quiz whose right answers test how SCORM states
    them: a number with a tolerance that floats cannot add exactly (0.4 ± 0.01), a short
    answer with a wildcard, and one whose letter case matters."""
    course = root / "content"
    shutil.copytree(fixture, course)
    text = (
        "---\ntype: quiz\ntitle: Точност\npass_percentage: 50\n---\n"
        "## Каква част от читателите идват всяка седмица?\n\n- = 0.4 ± 0.01\n\n"
        "## Как се казва мястото за книги?\n\n- = библиотек*\n\n"
        "## Как се пише международният номер на книга? {case_sensitive=true}\n\n- = ISBN\n"
    )
    (course / f"{EDGE_QUIZ}.md").write_text(text, encoding="utf-8")
    return course
