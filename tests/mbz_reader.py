"""Reads a Moodle course backup (.mbz) back into plain data, independently of the writer.

Texts come back with their file references as ``media:<file name>`` and their encoded links to
activities as ``doc:<activity title>``, so they can be compared with the model's HTML.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET

NULL = "$@NULL@$"


@dataclass
class Answer:
    id: int
    text: str
    fraction: float
    feedback: str


@dataclass
class Question:
    id: int
    entry: int
    category: int
    parent: int
    qtype: str
    name: str
    text: str
    general_feedback: str
    defaultmark: float
    answers: list[Answer]
    hints: list[str]
    tags: list[str]
    options: dict[str, str]  # the type's own option fields (combined feedback and the like)
    el: ET.Element


@dataclass
class Slot:
    number: int
    page: int
    maxmark: float
    entry: int | None  # None: drawn at random
    filter: str = ""  # a random slot's filter condition

    @property
    def category(self) -> int | None:
        """The category a random slot draws from."""
        if not self.filter:
            return None
        return int(json.loads(self.filter)["filter"]["category"]["values"][0])


@dataclass
class Activity:
    modname: str
    cmid: int
    title: str
    directory: str
    section: int
    context: int = 0
    instance: int = 0
    el: ET.Element | None = None  # the module's own element (page, quiz, qbank)
    module: ET.Element | None = None  # module.xml


@dataclass
class Section:
    id: int
    number: int
    name: str
    summary: str
    activities: list[Activity] = field(default_factory=list)
    visible: bool = True


@dataclass
class GuideCriterion:
    shortname: str
    description: str
    maxscore: float


class Backup:
    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        self.entries: dict[str, bytes] = {}
        if data[:2] == b"\x1f\x8b":
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                for m in tar.getmembers():
                    if m.isfile():
                        self.entries[m.name] = tar.extractfile(m).read()  # type: ignore[union-attr]
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                self.entries = {n: zf.read(n) for n in zf.namelist()}
        self.index = self.xml("moodle_backup.xml")
        info = self.index.find("information")
        assert info is not None
        self.info = info
        self.activities = [
            Activity(
                a.findtext("modulename", ""),
                int(a.findtext("moduleid", "0")),
                a.findtext("title", ""),
                a.findtext("directory", ""),
                int(a.findtext("sectionid", "0")),
            )
            for a in info.iterfind("contents/activities/activity")
        ]
        for act in self.activities:
            wrapper = self.xml(f"{act.directory}/{act.modname}.xml")
            act.context = int(wrapper.get("contextid", "0"))
            act.instance = int(wrapper.get("id", "0"))
            act.el = wrapper[0]
            act.module = self.xml(f"{act.directory}/module.xml")
        self.sections: list[Section] = []
        for s in info.iterfind("contents/sections/section"):
            el = self.xml(f"{s.findtext('directory')}/section.xml")
            section = Section(
                int(el.get("id", "0")), int(el.findtext("number", "0")), el.findtext("name", ""), ""
            )
            section.visible = el.findtext("visible") != "0"
            section.activities = [a for a in self.activities if a.section == section.id]
            self.sections.append(section)
        self.course = self.xml("course/course.xml")
        for section in self.sections:
            el = self.xml(f"sections/section_{section.id}/section.xml")
            section.summary = self.text(el.findtext("summary", ""))
        self.files = [
            {child.tag: child.text or "" for child in f} | {"id": f.get("id", "")}
            for f in self.xml("files.xml")
        ]
        self.questions = self._questions()

    def xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.entries[name])

    def activity(self, cmid: int) -> Activity:
        return next(a for a in self.activities if a.cmid == cmid)

    def text(self, value: str) -> str:
        """A text with its file references and activity links in the reader's neutral form."""

        def link(m: re.Match[str]) -> str:
            return "doc:" + self.activity(int(m["cmid"])).title

        value = re.sub(r"@@PLUGINFILE@@/([^\"'#?\s<>]+)", lambda m: "media:" + unquote(m[1]), value)
        return re.sub(r"\$@(?:PAGE|QUIZ|SCORM|ASSIGN|FORUM)VIEWBYID\*(?P<cmid>\d+)@\$", link, value)

    def module_field(self, act: Activity, name: str) -> str:
        """A field of the activity's course module (module.xml)."""
        assert act.module is not None
        return act.module.findtext(name, "")

    def grade_items(self, act: Activity) -> list[ET.Element]:
        return self.xml(f"{act.directory}/grades.xml").findall("grade_items/grade_item")

    def guide(self, act: Activity) -> list[GuideCriterion] | None:
        """An assignment's marking guide (None: no advanced grading method)."""
        name = f"{act.directory}/grading.xml"
        if name not in self.entries:
            return None
        for area in self.xml(name).iterfind("area"):
            if area.findtext("activemethod") == "guide":
                return [
                    GuideCriterion(
                        c.findtext("shortname", ""),
                        c.findtext("description", ""),
                        float(c.findtext("maxscore", "0")),
                    )
                    for c in area.iterfind(".//guidecriteria/guidecriterion")
                ]
        return None

    def plugin_enabled(self, act: Activity, subtype: str, plugin: str) -> bool:
        """Whether an assignment's submission or feedback plugin is on."""
        assert act.el is not None
        return any(
            c.findtext("subtype") == subtype
            and c.findtext("plugin") == plugin
            and c.findtext("name") == "enabled"
            and c.findtext("value") == "1"
            for c in act.el.iterfind("plugin_configs/plugin_config")
        )

    def slots(self, quiz: Activity) -> list[Slot]:
        out = []
        assert quiz.el is not None
        for qi in quiz.el.iterfind("question_instances/question_instance"):
            ref = qi.find("question_reference")
            entry = int(ref.findtext("questionbankentryid", "0")) if ref is not None else None
            out.append(
                Slot(
                    int(qi.findtext("slot", "0")),
                    int(qi.findtext("page", "0")),
                    float(qi.findtext("maxmark", "0")),
                    entry,
                    qi.findtext("question_set_reference/filtercondition", ""),
                )
            )
        return out

    def _questions(self) -> dict[int, Question]:
        out: dict[int, Question] = {}
        for cat in self.xml("questions.xml"):
            for entry in cat.iterfind("question_bank_entries/question_bank_entry"):
                q = entry.find("question_version/question_versions/questions/question")
                assert q is not None
                plugin = next((c for c in q if c.tag.startswith("plugin_qtype_")), None)
                answers = [
                    Answer(
                        int(a.get("id", "0")),
                        self.text(a.findtext("answertext", "")),
                        float(a.findtext("fraction", "0")),
                        self.text(a.findtext("feedback", "")),
                    )
                    for a in (plugin.iterfind("answers/answer") if plugin is not None else [])
                ]
                options: dict[str, str] = {}
                if plugin is not None:
                    for child in plugin:
                        if child.tag != "answers" and len(child) and child.get("id"):
                            options |= {c.tag: self.text(c.text or "") for c in child}
                out[int(entry.get("id", "0"))] = Question(
                    int(q.get("id", "0")),
                    int(entry.get("id", "0")),
                    int(entry.findtext("questioncategoryid", "0")),
                    int(q.findtext("parent", "0")),
                    q.findtext("qtype", ""),
                    q.findtext("name", ""),
                    self.text(q.findtext("questiontext", "")),
                    self.text(q.findtext("generalfeedback", "")),
                    float(q.findtext("defaultmark", "0")),
                    answers,
                    [self.text(h.findtext("hint", "")) for h in q.iterfind("question_hints/")],
                    [t.findtext("rawname", "") for t in q.iterfind("tags/tag")],
                    options,
                    q,
                )
        return out

    def html_texts(self) -> list[tuple[str, str, str]]:
        """Every HTML text of the backup, as (entry, field, text in the reader's form): each
        element whose sibling ``<field>format`` (``answerformat`` for ``answertext``) is 1."""
        out = []
        for name in sorted(self.entries):
            if not name.endswith(".xml"):
                continue
            for parent in self.xml(name).iter():
                fields = {child.tag: child for child in parent}
                for tag, child in fields.items():
                    fmt = fields.get(f"{tag}format") or fields.get(
                        f"{tag.removesuffix('text')}format"
                    )
                    if fmt is not None and fmt.text == "1" and child.text not in (None, NULL):
                        out.append((name, tag, self.text(child.text)))
        return out

    def question_by_id(self, qid: int) -> Question:
        return next(q for q in self.questions.values() if q.id == qid)
