"""Hostile input: the inspector's detectors first (each shown to fire), then builds of courses
full of hostile constructs: fixed ones for every payload, and generated ones (Hypothesis).

For every build: exit code 0 or 1, every message located, nothing written outside -o, the
previous outputs unchanged after a failure, no staging debris, no executable content in any
output. HOSTILE_EXAMPLES=n sets the number of generated courses (default 150); HOSTILE_RANDOM=1
draws new ones on every run instead of the same sequence; HOSTILE_SHRINK=1 shrinks a failing
one to a minimal course (slow).
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import io
import json
import os
import random
import shutil
import signal
import sys
import tarfile
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from packager.cli import main
from packager.targets import TARGETS

from .conftest import FIXTURE
from .hostile_support import (
    ALLOWED_HOST,
    BROKEN_FRONT_MATTER,
    CANARY,
    FOREIGN,
    HTML_PAYLOADS,
    MANIFEST,
    NESTING_KINDS,
    SANDBOX_MARK,
    TEXT_PAYLOADS,
    THEME_FILES,
    TRAVERSALS,
    Run,
    Sandbox,
    Symlink,
    child_env,
    deep_nesting,
    entry_problems,
    gift_problems,
    html_problems,
    json_problems,
    output_problems,
    png_bytes,
    problem_kind,
    snapshot,
    snapshot_diff,
    stderr_problems,
    xml_problems,
    yaml_scalar,
)

TIMEOUT = 20  # seconds for one build
ROOT = Path(__file__).resolve().parents[1]

# ------------------------------------------------------------------------------------------
# the detectors fire on known-bad samples and stay quiet on the theme's own markup

THEME_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width">'
    '<link rel="stylesheet" href="../assets/style.css"><link rel="icon" href="data:,">'
    '<script src="../assets/quiz.js" defer></script>'
    '<script src="../assets/scorm.js" defer></script></head><body>'
    '<form class="quiz" id="q-form" data-quiz="q-data" novalidate></form>'
    '<script type="application/json" id="q-data">'
    '{"questions":[{"prompt":"<img src=x onerror=alert(1)>","feedback":{"general":"<p>ok</p>"},'
    '"hints":["<b>h</b>"]}]}</script>'
    '<a href="https://example.org/javascript:x">j</a><p>javascript: is only text here</p>'
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">'
    f'<iframe src="https://{ALLOWED_HOST}/embed/a" title="v"></iframe></body></html>'
)


def test_the_theme_markup_is_clean():
    assert html_problems(THEME_PAGE, "page", allowed_hosts=[ALLOWED_HOST]) == []


BAD_HTML = [
    ("<img src=x onerror=alert(1)>", "event handler attribute onerror"),
    ('<p ONMOUSEOVER="alert(1)">x</p>', "event handler attribute onmouseover"),
    ("<script>alert(1)</script>", "<script> element"),
    ('<script src="https://evil.example/assets/quiz.js"></script>', "not one of the theme's"),
    ('<script src="../assets/quiz.js">alert(1)</script>', "not one of the theme's"),
    ('<script src="../media/quiz.js"></script>', "not one of the theme's"),
    ('<script type="module" src="../assets/quiz.js"></script>', "not one of the theme's"),
    ('<a href="javascript:alert(1)">x</a>', "javascript: URL in href"),
    ('<a href="  JaVaScRiPt:alert(1)">x</a>', "javascript: URL in href"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "javascript: URL in href"),
    ('<a href="java&#9;script:alert(1)">x</a>', "javascript: URL in href"),
    ('<a href="\x01javascript:alert(1)">x</a>', "javascript: URL in href"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript: URL in href"),
    (
        '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
        "data: URL of type text/html",
    ),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', "data: URL of type image/svg+xml"),
    (
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        "javascript: URL in xlink:href",
    ),
    ('<button formaction="javascript:alert(1)">x</button>', "javascript: URL in formaction"),
    ('<img srcset="a.png 1x, javascript:alert(1) 2x">', "javascript: URL in srcset"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "srcdoc attribute"),
    (
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "<meta http-equiv> element",
    ),
    ('<base href="https://evil.example/">', "<base> element"),
    ('<object data="x.swf"></object>', "<object> element"),
    ('<embed src="x.swf">', "<embed> element"),
    ('<form class="quiz" data-quiz="q" action="https://evil.example/"></form>', "<form> element"),
    ("<form><input name=x></form>", "<form> element"),
    ('<link rel="import" href="x.html">', "<link> element"),
    (
        '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
        "SVG animation of href",
    ),
    ('<template shadowrootmode="open"><img src=x onerror=alert(1)></template>', "onerror"),
    ("<template><template><b onclick=alert(1)></b></template></template>", "onclick"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "onerror"),
    ("<svg><style><img src=x onerror=alert(1)>", "onerror"),
    ("<!-- --!><img src=x onerror=alert(1)> -->", "onerror"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "script in a style attribute"),
    ('<iframe src="https://evil.example/x" title="v"></iframe>', "not in iframe_hosts"),
    (f'<iframe src="https://{ALLOWED_HOST}.evil.example/x"></iframe>', "not in iframe_hosts"),
]


@pytest.mark.parametrize(("html", "expected"), BAD_HTML)
def test_html_detector_fires(html, expected):
    page = f"<!DOCTYPE html><html><body>{html}</body></html>"
    found = html_problems(page, "page", allowed_hosts=[ALLOWED_HOST])
    assert any(expected in p for p in found), found


def test_fragments_may_not_hold_what_pages_may():
    for html in ('<script src="../assets/quiz.js"></script>', '<form class="quiz" data-quiz="q">'):
        assert html_problems(html, "page") == []
        assert html_problems(html, "fragment", fragment=True) != []


# Payloads that only a sanitizer's re-serialisation (or Markdown) could turn into markup: as
# they stand, a browser parses them into nothing executable.
INERT_AS_WRITTEN = {"svg-cdata", "math-mglyph", "title-break", "md-attr-list", "md-link-js"}
INERT_AS_WRITTEN |= {
    "md-link-js-spaced",
    "md-link-entity",
    "md-image-js",
    "md-autolink-js",
    "md-reference-js",
}


@pytest.mark.parametrize("name", sorted(set(HTML_PAYLOADS) - INERT_AS_WRITTEN))
def test_every_html_payload_is_detected_as_written(name):
    assert html_problems(HTML_PAYLOADS[name], name, fragment=True) != []


def test_quiz_data_blocks():
    assert json_problems('{"a": ', "d")[0].startswith("d: the data block is not JSON")
    sinks = [
        {"feedback": {"general": "<img src=x onerror=alert(1)>"}},
        {"hints": ["<script>alert(1)</script>"]},
        {"options": [{"feedback": '<a href="javascript:alert(1)">x</a>'}]},
        {"gaps": [{"options": [{"feedback": "<svg><style><img src=x onerror=alert(1)>"}]}]},
    ]
    assert json_problems('{"strings": {"correct": "<img src=x onerror=1>"}}', "d") != []
    for data in sinks:
        assert json_problems(json.dumps({"questions": [data]}), "d") != [], data
    # texts quiz.js writes with textContent or escapes are not HTML sinks
    plain = {"questions": [{"prompt": "<img src=x onerror=1>", "options": [{"text": "<b>"}]}]}
    assert json_problems(json.dumps(plain), "d") == []
    breakout = (
        '<script type="application/json">{"a": "</script><script>alert(1)</script>"}</script>'
    )
    found = html_problems(f"<html><body>{breakout}</body></html>", "p")
    assert any("not JSON" in p for p in found) and any("<script> element" in p for p in found)


def test_xml_detector():
    assert "not well-formed" in xml_problems(b"<a><b></a>", "x")[0]
    assert "DTD" in xml_problems(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "x")[0]
    evil = "&lt;img src=x onerror=alert(1)&gt;"
    backup = (
        f"<page><name>{evil}</name><content>{evil}</content><contentformat>1</contentformat>"
        f"<intro>{evil}</intro><introformat>2</introformat>"
        f"<answer><answertext>{evil}</answertext><answerformat>0</answerformat></answer></page>"
    )
    found = xml_problems(backup.encode(), "page.xml")
    assert len(found) == 2, found  # content and answertext; the name and plain intro are text
    assert all("onerror" in p for p in found)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    moodle = (
        '<quiz><question type="multichoice"><name><text>' + evil + "</text></name>"
        '<questiontext format="html"><text><![CDATA[<img src=x onerror=alert(1)>]]></text>'
        f'<file name="a.svg" encoding="base64">{__import__("base64").b64encode(svg).decode()}'
        '</file></questiontext><answer fraction="100" format="plain_text"><text>' + evil
    ) + "</text></answer></question></quiz>"
    found = xml_problems(moodle.encode(), "q.xml")
    assert len(found) == 2, found  # question text and the embedded SVG


def test_gift_detector():
    clean = "// t\n$CATEGORY: $course$/top/a\n\n::a\\:b::[html]<p>x\\=y</p>{\n\t=one#<b>f</b>\n\t~%50%two\n}\n"
    assert gift_problems(clean, "g", per_quiz=True) == []
    evil = "::n::[html]<img src\\=x onerror\\=alert(1)>{=a}"
    assert gift_problems(f"$CATEGORY: a\n\n{evil}\n", "g", per_quiz=True) != []
    assert gift_problems(f"$CATEGORY: a\n\n{evil.replace('[html]', '[plain]')}\n", "g", True) == []
    assert gift_problems("::n::{=a ~<b onclick\\=alert(1)>b</b>}", "g", per_quiz=False) != []
    two = "$CATEGORY: a\n\n::n::x{=a}\n\n$CATEGORY: b\n\n::m::y{=b}\n"
    assert any("2 $CATEGORY lines" in p for p in gift_problems(two, "g", per_quiz=True))
    assert gift_problems(two, "g", per_quiz=False) == []
    assert any(
        "not a named question" in p for p in gift_problems("$CATEGORY: a\n\nx{=1}", "g", True)
    )
    assert any("braces" in p for p in gift_problems("$CATEGORY: a\n\n::n::x{=1}{=2}", "g", True))
    assert any("more than one line" in p for p in gift_problems("$CATEGORY: a\nb\n", "g", False))


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _tar_gz(entries: dict[str, bytes], link: str | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo(link)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
    return gzip.compress(buf.getvalue())


def test_archives_are_opened_all_the_way_down():
    page = b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"
    found = entry_problems("a.zip", _zip({"x/page.html": page}), "a.zip")
    assert found and found[0].startswith("a.zip!x/page.html: event handler")
    nested = _tar_gz({"files/ab/abcdef": _zip({"index.html": page}), "moodle_backup.xml": b"<a/>"})
    found = entry_problems("c.mbz", nested, "c.mbz")
    assert found and found[0].startswith("c.mbz!files/ab/abcdef!index.html")
    assert "unsafe entry name" in entry_problems("z.zip", _zip({"../evil": b"x"}), "z.zip")[0]
    assert "link or device" in entry_problems("t.mbz", _tar_gz({}, link="l"), "t.mbz")[0]
    quiz_js = THEME_FILES["quiz.js"].read_bytes()
    assert entry_problems("assets/quiz.js", quiz_js, "s") == []
    assert "not the theme's" in entry_problems("assets/quiz.js", quiz_js + b";x()", "s")[0]
    assert "not the theme's" in entry_problems("x/assets/scorm.js", b"alert(1)", "s")[0]
    assert entry_problems("media/evil.js", b"alert(1)", "s") == []  # a file, not loaded
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert entry_problems("media/a.svg", svg, "s") != []
    # an attachment's structure is the author's; what it would run is not
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "y">]><x>&e;</x>'
    assert entry_problems("media/data.xml", dtd, "s") == []
    assert "DTD" in entry_problems("questions.xml", dtd, "s")[0]
    xhtml = b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'
    assert entry_problems("media/page.xml", xhtml, "s") != []
    assert entry_problems("files/ab/abcdef", b"<html><body onload=alert(1)>", "s") != []
    page = b"<!DOCTYPE html><html><head><script src='../assets/quiz.js'></script></head></html>"
    assert entry_problems("files/ab/abcdef", page, "s") == []  # a SCORM page in a backup
    leak = _zip({"p.html": f"<p>{CANARY}</p>".encode()})
    assert CANARY in entry_problems("s.zip", leak, "s.zip", canaries=[CANARY.encode()])[0]


def test_stderr_must_be_located(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    (content / "01-a").mkdir(parents=True)
    (content / "course.yml").write_text("title: x\nshort_name: y\n", encoding="utf-8")
    (content / "01-a" / "l.md").write_text("a\nb\n", encoding="utf-8")
    (content / "01-a" / "crlf.md").write_bytes(b"a\r\nb\rc\n")  # 4 lines, as editors count
    fine = (
        "course.yml:2:1: error: bad\n01-a/l.md:3:2: warning: w\n01-a/:1:1: warning: folder\n"
        "01-a/crlf.md:4:1: error: last line\n"
        f"{out}/x.zip: error: was not written by packager\n"
        "2 errors; nothing was built.\nnothing was changed in the output folder.\n"
    )
    assert stderr_problems(fine, content, out) == []
    for bad, expected in [
        (
            "Traceback (most recent call last):\n  File x\nValueError: boom\n",
            "traceback: ValueError",
        ),
        ("error: something failed\n", "unlocated message"),
        ("01-a/l.md: error: no line\n", "unlocated message"),
        ("01-a/missing.md:1:1: error: x\n", "not there"),
        ("01-a/l.md:9:1: error: x\n", "beyond the end"),
        ("01-a/crlf.md:5:1: error: x\n", "beyond the end"),
        ("01-a/l.md:1:1: error: a title\nwith a newline\n", "unlocated message: with a newline"),
        ("/etc/passwd: error: x\n", "unlocated message"),
    ]:
        found = stderr_problems(bad, content, out)
        assert found and expected in found[0], (bad, found)


def test_snapshots_see_every_change(tmp_path):
    (tmp_path / "a").write_text("1")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b").write_text("2")
    (tmp_path / "l").symlink_to("a")
    before = snapshot(tmp_path)
    (tmp_path / "a").write_text("changed")
    (tmp_path / "d" / "b").chmod(0o600)
    (tmp_path / "l").unlink()
    (tmp_path / "l").symlink_to("d")
    (tmp_path / "new").write_text("x")
    assert snapshot_diff(before, snapshot(tmp_path)) == [
        "created new",
        "changed a",
        "changed d/b",
        "changed l",
    ]


def test_verdicts(tmp_path):
    def judged(exit_code, change=None, stderr=""):
        box = Sandbox(tmp_path / f"box{len(list(tmp_path.iterdir()))}")
        box.content.mkdir()
        (box.content / "course.yml").write_text("title: x\n", encoding="utf-8")
        box.previous_output(None)
        (box.out / "old.zip").write_bytes(b"old")
        box.before()
        if change:
            change(box)
        return box.verdict(Run(exit_code, stderr))

    assert judged(1, stderr="course.yml:1:1: error: x\n1 error; nothing was built.\n").cls == (
        "clean located error"
    )
    assert judged(0).cls == "accepted"
    assert judged(0, lambda b: (b.out / "new.zip").write_bytes(b"new")).cls == "accepted"
    assert judged(1, lambda b: (b.out / "old.zip").write_bytes(b"new")).cls == (
        "changed previous output"
    )
    assert judged(0, lambda b: (b.out / FOREIGN).unlink()).cls == "changed previous output"
    assert judged(0, lambda b: (b.out / ".packager-staging-1-ab").mkdir()).cls == (
        "changed previous output"
    )
    assert judged(0, lambda b: (b.out / ".old.zip.x.tmp").write_bytes(b"")).cls == (
        "changed previous output"
    )
    assert judged(0, lambda b: (b.out / MANIFEST).write_text("{}")).cls == "accepted"
    assert judged(0, lambda b: (b.out / "..-1.0-site.zip").write_text("")).cls == "accepted"
    assert judged(0, lambda b: (b.out / ".site.x1y2z3").mkdir()).cls == "changed previous output"
    assert judged(0, lambda b: (b.out / "m" / ".tmp-ab").mkdir(parents=True)).cls == "accepted"
    assert judged(0, lambda b: (b.out / ".tmp-ab").write_text("")).cls == "changed previous output"
    assert judged(0, lambda b: (b.out.parent / "x.zip").write_bytes(b"")).cls == "outside write"
    assert judged(0, lambda b: (b.content / "course.yml").write_text("")).cls == "outside write"
    assert judged(1, lambda b: (b.root / "pwned").write_text("")).cls == "outside write"
    assert judged(0, lambda b: (b.tmp / "scratch").write_text("")).cls == "accepted"
    page = "<html><body><img src=x onerror=alert(1)></body></html>"
    assert judged(0, lambda b: (b.out / "p.html").write_text(page)).cls == "executable output"
    assert judged(70, stderr="packager: internal error: ValueError: x\n").cls == "traceback"
    assert judged(1, stderr="boom\n").cls == "traceback"
    assert judged(None).cls == "hang"


def test_problems_are_counted_by_kind():
    assert problem_kind("a.zip!x.html: event handler attribute onerror: <img>") == (
        "event handler attribute onerror"
    )
    assert problem_kind("q.xml <text>: javascript: URL in href: <a>") == "javascript: URL in href"
    assert problem_kind("traceback: packager: internal error: ValueError: 12") == (
        "traceback: packager: internal error: ValueError: N"
    )


# ------------------------------------------------------------------------------------------
# the fuzz script: deterministic mutations that change the course, every target in turn


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("packager_fuzz", ROOT / "tools" / "fuzz.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


@pytest.mark.parametrize("kind", sorted(fuzz.MUTATIONS))
def test_fuzz_mutations_are_deterministic_and_change_the_course(kind, tmp_path):
    results = []
    for attempt in range(2):
        box = Sandbox(tmp_path / str(attempt))
        shutil.copytree(FIXTURE, box.content, symlinks=True)
        what = fuzz.MUTATIONS[kind](random.Random("seed 7"), fuzz.Course(box))
        tree = {k: v.replace(str(box.root), "<box>") for k, v in snapshot(box.content).items()}
        results.append((what.replace(str(box.root), "<box>"), tree))
    assert results[0] == results[1]
    assert results[0][1] != snapshot(FIXTURE), results[0][0]


def test_fuzz_plans_every_target_in_turn():
    cfg = fuzz.Config(
        1, ["fixture"], ["truncate"], list(fuzz.TARGETS), 20, ROOT, ROOT, {}, {}, None
    )
    firsts = [fuzz.plan(random.Random(i), cfg, i)[2][0] for i in range(len(fuzz.TARGETS))]
    assert firsts == list(fuzz.TARGETS)
    assert fuzz.plan(random.Random("a"), cfg, 3) == fuzz.plan(random.Random("a"), cfg, 3)


def test_fuzz_command_line(capsys):
    assert fuzz.main(["--list"]) == 0
    assert "traversal" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        fuzz.main(["--kinds", "nonsense"])
    assert exc.value.code == 2


def test_fuzz_stops_builds_that_hang(tmp_path, monkeypatch):
    box = Sandbox(tmp_path)
    monkeypatch.setattr(fuzz, "GRACE", 0.5)
    sleep = [sys.executable, "-c", "import time; time.sleep(30)"]
    run = fuzz.run_build(sleep, box, tmp_path / "cache", 0.5)
    assert run.exit_code is None and not run.killed
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(30)"
    run = fuzz.run_build([sys.executable, "-c", stubborn], box, tmp_path / "cache", 0.5)
    assert run.exit_code is None and run.killed and run.seconds < 10


def test_fuzz_runs_a_case_end_to_end(tmp_path):
    cache = tmp_path / "cache"
    template = fuzz.build_template("fixture", tmp_path, cache, TIMEOUT)
    cfg = fuzz.Config(
        3, ["fixture"], ["text-injection"], ["gift"], TIMEOUT, tmp_path, cache,
        {"fixture": template}, {"fixture": [ALLOWED_HOST]}, None,
    )  # fmt: skip
    outcome = fuzz.run_case(0, cfg)
    assert outcome.cls in fuzz.CLASSES and outcome.targets[0] == "gift"
    assert outcome.mutations[0][0] == "text-injection"
    assert not (tmp_path / "case-000000").exists()
    out = io.StringIO()
    fuzz.report([outcome], cfg, 1.0, out)
    assert f"| {outcome.cls} | 1 |" in out.getvalue()


# ------------------------------------------------------------------------------------------
# building hostile courses


class _Hang(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` swallows it."""


