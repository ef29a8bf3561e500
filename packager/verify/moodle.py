"""Moodle backups: the first bytes Moodle checks, well-formed XML, every file listed, and the
records that must agree for a restore to keep everything: each activity's folder and module,
grades, the marking guide of an assignment, the posts that complete a forum, the categories a
quiz draws from, and course completion, which must not wait for anything hidden."""

from __future__ import annotations

import json
import tarfile
import zipfile
from collections import Counter

from lxml import etree

from ..messages import tr, trn
from .archive import MAX_UNPACKED, read_archive
from .report import Report
from .scorm import verify_scorm

MOODLE_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>', b"<moodle_backup>", b"<information>")
MODULES = ("page", "quiz", "assign", "forum", "scorm", "qbank")  # what the packager writes
FORUM_TYPES = ("general", "eachuser", "qanda", "blog", "single", "news", "social")
SHORTNAME_MAX = 255
EPSILON = 1e-5


def verify_backup(files: dict[str, bytes], report: Report) -> None:
    report.kind = tr("Moodle backup")
    head = files["moodle_backup.xml"][:200]
    for needle in MOODLE_HEAD:
        if needle not in head:
            report.problems.append(
                tr(
                    "moodle_backup.xml must start with {head} (Moodle checks)",
                    head=needle.decode(),
                )
            )
    trees: dict[str, etree._Element] = {}
    for name, data in files.items():
        if name.endswith(".xml"):
            try:
                trees[name] = etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                report.problems.append(
                    tr("{file} is not well-formed XML: {reason}", file=name, reason=exc)
                )
    _check_files(files, trees, report)
    _check_scorm_packages(files, trees, report)
    if "moodle_backup.xml" in trees:
        _Contents(trees, report).check()
    report.checked.append(trn("{n} file", "{n} files", len(files)))


def _check_scorm_packages(
    files: dict[str, bytes], trees: dict[str, etree._Element], report: Report
) -> None:
    """Each SCORM activity's package, checked as ``packager verify`` checks a SCORM zip."""
    listed = trees.get("files.xml")
    if listed is None:
        return
    packages = [
        f
        for f in listed.iter("file")
        if (f.findtext("component"), f.findtext("filearea")) == ("mod_scorm", "package")
    ]
    unpacked = sum(len(data) for data in files.values())
    for f in packages:
        digest = f.findtext("contenthash") or ""
        data = files.get(f"files/{digest[:2]}/{digest}")
        if data is None:
            continue  # reported by _check_files
        name = f.findtext("filename") or digest
        inner = Report(name)
        try:  # within what is left of the limit once the backup itself is unpacked
            package = read_archive(data, max(0, MAX_UNPACKED - unpacked))
        except (zipfile.BadZipFile, tarfile.TarError, OSError, ValueError) as exc:
            inner.problems.append(tr("not a ZIP or tar.gz archive: {reason}", reason=exc))
        else:
            if "imsmanifest.xml" in package:
                verify_scorm(package, None, inner)
            else:
                inner.problems.append(tr("no imsmanifest.xml at the root of the zip"))
        report.problems += [f"{name}: {problem}" for problem in inner.problems]
    if packages:
        report.checked.append(
            trn(
                "{n} SCORM package, checked as a SCORM zip is",
                "{n} SCORM packages, each checked as a SCORM zip is",
                len(packages),
            )
        )


