"""``packager serve``: the incremental builds (a changed lesson rewrites only its page, with the
same bytes a full build gives), the diagnostics the pages are told, the web server (files,
the reload script only in HTML, nothing outside the folder, the event stream), the watcher
and the command (the port, Ctrl-C)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import click
import pytest

from packager import messages
from packager.diagnostics import Diagnostics
from packager.loader import load
from packager.preview.incremental import Preview
from packager.preview.server import (
    EVENTS,
    SCRIPT_ID,
    LiveState,
    PreviewServer,
    file_key,
    inject,
)
from packager.serve import Serve
from packager.targets.html import site_files

from .conftest import FIXTURE, run_cli

LESSON = "01-основи/01-стратегия.md"
LESSON_PAGE = "01-основи/01-стратегия.html"
QUIZ = "01-основи/03-тест.md"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def preview(course: Path, tmp_path: Path) -> Preview:
    out = tmp_path / "site"
    out.mkdir()
    p = Preview(course, out)
    update = p.build()
    assert update.kind == "full" and not update.errors, update.diagnostics
    return p


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def on_disk(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def full_site(root: Path) -> dict[str, bytes]:
    """What a fresh full build of the course gives."""
    return site_files(load(root, Diagnostics()))


def stamps(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def page_of(preview: Preview, rel: str) -> str:
    assert preview.loader is not None
    return preview.loader.by_path[rel].ident + ".html"


# ---------------------------------------------------------------------------------------------
# incremental builds


def test_the_first_build_is_the_site_target(preview, course):
    assert on_disk(preview.out) == full_site(course)
    assert page_of(preview, LESSON) == LESSON_PAGE


def test_a_changed_lesson_rewrites_only_its_page(preview, course):
    before = stamps(preview.out)
    time.sleep(0.01)  # a rewrite would show in the times
    edit(course / LESSON, "Стратегията свързва", "Новият текст свързва")
    update = preview.update([course / LESSON])
    assert update is not None and update.kind == "pages"
    assert update.sources == [LESSON]
    assert update.written == [LESSON_PAGE]
    after = stamps(preview.out)
    assert [name for name in after if after[name] != before.get(name)] == [LESSON_PAGE]
    assert "Новият текст свързва" in (preview.out / LESSON_PAGE).read_text("utf-8")
    assert on_disk(preview.out) == full_site(course)  # byte for byte a full build


def test_a_change_that_renders_the_same_writes_nothing(preview, course):
    path = course / LESSON
    path.write_text(path.read_text("utf-8") + "\n\n", "utf-8")
    update = preview.update([path])
    assert update is not None and update.kind == "pages" and update.written == []


def test_a_new_title_rewrites_the_pages_that_show_it(preview, course):
    edit(course / LESSON, "title: Стратегия на библиотеката", "title: План на библиотеката")
    update = preview.update([course / LESSON])
    assert update is not None and update.kind == "pages"
    assert LESSON_PAGE in update.written and "index.html" in update.written
    assert "01-основи/index.html" in update.written
    assert len(update.written) < len(preview.files) // 2
    assert on_disk(preview.out) == full_site(course)


@pytest.mark.parametrize("change", ["text", "title", "minutes"])
def test_every_item_changed_alone_gives_a_full_builds_bytes(preview, course, change):
    """The incremental path against a full build, for every item of the fixture."""
    assert preview.loader is not None
    for rel in list(preview.loader.by_path):
        path = course / rel
        text = path.read_text("utf-8")
        if change == "text":
            text += "\n\nДобавен абзац за прегледа.\n"
        elif change == "title" and "\ntitle: " in text:
            text = re.sub(r"(?m)^title: .*$", 'title: "Ново заглавие"', text, count=1)
        elif change == "minutes" and "\nminutes: " in text:
            text = text.replace("\nminutes: ", "\nminutes: 1", 1)
        else:
            continue
        path.write_text(text, "utf-8")
        update = preview.update([path])
        assert update is not None and update.kind == "pages", (rel, update)
        assert not update.errors, update.errors
        assert on_disk(preview.out) == full_site(course), rel


def test_a_gift_bank_reloads_the_quiz_that_reads_it(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    (root / "01-основи" / "банка.gift").write_text(
        "::g1:: Градът Оулу е във Финландия. {T}\n", "utf-8"
    )
    edit(root / QUIZ, "feedback: immediate\n", "feedback: immediate\ngift:\n  - банка.gift\n")
    out = tmp_path / "site"
    out.mkdir()
    p = Preview(root, out)
    assert p.build().kind == "full"
    (root / "01-основи" / "банка.gift").write_text("::g1:: Градът Оулу е в Швеция. {F}\n", "utf-8")
    update = p.update([root / "01-основи" / "банка.gift"])
    assert update is not None and update.kind == "pages"
    assert update.written == [page_of(p, QUIZ)]
    assert "Швеция" in (out / page_of(p, QUIZ)).read_text("utf-8")
    assert on_disk(out) == full_site(root)


def test_an_error_is_reported_kept_and_cleared(preview, course):
    page = (preview.out / LESSON_PAGE).read_bytes()
    good = (course / LESSON).read_text("utf-8")
    edit(course / LESSON, "](images/цикъл.png)", "](images/няма.png)")
    update = preview.update([course / LESSON])
    assert update is not None
    lines = [str(d) for d in update.errors]
    assert len(lines) == 1
    assert lines[0].startswith(f"{LESSON}:") and ': error: image "images/няма.png"' in lines[0]
    assert update.written == []  # the last good page stays, the error is shown over it
    assert (preview.out / LESSON_PAGE).read_bytes() == page
    # saved again, still wrong: the same one error (not two)
    update = preview.update([course / LESSON])
    assert update is not None and [str(d) for d in update.errors] == lines
    (course / LESSON).write_text(good.replace("Стратегията свързва", "Поправено: свързва"), "utf-8")
    update = preview.update([course / LESSON])
    assert update is not None and update.errors == [] and update.written == [LESSON_PAGE]
    assert on_disk(preview.out) == full_site(course)


def test_an_error_in_the_front_matter_and_its_fix(preview, course):
    edit(course / LESSON, "minutes: 20", "minutes: двадесет")
    update = preview.update([course / LESSON])
    assert update is not None and len(update.errors) == 1
    assert update.errors[0].path == LESSON and update.errors[0].line == 3
    edit(course / LESSON, "minutes: двадесет", "minutes: 20")
    update = preview.update([course / LESSON])
    assert update is not None and update.errors == []


def test_a_broken_anchor_link_in_the_changed_lesson(preview, course):
    edit(course / LESSON, "02-данни.md#източници", "02-данни.md#няма-такава")
    update = preview.update([course / LESSON])
    assert update is not None and update.kind == "pages"
    assert [(d.path, d.line) for d in update.errors] == [(LESSON, 19)]
    assert 'nothing in "02-данни.md" has the id "няма-такава"' in update.errors[0].message
    edit(course / LESSON, "02-данни.md#няма-такава", "02-данни.md#източници")
    update = preview.update([course / LESSON])
    assert update is not None and update.errors == []
    assert update.written == []  # back as it was: the page never changed
    assert on_disk(preview.out) == full_site(course)


def test_an_anchor_another_lesson_links_to_is_a_full_build(preview, course):
    data = course / "01-основи" / "02-данни.md"
    edit(data, "## Източници", "## Откъде идват данните")
    update = preview.update([data])
    assert update is not None and update.kind == "failed"  # the other lesson's link broke
    assert [d.path for d in update.errors] == [LESSON]
    edit(data, "## Откъде идват данните", "## Източници")
    update = preview.update([data])
    assert update is not None and update.kind == "full" and update.errors == []


def test_other_files_warnings_stay_while_one_file_changes(preview, course):
    before = preview.diagnostics()
    edit(course / LESSON, "Стратегията свързва", "Текстът свързва")
    update = preview.update([course / LESSON])
    assert update is not None and update.diagnostics == before


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ("course", "full"),
        ("module", "full"),
        ("new lesson", "full"),
        ("removed lesson", "failed"),  # module.md lists it: the full build says so
        ("new id", "full"),
        ("new image", "full"),
        ("trainers", "failed"),  # another lesson links to it: the full build finds that
        ("kind", "full"),
        ("notes", None),
        ("drafts", None),
        ("deeper", None),
    ],
)
def test_what_the_incremental_path_cannot_prove_is_a_full_build(preview, course, change, kind):
    paths = {
        "course": course / "course.yml",
        "module": course / "01-основи" / "module.md",
        "new lesson": course / "01-основи" / "05-нов.md",
        "removed lesson": course / "01-основи" / "04-бележки.md",
        "new id": course / LESSON,
        "new image": course / LESSON,
        "trainers": course / LESSON,
        "kind": course / LESSON,
        "notes": course / "бележки.txt",
        "drafts": course / "_чернови" / "урок.md",
        "deeper": course / "01-основи" / "images" / "нова.png",
    }
    path = paths[change]
    if change in ("course", "module"):
        path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    elif change == "new lesson":
        path.write_text("---\ntitle: Нов урок\n---\nТекст.\n", "utf-8")
    elif change == "removed lesson":
        path.unlink()
    elif change == "new id":
        edit(path, "minutes: 20", "minutes: 20\nid: друг")
    elif change == "new image":
        shutil.copy(course / "01-основи" / "images" / "цикъл.png", course / "нова.png")
        edit(path, "Стратегията свързва", "![Нова](../нова.png)\n\nСтратегията свързва")
    elif change == "trainers":
        edit(path, "minutes: 20", "minutes: 20\naudience: trainers")
    elif change == "kind":
        edit(path, "minutes: 20", "minutes: 20\ntype: forum")
    else:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"\x89PNG" if path.suffix == ".png" else "бележка\n".encode())
    update = preview.update([path])
    if kind is None:
        assert update is None
    else:
        assert update is not None and update.kind == kind, update
        if kind == "full":
            assert on_disk(preview.out) == full_site(course)
        else:
            assert update.errors


def test_the_output_folder_inside_the_course_is_not_a_change(course):
    out = course / "preview"
    out.mkdir()
    p = Preview(course, out)
    p.build()
    edit(course / LESSON, "minutes: 20", "minutes: двадесет")
    update = p.update([course / LESSON])
    assert update is not None and update.errors  # now a new file may be what was missing
    assert p.update([out / "index.html", out / "assets" / "style.css"]) is None


def test_a_failed_full_build_keeps_the_last_site_until_fixed(preview, course):
    before = on_disk(preview.out)
    yml = course / "course.yml"
    good = yml.read_text("utf-8")
    yml.write_text("title: [unclosed\n", "utf-8")
    update = preview.update([yml])
    assert update is not None and update.kind == "failed" and update.errors
    assert update.errors[0].path == "course.yml"
    assert on_disk(preview.out) == before
    # while it is broken, any change of the course is a full build
    update = preview.update([course / LESSON])
    assert update is not None and update.kind == "failed"
    yml.write_text(good, "utf-8")
    update = preview.update([yml])
    assert update is not None and update.kind == "full" and not update.errors
    assert update.written == []  # the same site as before


def test_an_error_in_one_lesson_does_not_stop_another(preview, course):
    edit(course / LESSON, "minutes: 20", "minutes: двадесет")
    preview.update([course / LESSON])
    other = course / "01-основи" / "02-данни.md"
    other.write_text(other.read_text("utf-8") + "\n\nНов абзац.\n", "utf-8")
    update = preview.update([other])
    assert update is not None and update.kind == "pages"
    assert update.written == [page_of(preview, "01-основи/02-данни.md")]
    assert [d.path for d in update.errors] == [LESSON]


# ---------------------------------------------------------------------------------------------
# the web server


@pytest.fixture
def server(tmp_path: Path):
    folder = tmp_path / "served"
    (folder / "mod").mkdir(parents=True)
    (folder / "index.html").write_text("<html><body><p>Home</p></body></html>\n", "utf-8")
    (folder / "mod" / "index.html").write_text("<html><body>Module</body></html>", "utf-8")
    (folder / "style.css").write_text("body { color: black }\n</body>\n", "utf-8")
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    srv = PreviewServer(folder, 0)
    srv.start()
    yield srv
    srv.stop()


def get(
    srv: PreviewServer, path: str, method: str = "GET", headers: dict | None = None
) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=20)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def test_the_server_serves_files_and_adds_the_script_to_html_only(server):
    status, headers, body = get(server, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.count(b"<script") == 1 and f'<script id="{SCRIPT_ID}"'.encode() in body
    assert b"new EventSource(" in body
    assert body.index(b"<script") < body.index(b"</body>")
    assert b"Home" in body
    assert b"<script" not in (server.root / "index.html").read_bytes()  # never the built file
    assert headers["Cache-Control"] == "no-store"  # pages: always anew
    status, headers, body = get(server, "/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert body == (server.root / "style.css").read_bytes()
    # the rest: kept by the browser, which asks whether it changed
    assert headers["Cache-Control"] == "no-cache"
    tag = headers["ETag"]
    status, _, body = get(server, "/style.css", headers={"If-None-Match": tag})
    assert status == 304 and body == b""
    time.sleep(0.01)
    (server.root / "style.css").write_text("body { color: navy }\n", "utf-8")
    status, headers, body = get(server, "/style.css", headers={"If-None-Match": tag})
    assert status == 200 and body == b"body { color: navy }\n" and headers["ETag"] != tag
    status, _, body = get(server, "/mod/")
    assert status == 200 and b"Module" in body and b"<script" in body
    status, headers, _ = get(server, "/mod")
    assert status == 301 and headers["Location"] == "/mod/"
    status, headers, body = get(server, "/style.css", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    status, _, body = get(server, "/favicon.ico")  # asked for by browsers: no error
    assert status == 204 and body == b""


def test_the_server_refuses_paths_outside_its_folder(server):
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/mod/../../secret.txt",
                 "/..%2fsecret.txt", "/..\\secret.txt", "/%00"):  # fmt: skip
        status, _, body = get(server, path)
        assert status == 403 and b"secret" not in body, path
    os.symlink(server.root.parent / "secret.txt", server.root / "link.txt")
    status, _, body = get(server, "/link.txt")
    assert status == 403 and b"secret" not in body


def test_a_missing_page_waits_for_the_build(server):
    status, headers, body = get(server, "/nowhere/<b>.html")
    assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"&lt;b&gt;" in body and b"<b>" not in body  # escaped
    assert f'<script id="{SCRIPT_ID}"'.encode() in body  # reloads once a build makes it


def test_file_keys():
    assert file_key("/") == "index.html"
    assert file_key("/a/b.html") == "a/b.html"
    assert file_key("/a/") == "a/index.html"
    assert file_key("/%D0%B0.html") == "а.html"
    assert file_key("/a/../b") is None
    assert file_key("/c:/x") is None
    assert inject(b"<p>x</p>", b"<s>") == b"<p>x</p><s>"


def events(srv: PreviewServer, page: str, since: int, run: str | None = None):
    """The event stream of a page: (connection, response)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=20)
    run = srv.live.run if run is None else run
    conn.request("GET", f"{EVENTS}?page={page}&since={since}&run={run}")
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    return conn, response


