"""Benchmark: packager against text2qti on the same question bank, side by side.

    pip install text2qti==0.8.0                     # bench only; not a packager dependency
    python bench/versus.py                          # banks of 1,000 and 5,000 questions
    python bench/versus.py --questions 2000 --runs 7
    python bench/versus.py --base /tmp/old          # also an older packager (its folder holds
                                                    # the packager/ package), for before/after

One bank of mixed Bulgarian questions of the kinds both tools carry (single and multiple
choice, true/false, short answer, numerical, essay), written in each tool's syntax: packager
builds the Moodle XML bank (``build -t moodlexml``; quizzes of 500 questions, a file
per quiz and one for the whole bank), text2qti its QTI zip. Every run is a
whole process (Python start-up included); the tools take turns, and the table shows the median
CPU time (user + system, of the process and anything it started) and the peak resident memory.
Without text2qti installed only packager is measured.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from run import ROOT, Usage, bench_env, lorem_rng, run_process

# (packager's Markdown quiz, text2qti's format): the same question in both. Modelled on the
# programme's final test: texts over two lines, with parentheses and colons, feedback on the
# answers and on the question; a third of the texts have emphasis.
SHARED_KINDS = (
    (
        "## Въпрос {n}\n\nКое е вярно за услуга **{n}** (в общинската библиотека)? {a}\n"
        "Изберете един отговор: само един е верен.\n\n"
        "- (x) Първото: {b}\n  > Да, защото {c}.\n- ( ) Второто\n  > Не (вижте урока).\n"
        "- ( ) Третото\n\nОбратна връзка: Обяснение {n}: {d}\n"
        "целите са малко и са свързани с мисията.\n",
        "Title: Въпрос {n}\n{k}.  Кое е вярно за услуга **{n}** (в общинската библиотека)? {a}\n"
        "{ind}Изберете един отговор: само един е верен.\n"
        "... Обяснение {n}: {d}\n    целите са малко и са свързани с мисията.\n"
        "*a) Първото: {b}\n... Да, защото {c}.\nb) Второто\n... Не (вижте урока).\n"
        "c) Третото\n",
    ),
    (
        "## Въпрос {n}\n\nКои от изброените са верни за програма {n}? {a}\n"
        "(Изберете всички верни отговори.)\n\n- [x] А: {b}\n- [x] Б\n- [ ] В\n- [ ] Г\n",
        "Title: Въпрос {n}\n{k}.  Кои от изброените са верни за програма {n}? {a}\n"
        "{ind}(Изберете всички верни отговори.)\n[*] А: {b}\n[*] Б\n[ ] В\n[ ] Г\n",
    ),
    (
        "## Въпрос {n}\n\nВярно или невярно? Библиотека {n} е обществена институция: {a}.\n\n"
        "- (x) Вярно\n- ( ) Невярно\n  > Не: {b}.\n",
        "Title: Въпрос {n}\n{k}.  Вярно или невярно? Библиотека {n} е обществена институция: "
        "{a}.\n*a) Вярно\nb) Невярно\n... Не: {b}.\n",
    ),
    (
        "## Въпрос {n}\n\nКоя е столицата на Финландия (въпрос {n})? {a}\n\n"
        "- = Хелзинки\n- = Helsinki\n",
        "Title: Въпрос {n}\n{k}.  Коя е столицата на Финландия (въпрос {n})? {a}\n"
        "*   Хелзинки\n*   Helsinki\n",
    ),
    (
        "## Въпрос {n}\n\nФондът е 48 000 тома, а заеманията са 19 200 (година {n}). Каква е\n"
        "обращаемостта на фонда? {a}\n\n- = 0.4 ± 0.01\n",
        "Title: Въпрос {n}\n{k}.  Фондът е 48 000 тома, а заеманията са 19 200 (година {n}). "
        "Каква е\n{ind}обращаемостта на фонда? {a}\n=   0.4 +- 0.01\n",
    ),
    (
        "## Въпрос {n} {{type=essay}}\n\nОпишете услуга _{n}_ на вашата библиотека: {a}\n"
        "(три до пет изречения).\n",
        "Title: Въпрос {n}\n{k}.  Опишете услуга _{n}_ на вашата библиотека: {a}\n"
        "{ind}(три до пет изречения).\n____\n",
    ),
)


PER_FILE = 500  # questions in one quiz file of the course (a file holds at most 5,000 texts)


def write_banks(folder: Path, questions: int, seed: int = 1) -> tuple[Path, Path]:
    """The same bank as a packager course (quizzes of PER_FILE questions in one module) and as
    one text2qti quiz file."""
    rng = lorem_rng(seed)
    course = folder / "course"
    module = course / "01-test"
    module.mkdir(parents=True)
    (course / "course.yml").write_text(
        "title: Банка\nshort_name: bank\nversion: 1.0\ndate: 2026-01-01\n", "utf-8"
    )
    (module / "module.md").write_text("---\ntitle: Тестове\n---\nВъпроси.\n", "utf-8")
    ours: list[str] = []
    theirs = ["Quiz title: Голяма банка\nQuiz description: Въпроси.\n"]
    for n in range(questions):
        if n % PER_FILE == 0:
            ours = [f"---\ntype: quiz\ntitle: Банка {n // PER_FILE + 1}\n---\n"]
        mine, other = SHARED_KINDS[n % len(SHARED_KINDS)]
        words = {key: rng(count) for key, count in (("a", 8), ("b", 4), ("c", 6), ("d", 8))}
        ours.append(mine.format(n=n, **words))
        ind = " " * len(f"{n + 1}.  ")  # a wrapped line starts where the text does
        theirs.append(other.format(n=n, k=n + 1, ind=ind, **words))
        if n % PER_FILE == PER_FILE - 1 or n == questions - 1:
            (module / f"bank-{n // PER_FILE + 1:02d}.md").write_text("\n".join(ours), "utf-8")
    quiz = folder / "text2qti" / "bank.txt"
    quiz.parent.mkdir()
    quiz.write_text("\n".join(theirs), "utf-8")
    return course, quiz


def packager_cmd(course: Path, out: Path, jobs: int | None) -> list[str]:
    cmd = [sys.executable, "-m", "packager.cli", "build", str(course), "-o", str(out), "-q"]
    cmd += ["-t", "moodlexml"]
    return cmd + (["-j", str(jobs)] if jobs else [])


def text2qti_cmd(quiz: Path) -> list[str]:
    return [sys.executable, "-c", "from text2qti.cmdline import main; main()", str(quiz)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="text2qti is measured when installed: pip install text2qti==0.8.0",
    )
    parser.add_argument("--questions", type=int, action="append", help="bank size (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each tool (median kept)")
    parser.add_argument("--base", type=Path, help="folder of an older packager to measure too")
    parser.add_argument(
        "--packager", type=Path, default=ROOT, help="folder of the packager to measure (this one)"
    )
    args = parser.parse_args()
    sizes = args.questions or [1000, 5000]
    have_text2qti = importlib.util.find_spec("text2qti") is not None
    if not have_text2qti:
        print("text2qti is not installed (pip install text2qti==0.8.0): packager only")

    work = Path(tempfile.mkdtemp(prefix="packager-versus-"))
    # text2qti writes a config file into the home folder on its first run: keep it here
    env = bench_env(work, HOME=str(work), PACKAGER_CACHE_DIR=str(work / "cache"))
    tools: list[tuple[str, dict[str, str]]] = [
        ("packager", dict(env, PYTHONPATH=str(args.packager.resolve())))
    ]
    if args.base:
        tools.append(("packager (base)", dict(env, PYTHONPATH=str(args.base.resolve()))))
    try:
        print(f"median of {args.runs} runs; CPU = user + system; whole processes")
        print(f"{'questions':>9}  {'tool':<16}{'CPU s':>8}{'wall s':>8}{'peak MiB':>10}{'×':>7}")
        for size in sizes:
            folder = work / f"bank-{size}"
            course, quiz = write_banks(folder, size)
            results: dict[str, list[Usage]] = {}
            commands = [
                (name, packager_cmd(course, folder / f"out-{i}", None), tool_env)
                for i, (name, tool_env) in enumerate(tools)
            ]
            if have_text2qti:
                commands.append(("text2qti 0.8.0", text2qti_cmd(quiz), env))
            for _, cmd, tool_env in commands:  # warm-up: byte code compiled and cached
                run_process(cmd, tool_env, work)
            for _ in range(args.runs):  # taking turns: load on the machine hits all alike
                for name, cmd, tool_env in commands:
                    results.setdefault(name, []).append(run_process(cmd, tool_env, work))
            reference = results.get("text2qti 0.8.0")
            ref_cpu = statistics.median(u.cpu for u in reference) if reference else None
            for name, runs in results.items():
                cpu = statistics.median(u.cpu for u in runs)
                wall = statistics.median(u.wall for u in runs)
                peak = max(u.peak_mib for u in runs)
                ratio = f"{ref_cpu / cpu:6.2f}×" if ref_cpu else ""
                print(f"{size:>9}  {name:<16}{cpu:>8.3f}{wall:>8.3f}{peak:>10}{ratio:>7}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
