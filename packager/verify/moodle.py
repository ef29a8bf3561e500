"""Moodle backups: the first bytes Moodle checks, well-formed XML, every file listed, and the
records that must agree for a restore to keep everything: each activity's folder and module,
grades, the marking guide of an assignment, the posts that complete a forum, the categories a
quiz draws from, and course completion, which must not wait for anything hidden."""

from __future__ import annotations

import json
from collections import Counter

from lxml import etree

from .report import Report

MOODLE_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>', b"<moodle_backup>", b"<information>")
MODULES = ("page", "quiz", "assign", "forum", "scorm", "qbank")  # what the packager writes
FORUM_TYPES = ("general", "eachuser", "qanda", "blog", "single", "news", "social")
SHORTNAME_MAX = 255
EPSILON = 1e-5


def verify_backup(files: dict[str, bytes], report: Report) -> None:
    report.kind = "Moodle backup"
    head = files["moodle_backup.xml"][:200]
    for needle in MOODLE_HEAD:
        if needle not in head:
            report.problems.append(
                f"moodle_backup.xml must start with {needle.decode()} (Moodle checks)"
            )
    trees: dict[str, etree._Element] = {}
    for name, data in files.items():
        if name.endswith(".xml"):
            try:
                trees[name] = etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                report.problems.append(f"{name} is not well-formed XML: {exc}")
    _check_files(files, trees, report)
    if "moodle_backup.xml" in trees:
        _Contents(trees, report).check()
    report.checked.append(f"{len(files)} files")


def _check_files(files: dict[str, bytes], trees: dict[str, etree._Element], report: Report) -> None:
    listed = trees.get("files.xml")
    if listed is None:
        return
    for f in listed.iter("file"):
        digest = f.findtext("contenthash") or ""
        if f.findtext("filename") != "." and f"files/{digest[:2]}/{digest}" not in files:
            report.problems.append(
                f"files.xml lists {f.findtext('filename')} "
                f"but files/{digest[:2]}/{digest} is missing"
            )


def _number(el: etree._Element | None, path: str) -> float:
    text = el.findtext(path) if el is not None else None
    try:
        return float(text or 0)
    except ValueError:
        return 0.0