def next_event(response) -> tuple[str, str]:
    name = data = ""
    while True:
        line = response.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif not line and name:
            return name, data


def test_the_event_stream_tells_errors_and_reloads(server):
    import json

    live = server.live
    live.publish([], ['a.md:3:1: error: <img src=x onerror="alert(1)">'])
    conn, response = events(server, "index.html", live.generation)
    name, data = next_event(response)
    assert name == "problems"
    payload = json.loads(data)
    assert payload["errors"] == ['a.md:3:1: error: <img src=x onerror="alert(1)">']
    assert payload["title"] == "The course has errors"
    live.publish(["other.html"], [])  # the errors are fixed; this page did not change
    assert next_event(response) == ("problems", json.dumps(live.payload()))
    assert json.loads(json.dumps(live.payload()))["errors"] == []
    live.publish(["index.html"], [])
    assert next_event(response)[0] == "reload"
    conn.close()
    # a page served before a change it missed, or by another server, reloads at once
    conn, response = events(server, "index.html", live.generation - 1)
    assert next_event(response)[0] == "reload"
    conn.close()
    conn, response = events(server, "index.html", live.generation, run="old")
    assert next_event(response)[0] == "reload"
    conn.close()


def test_stopping_the_server_ends_the_event_streams(tmp_path):
    srv = PreviewServer(tmp_path, 0)
    srv.start()
    conn, response = events(srv, "index.html", 0)
    assert next_event(response)[0] == "problems"
    started = time.monotonic()
    srv.stop()
    assert response.fp.readline() == b""  # the stream ended
    assert time.monotonic() - started < 10  # generous: the machine may be busy
    conn.close()


