"""Question banks: Moodle XML (well-formed, known question types, grades Moodle can store,
every image present) and GIFT (parses, nothing the format cannot carry)."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

from lxml import etree

from ..assessments import grades
from ..diagnostics import Diagnostics
from .report import Report

# Question types Moodle 4.5 / 5.x reads from Moodle XML (the format's own names: "matching",
# "cloze"), and "category", which sets the category of the questions after it.
QTYPES = {
    "category", "calculated", "calculatedmulti", "calculatedsimple", "cloze", "ddimageortext",
    "ddmarker", "ddwtos", "description", "essay", "gapselect", "matching", "multichoice",
    "numerical", "ordering", "randomsamatch", "shortanswer", "truefalse",
}  # fmt: skip
# Types whose answer fractions are grades from Moodle's list (ordering keeps positions there).
GRADED = {"multichoice", "truefalse", "shortanswer", "numerical"}
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'?#<>\s]+)")


def is_moodle_xml(data: bytes) -> bool:
    return b"<quiz" in data[:400]


def verify_moodle_xml(data: bytes, report: Report) -> None:
    report.kind = "Moodle XML question bank"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        report.problems.append(f"not well-formed XML: {exc}")
        return
    if root.tag != "quiz":
        report.problems.append(f"the root element is <{root.tag}>, not <quiz>")
        return
    count = 0
    for q in root.iter("question"):
        qtype = q.get("type", "")
        where = f"line {q.sourceline}"
        name = q.findtext("name/text") or ""
        if name:
            where += f' ("{name[:60]}")'
        if qtype not in QTYPES:
            report.problems.append(f'{where}: question type "{qtype}" is not a standard Moodle one')
            continue
        if qtype == "category":
            continue
        count += 1
        for answer in q.iter("answer"):
            value = answer.get("fraction", "0")
            try:
                fraction = float(value) / 100
            except ValueError:
                fraction = None
            if fraction is None or (qtype in GRADED and grades.snap(fraction) is None):
                report.problems.append(
                    f"{where}: answer grade {value}% is not one Moodle offers "
                    "(100, 90, 83.33333, 80, 75, … 5, 0 and their negatives)"
                )
        _check_files(q, where, report)
    report.checked.append(f"{count} questions")


def _check_files(question: etree._Element, where: str, report: Report) -> None:
    for field in question.iter():
        text = field.find("text")
        if text is None or not text.text or "@@PLUGINFILE@@" not in text.text:
            continue
        files = {}
        for f in field.findall("file"):
            try:
                files[f.get("name")] = base64.b64decode(f.text or "", validate=True)
            except (binascii.Error, ValueError):
                report.problems.append(f'{where}: file "{f.get("name")}" is not valid base64')
        for name in _PLUGINFILE.findall(text.text):
            if unquote(name) not in files:
                report.problems.append(
                    f'{where}: <{field.tag}> shows "{unquote(name)}" but does not carry the file'
                )


def verify_gift(data: bytes, report: Report) -> None:
    """Read the file as Moodle's GIFT import would; every problem the reader finds is listed."""
    from ..assessments import gift_source as gift
    from ..assessments.context import IdRegistry

    report.kind = "GIFT question bank"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.problems.append(f"not UTF-8 (byte {exc.start}): Moodle reads GIFT as UTF-8")
        return
    diags = Diagnostics()
    ctx = _PlainContext(diags)
    questions = gift.read(ctx, text.replace("\r\n", "\n"), IdRegistry("bank", diags), "bank")
    for d in diags.sorted():
        report.problems.append(f"line {d.line}: {d.message}")
    report.checked.append(f"{len(questions)} questions")


class _PlainContext:
    """What the GIFT reader needs: texts are taken as they are, nothing else is opened."""

    rel = "gift"

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags

    def markdown(self, text: str, line: int) -> str:
        return text

    def snippet(self, text: str, line: int) -> str:
        return text

    def inline(self, text: str, line: int) -> str:
        return text

    def html(self, text: str, line: int) -> str:
        return text

    def open_sibling(self, target: str, line: int):
        return None
