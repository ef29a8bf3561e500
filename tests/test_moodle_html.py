"""The HTML of the Moodle backup dressed in what Moodle's themes style (common/moodle_theme.py):
fluid images, Bootstrap tables in a scroll box, admonitions as alerts, figures; nothing of the
text lost; the other targets untouched.

The read-back tests use the fixture course with one more lesson and one more question that
have everything the dressing handles (a figure, a wide table, every kind of box, an iframe).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from packager.refs import resolve
from packager.sanitize import sanitize
from packager.targets.common import moodle_theme
from packager.targets.common.moodle_theme import (
    ALERTS,
    IMAGE_STYLE,
    TABLE_CLASSES,
    WRAPPER_CLASSES,
    fit_theme,
)

from .conftest import FIXTURE, load_course, run_cli, write
from .mbz_reader import Backup
from .test_architecture import PACKAGER, imports, module_name

PACKAGE = "proben-kurs-0.1.0.mbz"
ADDED_CLASSES = {
    "img-fluid", "figure", "figure-img", "figure-caption", *TABLE_CLASSES, "alert",
    "alert-heading", "mb-0", *(f"alert-{c}" for c in ("info", "success", "warning", "danger")),
}  # fmt: skip

LESSON = """---
title: Оформление на страницата
minutes: 5
---
## Фигура

<figure><img src="images/цикъл.png" alt="Цикълът на планирането"><figcaption>Цикълът на
планирането в четири стъпки</figcaption></figure>

![Читалнята](images/читалня.jpg){ width="1600" }

## Широка таблица

| Година | Читатели | Посещения | Заети книги | Събития | Доброволци | Партньори | Проекти |
|--------|----------|-----------|-------------|---------|------------|-----------|---------|
| 2024 | 1200 | 15000 | 22000 | 48 | 12 | 9 | 3 |
| 2025 | 1350 | 16800 | 23500 | 61 | 15 | 11 | 4 |

!!! tip "Съвет"
    Започнете с малко.

!!! warning "Внимание"
    Данните се проверяват.

    Втори абзац.

!!! danger "Опасност"
    Не публикувайте лични данни.

!!! note
    Без заглавие от автора.

!!! example "Пример"
    Вид, който темата не познава.

<iframe src="https://www.youtube-nocookie.com/embed/abc" width="1200" height="600"
title="Видео"></iframe>
"""

QUESTION = """
## Коя година има повече читатели?

| Година | Читатели |
|--------|----------|
| 2024 | 1200 |
| 2025 | 1350 |

!!! note "Бележка"
    Вижте таблицата.

- (x) 2025
  > ![Цикъл](images/цикъл.png) Да.
