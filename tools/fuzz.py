#!/usr/bin/env python3
"""Fuzz `packager build` with mutated copies of the fixture course and of the programme.

Each case copies a course (tests/fixtures/course or content/) into a sandbox, applies one or
two mutations, fills the output folder with the previous build of the unmutated course plus a
file of the author's, runs `packager build` as a subprocess on 1-3 targets (with a timeout) and
classifies the outcome:

  clean located error      exit 1; every message is `path:line:col: error|warning: …` (or an
                           output-folder error naming its path, or a summary line)
  accepted                 exit 0; every message located; every output clean
  traceback                a traceback, an internal error, an exit code other than 0 and 1, or
                           a message that is not located (or points past the end of its file)
  hang                     still running after the timeout
  outside write            a file created, changed or deleted outside -o (the content copy and
                           the files beside it included); the build's TMPDIR and image cache
                           are allowed
  executable output        an output holds executable content (script, event handlers,
                           javascript: URLs, srcdoc, meta refresh, base, object, embed, forms,
                           unsafe HTML in quiz data), broken structure (XML that does not parse,
                           injected GIFT blocks, unsafe archive entries), or text from a file
                           outside the content folder
  changed previous output  after a failure the output folder differs from before; or a
                           staging folder or temporary file was left in it; or the author's
                           file in it was touched

A case goes to the first of outside write, executable output, changed previous output, hang,
traceback that applies, else to one of the first two. The script prints Markdown tables
(counts per class, per mutation kind) and one example per distinct problem, and exits 1 when a
case falls outside the first two classes. The same --seed gives the same cases.

Examples:

  .venv/bin/python tools/fuzz.py --cases 100 --jobs 2
  .venv/bin/python tools/fuzz.py --cases 300 --kinds traversal,symlink --keep-failures /tmp/bad
  .venv/bin/python tools/fuzz.py --bases fixture --targets gift,moodlexml --seed 7

A kept case (--keep-failures) holds the mutated content/, the outside/ folder beside it and
case.json (command, mutations, stderr, problems). Payloads with absolute paths point into the
sandbox, which is gone: to rebuild a case, rerun with --only INDEX and the same --seed, --bases,
--kinds and --targets (add --work DIR to keep the sandbox path fixed).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile_support import (  # noqa: E402
    BROKEN_FRONT_MATTER,
    CLASSES,
    GOOD,
    HTML_PAYLOADS,
    NESTING_KINDS,
    SANDBOX_MARK,
    TEXT_PAYLOADS,
    TRAVERSALS,
    Run,
    Sandbox,
    child_env,
    deep_nesting,
    output_problems,
    png_bytes,
    problem_kind,
    yaml_scalar,
)

BASES = {"fixture": ROOT / "tests" / "fixtures" / "course", "programme": ROOT / "content"}
TARGETS = ("site", "scorm12", "scorm2004", "moodle", "moodlexml", "gift", "cc")
OPTIONS = {  # option -> the targets it changes
    "scorm.sco=module": ("scorm12", "scorm2004"),
    "moodle.activities=scorm": ("moodle",),
    "moodle.version=5": ("moodle",),
}
GRACE = 5.0  # seconds a build has to stop after SIGTERM before SIGKILL
TEXT_EXTS = (".md", ".yml", ".yaml", ".gift")
IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".gif", ".webp")

# ------------------------------------------------------------------------------------------
# the course being mutated


class Course:
    """A course copy in a sandbox, with the edits mutations need."""

    def __init__(self, box: Sandbox) -> None:
        self.box = box
        self.root = box.content

    def files(self, exts: tuple[str, ...]) -> list[str]:
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_file() and not p.is_symlink() and p.suffix.lower() in exts
        )

    def markdown(self) -> list[str]:
        return self.files((".md",))

    def items(self) -> list[str]:
        return [f for f in self.markdown() if not f.endswith("module.md")]

    def modules(self) -> list[str]:
        return [f for f in self.markdown() if f.endswith("module.md")]

    def read(self, rel: str) -> str:
        return (self.root / rel).read_bytes().decode("utf-8", "surrogateescape")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_bytes(encode(text))

    def set_key(self, rel: str, key: str, value: str) -> None:
        """Set a top-level YAML key of course.yml or of a file's front matter."""
        text = self.read(rel)
        if rel.endswith(".md"):
            m = re.match(r"---\n(.*?\n)---\n", text, re.S)
            front, rest = (m[1], text[m.end() :]) if m else ("", text)
            front = _without_key(front, key) + f"{key}: {value}\n"
            self.write(rel, "---\n" + front + "---\n" + rest)
        else:
            self.write(rel, _without_key(text, key) + f"{key}: {value}\n")

    def lines_matching(self, pattern: str) -> list[tuple[str, int]]:
        found = []
        for rel in self.markdown():
            for i, line in enumerate(self.read(rel).split("\n")):
                if re.search(pattern, line):
                    found.append((rel, i))
        return found

    def edit_line(self, rel: str, index: int, fn: Callable[[str], str]) -> None:
        lines = self.read(rel).split("\n")
        lines[index] = fn(lines[index])
        self.write(rel, "\n".join(lines))

    def body_insert(self, rng: random.Random, text: str) -> str:
        """Insert a block into the body of a random Markdown file, between paragraphs."""
        rel = rng.choice(self.markdown())
        source = self.read(rel)
        m = re.match(r"---\n.*?\n---\n", source, re.S)
        start = m.end() if m else 0
        breaks = [start] + [i + 1 for i in range(start, len(source)) if source[i] == "\n"]
        at = rng.choice(breaks)
        self.write(rel, source[:at] + "\n" + text + "\n\n" + source[at:])
        return rel


