"""Reads Moodle XML question files back, independently of the writer, for the round-trip tests."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import lxml.html
from lxml import etree


def text_of(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return re.sub(r"\s+", " ", root.text_content()).strip()


@dataclass
class Field:
    html: str
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256 of the content

    @property
    def text(self) -> str:
        return text_of(self.html)

    def images(self) -> list[str]:
        """sha256 of every image the HTML shows, checked against the embedded files."""
        out = []
        for src in re.findall(r'<img[^>]*\bsrc="([^"]*)"', self.html):
            assert src.startswith("@@PLUGINFILE@@/"), src
            name = unquote(src[len("@@PLUGINFILE@@/") :])
            assert name in self.files, f"no <file> for {name}"
            out.append(self.files[name])
        return out


@dataclass
class Answer:
    fraction: float
    text: Field
    feedback: Field
    tolerance: str | None = None


@dataclass
class XmlQuestion:
    qtype: str
    name: str
    idnumber: str
    category: str
    fields: dict[str, Field]
    answers: list[Answer]
    subquestions: list[tuple[Field, str]]
    hints: list[Field]
    tags: list[str]
    options: dict[str, str]


def _field(el: etree._Element | None) -> Field:
    if el is None:
        return Field("")
    text = el.findtext("text") or ""
    files = {
        f.get("name"): hashlib.sha256(base64.b64decode(f.text or "")).hexdigest()
        for f in el.findall("file")
    }
    return Field(text, files)


def read_moodle_xml(data: bytes) -> list[XmlQuestion]:
    root = etree.fromstring(data)
    assert root.tag == "quiz"
    out: list[XmlQuestion] = []
    category = ""
    for q in root.findall("question"):
        qtype = q.get("type")
        if qtype == "category":
            category = q.find("category").findtext("text")
            continue
        fields = {
            tag: _field(q.find(tag))
            for tag in (
                "questiontext", "generalfeedback", "correctfeedback",
                "partiallycorrectfeedback", "incorrectfeedback", "graderinfo",
                "responsetemplate",
            )
        }  # fmt: skip
        answers = [
            Answer(
                float(a.get("fraction")) / (1 if qtype == "ordering" else 100),
                _field(a),
                _field(a.find("feedback")),
                a.findtext("tolerance"),
            )
            for a in q.findall("answer")
        ]
        subs = [(_field(s), s.find("answer").findtext("text")) for s in q.findall("subquestion")]
        simple = {
            child.tag: (child.text or "")
            for child in q
            if len(child) == 0 and child.tag not in ("shownumcorrect",)
        }
        out.append(
            XmlQuestion(
                qtype=qtype,
                name=q.find("name").findtext("text"),
                idnumber=q.findtext("idnumber") or "",
                category=category,
                fields=fields,
                answers=answers,
                subquestions=subs,
                hints=[_field(h) for h in q.findall("hint")],
                tags=[t.findtext("text") for t in q.findall("tags/tag")],
                options=simple,
            )
        )
    return out


@dataclass
class XmlCategory:
    path: str
    idnumber: str
    info: str  # its visible text


def read_categories(data: bytes) -> list[XmlCategory]:
    """The category switches of a Moodle XML file, in order."""
    return [
        XmlCategory(
            q.find("category").findtext("text"),
            q.findtext("idnumber") or "",
            text_of(q.find("info").findtext("text") or "") if q.find("info") is not None else "",
        )
        for q in etree.fromstring(data).findall("question")
        if q.get("type") == "category"
    ]


_GIFT_TITLE = re.compile(r"^::((?:\\.|[^:\\])*)::", re.M)


def gift_categories(text: str) -> list[tuple[str, list[str]]]:
    """The categories of a GIFT file, in order, each with the titles of the questions after it
    (titles unescaped)."""
    out: list[tuple[str, list[str]]] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.lstrip().startswith("//")]
        body = "\n".join(lines).strip()
        if body.startswith("$CATEGORY:"):
            out.append((body[len("$CATEGORY:") :].strip(), []))
        elif body and out:
            title = _GIFT_TITLE.match(body)
            out[-1][1].append(re.sub(r"\\(.)", r"\1", title[1]) if title else "")
    return out


_GAP = re.compile(r"\{(\d+):([A-Z_]+):((?:\\.|[^\\}])*)\}")


def cloze_gaps(text: str) -> list[tuple[int, str, list[tuple[float, str, str]]]]:
    """The embedded answers of a Moodle cloze text: weight, type, (fraction, answer, feedback)."""
    gaps = []
    for weight, kind, body in _GAP.findall(text):
        options = []
        for alt in re.split(r"(?<!\\)~", body):
            m = re.match(r"(=|%(-?[\d.]+)%)?(.*?)(?:(?<![\\&])#(.*))?$", alt, re.S)
            fraction = 1.0 if m[1] == "=" else float(m[2]) / 100 if m[2] else 0.0
            answer = lxml.html.fromstring(f"<p>{m[3]}</p>").text_content().replace("\\}", "}")
            options.append((fraction, answer.replace("\\#", "#"), m[4] or ""))
        gaps.append((int(weight), kind, options))
    return gaps