- ( ) 2024
"""


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> Path:
    """The fixture course with the lesson and the question above."""
    root = tmp_path_factory.mktemp("rich") / "content"
    shutil.copytree(FIXTURE, root)
    module = root / "01-основи"
    write(module / "05-оформление.md", LESSON)
    text = (module / "module.md").read_text("utf-8")
    (module / "module.md").write_text(
        text.replace("  - 04-бележки.md\n", "  - 04-бележки.md\n  - 05-оформление.md\n"), "utf-8"
    )
    quiz = module / "03-тест.md"
    quiz.write_text(quiz.read_text("utf-8") + QUESTION, "utf-8")
    return root


@pytest.fixture(scope="module")
def course(rich):
    loaded, diags = load_course(rich)
    assert not [d for d in diags.sorted() if d.severity == "error"]
    return loaded


@pytest.fixture(scope="module", params=["4", "5"])
def backup(request, rich, tmp_path_factory) -> Backup:
    out = tmp_path_factory.mktemp(f"moodle{request.param}")
    args = ["build", str(rich), "-o", str(out), "-t", "moodle", "-O"]
    result = run_cli(*args, f"moodle.version={request.param}")
    assert result.exit_code == 0, result.output
    return Backup(out / PACKAGE)


def tree(fragment: str) -> etree._Element:
    return lxml_html.fragment_fromstring(fragment, create_parent="div")


def classes(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split()


def texts(backup: Backup) -> list[tuple[str, etree._Element]]:
    return [(f"{name} {field}", tree(t)) for name, field, t in backup.html_texts()]


def model_html(course) -> list[str]:
    """Every HTML text of the model, sanitized as the targets write it."""
    out = [course.summary]
    for module in course.modules:
        out.append(module.summary)
        for item in module.items:
            out += [getattr(item, a, "") for a in ("html", "intro")]
            out += [c.text for c in getattr(item, "criteria", ())]
            for q in getattr(item, "questions", ()):
                out += [q.text, q.general_feedback, *q.hints, getattr(q, "grader_info", "")]
                out += [q.correct_feedback, q.partial_feedback, q.incorrect_feedback]
                out += [c.text for c in getattr(q, "choices", ())]
                out += [c.feedback for c in getattr(q, "choices", ())]
                out += [p.prompt for p in getattr(q, "pairs", ())] + getattr(q, "items", [])
    return [sanitize(h, course.iframe_hosts) for h in out if h]


def undress(fragment: str) -> str:
    """``fragment`` without what fit_theme adds, serialized canonically for comparison."""
    root = tree(fragment)
    for box in root.xpath('//div[contains(concat(" ", @class, " "), " table-responsive ")]'):
        box.drop_tag()
    for strong in root.xpath('//p[contains(@class, "alert-heading")]/strong'):
        strong.drop_tag()
    for el in root.iter():
        kept = [c for c in classes(el) if c not in ADDED_CLASSES]
        if "class" in el.attrib:
            el.attrib.pop("class")
            if kept:
                el.set("class", " ".join(kept))
        el.attrib.pop("style", None)
        if "admonition" in kept:
            el.attrib.pop("role", None)
            kept = [c.removeprefix("admonition-") if c != "admonition-title" else c for c in kept]
            el.set("class", " ".join(kept))
    return canonical(root)


def canonical(root: etree._Element) -> str:
    for el in root.iter():
        items = sorted(el.attrib.items())
        el.attrib.clear()
        el.attrib.update(items)
    return etree.tostring(root, encoding="unicode", method="html")


# ---------------------------------------------------------------------------------------------
# fit_theme itself


def test_images_get_the_fluid_class_and_style_and_keep_their_size():
    out = fit_theme('<p><img alt="a &quot;b&quot; > c" src="x.png" width="1500" height="470"></p>')
    img = tree(out).find(".//img")
    assert classes(img) == ["img-fluid"]
    assert img.get("style") == IMAGE_STYLE == "max-width:100%;height:auto"
    assert (img.get("width"), img.get("height"), img.get("alt")) == ("1500", "470", 'a "b" > c')


def test_tables_are_classed_and_wrapped_even_nested():
    out = fit_theme("<table><tr><td><table><tr><td>n</td></tr></table></td></tr></table><p>x</p>")
    root = tree(out)
    tables = root.findall(".//table")
    assert len(tables) == 2
    for table in tables:
        assert classes(table) == list(TABLE_CLASSES)
        assert classes(table.getparent()) == list(WRAPPER_CLASSES)
    assert out.endswith("</table></div><p>x</p>")


def test_admonitions_become_alerts_with_their_title():
    for kind, colour in [("note", "info"), ("tip", "success"), ("warning", "warning"),
                         ("danger", "danger"), ("seealso", "info")]:  # fmt: skip
        out = fit_theme(
            f'<div class="admonition {kind}">\n<p class="admonition-title">T</p>\n'
            "<p>One.</p>\n<p>Two.</p>\n</div>"
        )
        assert out == (
            f'<div class="admonition admonition-{kind} alert alert-{colour}" role="note">\n'
            '<p class="admonition-title alert-heading"><strong>T</strong></p>\n'
            '<p>One.</p>\n<p class="mb-0">Two.</p>\n</div>'
        )
    assert ALERTS["tip"] == "success"


def test_figures_get_bootstraps_figure_classes():
    out = fit_theme('<figure><img src="a.png" alt=""><figcaption>C</figcaption></figure>')
    assert out == (
        '<figure class="figure"><img src="a.png" alt="" class="figure-img img-fluid" '
        f'style="{IMAGE_STYLE}"><figcaption class="figure-caption">C</figcaption></figure>'
    )


def test_media_and_frames_never_overflow():
    out = fit_theme('<iframe src="https://x/y" width="1200"></iframe><video src="v"></video>')
    assert 'width="1200" style="max-width:100%"></iframe>' in out
    assert f'<video src="v" style="{IMAGE_STYLE}">' in out


def test_what_needs_nothing_keeps_its_bytes():
    for text in ["", "plain", "<p>Text <strong>b</strong> &amp; <a href='x'>l</a></p>",
                 '<div class="footnote"><hr><ol><li id="fn:1"><p>x</p></li></ol></div>',
                 "<pre><code>&lt;table&gt;</code></pre>", "</p>stray"]:  # fmt: skip
        assert fit_theme(text) == text


def test_styles_and_classes_of_the_element_stay():
    out = fit_theme('<img class="icon" style="border:0" src="a.png">')
    assert out == f'<img class="icon img-fluid" style="border:0;{IMAGE_STYLE}" src="a.png">'


def test_dressing_twice_changes_nothing(course):
    for fragment in model_html(course):
        once = fit_theme(fragment)
        assert fit_theme(once) == once


def test_only_classes_styles_wrappers_and_title_emphasis_are_added(course):
    """Every text of the model, dressed and undressed again, is what it was: no element, no
    attribute and no character of text lost or changed."""
    fragments = model_html(course)
    assert any("admonition" in f for f in fragments) and any("<table" in f for f in fragments)
    for fragment in fragments:
        dressed = fit_theme(fragment)
        assert undress(dressed) == canonical(tree(fragment)), fragment
        assert tree(dressed).text_content() == tree(fragment).text_content()


# ---------------------------------------------------------------------------------------------
# The backup read back


def test_every_image_of_the_backup_is_fluid(backup, course):
    sizes = {
        img.get("alt"): (img.get("width"), img.get("height"))
        for fragment in model_html(course)
        for img in tree(fragment).iter("img")
    }
    found = 0
    for where, root in texts(backup):
        for img in root.iter("img"):
            found += 1
            assert "img-fluid" in classes(img), where
            style = (img.get("style") or "").replace(" ", "")
            assert "max-width:100%" in style and "height:auto" in style, where
            # the size the model gives stays, so the page keeps its layout while it loads
            assert (img.get("width"), img.get("height")) == sizes[img.get("alt")], where
            in_figure = any(a.tag == "figure" for a in img.iterancestors())
            assert ("figure-img" in classes(img)) == in_figure, where
    assert found >= 4 and ("1600", None) in sizes.values()


def test_every_table_of_the_backup_is_classed_and_scrolls_in_its_box(backup):
    found = 0
    for where, root in texts(backup):
        for table in root.iter("table"):
            found += 1
            assert set(TABLE_CLASSES) <= set(classes(table)), where
            assert "table-responsive" in classes(table.getparent()), where
    assert found >= 4  # the lesson's two, the question's, an assignment's criteria


def test_admonitions_of_the_backup_are_alerts_with_their_title(backup, course):
    expected = {"tip": "success", "warning": "warning", "danger": "danger"}
    found = []
    for where, root in texts(backup):
        for box in root.xpath('//div[contains(concat(" ", @class, " "), " admonition ")]'):
            kind = classes(box)[1].removeprefix("admonition-")
            colour = expected.get(kind, "info")
            # no bare kind: Moodle's own .warning makes any such element bold
            assert classes(box)[1] == f"admonition-{kind}" and kind not in classes(box), where
            assert classes(box)[2:] == ["alert", f"alert-{colour}"], where
            assert box.get("role") == "note"
            title = box[0]
            assert classes(title) == ["admonition-title", "alert-heading"], where
            assert [c.tag for c in title] == ["strong"] and not (title.text or "").strip()
            assert "mb-0" in classes(box[-1])
            found.append((kind, title.text_content()))
    assert ("tip", "Съвет") in found and ("note", "Бележка") in found
    assert ("danger", "Опасност") in found and ("example", "Пример") in found


def test_figures_and_frames_of_the_backup(backup):
    figures = [f for _, root in texts(backup) for f in root.iter("figure")]
    assert figures and all(classes(f) == ["figure"] for f in figures)
    for figure in figures:
        assert [classes(c) for c in figure.iter("figcaption")] == [["figure-caption"]]
    frames = [f for _, root in texts(backup) for f in root.iter("iframe")]
    assert frames and all("max-width:100%" in (f.get("style") or "") for f in frames)


def test_every_page_has_the_text_of_its_lesson(backup, course):
    """Nothing lost: a page's text is its objectives' heading and items, then the lesson's."""
    pages = {a.title: a for a in backup.activities if a.modname == "page"}
    assert len(pages) == len(course.lessons)
    for lesson in course.lessons:
        content = pages[lesson.title].el.findtext("content")
        got = tree(backup.text(content)).text_content()
        model = tree(resolve(lesson.html, lambda i: "", lambda i: "")).text_content()
        assert got.endswith(model.strip()) or got.endswith(model), lesson.title
        objectives = [tree(o).text_content() for o in lesson.objectives]
        assert all(o in got[: len(got) - len(model)] for o in objectives)