def encode(text: str) -> bytes:
    """UTF-8, with the bytes ``read`` could not decode restored and lone surrogates written as
    they are (which makes the file invalid UTF-8, on purpose)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        out = bytearray()
        for char in text:
            code = ord(char)
            out += bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else char.encode(
                "utf-8", "surrogatepass"
            )  # fmt: skip
        return bytes(out)


def _without_key(yaml_text: str, key: str) -> str:
    out, skipping = [], False
    for line in yaml_text.splitlines(keepends=True):
        if re.match(rf"{re.escape(key)}\s*:", line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t", "-")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


# ------------------------------------------------------------------------------------------
# mutations: each changes the course and says what it did


def m_truncate(rng: random.Random, c: Course) -> str:
    rel = rng.choice(c.files(TEXT_EXTS))
    data = (c.root / rel).read_bytes()
    cut = rng.choice([0, 1, 3, rng.randrange(len(data))])
    (c.root / rel).write_bytes(data[:cut])
    return f"{rel} cut to {cut} of {len(data)} bytes"


BAD_BYTES = (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80")


def m_invalid_bytes(rng: random.Random, c: Course) -> str:
    rel = rng.choice(c.files(TEXT_EXTS))
    data = bytearray((c.root / rel).read_bytes())
    done = []
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(data) + 1)
        bad = rng.choice((*BAD_BYTES, b"\xef\xbb\xbf"))
        data[at:at] = bad
        done.append(f"{bad.hex()}@{at}")
    (c.root / rel).write_bytes(bytes(data))
    return f"{rel}: inserted {', '.join(done)}"


CONTROLS = ("\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\r", "\ufeff")
CONTROLS += ("\ufffe", "\uffff", "\u202e", "\u2028", "\u2029", "\ud800", "\U0010ffff")


def m_control_chars(rng: random.Random, c: Course) -> str:
    rel = rng.choice(c.files(TEXT_EXTS))
    text = c.read(rel)
    done = []
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        char = rng.choice(CONTROLS)
        text = text[:at] + char + text[at:]
        done.append(f"U+{ord(char):04X}@{at}")
    c.write(rel, text)
    return f"{rel}: inserted {', '.join(done)}"


def m_broken_front_matter(rng: random.Random, c: Course) -> str:
    if rng.random() < 0.2:
        broken = rng.choice(
            ["title: [x\n", "title: 'x\n", "\ttitle: x\n", "- a\n", "a: &a\nb: *c\n"]
        )
        c.write("course.yml", broken + c.read("course.yml"))
        return f"course.yml: prefixed {broken!r}"
    rel = rng.choice(c.markdown())
    text = c.read(rel)
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") and "\n---\n" in text else text
    broken = rng.choice(BROKEN_FRONT_MATTER)
    c.write(rel, broken + body)
    return f"{rel}: front matter {broken[:40]!r}"


def m_deep_nesting(rng: random.Random, c: Course) -> str:
    kind = rng.choice(NESTING_KINDS)
    n = rng.choice([100, 1000, 5000, 20000])
    rel = c.body_insert(rng, deep_nesting(kind, n))
    return f"{rel}: {kind} nested {n} deep"


HUGE_UNITS = ("[", "(", "{", "<", "*", "_", "`", "|", "!", "#", ">", "&", "\\", "a", "<a>")
HUGE_UNITS += ("![x](", "{{", "&#", "[^", "<!--", "]]>", "$$", "- ", "    ")


def m_huge_line(rng: random.Random, c: Course) -> str:
    unit = rng.choice(HUGE_UNITS)
    size = rng.choice([10_000, 100_000, 1_000_000])
    rel = c.body_insert(rng, unit * (size // len(unit)))
    return f"{rel}: a line of {size} bytes of {unit!r}"


# Lines of Markdown that hold a field: where an injection goes
FIELD_LINES = {
    "heading": r"^#{1,6} \S",
    "choice": r"^- (\(x\)|\( \)|\[x\]|\[ \]) ",
    "answer feedback": r"^\s+> ",
    "label": r"^(Подсказка|Обратна връзка|При [^:]+|За оценяващия): ",
    "short answer": r"^- = ",
    "pair": r"^- .*->",
    "list item": r"^\s*([-*]|\d+\.) ",
    "table cell": r"^\|",
    "paragraph": r"^[^\s#>|!\-\[{:]",
}
YAML_FIELDS = ("title", "summary", "license", "authors", "keywords", "objectives")


def _inject_into_field(rng: random.Random, c: Course, payload: str) -> str:
    if rng.random() < 0.35:  # a YAML field
        key = rng.choice(YAML_FIELDS)
        rel = "course.yml" if key in ("summary", "license", "authors", "keywords") else None
        if rel is None:
            rel = rng.choice(c.items() if key == "objectives" else [*c.markdown(), "course.yml"])
        style = rng.choice(["double", "double", "plain", "literal"])
        value = yaml_scalar(payload, style)
        if key in ("authors", "keywords", "objectives"):
            value = (
                f"[{value}]" if style != "literal" else f"\n  - {yaml_scalar(payload, 'double')}"
            )
        c.set_key(rel, key, value)
        return f"{rel}: {key} = {payload[:60]!r} ({style})"
    kinds = [k for k in FIELD_LINES if c.lines_matching(FIELD_LINES[k])]
    kind = rng.choice(kinds)
    rel, index = rng.choice(c.lines_matching(FIELD_LINES[kind]))
    where = rng.choice(["end", "replace"])
    if where == "end":
        c.edit_line(rel, index, lambda line: line + " " + payload)
    else:
        c.edit_line(rel, index, lambda line: re.match(FIELD_LINES[kind], line)[0] + payload)
    return f"{rel}:{index + 1}: {kind} {where} {payload[:60]!r}"


def m_html_injection(rng: random.Random, c: Course) -> str:
    name = rng.choice(sorted(HTML_PAYLOADS))
    return f"[{name}] " + _inject_into_field(rng, c, HTML_PAYLOADS[name])


def m_text_injection(rng: random.Random, c: Course) -> str:
    if rng.random() < 0.7:
        name = rng.choice(sorted(TEXT_PAYLOADS))
        payload = TEXT_PAYLOADS[name]
    else:
        name = "random"
        payload = "".join(chr(rng.choice([rng.randrange(32, 0x2FFF), rng.randrange(0x110000)]))
                          for _ in range(rng.randint(1, 12)))  # fmt: skip
    return f"[{name}] " + _inject_into_field(rng, c, payload)


def m_traversal(rng: random.Random, c: Course) -> str:
    bad = rng.choice((*TRAVERSALS, "../outside/secret.md", f"{SANDBOX_MARK}/outside/secret.md"))
    bad = c.box.materialize(bad)
    choice = rng.choice(["short_name", "version", "id", "id", "lessons", "gift", "image", "link"])
    if choice in ("short_name", "version"):
        c.set_key("course.yml", choice, json.dumps(bad))
        return f"course.yml: {choice} = {bad!r}"
    if choice == "id":
        rel = rng.choice(c.markdown())
        c.set_key(rel, "id", json.dumps(bad))
        return f"{rel}: id = {bad!r}"
    if choice == "lessons":
        rel = rng.choice(c.modules())
        folder = (c.root / rel).parent
        names = sorted(p.name for p in folder.glob("*.md") if p.name != "module.md")
        names.insert(rng.randrange(len(names) + 1), rng.choice([bad, "../../outside/secret.md"]))
        c.set_key(rel, "lessons", "\n" + "".join(f"  - {json.dumps(n)}\n" for n in names))
        return f"{rel}: lessons += {bad!r}"
    if choice == "gift":
        quizzes = [r for r in c.items() if re.search(r"^type: quiz", c.read(r), re.M)]
        rel = rng.choice(quizzes or c.items())
        target = rng.choice(["../../outside/secret.gift", f"{c.box.deep}/outside/secret.gift", bad])
        c.set_key(rel, "gift", f"[{json.dumps(target)}]")
        return f"{rel}: gift = {target!r}"
    pattern = r"!\[[^\]]*\]\(([^)\s]+)" if choice == "image" else r"(?<!!)\[[^\]]*\]\(([^)\s]+)"
    found = c.lines_matching(pattern)
    if not found:
        rel = c.body_insert(rng, f"![x]({bad})" if choice == "image" else f"[x]({bad})")
        return f"{rel}: new {choice} {bad!r}"
    rel, index = rng.choice(found)
    target = rng.choice(
        [bad, "../../outside/secret.png", "../../outside/secret.txt", "%2e%2e/%2e%2e/outside"]
    )
    c.edit_line(
        rel,
        index,
        lambda line: re.sub(pattern, lambda m: m[0].replace(m[1], target), line, count=1),
    )
    return f"{rel}:{index + 1}: {choice} -> {target!r}"


def m_symlink(rng: random.Random, c: Course) -> str:
    outside = c.box.outside
    choice = rng.choice(
        ["image", "image", "lesson", "module", "dangling", "loop", "folder", "course"]
    )
    images = c.files(IMAGE_EXTS)
    if choice == "image" and images:
        rel = rng.choice(images)
        path = c.root / rel
        path.unlink()
        target = rng.choice(
            [str(outside / "secret.png"), os.path.relpath(outside / "secret.png", path.parent)]
        )
        path.symlink_to(target)
        return f"{rel} -> {target}"
    if choice == "lesson":
        rel = rng.choice(c.items())
        path = c.root / rel
        path.unlink()
        path.symlink_to(os.path.relpath(outside / "secret.md", path.parent))
        return f"{rel} -> outside/secret.md"
    if choice == "module":
        (c.root / "98-вън").symlink_to(os.path.relpath(outside / "module", c.root))
        return "98-вън -> outside/module"
    if choice in ("dangling", "loop") and images:
        rel = rng.choice(images)
        path = c.root / rel
        path.unlink()
        path.symlink_to("nowhere.png" if choice == "dangling" else path.name)
        return f"{rel}: {choice} link"
    if choice == "folder":
        folders = sorted({(c.root / r).parent for r in images}) or [c.root / c.modules()[0]]
        folder = rng.choice(folders)
        if folder.name in ("images",):
            shutil.rmtree(folder)
            folder.symlink_to(os.path.relpath(outside, folder.parent))
            return f"{folder.relative_to(c.root)} -> outside/"
        (folder / "link").symlink_to(os.path.relpath(outside, folder))
        c.body_insert(rng, "![x](link/secret.png) [y](link/secret.txt)")
        return f"{(folder / 'link').relative_to(c.root)} -> outside/"
    path = c.root / "course.yml"
    shutil.copy(path, outside / "course.yml")
    path.unlink()
    path.symlink_to(os.path.relpath(outside / "course.yml", c.root))
    return "course.yml -> outside/course.yml"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_size(width: int, height: int, rows: bytes | None = None) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    idat = zlib.compress(rows if rows is not None else b"\0" * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def m_broken_image(rng: random.Random, c: Course) -> str:
    images = c.files(IMAGE_EXTS)
    if not images:
        return "no image to break"
    rel = rng.choice(images)
    path = c.root / rel
    data = path.read_bytes()
    kind = rng.choice(["truncated", "random", "empty", "header", "bomb", "large", "svg", "swapped"])
    if kind == "truncated":
        path.write_bytes(data[: rng.randrange(len(data))])
    elif kind == "random":
        path.write_bytes(rng.randbytes(rng.randint(1, 4096)))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "header":
        path.write_bytes(data[:8] + b"\0" * 32)
    elif kind == "bomb":  # claims 10^10 pixels
        path.write_bytes(png_with_size(100_000, 100_000))
    elif kind == "large":  # 36 M pixels of real data, about 35 KB compressed
        w = h = 6000
        path.write_bytes(png_with_size(w, h, (b"\0" + b"\0" * w) * h))
    elif kind == "svg":
        path.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    else:  # a PNG saved as .jpg or the other way round
        path.write_bytes(
            png_bytes(19, 7) if not data.startswith(b"\x89PNG") else b"\xff\xd8\xff\xe0" + data[4:]
        )
    return f"{rel}: {kind}"


ATTACHMENTS = {
    "evil.html": "<html><body><script>alert(1)</script><img src=x onerror=alert(1)></body></html>",
    "evil.htm": "<body onload=alert(1)>",
    "evil.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    "evil.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    "<script>alert(1)</script></svg>",
    "evil.js": "alert(1)",
    "quiz.js": "alert('a file named like the theme script')",
    "evil.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
}


def m_hostile_attachment(rng: random.Random, c: Course) -> str:
    name = rng.choice(sorted(ATTACHMENTS))
    rel = rng.choice(c.items())
    folder = (c.root / rel).parent
    (folder / name).write_text(ATTACHMENTS[name], encoding="utf-8")
    ref = f"![Файл]({name})" if name.endswith(".svg") and rng.random() < 0.5 else f"[Файл]({name})"
    c.write(rel, c.read(rel) + f"\n\n{ref}\n")
    return f"{rel}: links {name}"


HOSTILE_NAMES = (
    "<img src=x onerror=alert(1)>",
    "\"'><svg onload=alert(1)>",
    "a b",
    "..",
    "x" * 200,
    "javascript:alert(1)",
    "%2e%2e",
    "Ω≈ç√",
    "con",
    "a\\b",
)


def m_hostile_filename(rng: random.Random, c: Course) -> str:
    rel = rng.choice(c.items())
    path = c.root / rel
    new = "0" + rng.choice(HOSTILE_NAMES) + ".md"
    try:
        path.rename(path.parent / new)
    except OSError as exc:
        return f"{rel}: rename refused by the file system ({exc.strerror})"
    module = path.parent / "module.md"
    text = module.read_text("utf-8", "surrogateescape")
    if re.search(r"^lessons:", text, re.M):
        module.write_text(
            text.replace(f"- {path.name}", f"- {json.dumps(new)}"), "utf-8", "surrogateescape"
        )
    return f"{rel} renamed {new!r}"


MUTATIONS: dict[str, Callable[[random.Random, Course], str]] = {
    "truncate": m_truncate,
    "invalid-bytes": m_invalid_bytes,
    "control-chars": m_control_chars,
    "broken-front-matter": m_broken_front_matter,
    "deep-nesting": m_deep_nesting,
    "huge-line": m_huge_line,
    "html-injection": m_html_injection,
    "text-injection": m_text_injection,
    "traversal": m_traversal,
    "symlink": m_symlink,
    "broken-image": m_broken_image,
    "hostile-attachment": m_hostile_attachment,
    "hostile-filename": m_hostile_filename,
}

# ------------------------------------------------------------------------------------------
# one case


@dataclass
class Config:
    seed: int
    bases: list[str]
    kinds: list[str]
    targets: list[str]
    timeout: float
    work: Path
    cache: Path
    templates: dict[str, Path]
    hosts: dict[str, list[str]]
    keep: Path | None


@dataclass
class Outcome:
    index: int
    base: str
    mutations: list[tuple[str, str]]
    targets: list[str]
    options: list[str]
    cls: str
    problems: list[tuple[str, str]] = field(default_factory=list)
    exit_code: int | None = None
    seconds: float = 0.0
    kept: str = ""


def plan(
    rng: random.Random, cfg: Config, index: int
) -> tuple[str, list[str], list[str], list[str]]:
    base = rng.choice(cfg.bases)
    kinds = [rng.choice(cfg.kinds) for _ in range(1 if rng.random() < 0.7 else 2)]
    first = cfg.targets[index % len(cfg.targets)]  # every target, in turn
    others = [t for t in cfg.targets if t != first]
    targets = [first, *rng.sample(others, rng.randint(0, min(2, len(others))))]
    options = []
    for option, affected in OPTIONS.items():
        if set(affected) & set(targets) and rng.random() < 0.25:
            options += ["-O", option]
    return base, kinds, targets, options


def run_case(index: int, cfg: Config) -> Outcome:
    rng = random.Random(f"{cfg.seed}:{index}")
    base, kinds, targets, options = plan(rng, cfg, index)
    box = Sandbox(cfg.work / f"case-{index:06d}")
    try:
        shutil.copytree(BASES[base], box.content, symlinks=True)
        course = Course(box)
        mutations = []
        for kind in kinds:
            try:
                mutations.append((kind, MUTATIONS[kind](rng, course)))
            except (IndexError, ValueError) as exc:  # nothing of that kind to mutate
                mutations.append((kind, f"skipped: {exc}"))
        box.previous_output(cfg.templates[base], inspected=True)
        box.before()
        cmd = [sys.executable, "-m", "packager.cli", "build", str(box.content), "-o", str(box.out)]
        for target in targets:
            cmd += ["-t", target]
        cmd += options
        run = run_build(cmd, box, cfg.cache, cfg.timeout)
        verdict = box.verdict(run, allowed_hosts=cfg.hosts[base])
        outcome = Outcome(
            index, base, mutations, targets, options, verdict.cls, verdict.problems,
            run.exit_code, run.seconds,
        )  # fmt: skip
        if cfg.keep and verdict.cls not in GOOD:
            outcome.kept = keep_case(box, outcome, cmd, run, cfg.keep)
        return outcome
    finally:
        shutil.rmtree(box.root, ignore_errors=True)


def run_build(cmd: list[str], box: Sandbox, cache: Path, timeout: float) -> Run:
    """Run a build in the sandbox; after the timeout, SIGTERM (the build cleans up) then
    SIGKILL to its process group."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=box.deep,
        env=child_env(box, cache) | {"PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    killed = False
    try:
        _, err = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)  # the build's own process group
        try:
            _, err = proc.communicate(timeout=GRACE)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
            killed = True
        code = None
    return Run(code, err.decode("utf-8", "replace"), time.perf_counter() - start, killed)


