"""Benchmark: CPU time, wall time and peak memory of whole `packager build` runs, per target.

    python bench/run.py                                   # the real programme in content/
    python bench/run.py --lessons 500 --images 200        # a generated course of that size
    python bench/run.py --questions 1000 --target moodlexml
    python bench/run.py --base /tmp/old                   # also an older packager, side by side
    python bench/run.py --zip-cost                        # every target vs. only zipping

Each measurement is a separate `packager build` process (Python start-up included), so the
numbers are what a designer or CI waits for; CPU time counts the worker processes of a
parallel build too. Images and Markdown are processed once and cached; `--cold` measures with
an empty cache. `--zip-cost` compares building every target with writing the same archive entries
(read back from the outputs) through packager.archive alone, the floor of any build; both sides
are the median of ``--repeat`` runs. With Info-ZIP installed it also times `zip -9` making the
same zips from their unpacked files, as a shell script would. bench/versus.py measures packager
against text2qti on the same question bank.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "библиотека",
    "читатели",
    "общност",
    "услуга",
    "стратегия",
    "данни",
    "партньорство",
    "доброволци",
    "обучение",
    "дигитален",
    "план",
    "цел",
    "анализ",
    "оценка",
    "резултат",
    "проект",
    "читалня",
    "събитие",
    "книга",
    "програма",
]


def lorem(rng: random.Random, words: int) -> str:
    out, line = [], []
    for i in range(words):
        line.append(rng.choice(WORDS))
        if len(line) > 12:
            out.append(" ".join(line).capitalize() + ".")
            line = []
        if i % 120 == 119:
            out.append("\n\n")
    return " ".join(out + line)


def generate(root: Path, lessons: int, images: int, questions: int, seed: int = 1) -> None:
    """A course with ``lessons`` lessons of ~900 words, ``images`` images spread over them and a
    question bank of ``questions`` mixed questions (quiz files of 500)."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    root.mkdir(parents=True)
    (root / "course.yml").write_text(
        "title: Синтетичен курс\nshort_name: synthetic\nversion: 1.0\ndate: 2026-01-01\n",
        "utf-8",
    )
    per_module = 10
    modules = -(-lessons // per_module)
    image_slots = (
        sorted(rng.sample(range(max(lessons, 1)), min(images, lessons))) if lessons else []
    )
    extra_images = max(0, images - len(image_slots))
    n = 0
    for m in range(modules):
        folder = root / f"{m + 1:03d}-modul"
        (folder / "images").mkdir(parents=True)
        count = min(per_module, lessons - m * per_module)
        (folder / "module.md").write_text(
            f"---\ntitle: Модул {m + 1}\norder: {m + 1}\n---\nОписание на модула.\n", "utf-8"
        )
        for i in range(count):
            body = [f"---\ntitle: Урок {n + 1}\nminutes: 15\nobjectives:\n  - цел едно\n---\n"]
            for section in range(3):
                body.append(f"## Раздел {section + 1}\n\n{lorem(rng, 300)}\n")
            pictures = image_slots.count(n) + (1 if n < extra_images else 0)
            for p in range(pictures):
                name = f"img-{n}-{p}.png"
                width = rng.choice((800, 1200, 2400))
                im = Image.new("RGB", (width, width // 2), (rng.randrange(256), 120, 200))
                ImageDraw.Draw(im).ellipse((10, 10, width // 3, width // 3), fill="white")
                im.save(folder / "images" / name)
                body.append(f"![Схема {n}-{p}](images/{name})\n")
            (folder / f"{i + 1:02d}-urok.md").write_text("\n".join(body), "utf-8")
            n += 1
    if questions:
        bank = root / f"{modules + 1:03d}-test"
        bank.mkdir()
        (bank / "module.md").write_text("---\ntitle: Банка с въпроси\n---\nВъпроси.\n", "utf-8")
        for first in range(0, questions, 500):  # a quiz file holds at most 5,000 texts
            parts = [f"---\ntype: quiz\ntitle: Банка {first // 500 + 1}\n---\n"]
            for q in range(first, min(first + 500, questions)):
                parts.append(QUESTION_TEMPLATES[q % len(QUESTION_TEMPLATES)].format(n=q))
            (bank / f"bank-{first // 500 + 1:02d}.md").write_text("\n".join(parts), "utf-8")


QUESTION_TEMPLATES = (
    "## Въпрос {n}\n\nКое е вярно за услуга {n}?\n\n- (x) Първото\n  > Да.\n- ( ) Второто\n"
    "- ( ) Третото\n\nОбратна връзка: Обяснение {n}.\n",
    "## Въпрос {n}\n\nКои са верни?\n\n- [x] А\n- [x] Б\n- [ ] В\n- [ ] Г\n",
    "## Въпрос {n}\n\nБиблиотеката е обществена институция.\n\n- (x) Вярно\n- ( ) Невярно\n",
    "## Въпрос {n}\n\nСтолицата на Финландия?\n\n- = Хелзинки\n- = Helsinki\n",
    "## Въпрос {n}\n\nКолко модула има програмата?\n\n- = 7\n",
    "## Въпрос {n}\n\n- Мисия -> Защо\n- Визия -> Накъде\n- Цел -> Какво\n",
    "## Въпрос {n} {{type=ordering}}\n\n1. Анализ\n2. Дизайн\n3. Разработка\n",
    "## Въпрос {n}\n\nПриема се от {{{{=съвета ~кмета}}}} за {{{{#4:1}}}} години.\n",
    "## Въпрос {n} {{type=essay}}\n\nОпишете услуга.\n",
)


def packager_targets() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from packager.targets import TARGETS

    return list(TARGETS)


def lorem_rng(seed: int) -> Callable[[int], str]:
    """Filler text of N words, the same for the same seed."""
    rng = random.Random(seed)
    return lambda words: lorem(rng, words)


def bench_env(work: Path, **extra: str) -> dict[str, str]:
    """The environment of every measured process: byte code cached (in ``work``), as in an
    installed packager or text2qti, whatever PYTHONDONTWRITEBYTECODE says here; the warm-up
    run of each tool compiles it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, PYTHONPYCACHEPREFIX=str(work / "pycache"), **extra)


@dataclass
class Usage:
    cpu: float  # user + system seconds, of the process and the children it waited for
    wall: float
    peak_mib: int  # the largest resident set of the process or one of its children


def run_process(cmd: list[str], env: dict[str, str], cwd: Path) -> Usage:
    """Run one whole process; what it cost. (``cwd`` is not the repository: there, `python -m`
    would import the packager beside it, whatever PYTHONPATH says.)"""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return Usage(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss // 1024)


def build_cmd(content: Path, targets: list[str], out: Path, jobs: int | None) -> list[str]:
    cmd = [sys.executable, "-m", "packager.cli", "build", str(content), "-o", str(out), "-q"]
    for target in targets:
        cmd += ["-t", target]
    return cmd + (["-j", str(jobs)] if jobs else [])


# -- only zipping --------------------------------------------------------------------------


def read_entries(path: Path) -> dict[str, bytes]:
    """The files an output holds: a zip's or tar's entries, a folder's files, a file itself."""
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*")
                if p.is_file()}  # fmt: skip
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as tar:
            return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    return {path.name: path.read_bytes()}


def zip_cost(out: Path, repeat: int) -> float:
    """CPU seconds of writing the same entries as the outputs in ``out`` with packager.archive
    alone: zips as zips, tar.gz as tar.gz, folders and plain files as files (the median of
    ``repeat`` runs, as for the builds it is compared with). The entries are read first and not
    counted."""
    sys.path.insert(0, str(ROOT))
    from packager import archive

    outputs = [p for p in sorted(out.iterdir()) if not p.name.startswith(".")]
    loaded = [(p, read_entries(p)) for p in outputs]
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            start = time.process_time()
            for i, (path, entries) in enumerate(loaded):
                dest = Path(scratch) / str(i)
                if path.is_file() and zipfile.is_zipfile(path):
                    archive.write_zip(dest, entries, archive.ZIP_EPOCH)
                elif path.is_file() and tarfile.is_tarfile(path):
                    archive.write_tar_gz(dest, entries, archive.ZIP_EPOCH)
                else:
                    dest.mkdir()
                    for name, data in entries.items():
                        (dest / name).parent.mkdir(parents=True, exist_ok=True)
                        (dest / name).write_bytes(data)
            runs.append(time.process_time() - start)
    return statistics.median(runs)


def zip_tool_cost(out: Path, repeat: int, work: Path) -> float | None:
    """CPU seconds of Info-ZIP's ``zip -9`` (already compressed formats stored, as packager
    does) making the zip-like outputs in ``out`` from their unpacked files, whole processes
    (median of ``repeat``); None without ``zip`` on PATH. A second view of the floor: the zips
    a shell script would make. The in-process floor above is the stricter one."""
    from packager.archive import STORED

    tool = shutil.which("zip")
    if tool is None:
        return None
    trees = []
    for i, path in enumerate(sorted(out.iterdir())):
        if path.is_file() and zipfile.is_zipfile(path):
            tree = work / "unpacked" / str(i)
            with zipfile.ZipFile(path) as zf:
                zf.extractall(tree)
            trees.append(tree)
    stored = ":".join(STORED)
    runs = []
    for _ in range(repeat):
        cpu = 0.0
        with tempfile.TemporaryDirectory() as scratch:
            for i, tree in enumerate(trees):
                cmd = [tool, "-q", "-9", "-X", "-r", "-n", stored, f"{scratch}/{i}.zip", "."]
                cpu += run_process(cmd, dict(os.environ), tree).cpu
        runs.append(cpu)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=int, default=0, help="generate a course of N lessons")
    parser.add_argument("--images", type=int, default=0, help="…with N images")
    parser.add_argument("--questions", type=int, default=0, help="…and a bank of N questions")
    parser.add_argument("--target", action="append", help="measure only this target")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--cold", action="store_true", help="empty cache (images, Markdown) for every run"
    )
    parser.add_argument("-j", "--jobs", type=int, help="passed to packager build")
    parser.add_argument("--base", type=Path, help="folder of an older packager to measure too")
    parser.add_argument(
        "--packager", type=Path, default=ROOT, help="folder of the packager to measure (this one)"
    )
    parser.add_argument(
        "--zip-cost", action="store_true", help="every target against only zipping its outputs"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="packager-bench-"))
    try:
        if args.lessons or args.questions or args.images:
            content = work / "content"
            generate(content, args.lessons, args.images, args.questions)
            label = (
                f"generated: {args.lessons} lessons, {args.images} images, "
                f"{args.questions} questions"
            )
        else:
            content = ROOT / "content"
            label = "content/"
        env = bench_env(work, PACKAGER_CACHE_DIR=str(work / "cache"))
        versions = [("", dict(env, PYTHONPATH=str(args.packager.resolve())))]
        if args.base:
            versions.append((" (base)", dict(env, PYTHONPATH=str(args.base.resolve()))))
        targets = args.target or packager_targets()
        rows = [("all targets", targets)]
        if not args.zip_cost:
            rows += [(t, [t]) for t in targets]
        print(f"{label}  (median of {args.repeat}; whole process, Python start-up included)")
        print(f"{'target':<20}{'CPU s':>8}{'wall s':>8}{'peak MiB':>10}")
        for _, version_env in versions:  # images and Markdown cached, byte code compiled
            run_process(build_cmd(content, targets, work / "warm", None), version_env, work)
        for name, chosen in rows:
            for suffix, version_env in versions:
                jobs = None if suffix else args.jobs
                runs = []
                for run in range(args.repeat):
                    if args.cold:
                        shutil.rmtree(work / "cache", ignore_errors=True)
                    cmd = build_cmd(content, chosen, work / f"out{suffix}-{run}", jobs)
                    runs.append(run_process(cmd, version_env, work))
                cpu = statistics.median(u.cpu for u in runs)
                wall = statistics.median(u.wall for u in runs)
                peak = max(u.peak_mib for u in runs)
                print(f"{name + suffix:<20}{cpu:>8.3f}{wall:>8.3f}{peak:>10}")
                if args.zip_cost and not suffix:
                    zipping = zip_cost(work / "warm", args.repeat)
                    print(f"{'only zipping':<20}{zipping:>8.3f}")
                    print(f"build / zipping: {cpu / zipping:.2f}×")
                    tool = zip_tool_cost(work / "warm", args.repeat, work)
                    if tool is not None:
                        print(f"{'zip -9 (zips only)':<20}{tool:>8.3f}")
                        print(f"build / zip -9: {cpu / tool:.2f}×")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