# ---------------------------------------------------------------------------------------------
# Only the Moodle backup changes


def test_only_the_moodle_backup_imports_the_dressing():
    users = {
        module_name(path)
        for path in sorted((PACKAGER / "targets").rglob("*.py"))
        for _, module in imports(path)
        if module.startswith("packager.targets.common.moodle_theme")
    }
    assert users and all(u.startswith("packager.targets.moodle") for u in users)


def test_the_other_targets_write_no_theme_classes(rich, tmp_path, monkeypatch):
    """The site, SCORM and Common Cartridge never dress their HTML: with the dressing broken
    they build as before, and none of their files has a Moodle theme class."""

    def broken(*args: object) -> str:
        raise AssertionError("fit_theme used outside the Moodle backup")

    monkeypatch.setattr(moodle_theme, "_start", broken)
    for target in ("site", "scorm12", "scorm2004", "cc"):
        result = run_cli("build", str(rich), "-o", str(tmp_path / target), "-t", target)
        assert result.exit_code == 0, result.output
    pattern = re.compile(rb"img-fluid|table-responsive|alert-heading|figure-caption")
    for path in tmp_path.rglob("*"):
        if path.suffix == ".zip" or path.suffix == ".imscc":
            with zipfile.ZipFile(path) as zf:
                assert not any(pattern.search(zf.read(n)) for n in zf.namelist()), path
        elif path.is_file():
            assert not pattern.search(path.read_bytes()), path


