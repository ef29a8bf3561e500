"""Benchmark: wall time and peak memory of whole `packager build` runs, per target.

    python bench/run.py                                   # the real programme in content/
    python bench/run.py --lessons 500 --images 200        # a generated course of that size
    python bench/run.py --questions 1000 --target moodlexml

Each measurement is a separate `packager build` process (Python start-up included), so the
numbers are what a designer or CI waits for. Images are processed once and cached; `--cold`
measures with an empty cache.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
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
    """A course with ``lessons`` lessons of ~900 words, ``images`` images spread over them and
    a question bank of ``questions`` mixed questions."""
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
        parts = ["---\ntype: quiz\ntitle: Голяма банка\n---\n"]
        for q in range(questions):
            parts.append(QUESTION_TEMPLATES[q % len(QUESTION_TEMPLATES)].format(n=q))
        (bank / "bank.md").write_text("\n".join(parts), "utf-8")


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


def measure(content: Path, targets: list[str], out: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak RSS (MiB) of one `packager build` process."""
    cmd = [sys.executable, "-m", "packager.cli", "build", str(content), "-o", str(out), "-q"]
    for target in targets:
        cmd += ["-t", target]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=int, default=0, help="generate a course of N lessons")
    parser.add_argument("--images", type=int, default=0, help="…with N images")
    parser.add_argument("--questions", type=int, default=0, help="…and a bank of N questions")
    parser.add_argument("--target", action="append", help="measure only this target")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--cold", action="store_true", help="empty image cache for every run")
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
        env = dict(os.environ, PYTHONPATH=str(ROOT), PACKAGER_CACHE_DIR=str(work / "cache"))
        targets = args.target or packager_targets()
        rows = [("all targets", targets)] + [(t, [t]) for t in targets]
        print(f"{label}  (best of {args.repeat}; whole process, Python start-up included)")
        print(f"{'target':<14}{'seconds':>9}{'peak MiB':>10}")
        measure(content, targets, work / "warm", env)  # fill the image cache
        for name, chosen in rows:
            best_t, best_m = float("inf"), 0
            for run in range(args.repeat):
                if args.cold:
                    shutil.rmtree(work / "cache", ignore_errors=True)
                seconds, peak = measure(content, chosen, work / f"out-{run}", env)
                if seconds < best_t:
                    best_t, best_m = seconds, peak
            print(f"{name:<14}{best_t:>9.3f}{best_m:>10}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