def run_build(box: Sandbox, args: list[str], cache: Path, timeout: int = TIMEOUT) -> Run:
    """``packager build`` in this process, in the sandbox, with a watchdog."""
    env = child_env(box, cache)
    env = {k: env[k] for k in ("TMPDIR", "HOME", "PACKAGER_CACHE_DIR", "PACKAGER_DEBUG")}
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGALRM, signal.SIGTERM)}

    def alarm(signum, frame):
        raise _Hang

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(timeout)
    saved_tempdir, tempfile.tempdir = tempfile.tempdir, str(box.tmp)
    start = time.perf_counter()
    try:
        with contextlib.chdir(box.deep):
            result = CliRunner().invoke(main, args, env=env, catch_exceptions=True)
    except _Hang:
        return Run(None, "", time.perf_counter() - start)
    finally:
        signal.alarm(0)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        tempfile.tempdir = saved_tempdir
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
    return Run(result.exit_code, stderr, time.perf_counter() - start)


def test_in_process_builds_that_hang_or_crash_are_caught(tmp_path, monkeypatch):
    box = Sandbox(tmp_path)
    shutil.copytree(FIXTURE, box.content)
    args = ["build", str(box.content), "-o", str(box.out)]
    handler = signal.getsignal(signal.SIGALRM)
    monkeypatch.setattr("packager.cli.load", lambda *a, **k: time.sleep(30))
    run = run_build(box, args, tmp_path / "cache", timeout=1)
    assert run.exit_code is None and run.seconds < 10
    assert signal.getsignal(signal.SIGALRM) == handler

    def crash(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr("packager.cli.load", crash)
    box.before()
    run = run_build(box, args, tmp_path / "cache")
    assert box.verdict(run).cls == "traceback"
    assert "ValueError: boom" in run.stderr


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture course built with every target: the -o folder every hostile build starts
    from; and the image cache they share."""
    root = tmp_path_factory.mktemp("hostile")
    cache = root / "cache"
    box = Sandbox(root / "template")
    shutil.copytree(FIXTURE, box.content)
    run = run_build(box, ["build", str(box.content), "-o", str(box.out), "-q"], cache)
    assert run.exit_code == 0, run.stderr
    assert output_problems(box.out, allowed_hosts=[ALLOWED_HOST]) == []
    return box.out, cache


@dataclass
class Case:
    """A course to write into a sandbox, and how to build it."""

    files: dict[str, str | bytes | Symlink]
    targets: list[str]
    options: list[str] = field(default_factory=list)

    def __repr__(self) -> str:  # what Hypothesis prints for a falsifying example
        shown = {k: (v if isinstance(v, Symlink) else str(v)[:400]) for k, v in self.files.items()}
        return f"Case(targets={self.targets}, options={self.options}, files={shown!r})"


def check_case(case: Case, previous: tuple[Path, Path]) -> None:
    template, cache = previous
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        box = Sandbox(Path(tmp))
        box.write_files(case.files)
        box.previous_output(template, inspected=True)
        box.before()
        args = ["build", str(box.content), "-o", str(box.out)]
        for target in case.targets:
            args += ["-t", target]
        run = run_build(box, args + case.options, cache)
        verdict = box.verdict(run, allowed_hosts=[ALLOWED_HOST])
        assert verdict.ok, f"{verdict.cls} (exit {run.exit_code}):\n{verdict.report()}"


# support files a course may refer to; written only when some text names them
def _support(module: str) -> dict[str, str | bytes | Symlink]:
    evil_svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    )
    return {
        f"{module}/images/ok.png": png_bytes(),
        f"{module}/images/broken.png": png_bytes()[:40],
        f"{module}/images/outside.png": Symlink("../../../outside/secret.png"),
        f"{module}/images/absolute.png": Symlink(f"{SANDBOX_MARK}/outside/secret.png"),
        f"{module}/images/dangling.png": Symlink("nowhere.png"),
        f"{module}/images/loop.png": Symlink("loop.png"),
        f"{module}/images/evil.svg": evil_svg,
        f"{module}/images/svg.png": evil_svg,
        f"{module}/files/secret.txt": Symlink("../../../outside/secret.txt"),
        f"{module}/files/evil.html": "<html><body><script>alert(1)</script></body></html>",
        f"{module}/files/evil.js": "alert(1)",
        f"{module}/bank.gift": "::Банка::[html]<img src\\=x onerror\\=alert(1)>{=a ~b}\n",
    }


REFERENCES = (
    "![Снимка](images/ok.png)",
    "![Счупена](images/broken.png)",
    "![Вън](images/outside.png)",
    "![Абсолютна](images/absolute.png)",
    "![Няма](images/dangling.png)",
    "![Цикъл](images/loop.png)",
    "![SVG](images/evil.svg)",
    "![SVG като PNG](images/svg.png)",
    "![Вън](../../outside/secret.png)",
    f"![Абсолютен път]({SANDBOX_MARK}/outside/secret.png)",
    "[тайна](files/secret.txt)",
    "[тайна](../../outside/secret.txt)",
    f"[абсолютна]({SANDBOX_MARK}/outside/secret.txt)",
    "[страница](files/evil.html)",
    "[скрипт](files/evil.js)",
    "[урок](../../outside/secret.md)",
)
WORDS = ("Стратегия", "Данни", "План", "Библиотека", "Анализ", "Цели")
PAYLOADS = sorted(HTML_PAYLOADS.values()) + sorted(TEXT_PAYLOADS.values())
QUESTION_FORMS = (
    "## {0}\n\n- (x) {1}\n  > {2}\n- ( ) {3}\n\nПодсказка: {4}\nОбратна връзка: {5}\n",
    "## {0}\n\n- [x] {1}\n- [ ] {2}\n\nПри верен отговор: {3}\nПри грешен отговор: {4}\n",
    "## {0}\n\n- = {1}\n  > {2}\n",
    "## {0}\n\n- {1} -> {2}\n- Б -> {3}\n",
    "## Попълнете\n\n{0} {{{{={1}#{2} ~{3}}}}} край.\n",
    "## {0} {{type=essay}}\n\nЗа оценяващия: {1}\n",
    "## {0} {{type=ordering}}\n\n1. {1}\n2. {2}\n",
    "## {0}\n\n- (x) Вярно\n- ( ) Невярно\n\nОбратна връзка: {1}\n",
)


def hostile_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(PAYLOADS),
        st.tuples(st.sampled_from(WORDS), st.sampled_from(PAYLOADS)).map(" ".join),
        st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=16),
    )


def hostile_yaml() -> st.SearchStrategy[str]:
    """A YAML value; double-quoted ones can hold anything, even "\\ud800" or "\\0"."""
    styles = st.sampled_from(["double", "double", "plain", "literal"])
    return st.tuples(hostile_texts(), styles).map(lambda a: yaml_scalar(*a))


def hostile_ids() -> st.SearchStrategy[str]:
    return st.sampled_from(TRAVERSALS) | st.from_regex(
        r"[a-z0-9._-]{1,10}(/[a-z0-9._-]{1,6}){0,2}", fullmatch=True
    )


def hostile_blocks() -> st.SearchStrategy[str]:
    nesting = st.tuples(st.sampled_from(NESTING_KINDS), st.sampled_from([10, 300, 1500]))
    long_line = st.tuples(st.sampled_from("[({<*_`|!#>&"), st.integers(1000, 30000))
    return st.one_of(
        hostile_texts(),
        hostile_texts().map(lambda t: "### " + t),
        st.sampled_from(REFERENCES),
        nesting.map(lambda a: deep_nesting(*a)),
        long_line.map(lambda a: a[0] * a[1]),
    )


def gift_escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", "\\n")


class _Drafter:
    """Writes a benign course, except at the few places (slots) drawn to be hostile: so that
    most courses build and their outputs get inspected."""

    def __init__(self, draw, hostile: set[int]) -> None:
        self.draw, self.hostile, self.slot = draw, hostile, 0

    def evil(self) -> bool:
        self.slot += 1
        return self.slot in self.hostile

    def word(self) -> str:
        return self.draw(st.sampled_from(WORDS))

    def yaml(self) -> str:
        return self.draw(hostile_yaml()) if self.evil() else self.word()

    def text(self) -> str:
        return self.draw(hostile_texts()) if self.evil() else self.word()

    def ident(self, benign: str | None = None) -> str | None:
        return self.draw(hostile_ids()) if self.evil() else benign

    def body(self, images: bool = True) -> str:
        blocks = [f"{self.word()} {self.word()}."]
        if self.evil():
            blocks.append(self.draw(hostile_blocks()))
        if images and self.draw(st.booleans()):
            blocks.append("![Снимка](images/ok.png)")
        return "\n\n".join(blocks)

    def gift_bank(self) -> str:
        if self.evil():
            text = self.draw(hostile_texts())
            return (
                f"::Банка::[html]{self.draw(st.sampled_from([text, gift_escape(text)]))}{{=а ~б}}\n"
            )
        return "::Банка::[html]<p>Текст</p>{=а#<b>Да</b> ~б}\n"

    def question(self) -> str:
        form = self.draw(st.sampled_from(QUESTION_FORMS))
        return form.format(*(self.text() for _ in range(6)))


def front(fields: dict[str, str | None]) -> str:
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n"


@st.composite
def cases(draw) -> Case:
    d = _Drafter(draw, draw(st.sets(st.integers(1, 30), max_size=3)))
    files: dict[str, str | bytes | Symlink] = {}
    course = {
        "title": d.yaml(),
        "short_name": d.ident("proben-kurs"),
        "language": "bg",
        "version": d.ident("0.1.0"),
        "date": "2026-11-01",
        "iframe_hosts": f"[{ALLOWED_HOST}]",
        "authors": f"[{d.yaml()}]",
        "summary": yaml_scalar(d.body(images=False), "literal"),
    }
    files["course.yml"] = "".join(f"{k}: {v}\n" for k, v in course.items() if v is not None)
    support: dict[str, str | bytes | Symlink] = {}
    for m in range(draw(st.integers(1, 2))):
        module = f"0{m + 1}-" + draw(st.sampled_from(["основи", "m", "услуги"]))
        support |= _support(module)
        files[f"{module}/module.md"] = front({"title": d.yaml(), "id": d.ident()}) + d.body()
        for n in range(draw(st.integers(1, 2))):
            objectives = f"[{d.yaml()}]" if draw(st.booleans()) else None
            lesson = {"title": d.yaml(), "id": d.ident(), "objectives": objectives}
            files[f"{module}/0{n + 1}-урок.md"] = front(lesson) + d.body()
        if draw(st.booleans()):
            gift = draw(st.sampled_from([None, "[bank.gift]"]))
            if d.evil():
                gift = "[../../outside/secret.gift]"
            quiz = {"type": "quiz", "title": d.yaml(), "id": d.ident(), "gift": gift}
            qs = [d.question() for _ in range(draw(st.integers(1, 3)))]
            files[f"{module}/09-тест.md"] = front(quiz) + d.body() + "\n\n" + "\n".join(qs)
            if gift == "[bank.gift]":
                files[f"{module}/bank.gift"] = d.gift_bank()
    if draw(st.integers(0, 7)) == 0:  # one file's front matter broken
        victim = draw(st.sampled_from(sorted(k for k in files if k.endswith(".md"))))
        body = str(files[victim]).split("\n---\n", 1)[-1]
        files[victim] = draw(st.sampled_from(BROKEN_FRONT_MATTER)) + body
    if draw(st.integers(0, 15)) == 0:  # invalid UTF-8 somewhere
        victim = draw(st.sampled_from(sorted(files)))
        files[victim] = str(files[victim]).encode() + draw(st.sampled_from([b"\xff", b"\xc3"]))
    if draw(st.integers(0, 9)) == 0:  # a module that is a link to a folder outside
        files["05-вън"] = Symlink("../outside/module")
    text = " ".join(str(v) for v in files.values())
    files |= {k: v for k, v in support.items() if k.split("/", 1)[1] in text}
    targets = draw(st.lists(st.sampled_from(sorted(TARGETS)), min_size=1, max_size=3, unique=True))
    options = draw(st.sampled_from(OPTIONS))
    return Case(files, targets, options)


OPTIONS = (
    [],
    [],
    ["-O", "scorm.sco=module"],
    ["-O", "moodle.activities=scorm"],
    ["-O", "moodle.version=5"],
)


EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "150"))
# Shrinking rebuilds a failing course hundreds of times: minutes. HOSTILE_SHRINK=1 turns it on.
PHASES = [Phase.explicit, Phase.generate]
if os.environ.get("HOSTILE_SHRINK") == "1":
    PHASES.append(Phase.shrink)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("HOSTILE_RANDOM") != "1",
    database=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_generated_hostile_courses(case, previous):
    check_case(case, previous)


# ------------------------------------------------------------------------------------------
# every payload, in every group of fields; every traversal, in every id


def payload_course(
    lesson: str = "Текст.", quiz: str = "Текст.", gift: str = "Текст.", title: str = "Заглавие"
) -> Case:
    """The fixture's shape: ``lesson`` in the Markdown of the course, module and lesson,
    ``quiz`` in every text of a quiz's questions, ``gift`` in every text of a GIFT bank (escaped
    as GIFT requires), ``title`` in every title."""
    t = yaml_scalar(title, "double")
    q = title.replace("\n", " ")
    g = gift_escape(gift)
    files: dict[str, str | bytes | Symlink] = {
        "course.yml": f"title: {t}\nshort_name: proben-kurs\nversion: 0.1.0\nlanguage: bg\n"
        f"date: 2026-11-01\niframe_hosts: [{ALLOWED_HOST}]\nauthors: [{t}]\nkeywords: [{t}]\n"
        f"summary: {yaml_scalar(lesson, 'literal')}\n",
        "01-основи/module.md": f"---\ntitle: {t}\n---\n{lesson}\n",
        "01-основи/01-урок.md": f"---\ntitle: {t}\nobjectives: [{yaml_scalar(lesson, 'double')}]\n"
        f"---\n{lesson}\n\n## {q}\n\n{lesson}\n",
        "01-основи/02-тест.md": f"---\ntype: quiz\ntitle: {t}\ngift: [bank.gift]\n---\n{quiz}\n\n"
        f"## {q}\n\n{quiz}\n\n- (x) {quiz}\n  > {quiz}\n- ( ) Друго\n\n"
        f"Подсказка: {quiz}\nОбратна връзка: {quiz}\n\n"
        f"## Кое?\n\n- [x] А\n- [ ] Б\n\nПри верен отговор: {quiz}\nПри грешен отговор: {quiz}\n\n"
        f"## Попълнете\n\nТекст {{{{=а#{g} ~б}}}} край.\n",
        "01-основи/bank.gift": f"::{gift_escape(q)}::[html]{g}{{=а#{g} ~{g}}}\n",
    }
    return Case(files, sorted(TARGETS))


@pytest.mark.parametrize("field", ["lesson", "quiz", "gift"])
@pytest.mark.parametrize("name", sorted(HTML_PAYLOADS))
def test_html_payload(name, field, previous):
    check_case(payload_course(**{field: HTML_PAYLOADS[name]}), previous)


@pytest.mark.parametrize("name", sorted(TEXT_PAYLOADS))
def test_text_payload_in_every_title(name, previous):
    check_case(payload_course(title=TEXT_PAYLOADS[name]), previous)


CONTROLS = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff", "\u2028", "\ud800"]


@pytest.mark.parametrize("style", ["plain", "double", "body"])
@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_control_character(char, style, previous):
    """In a YAML value as written (lone surrogates cannot be: they make the file invalid
    UTF-8), as a YAML escape, and in Markdown (as written and as an entity)."""
    case = payload_course()
    if style == "body":
        rel = "01-основи/01-урок.md"
        text = f"a{char}b &#x{ord(char):X}; &#{ord(char)};"
        case.files[rel] = str(case.files[rel]) + f"\n{text}\n"
    else:
        value = f"a{char}b" if style == "plain" else json.dumps(f"a{char}b")
        yml = str(case.files["course.yml"]).replace("title: ", f"title: {value}\n_: ", 1)
        case.files["course.yml"] = yml
        rel = "01-основи/module.md"
        case.files[rel] = str(case.files[rel]).replace("title: ", f"title: {value}\n_: ", 1)
    check_case(case, previous)


def id_course(where: str, ident: str) -> Case:
    case = payload_course()
    files = case.files
    if where in ("short_name", "version"):
        old = "short_name: proben-kurs" if where == "short_name" else "version: 0.1.0"
        files["course.yml"] = str(files["course.yml"]).replace(old, f"{where}: {json.dumps(ident)}")
    else:
        name = {"module": "module.md", "lesson": "01-урок.md", "quiz": "02-тест.md"}[where]
        rel = f"01-основи/{name}"
        files[rel] = str(files[rel]).replace("---\n", f"---\nid: {json.dumps(ident)}\n", 1)
    return case


@pytest.mark.parametrize("where", ["short_name", "version", "module", "lesson", "quiz"])
@pytest.mark.parametrize("ident", TRAVERSALS)
def test_traversal_in_every_id(where, ident, previous):
    check_case(id_course(where, ident), previous)


def test_the_carrier_courses_build(previous, tmp_path):
    """The carriers are valid: a failing payload test is the payload's doing."""
    for i, case in enumerate([payload_course(), id_course("lesson", "урок-1")]):
        box = Sandbox(tmp_path / str(i))
        box.write_files(case.files)
        run = run_build(box, ["build", str(box.content), "-o", str(box.out)], previous[1])
        assert run.exit_code == 0, run.stderr
        assert output_problems(box.out) == []