_PIECES = ["<p>", "</p>", "<em>", "</em>", "<strong>", "</strong>", "<ul><li>", "</li></ul>",
           "<h3>", "</h3>", '<a href="https://x.org">', "</a>", "<code>", "</code>", "<br>",
           '<img src="a.png" alt="a">', "<table><tr><td>", "</td></tr></table>", "<figure>",
           "</figure>", '<div class="admonition note">', '<p class="admonition-title">', "</div>",
           "<iframe>", "</iframe>", "текст", " ", "&amp;", "<blockquote>", "</blockquote>"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_html_with_nothing_to_dress_is_left_as_it_is(pieces: list[str]) -> None:
    """fit_theme skips HTML without a tag it dresses; on sanitized HTML that is what reading
    it tag by tag would give."""
    html = sanitize("".join(pieces), ["x.org"])
    assert moodle_theme.fit_theme(html) == moodle_theme._dress(html)


def test_every_fragment_of_the_programme_is_dressed_alike_with_and_without_the_check():
    course, _ = load_course(Path(__file__).resolve().parents[1] / "content")
    texts = [lesson.html for lesson in course.lessons]
    for q in course.questions:
        texts += [
            q.text,
            q.general_feedback,
            *(getattr(c, "text", "") for c in getattr(q, "choices", ())),
        ]
    for text in texts:
        html = resolve(text, lambda ident: "#", lambda ident: "m.png")
        assert moodle_theme.fit_theme(html) == moodle_theme._dress(html)