def test_live_state_numbers_each_page_by_its_last_change():
    live = LiveState()
    live.publish(["a.html", "b.html"], [])
    live.publish(["b.html"], ["x: error: y"])
    assert live.changed == {"a.html": 1, "b.html": 2}
    assert live.payload()["errors"] == ["x: error: y"]


# ---------------------------------------------------------------------------------------------
# the watcher and the command


def test_serve_watches_and_updates_by_itself(course):
    lines: list[tuple[str, bool]] = []
    serve = Serve(course, 0, lambda line, err: lines.append((line, err)))
    serve.start()
    loop = threading.Thread(target=serve.loop)
    loop.start()
    try:
        live = serve.server.live  # type: ignore[union-attr]
        first = live.generation
        edit(course / LESSON, "Стратегията свързва", "Наблюдаваният текст свързва")
        deadline = time.monotonic() + 5
        while live.changed[LESSON_PAGE] == first and time.monotonic() < deadline:
            time.sleep(0.02)
        assert live.changed[LESSON_PAGE] > first
        status, _, body = get(serve.server, "/" + quote(LESSON_PAGE))  # type: ignore[arg-type]
        assert status == 200 and "Наблюдаваният текст".encode() in body
        assert any(line.startswith(f"{LESSON}: 1 page written in") for line, _ in lines)
        edit(course / LESSON, "minutes: 20", "minutes: двадесет")
        deadline = time.monotonic() + 5
        while not live.errors and time.monotonic() < deadline:
            time.sleep(0.02)
        assert live.errors and live.errors[0].startswith(f"{LESSON}:3:")
        # in the terminal too, on standard error
        assert (live.errors[0], True) in [(click.unstyle(t), err) for t, err in lines]
    finally:
        serve.close()
        loop.join(5)
    assert not loop.is_alive()
    assert serve.folder is None