def keep_case(box: Sandbox, outcome: Outcome, cmd: list[str], run: Run, keep: Path) -> str:
    slug = outcome.cls.replace(" ", "-")
    dest = keep / f"case-{outcome.index:06d}-{slug}"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copytree(box.content, dest / "content", symlinks=True)
    shutil.copytree(box.outside, dest / "outside", symlinks=True)
    outcome.problems = outcome.problems[:50]
    record = asdict(outcome) | {
        "command": cmd,
        "sandbox": str(box.deep),
        "stderr": run.stderr[-20000:],
    }
    (dest / "case.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    return str(dest)


# ------------------------------------------------------------------------------------------
# the run


def build_template(base: str, work: Path, cache: Path, timeout: float) -> Path:
    """The unmutated course built with every target: the previous output of every case."""
    box = Sandbox(work / f"template-{base}")
    shutil.copytree(BASES[base], box.content, symlinks=True)
    cmd = [
        sys.executable,
        "-m",
        "packager.cli",
        "build",
        str(box.content),
        "-o",
        str(box.out),
        "-q",
    ]
    run = run_build(cmd, box, cache, timeout * 3)
    if run.exit_code != 0:
        raise SystemExit(f"the unmutated {base} course does not build:\n{run.stderr}")
    problems = output_problems(box.out)
    if problems:
        raise SystemExit(
            f"the unmutated {base} course builds unclean outputs:\n" + "\n".join(problems[:20])
        )
    return box.out


def iframe_hosts(base: str) -> list[str]:
    import yaml

    data = yaml.safe_load((BASES[base] / "course.yml").read_text("utf-8")) or {}
    return [str(h) for h in data.get("iframe_hosts") or []]


def report(outcomes: list[Outcome], cfg: Config, seconds: float, stream) -> None:
    w = stream.write
    n = len(outcomes)
    w(f"## Fuzz: {n} cases, seed {cfg.seed}, bases {', '.join(cfg.bases)}, ")
    w(f"targets {', '.join(cfg.targets)}; {seconds:.0f} s\n\n")
    by_class = collections.Counter(o.cls for o in outcomes)
    w("| class | cases |\n| --- | ---: |\n")
    for cls in CLASSES:
        w(f"| {cls} | {by_class.get(cls, 0)} |\n")
    w("\n| mutation | cases | " + " | ".join(CLASSES) + " |\n")
    w("| --- | ---: |" + " ---: |" * len(CLASSES) + "\n")
    kinds = sorted({k for o in outcomes for k, _ in o.mutations})
    for kind in kinds:
        mine = [o for o in outcomes if any(k == kind for k, _ in o.mutations)]
        counts = collections.Counter(o.cls for o in mine)
        w(
            f"| {kind} | {len(mine)} | "
            + " | ".join(str(counts.get(c, 0) or "") for c in CLASSES)
            + " |\n"
        )
    per_target = collections.Counter(t for o in outcomes for t in o.targets)
    w("\nTargets built: " + ", ".join(f"{t} {per_target[t]}" for t in cfg.targets) + ".\n")
    slow = sorted(outcomes, key=lambda o: -o.seconds)[:1]
    if slow:
        w(f"Slowest case: {slow[0].index} ({slow[0].seconds:.1f} s).\n")
    seen: dict[tuple[str, str], list[tuple[Outcome, str]]] = collections.defaultdict(list)
    for o in outcomes:
        if o.cls in GOOD:
            continue
        kinds: dict[tuple[str, str], str] = {}
        for cls, detail in o.problems:
            kinds.setdefault((cls, problem_kind(detail)), detail)
        for key, detail in kinds.items():
            seen[key].append((o, detail))
    if seen:
        w("\n| class | problem | cases | first case | its mutations | where |\n")
        w("| --- | --- | ---: | ---: | --- | --- |\n")
        for (cls, kind), cases in sorted(
            seen.items(), key=lambda kv: (CLASSES.index(kv[0][0]), -len(kv[1]))
        ):
            first, detail = cases[0]
            muts = "; ".join(f"{k}: {d}" for k, d in first.mutations)
            where = detail.replace(str(cfg.work), "…")
            w(f"| {cls} | {_cell(kind)} | {len(cases)} | {first.index} | {_cell(muts[:160])} ")
            w(f"| {_cell(where[:160])} |\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fuzz.py",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--cases", type=int, default=2000, help="number of cases (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the cases (default 1)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="parallel builds (default: CPUs)"
    )
    parser.add_argument(
        "--targets",
        default=",".join(TARGETS),
        help="comma-separated targets to choose from (default: all)",
    )
    parser.add_argument(
        "--bases",
        default="fixture,programme",
        help="courses to mutate: fixture, programme (default both)",
    )
    parser.add_argument(
        "--kinds",
        default=",".join(MUTATIONS),
        help="comma-separated mutation kinds (default: all; see --list)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        help="seconds before a build counts as a hang (default 20)",
    )
    parser.add_argument(
        "--keep-failures", type=Path, metavar="DIR", help="save each bad case's mutated course here"
    )
    parser.add_argument(
        "--work",
        type=Path,
        metavar="DIR",
        help="folder for the sandboxes (default: a temporary folder, removed)",
    )
    parser.add_argument(
        "--only", type=int, action="append", metavar="INDEX", help="run only this case (repeatable)"
    )
    parser.add_argument("--list", action="store_true", help="list the mutation kinds and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, fn in MUTATIONS.items():
            print(f"{name:20} {fn.__name__}")
        return 0
    targets = [t for t in args.targets.split(",") if t]
    bases = [b for b in args.bases.split(",") if b]
    kinds = [k for k in args.kinds.split(",") if k]
    for value, known, what in (
        (targets, TARGETS, "target"),
        (bases, BASES, "base"),
        (kinds, MUTATIONS, "kind"),
    ):
        wrong = [v for v in value if v not in known]
        if wrong or not value:
            parser.error(
                f"unknown {what}: {', '.join(wrong) or '(none)'}; choose from {', '.join(known)}"
            )
    own_work = args.work is None
    work = Path(tempfile.mkdtemp(prefix="packager-fuzz-")) if own_work else args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    start = time.perf_counter()
    try:
        templates = {b: build_template(b, work, cache, args.timeout) for b in bases}
        cfg = Config(
            args.seed, bases, kinds, targets, args.timeout, work, cache, templates,
            {b: iframe_hosts(b) for b in bases}, args.keep_failures,
        )  # fmt: skip
        indices = args.only or list(range(args.cases))
        outcomes: list[Outcome] = []
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_case, i, cfg) for i in indices]
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                outcomes.append(future.result())
                if done % max(1, len(indices) // 20) == 0 or done == len(indices):
                    bad = sum(o.cls not in GOOD for o in outcomes)
                    print(f"[{done}/{len(indices)}] {bad} bad", file=sys.stderr, flush=True)
        outcomes.sort(key=lambda o: o.index)
        report(outcomes, cfg, time.perf_counter() - start, sys.stdout)
        return 1 if any(o.cls not in GOOD for o in outcomes) else 0
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