def _check_files(files: dict[str, bytes], trees: dict[str, etree._Element], report: Report) -> None:
    listed = trees.get("files.xml")
    if listed is None:
        return
    for f in listed.iter("file"):
        digest = f.findtext("contenthash") or ""
        if f.findtext("filename") != "." and f"files/{digest[:2]}/{digest}" not in files:
            report.problems.append(
                tr(
                    "files.xml lists {name} but {path} is missing",
                    name=f.findtext("filename"),
                    path=f"files/{digest[:2]}/{digest}",
                )
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
            report.problems.append(tr("moodle_backup.xml has no <information>"))
            return
        for s in info.iterfind("contents/sections/section"):
            section = trees.get(f"{s.findtext('directory')}/section.xml")
            if section is None:
                report.problems.append(
                    tr("section {id}: no section.xml", id=s.findtext("sectionid"))
                )
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
                self.problem(
                    tr("{where}: module.xml or {name}.xml is missing", where=where, name=modname)
                )
                continue
            kinds[modname] += 1
            if modname not in MODULES:
                self.problem(
                    tr(
                        "{where}: a {name} activity, which the packager never writes",
                        where=where,
                        name=modname,
                    )
                )
            if module.get("id") != cmid or wrapper.get("moduleid") != cmid:
                self.problem(
                    tr(
                        "{where}: module ids disagree with moodle_backup.xml ({cmid})",
                        where=where,
                        cmid=cmid,
                    )
                )
            if section not in self.sections:
                self.problem(
                    tr(
                        "{where}: its section {section} is not in the backup",
                        where=where,
                        section=section,
                    )
                )
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
            counted = ", ".join(tr("{n} {module}", n=n, module=m) for m, n in sorted(kinds.items()))
            shown = sum(self.sections.values())
            sections = trn(
                "{n} section ({hidden} hidden)",
                "{n} sections ({hidden} hidden)",
                len(self.sections),
                hidden=len(self.sections) - shown,
            )
            activities = trn(
                "{n} activity ({counted}; {hidden} hidden)",
                "{n} activities ({counted}; {hidden} hidden)",
                len(self.activities),
                counted=counted,
                hidden=len(hidden),
            )
            self.report.checked.append(
                tr("{sections}, {activities}", sections=sections, activities=activities)
            )

    def _assign(
        self, where: str, assign: etree._Element, items: list[etree._Element], tracked: bool
    ) -> None:
        grade = _number(assign, "grade")
        if grade > 0:
            if len(items) != 1:
                self.problem(
                    tr(
                        "{where}: graded out of {grade} but without its grade item",
                        where=where,
                        grade=f"{grade:g}",
                    )
                )
            else:
                if abs(_number(items[0], "grademax") - grade) > EPSILON:
                    self.problem(
                        tr(
                            "{where}: grade {grade} and its grade item's maximum differ",
                            where=where,
                            grade=f"{grade:g}",
                        )
                    )
                if _number(items[0], "gradepass") > grade + EPSILON:
                    self.problem(
                        tr(
                            "{where}: the pass grade is above the grade {grade}",
                            where=where,
                            grade=f"{grade:g}",
                        )
                    )
        enabled = {
            c.findtext("plugin")
            for c in assign.iterfind("plugin_configs/plugin_config")
            if c.findtext("subtype") == "assignsubmission"
            and c.findtext("name") == "enabled"
            and c.findtext("value") == "1"
        }
        if not enabled & {"onlinetext", "file"}:
            self.problem(
                tr(
                    "{where}: learners can hand in nothing (no online text, no files)",
                    where=where,
                )
            )
        if assign.findtext("completionsubmit") == "1" and not tracked:
            self.problem(
                tr(
                    "{where}: completion on submission, but completion is not tracked",
                    where=where,
                )
            )
        grading = self.trees.get(f"{where}/grading.xml")
        for area in grading.iterfind("area") if grading is not None else []:
            if area.findtext("activemethod") != "guide":
                continue
            criteria = area.findall(".//guidecriteria/guidecriterion")
            total = sum(_number(c, "maxscore") for c in criteria)
            if not criteria:
                self.problem(tr("{where}: a marking guide without criteria", where=where))
            elif abs(total - grade) > EPSILON:
                self.problem(
                    tr(
                        "{where}: the marking guide's criteria add up to {total}, "
                        "the assignment is graded out of {grade}",
                        where=where,
                        total=f"{total:g}",
                        grade=f"{grade:g}",
                    )
                )
            for c in criteria:
                name = c.findtext("shortname") or ""
                if not name.strip() or len(name) > SHORTNAME_MAX:
                    self.problem(
                        tr("{where}: a marking guide criterion needs a short name", where=where)
                    )

    def _forum(self, where: str, forum: etree._Element, tracked: bool) -> None:
        if forum.findtext("type") not in FORUM_TYPES:
            self.problem(
                tr(
                    "{where}: forum type {type} is not Moodle's",
                    where=where,
                    type=repr(forum.findtext("type")),
                )
            )
        rules = ("completiondiscussions", "completionreplies", "completionposts")
        if any(_number(forum, r) > 0 for r in rules) and not tracked:
            self.problem(
                tr("{where}: posts complete it, but completion is not tracked", where=where)
            )

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
                self.problem(
                    tr(
                        "{where}: slot {slot}: unreadable random filter",
                        where=where,
                        slot=slot.findtext("slot"),
                    )
                )
                continue
            drawn[str(values[0])] += 1
        for category, count in sorted(drawn.items()):
            cat = self.categories.get(category)
            if cat is None or category not in listed:
                self.problem(
                    tr(
                        "{where}: draws from category {category}, not in its backup",
                        where=where,
                        category=category,
                    )
                )
                continue
            held = sum(
                1
                for q in cat.iterfind(".//question_bank_entry//question")
                if q.findtext("parent") == "0"
                and q.findtext("qtype") not in ("description", "random")
            )
            if held < count:
                self.problem(
                    trn(
                        '{where}: {n} random question from category "{name}", which holds {held}',
                        '{where}: {n} random questions from category "{name}", which holds {held}',
                        count,
                        where=where,
                        name=cat.findtext("name"),
                        held=held,
                    )
                )
        if abs(marks - _number(quiz, "sumgrades")) > EPSILON:
            self.problem(
                tr(
                    "{where}: the slots' marks ({marks}) are not its sumgrades",
                    where=where,
                    marks=f"{marks:g}",
                )
            )

    def _completion(self, hidden: set[str], untracked: set[str]) -> None:
        completion = self.trees.get("completion.xml")
        criteria = (
            completion.iterfind("course_completion_criteria") if completion is not None else ()
        )
        cmids = {a[0] for a in self.activities}
        for criterion in criteria:
            cmid = criterion.findtext("moduleinstance")
            if cmid not in cmids:
                why = tr(
                    "completion.xml: course completion waits for activity {cmid}, "
                    "which is not in the backup",
                    cmid=cmid,
                )
            elif cmid in hidden:
                why = tr(
                    "completion.xml: course completion waits for activity {cmid}, "
                    "which learners cannot see",
                    cmid=cmid,
                )
            elif cmid in untracked:
                why = tr(
                    "completion.xml: course completion waits for activity {cmid}, "
                    "which tracks no completion",
                    cmid=cmid,
                )
            else:
                continue
            self.problem(why)