class _Contents:
    """The sections and activities moodle_backup.xml lists, read once and checked together."""

    def __init__(self, trees: dict[str, etree._Element], report: Report):
        self.trees, self.report = trees, report
        info = trees["moodle_backup.xml"].find("information")
        self.sections: dict[str, bool] = {}  # id -> visible
        self.activities: list[tuple[str, str, str, str]] = []  # cmid, modname, section, folder
        if info is None:
            report.problems.append("moodle_backup.xml has no <information>")
            return
        for s in info.iterfind("contents/sections/section"):
            section = trees.get(f"{s.findtext('directory')}/section.xml")
            if section is None:
                report.problems.append(f"section {s.findtext('sectionid')}: no section.xml")
                continue
            self.sections[s.findtext("sectionid") or ""] = section.findtext("visible") != "0"
        for a in info.iterfind("contents/activities/activity"):
            self.activities.append(
                (
                    a.findtext("moduleid") or "",
                    a.findtext("modulename") or "",
                    a.findtext("sectionid") or "",
                    a.findtext("directory") or "",
                )
            )
        self.categories = {
            c.get("id"): c for c in self.trees.get("questions.xml", etree.Element("x"))
        }

    def problem(self, message: str) -> None:
        self.report.problems.append(message)

    def check(self) -> None:
        kinds: Counter[str] = Counter()
        hidden: set[str] = set()
        untracked: set[str] = set()
        for cmid, modname, section, folder in self.activities:
            where = f"{folder}"
            module = self.trees.get(f"{folder}/module.xml")
            wrapper = self.trees.get(f"{folder}/{modname}.xml")
            if module is None or wrapper is None or not len(wrapper):
                self.problem(f"{where}: module.xml or {modname}.xml is missing")
                continue
            kinds[modname] += 1
            if modname not in MODULES:
                self.problem(f"{where}: a {modname} activity, which the packager never writes")
            if module.get("id") != cmid or wrapper.get("moduleid") != cmid:
                self.problem(f"{where}: module ids disagree with moodle_backup.xml ({cmid})")
            if section not in self.sections:
                self.problem(f"{where}: its section {section} is not in the backup")
            if module.findtext("visible") == "0" or not self.sections.get(section, True):
                hidden.add(cmid)
            inner = wrapper[0]
            grades = self.trees.get(f"{folder}/grades.xml")
            items = grades.findall("grade_items/grade_item") if grades is not None else []
            tracked = module.findtext("completion") == "2"
            if not tracked:
                untracked.add(cmid)
            if modname == "assign":
                self._assign(where, inner, items, tracked)
            elif modname == "forum":
                self._forum(where, inner, tracked)
            elif modname == "quiz":
                self._quiz(where, folder, inner)
        self._completion(hidden, untracked)
        if self.activities:
            counted = ", ".join(f"{n} {m}" for m, n in sorted(kinds.items()))
            shown = sum(self.sections.values())
            self.report.checked.append(
                f"{len(self.sections)} sections ({len(self.sections) - shown} hidden), "
                f"{len(self.activities)} activities ({counted}; {len(hidden)} hidden)"
            )

    def _assign(
        self, where: str, assign: etree._Element, items: list[etree._Element], tracked: bool
    ) -> None:
        grade = _number(assign, "grade")
        if grade > 0:
            if len(items) != 1:
                self.problem(f"{where}: graded out of {grade:g} but without its grade item")
            else:
                if abs(_number(items[0], "grademax") - grade) > EPSILON:
                    self.problem(f"{where}: grade {grade:g} and its grade item's maximum differ")
                if _number(items[0], "gradepass") > grade + EPSILON:
                    self.problem(f"{where}: the pass grade is above the grade {grade:g}")
        enabled = {
            c.findtext("plugin")
            for c in assign.iterfind("plugin_configs/plugin_config")
            if c.findtext("subtype") == "assignsubmission"
            and c.findtext("name") == "enabled"
            and c.findtext("value") == "1"
        }
        if not enabled & {"onlinetext", "file"}:
            self.problem(f"{where}: learners can hand in nothing (no online text, no files)")
        if assign.findtext("completionsubmit") == "1" and not tracked:
            self.problem(f"{where}: completion on submission, but completion is not tracked")
        grading = self.trees.get(f"{where}/grading.xml")
        for area in grading.iterfind("area") if grading is not None else []:
            if area.findtext("activemethod") != "guide":
                continue
            criteria = area.findall(".//guidecriteria/guidecriterion")
            total = sum(_number(c, "maxscore") for c in criteria)
            if not criteria:
                self.problem(f"{where}: a marking guide without criteria")
            elif abs(total - grade) > EPSILON:
                self.problem(
                    f"{where}: the marking guide's criteria add up to {total:g}, "
                    f"the assignment is graded out of {grade:g}"
                )
            for c in criteria:
                name = c.findtext("shortname") or ""
                if not name.strip() or len(name) > SHORTNAME_MAX:
                    self.problem(f"{where}: a marking guide criterion needs a short name")

    def _forum(self, where: str, forum: etree._Element, tracked: bool) -> None:
        if forum.findtext("type") not in FORUM_TYPES:
            self.problem(f"{where}: forum type {forum.findtext('type')!r} is not Moodle's")
        rules = ("completiondiscussions", "completionreplies", "completionposts")
        if any(_number(forum, r) > 0 for r in rules) and not tracked:
            self.problem(f"{where}: posts complete it, but completion is not tracked")

    def _quiz(self, where: str, folder: str, quiz: etree._Element) -> None:
        inforef = self.trees.get(f"{folder}/inforef.xml")
        refs = (
            inforef.iterfind("question_categoryref/question_category/id")
            if inforef is not None
            else ()
        )
        listed = {i.text for i in refs}
        drawn: Counter[str] = Counter()
        marks = 0.0
        for slot in quiz.iterfind("question_instances/question_instance"):
            marks += _number(slot, "maxmark")
            condition = slot.findtext("question_set_reference/filtercondition")
            if condition is None:
                continue
            try:
                values = json.loads(condition)["filter"]["category"]["values"]
            except (ValueError, KeyError, TypeError):
                self.problem(f"{where}: slot {slot.findtext('slot')}: unreadable random filter")
                continue
            drawn[str(values[0])] += 1
        for category, count in sorted(drawn.items()):
            cat = self.categories.get(category)
            if cat is None or category not in listed:
                self.problem(f"{where}: draws from category {category}, not in its backup")
                continue
            held = sum(
                1
                for q in cat.iterfind(".//question_bank_entry//question")
                if q.findtext("parent") == "0"
                and q.findtext("qtype") not in ("description", "random")
            )
            if held < count:
                self.problem(
                    f"{where}: {count} random questions from category "
                    f'"{cat.findtext("name")}", which holds {held}'
                )
        if abs(marks - _number(quiz, "sumgrades")) > EPSILON:
            self.problem(f"{where}: the slots' marks ({marks:g}) are not its sumgrades")

    def _completion(self, hidden: set[str], untracked: set[str]) -> None:
        completion = self.trees.get("completion.xml")
        criteria = (
            completion.iterfind("course_completion_criteria") if completion is not None else ()
        )
        cmids = {a[0] for a in self.activities}
        for criterion in criteria:
            cmid = criterion.findtext("moduleinstance")
            why = (
                "which is not in the backup"
                if cmid not in cmids
                else "which learners cannot see"
                if cmid in hidden
                else "which tracks no completion"
                if cmid in untracked
                else ""
            )
            if why:
                self.problem(f"completion.xml: course completion waits for activity {cmid}, {why}")
