"""The programme's Bulgarian text has no word hunspell (bg_BG) does not know, apart from the
names and terms in tools/spelling/*.txt."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from packager.assessments import question_html

from .conftest import load_course

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
WORDLISTS = ROOT / "tools" / "spelling"
DICTIONARY = Path("/usr/share/hunspell/bg_BG.dic")


def _texts(course) -> list[str]:
    html = [course.summary]
    for module in course.modules:
        html.append(module.summary)
        for item in module.items:
            html.append(item.title)
            html += getattr(item, "objectives", [])
            html += [c.text for c in getattr(item, "criteria", [])]
            if hasattr(item, "html"):
                html.append(item.html)
            else:
                html.append(item.intro)
                html += question_html(item)
                html += [q.title for q in item.questions]
    out = []
    for fragment in html:
        if not fragment.strip():
            continue
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        for code in root.xpath(".//code | .//pre"):
            code.drop_tree()
        out.append(root.text_content())
    return out


@pytest.mark.skipif(not shutil.which("hunspell"), reason="hunspell is not installed")
@pytest.mark.skipif(not DICTIONARY.exists(), reason="the bg_BG dictionary (hunspell-bg) is absent")
@pytest.mark.skipif(
    not any(CONTENT.glob("*/module.md")), reason="the programme in content/ has no module yet"
)
def test_no_unknown_words(tmp_path):
    course, _ = load_course(CONTENT)
    personal = tmp_path / "words.dic"
    words = []
    for wordlist in sorted(WORDLISTS.glob("*.txt")):
        words += [w.strip() for w in wordlist.read_text("utf-8").splitlines()]
    # the lists are case-insensitive: a word listed once is known in lower case, with a
    # capital and in capitals
    forms = {
        form
        for w in words
        if w and not w.startswith("#")
        for form in (w, w.lower(), w[:1].upper() + w[1:].lower(), w.upper())
    }
    personal.write_text("\n".join(sorted(forms)) + "\n", "utf-8")
    text = "\n".join(_texts(course)).replace("\u00a0", " ")  # typography's no-break spaces
    text = re.sub(r"https?://\S+", " ", text)
    result = subprocess.run(
        ["hunspell", "-d", "bg_BG", "-p", str(personal), "-l"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    unknown = sorted(set(result.stdout.split()))
    assert not unknown, f"{len(unknown)} unknown words: {' '.join(unknown)}"
