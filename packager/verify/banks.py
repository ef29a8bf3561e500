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
from ..messages import tr, trn
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
    report.kind = tr("Moodle XML question bank")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        report.problems.append(tr("not well-formed XML: {reason}", reason=exc))
        return
    if root.tag != "quiz":
        report.problems.append(tr("the root element is <{tag}>, not <quiz>", tag=root.tag))
        return
    count = 0
    for q in root.iter("question"):
        qtype = q.get("type", "")
        name = q.findtext("name/text") or ""
        where = (
            tr('line {line} ("{name}")', line=q.sourceline, name=name[:60])
            if name
            else tr("line {line}", line=q.sourceline)
        )
        if qtype not in QTYPES:
            report.problems.append(
                tr(
                    '{where}: question type "{type}" is not a standard Moodle one',
                    where=where,
                    type=qtype,
                )
            )
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
                    tr(
                        "{where}: answer grade {value}% is not one Moodle offers "
                        "(100, 90, 83.33333, 80, 75, … 5, 0 and their negatives)",
                        where=where,
                        value=value,
                    )
                )
        _check_files(q, where, report)
    report.checked.append(trn("{n} question", "{n} questions", count))


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
                report.problems.append(
                    tr(
                        '{where}: file "{name}" is not valid base64',
                        where=where,
                        name=f.get("name"),
                    )
                )
        for name in _PLUGINFILE.findall(text.text):
            if unquote(name) not in files:
                report.problems.append(
                    tr(
                        '{where}: <{tag}> shows "{name}" but does not carry the file',
                        where=where,
                        tag=field.tag,
                        name=unquote(name),
                    )
                )


def verify_gift(data: bytes, report: Report) -> None:
    """Read the file as Moodle's GIFT import would; every problem the reader finds is listed."""
    from ..assessments import gift_source as gift
    from ..assessments.context import IdRegistry

    report.kind = tr("GIFT question bank")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.problems.append(
            tr("not UTF-8 (byte {offset}): Moodle reads GIFT as UTF-8", offset=exc.start)
        )
        return
    diags = Diagnostics()
    ctx = _PlainContext(diags)
    questions = gift.read(ctx, text.replace("\r\n", "\n"), IdRegistry("bank", diags), "bank")
    for d in diags.sorted():
        report.problems.append(tr("line {line}: {problem}", line=d.line, problem=d.message))
    report.checked.append(trn("{n} question", "{n} questions", len(questions)))


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
