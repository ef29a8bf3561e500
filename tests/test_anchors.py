"""Links to an #anchor: within a page and to another page, every one points at an id that the
target's HTML has (a heading's, a footnote's, a {#id} or an id="…"), or is a located error."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from packager.diagnostics import Diagnostics
from packager.loader import _Loader, load
from packager.messages import set_language
from packager.verify import verify_all

from .conftest import load_course, problems, run_cli

M1 = "01-основи"
STRATEGY = f"{M1}/01-стратегия.md"
CONTENT = Path(__file__).resolve().parents[1] / "content"
HINT = '; a heading\'s id is its text in lower case with "-" for spaces, or the one given as {#id}'


def _append(course_dir: Path, rel: str, text: str) -> int:
    """Add ``text`` as the last lines of a file; the line it starts on."""
    path = course_dir / rel
    before = path.read_text("utf-8").rstrip("\n") + "\n\n"
    path.write_text(before + text + "\n", "utf-8")
    return before.count("\n") + 1


def test_the_fixture_links_to_an_anchor_that_is_there(course_dir):
    assert problems(course_dir) == []
    course, _ = load_course(course_dir)
    assert 'href="doc:01-основи/02-данни#източници"' in unquote(course.lessons[0].html)


@pytest.mark.parametrize(
    "target",
    [
        "#защо-стратегия",  # a heading's id, made from its text
        "#цели",  # a heading's own {#id}
        "#fn:1",  # a footnote
        "#каре",  # an element with an id
        "#%D0%BA%D0%B0%D1%80%D0%B5",  # the same, percent-encoded
        "02-данни.md#източници",
        "../02-услуги/01-дигитални.md",  # no anchor: nothing to check
    ],
)
def test_anchors_that_are_there(course_dir, target):
    _append(
        course_dir,
        STRATEGY,
        f'## Цели на плана {{#цели}}\n\n<div id="каре">Каре</div>\n\nВижте [тук]({target}).',
    )
    assert problems(course_dir) == []


def test_a_missing_anchor_on_the_same_page(course_dir):
    line = _append(course_dir, STRATEGY, "Вижте [по-горе](#защо-стратеги) и [там](#никъде).")
    assert problems(course_dir) == [
        f'{STRATEGY}:{line}:7: error: link to "#защо-стратеги": nothing on this page has the '
        'id "защо-стратеги" (did you mean "защо-стратегия"?)' + HINT,
        f'{STRATEGY}:{line}:35: error: link to "#никъде": nothing on this page has the id '
        '"никъде"' + HINT,
    ]


def test_a_missing_anchor_in_another_lesson(course_dir):
    path = course_dir / STRATEGY
    path.write_text(path.read_text("utf-8").replace("#източници", "#източник"), "utf-8")
    assert problems(course_dir) == [
        f'{STRATEGY}:19:23: error: link to "02-данни.md#източник": nothing in "02-данни.md" '
        'has the id "източник" (did you mean "източници"?)' + HINT
    ]


def test_anchors_are_checked_wherever_a_link_is(course_dir):
    """In objectives, module and course summaries and in quizzes; links to a later module's
    lesson too (checked once every page is rendered)."""
    path = course_dir / STRATEGY
    path.write_text(
        path.read_text("utf-8").replace(
            "  - да обясните",
            "  - да прочетете [урока](../02-услуги/01-дигитални.md#няма)\n  - да обясните",
        ),
        "utf-8",
    )
    module_line = _append(course_dir, f"{M1}/module.md", "Започнете от [тук](01-стратегия.md#x).")
    quiz_line = _append(
        course_dir,
        f"{M1}/03-тест.md",
        "## Къде?\n\nВижте [урока](02-данни.md#y)\n\n- (x) да\n- ( ) не",
    )
    out = problems(course_dir)
    assert [p.split(": error: ")[0] for p in out] == [
        f"{M1}/module.md:{module_line}:14",
        f"{STRATEGY}:5:18",
        f"{M1}/03-тест.md:{quiz_line + 2}:7",
    ]
    assert 'link to "../02-услуги/01-дигитални.md#няма": nothing in' in out[1]


def test_course_summary_links_are_checked(course_dir):
    path = course_dir / "course.yml"
    path.write_text(
        path.read_text("utf-8").replace(
            "тест.\n", "тест. [Начало](01-основи/01-стратегия.md#начало)\n"
        ),
        "utf-8",
    )
    assert problems(course_dir) == [
        'course.yml:12:82: error: link to "01-основи/01-стратегия.md#начало": nothing in '
        '"01-основи/01-стратегия.md" has the id "начало"' + HINT
    ]


def test_a_quiz_has_no_anchors_to_link_to(course_dir):
    line = _append(course_dir, STRATEGY, "Опитайте [теста](03-тест.md#mission).")
    assert problems(course_dir) == [
        f'{STRATEGY}:{line}:10: error: link to "03-тест.md#mission": a quiz has no anchors to '
        "link to (its questions are numbered anew in each attempt, and may be drawn or "
        'shuffled): link to the quiz itself, "03-тест.md"'
    ]
    # a quiz's own page: its texts' ids, not its questions'
    quiz = f"{M1}/03-тест.md"
    line = _append(course_dir, quiz, "## Къде?\n\nВижте [въпроса](#mission)\n\n- (x) да\n- ( ) не")
    assert f'{quiz}:{line + 2}:7: error: link to "#mission": the quiz has no anchor "mission" ' in (
        "\n".join(problems(course_dir))
    )


def test_no_anchor_error_for_a_page_that_could_not_be_read(course_dir):
    (course_dir / M1 / "02-данни.md").write_bytes(b"---\ntitle: \xff\n---\n")
    out = problems(course_dir)
    assert len(out) == 1 and out[0].startswith(f"{M1}/02-данни.md:2:8: error: ")


def test_the_same_broken_anchor_twice_is_two_errors(course_dir):
    line = _append(course_dir, STRATEGY, "[а](#x) и [б](#x)\n\n[в](#x)")
    assert [p.split(": error: ")[0] for p in problems(course_dir)] == [
        f"{STRATEGY}:{line}:1",
        f"{STRATEGY}:{line}:11",
        f"{STRATEGY}:{line + 2}:1",
    ]


def test_the_anchor_message_in_bulgarian(course_dir):
    line = _append(course_dir, STRATEGY, "[а](#x)")
    try:
        set_language("bg")
        out = problems(course_dir)
    finally:
        set_language("en")
    assert out == [
        f"{STRATEGY}:{line}:1: error: връзка към „#x“: на тази страница няма елемент с id „x“; "
        "id на заглавие е текстът му с малки букви и „-“ вместо интервалите, или зададеното "
        "с {#id}"
    ]


def test_what_the_loader_accepts_the_site_has(course_dir, tmp_path):
    """The ids the check knows are the ids of the built pages: verify finds every anchor."""
    _append(
        course_dir,
        STRATEGY,
        "## Цели на плана {#цели}\n\n[а](#цели), [б](#защо-стратегия), [в](02-данни.md#източници)",
    )
    assert problems(course_dir) == []
    out = tmp_path / "out"
    assert run_cli("build", str(course_dir), "-o", str(out), "-t", "site").exit_code == 0
    site = next(p for p in out.iterdir() if p.suffix == ".zip" or p.is_dir())
    reports = verify_all(site)
    assert all(r.ok for r in reports), [p for r in reports for p in r.problems]


@pytest.mark.skipif(not any(CONTENT.glob("*/module.md")), reason="no programme in content/")
def test_the_programme_has_no_broken_anchors():
    course, diags = load_course(CONTENT)
    assert course is not None
    assert not [str(d) for d in diags if "link to" in d.message]


def test_a_file_read_again_has_its_anchors_checked_again(course_dir):
    """What the preview does when one lesson changes: forget its anchors and links, read and
    render it again, check the links written in it."""
    diags = Diagnostics()
    loader = _Loader(course_dir, diags, None, False)
    load(course_dir, diags, loader=loader)
    assert not list(diags)
    pending = loader.by_path[STRATEGY]
    line = _append(course_dir, STRATEGY, "[а](#защо-стратегия) [б](#няма)")
    # as the preview does (packager/preview): forget what the file left, read it, check it
    loader.ids = {k: v for k, v in loader.ids.items() if v[1] != STRATEGY}
    loader.resolved = {k: v for k, v in loader.resolved.items() if k[1] != STRATEGY}
    loader.anchors.pop(STRATEGY)
    loader.anchor_links = [link for link in loader.anchor_links if link.rel != STRATEGY]
    again = loader._read_item(course_dir / STRATEGY, STRATEGY, pending.module)
    assert again is not None
    loader._render_item(again, pending.module)
    loader.check_anchors([link for link in loader.anchor_links if link.rel == STRATEGY])
    assert [str(d).split(": error: ")[0] for d in diags.sorted()] == [f"{STRATEGY}:{line}:22"]
    assert len(loader.anchor_links) == 3  # the two new ones and 01-стратегия's own, once