def test_serve_starts_on_a_broken_course_and_shows_why(course):
    yml = course / "course.yml"
    good = yml.read_text("utf-8")
    yml.write_text("title: [unclosed\n", "utf-8")
    serve = Serve(course, 0, lambda line, err: None)
    try:
        update = serve.start()
        assert update.kind == "failed"
        assert serve.server is not None
        assert serve.server.live.errors[0].startswith("course.yml:")
        status, _, body = get(serve.server, "/")  # no site yet: a page that waits for one
        assert status == 404 and f'<script id="{SCRIPT_ID}"'.encode() in body
        yml.write_text(good, "utf-8")
        update = serve.preview.update([yml])  # type: ignore[union-attr]
        assert update is not None and update.kind == "full" and "index.html" in update.written
    finally:
        serve.close()


def _serve_process(course: Path, tmp: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "packager.cli", "serve", str(course), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_cleanly(course, tmp_path, how):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = _serve_process(course, tmp, "--port", "0")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        while line and "Serving the course at" not in line:
            line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line
        assert [p.name[:15] for p in tmp.iterdir()] == ["packager-serve-"]
        proc.send_signal(how)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in err and "stopped; the preview's folder was removed" in err
    assert list(tmp.iterdir()) == []  # the temporary folder is gone


def test_a_taken_port_is_one_clear_line(course, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _serve_process(course, tmp_path, "--port", str(port))
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 1
    assert err.strip() == (
        f"127.0.0.1:{port}: error: the port is in use: stop the program that uses it, or "
        "choose another port with --port"
    )
    assert not list(tmp_path.glob("packager-serve-*"))


def test_serve_without_a_course_folder(tmp_path):
    result = run_cli("serve", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "error: no such folder" in result.output


def test_serve_messages_in_bulgarian(course):
    lines: list[tuple[str, bool]] = []
    serve = Serve(course, 0, lambda line, err: lines.append((line, err)))
    try:
        messages.set_language("bg")
        serve.start()
        assert serve.server is not None
        assert serve.server.live.payload()["title"] == "Курсът има грешки"
        assert lines[-1][0].startswith("сайтът е изграден: записани са ")
    finally:
        messages.set_language("en")
        serve.close()
