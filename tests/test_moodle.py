"""The Moodle course backup: ids that agree across files, XML in Moodle's element order, and a
reader that gets the course model back out of the .mbz."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest

from packager.i18n import strings
from packager.markup import text_of
from packager.model import (
    Cloze,
    Course,
    Essay,
    GapKind,
    Lesson,
    Matching,
    MultipleChoice,
    Numerical,
    Ordering,
    Question,
    Quiz,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from packager.questions.typed import moodle_spellings
from packager.refs import resolve
from packager.targets.common.moodle_theme import TABLE_CLASSES, fit_theme
from packager.verify import verify

from .conftest import FIXTURE, load_course, run_cli, write
from .mbz_reader import Backup

PACKAGE = "proben-kurs-0.1.0.mbz"


def build(content: Path, out: Path, *options: str) -> Path:
    args = ["build", str(content), "-o", str(out), "-t", "moodle"]
    for option in options:
        args += ["-O", option]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return out / PACKAGE


@pytest.fixture(scope="module")
def mbz45(tmp_path_factory) -> Path:
    return build(FIXTURE, tmp_path_factory.mktemp("moodle45"))


@pytest.fixture(scope="module")
def mbz5(tmp_path_factory) -> Path:
    return build(FIXTURE, tmp_path_factory.mktemp("moodle5"), "moodle.version=5")


@pytest.fixture(scope="module", params=["4.5", "5"])
def backup(request, mbz45, mbz5) -> Backup:
    return Backup(mbz45 if request.param == "4.5" else mbz5)


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(FIXTURE)[0]


def neutral(course: Course, html: str) -> str:
    """The model's HTML (sanitized, dressed for Moodle's themes: test_moodle_html.py checks
    that part) with references written the way the reader returns them."""
    return fit_theme(
        resolve(
            html,
            lambda ident: "doc:" + course.find(ident).title,
            lambda ident: "media:" + course.media[ident].name,
            course.iframe_hosts,
        )
    )


# ---------------------------------------------------------------------------------------------
# The archive


def test_first_bytes_are_what_moodle_checks(mbz45, mbz5):
    for path in (mbz45, mbz5):
        with zipfile.ZipFile(path) as zf:
            head = zf.read("moodle_backup.xml")[:200]
            names = zf.namelist()
        assert head.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<moodle_backup>\n')
        assert b"<information>" in head
        assert all(not n.startswith("/") and ".." not in n.split("/") for n in names)


def test_two_builds_are_byte_identical(tmp_path, mbz45, mbz5):
    assert build(FIXTURE, tmp_path / "a").read_bytes() == mbz45.read_bytes()
    assert build(FIXTURE, tmp_path / "b", "moodle.version=5").read_bytes() == mbz5.read_bytes()
    scorm = [build(FIXTURE, tmp_path / d, "moodle.activities=scorm") for d in "cd"]
    assert scorm[0].read_bytes() == scorm[1].read_bytes()


def test_every_root_file_moodle_needs(backup):
    for name in (
        "moodle_backup.xml",
        "files.xml",
        "groups.xml",
        "scales.xml",
        "outcomes.xml",
        "roles.xml",
        "questions.xml",
        "users.xml",
        "completion.xml",
        "gradebook.xml",
        "course/course.xml",
        "course/roles.xml",
        "course/inforef.xml",
        "course/filters.xml",
    ):
        assert name in backup.entries, name
    for act in backup.activities:
        for name in (
            "module.xml",
            f"{act.modname}.xml",
            "roles.xml",
            "grades.xml",
            "inforef.xml",
            "filters.xml",
        ):
            assert f"{act.directory}/{name}" in backup.entries


def test_every_xml_is_well_formed_with_moodle_declaration(backup):
    for name, data in backup.entries.items():
        if name.endswith(".xml"):
            assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n'), name
            ET.fromstring(data)


# ---------------------------------------------------------------------------------------------
# Element order, as Moodle's backup code writes each record

ORDER: dict[str, list[str]] = {
    "information": ["name", "moodle_version", "moodle_release", "backup_version",
                    "backup_release", "backup_date", "mnet_remoteusers", "include_files",
                    "include_file_references_to_external_content", "original_wwwroot",
                    "original_site_identifier_hash", "original_course_id",
                    "original_course_format", "original_course_fullname",
                    "original_course_shortname", "original_course_startdate",
                    "original_course_enddate", "original_course_contextid",
                    "original_system_contextid", "details", "contents", "settings"],
    "course": ["shortname", "fullname", "idnumber", "summary", "summaryformat", "format",
               "showgrades", "newsitems", "startdate", "enddate", "marker", "maxbytes",
               "legacyfiles", "showreports", "visible", "groupmode", "groupmodeforce",
               "defaultgroupingid", "lang", "theme", "timecreated", "timemodified", "requested",
               "showactivitydates", "showcompletionconditions", "pdfexportfont",
               "enablecompletion", "completionnotify", "enableaitools", "category", "tags",
               "customfields", "courseformatoptions"],
    "section": ["number", "name", "summary", "summaryformat", "sequence", "visible",
                "availabilityjson", "component", "itemid", "timemodified"],
    "module": ["modulename", "sectionid", "sectionnumber", "idnumber", "added", "score",
               "indent", "visible", "visibleoncoursepage", "visibleold", "groupmode",
               "groupingid", "completion", "completiongradeitemnumber", "completionpassgrade",
               "completionview", "completionexpected", "availability", "showdescription",
               "downloadcontent", "lang", "enableaitools", "enabledaiactions", "tags"],
    "page": ["name", "intro", "introformat", "content", "contentformat", "legacyfiles",
             "legacyfileslast", "display", "displayoptions", "revision", "timemodified"],
    "qbank": ["name", "timecreated", "timemodified", "intro", "introformat", "type"],
    "quiz": ["name", "intro", "introformat", "timeopen", "timeclose", "timelimit",
             "overduehandling", "graceperiod", "preferredbehaviour", "canredoquestions",
             "attempts_number", "attemptonlast", "grademethod", "decimalpoints",
             "questiondecimalpoints", "reviewattempt", "reviewcorrectness", "reviewmaxmarks",
             "reviewmarks", "reviewspecificfeedback", "reviewgeneralfeedback",
             "reviewrightanswer", "reviewoverallfeedback", "questionsperpage", "navmethod",
             "shuffleanswers", "sumgrades", "grade", "timecreated", "timemodified", "password",
             "subnet", "browsersecurity", "delay1", "delay2", "showuserpicture", "showblocks",
             "completionattemptsexhausted", "completionminattempts", "allowofflineattempts",
             "precreateattempts", "subplugin_quizaccess_seb_quiz", "quiz_grade_items",
             "question_instances", "sections", "feedbacks", "overrides", "grades", "attempts"],
    "question_instance": ["quizid", "slot", "page", "displaynumber", "requireprevious",
                          "maxmark", "quizgradeitemid"],
    "question_reference": ["usingcontextid", "component", "questionarea",
                           "questionbankentryid", "version"],
    "question_set_reference": ["usingcontextid", "component", "questionarea",
                               "questionscontextid", "filtercondition"],
    "question_category": ["name", "contextid", "contextlevel", "contextinstanceid", "info",
                          "infoformat", "stamp", "parent", "sortorder", "idnumber",
                          "question_bank_entries"],
    "question_bank_entry": ["questioncategoryid", "idnumber", "ownerid", "question_version"],
    "question_versions": ["version", "status", "questions"],
    "question": ["parent", "name", "questiontext", "questiontextformat", "generalfeedback",
                 "generalfeedbackformat", "defaultmark", "penalty", "qtype", "length", "stamp",
                 "timecreated", "timemodified", "createdby", "modifiedby", "PLUGIN",
                 "plugin_qbank_comment_question", "plugin_qbank_customfields_question",
                 "question_hints", "tags"],
    "answer": ["answertext", "answerformat", "fraction", "feedback", "feedbackformat"],
    "multichoice": ["layout", "single", "shuffleanswers", "correctfeedback",
                    "correctfeedbackformat", "partiallycorrectfeedback",
                    "partiallycorrectfeedbackformat", "incorrectfeedback",
                    "incorrectfeedbackformat", "answernumbering", "shownumcorrect",
                    "showstandardinstruction"],
    "truefalse": ["trueanswer", "falseanswer", "showstandardinstruction"],
    "shortanswer": ["usecase"],
    "numerical_option": ["showunits", "unitsleft", "unitgradingtype", "unitpenalty"],
    "numerical_record": ["answer", "tolerance"],
    "matchoptions": ["shuffleanswers", "correctfeedback", "correctfeedbackformat",
                     "partiallycorrectfeedback", "partiallycorrectfeedbackformat",
                     "incorrectfeedback", "incorrectfeedbackformat", "shownumcorrect"],
    "match": ["questiontext", "questiontextformat", "answertext"],
    "ordering": ["layouttype", "selecttype", "selectcount", "gradingtype", "showgrading",
                 "numberingstyle", "correctfeedback", "correctfeedbackformat",
                 "incorrectfeedback", "incorrectfeedbackformat", "partiallycorrectfeedback",
                 "partiallycorrectfeedbackformat", "shownumcorrect"],
    "essay": ["responseformat", "responserequired", "responsefieldlines", "minwordlimit",
              "maxwordlimit", "attachments", "attachmentsrequired", "graderinfo",
              "graderinfoformat", "responsetemplate", "responsetemplateformat",
              "filetypeslist", "maxbytes"],
    "multianswer": ["question", "sequence"],
    "question_hint": ["hint", "hintformat", "shownumcorrect", "clearwrong", "options"],
    "file": ["contenthash", "contextid", "component", "filearea", "itemid", "filepath",
             "filename", "userid", "filesize", "mimetype", "status", "timecreated",
             "timemodified", "source", "author", "license", "sortorder", "repositorytype",
             "repositoryid", "reference"],
    "grade_item": ["categoryid", "itemname", "itemtype", "itemmodule", "iteminstance",
                   "itemnumber", "iteminfo", "idnumber", "calculation", "gradetype",
                   "grademax", "grademin", "scaleid", "outcomeid", "gradepass", "multfactor",
                   "plusfactor", "aggregationcoef", "aggregationcoef2", "weightoverride",
                   "sortorder", "display", "decimals", "hidden", "locked", "locktime",
                   "needsupdate", "timecreated", "timemodified", "grade_grades"],
    "grade_category": ["parent", "depth", "path", "fullname", "aggregation", "keephigh",
                       "droplow", "aggregateonlygraded", "aggregateoutcomes", "timecreated",
                       "timemodified", "hidden"],
    "course_completion_criteria": ["course", "criteriatype", "module", "moduleinstance",
                                   "courseinstanceshortname", "enrolperiod", "timeend",
                                   "gradepass", "role", "roleshortname",
                                   "course_completion_crit_completions"],
    "course_completion_aggr_methd": ["course", "criteriatype", "method", "value"],
    "scorm": ["name", "scormtype", "reference", "intro", "introformat", "version", "maxgrade",
              "grademethod", "whatgrade", "maxattempt", "forcecompleted", "forcenewattempt",
              "lastattemptlock", "masteryoverride", "displayattemptstatus",
              "displaycoursestructure", "updatefreq", "sha1hash", "md5hash", "revision",
              "launch", "skipview", "hidebrowse", "hidetoc", "nav", "navpositionleft",
              "navpositiontop", "auto", "popup", "options", "width", "height", "timeopen",
              "timeclose", "timemodified", "completionstatusrequired",
              "completionscorerequired", "completionstatusallscos", "autocommit", "scoes"],
    "sco": ["manifest", "organization", "parent", "identifier", "launch", "scormtype", "title",
            "sortorder", "sco_datas", "seq_ruleconds", "seq_rolluprules", "seq_objectives",
            "sco_tracks"],
    "sco_data": ["name", "value"],
    "assign": ["name", "intro", "introformat", "alwaysshowdescription", "submissiondrafts",
               "sendnotifications", "sendlatenotifications", "sendstudentnotifications",
               "duedate", "cutoffdate", "gradingduedate", "allowsubmissionsfromdate", "grade",
               "timemodified", "completionsubmit", "requiresubmissionstatement",
               "teamsubmission", "requireallteammemberssubmit", "teamsubmissiongroupingid",
               "blindmarking", "hidegrader", "revealidentities", "attemptreopenmethod",
               "maxattempts", "markingworkflow", "markingallocation", "markinganonymous",
               "preventsubmissionnotingroup", "activity", "activityformat", "timelimit",
               "submissionattachments", "gradepenalty", "userflags", "submissions", "grades",
               "plugin_configs", "overrides"],
    "plugin_config": ["plugin", "subtype", "name", "value"],
    "area": ["areaname", "activemethod", "definitions"],
    "definition": ["method", "name", "description", "descriptionformat", "status",
                   "timecreated", "timemodified", "options",
                   "plugin_gradingform_guide_definition", "instances"],
    "plugin_gradingform_guide_definition": ["guidecriteria", "guidecomments"],
    "guidecriterion": ["sortorder", "shortname", "description", "descriptionformat",
                       "descriptionmarkers", "descriptionmarkersformat", "maxscore"],
    "forum": ["type", "name", "intro", "introformat", "duedate", "cutoffdate", "assessed",
              "assesstimestart", "assesstimefinish", "scale", "maxbytes", "maxattachments",
              "forcesubscribe", "trackingtype", "rsstype", "rssarticles", "timemodified",
              "warnafter", "blockafter", "blockperiod", "completiondiscussions",
              "completionreplies", "completionposts", "displaywordcount",
              "lockdiscussionafter", "grade_forum", "discussions", "subscriptions", "digests",
              "readposts", "trackedprefs", "poststags", "grades"],
}  # fmt: skip
ONLY_IN_5 = {"enableaitools", "enabledaiactions", "precreateattempts", "gradepenalty"}
REFS = {"question_reference", "question_set_reference"}


# Names Moodle also uses for other elements: the record is only the one under this parent.
PARENT = {
    "section": None,
    "course": None,
    "file": "files",
    "question": "questions",
    "answer": "answers",
    "question_category": "question_categories",
    "grade_item": "grade_items",
}


def check_order(el: ET.Element, path: str, major: int, parent: str | None = None) -> None:
    if len(el) and el.tag in ORDER and PARENT.get(el.tag, parent) == parent:
        expected = [n for n in ORDER[el.tag] if major >= 5 or n not in ONLY_IN_5]
        names = [c.tag for c in el if c.tag not in REFS]
        names = ["PLUGIN" if n.startswith("plugin_qtype_") else n for n in names]
        if "PLUGIN" not in names:
            expected = [n for n in expected if n != "PLUGIN"]
        assert names == expected, f"{path}: <{el.tag}> children out of Moodle's order"
    for child in el:
        check_order(child, path, major, el.tag)


def test_elements_are_in_moodles_order(backup):
    major = int(backup.info.findtext("backup_release", "0").split(".")[0])
    checked = 0
    for name, data in backup.entries.items():
        if name.endswith(".xml"):
            check_order(ET.fromstring(data), name, major)
            checked += 1
    assert checked > 30


def test_order_check_catches_a_swap(backup):
    quiz = next(a for a in backup.activities if a.modname == "quiz")
    el = backup.xml(f"{quiz.directory}/quiz.xml")
    inner = el[0]
    first, second = inner[0], inner[1]
    inner.remove(first)
    inner.insert(1, first)
    assert inner[0] is second
    with pytest.raises(AssertionError):
        check_order(el, "quiz.xml", 4)


# ---------------------------------------------------------------------------------------------
# Ids that must agree across files


def inforef(backup: Backup, directory: str) -> dict[str, list[int]]:
    el = backup.xml(f"{directory}/inforef.xml")
    return {ref.tag: [int(i.findtext("id", "0")) for i in ref] for ref in el}


def test_activities_sections_and_settings_agree(backup):
    info = backup.info
    settings = {s.findtext("name"): s for s in info.iterfind("settings/setting")}
    section_ids = {s.id for s in backup.sections}
    for act in backup.activities:
        assert act.directory == f"activities/{act.modname}_{act.cmid}"
        assert act.module is not None and int(act.module.get("id", "0")) == act.cmid
        assert act.module.findtext("modulename") == act.modname
        assert int(act.module.findtext("sectionid", "0")) == act.section in section_ids
        wrapper = backup.xml(f"{act.directory}/{act.modname}.xml")
        assert wrapper.get("moduleid") == str(act.cmid)
        assert wrapper.get("modulename") == act.modname
        assert act.el is not None and act.el.get("id") == wrapper.get("id")
        for suffix in ("included", "userinfo"):
            setting = settings[f"{act.modname}_{act.cmid}_{suffix}"]
            assert setting.findtext("activity") == f"{act.modname}_{act.cmid}"
    for section in backup.sections:
        el = backup.xml(f"sections/section_{section.id}/section.xml")
        assert el.findtext("sequence") == ",".join(str(a.cmid) for a in section.activities)
        assert f"section_{section.id}_included" in settings
    assert [s.number for s in backup.sections] == list(range(len(backup.sections)))
    assert len({a.context for a in backup.activities}) == len(backup.activities)
    assert int(backup.course.get("contextid", "0")) not in {a.context for a in backup.activities}


def test_files_inforefs_and_blobs_agree(backup):
    by_id = {int(f["id"]): f for f in backup.files}
    assert len(by_id) == len(backup.files)
    listed: dict[int, str] = {}
    owners = [("course", int(backup.course.get("contextid", "0")), None)]
    owners += [(f"sections/section_{s.id}", 0, s.id) for s in backup.sections]
    owners += [(a.directory, a.context, None) for a in backup.activities]
    for directory, _context, _ in owners:
        for fid in inforef(backup, directory).get("fileref", []):
            assert fid in by_id, (directory, fid)
            assert fid not in listed, f"file {fid} listed twice"
            listed[fid] = directory
    course_context = backup.course.get("contextid")
    for fid, f in by_id.items():
        blob = backup.entries[f"files/{f['contenthash'][:2]}/{f['contenthash']}"]
        assert hashlib.sha1(blob).hexdigest() == f["contenthash"]
        assert int(f["filesize"]) == len(blob)
        if f["component"] == "question" or f["component"].startswith("qtype_"):
            continue  # Moodle restores question files without an inforef entry
        owner = listed[fid]
        if f["component"] == "course" and f["filearea"] == "section":
            assert owner == f"sections/section_{f['itemid']}"
        elif f["component"] == "course":
            assert owner == "course"
        else:
            act = next(a for a in backup.activities if a.directory == owner)
            assert f["contextid"] == str(act.context) and f["component"] == f"mod_{act.modname}"
        if f["component"] == "course":
            assert f["contextid"] == course_context
    hashes = {f["contenthash"] for f in backup.files}
    blobs = {n.split("/")[-1] for n in backup.entries if n.startswith("files/")}
    assert blobs == hashes


def test_every_pluginfile_reference_has_its_file(backup):
    """Each @@PLUGINFILE@@ in a text resolves in the text's own file area."""
    files = {
        (f["contextid"], f["component"], f["filearea"], f["itemid"], f["filename"])
        for f in backup.files
    }
    raw = lambda el, tag: el.findtext(tag, "")  # noqa: E731

    def refs(text: str) -> list[str]:
        return [unquote(t.split('"')[0]) for t in text.split("@@PLUGINFILE@@/")[1:]]

    seen = 0
    texts = {"page": "content", "assign": "intro", "forum": "intro", "quiz": "intro"}
    for act in backup.activities:
        if act.modname in texts:
            area = texts[act.modname]
            for name in refs(raw(act.el, area)):
                assert (str(act.context), f"mod_{act.modname}", area, "0", name) in files
                seen += 1
    categories = {c.get("id"): c.findtext("contextid") for c in backup.xml("questions.xml")}
    for q in backup.questions.values():
        ctx = categories[str(q.category)]
        areas = [
            ("questiontext", q.id, raw(q.el, "questiontext")),
            ("generalfeedback", q.id, raw(q.el, "generalfeedback")),
        ]
        for a in q.el.iterfind(".//answers/answer"):
            areas += [
                ("answer", a.get("id"), raw(a, "answertext")),
                ("answerfeedback", a.get("id"), raw(a, "feedback")),
            ]
        for h in q.el.iterfind("question_hints/question_hint"):
            areas.append(("hint", h.get("id"), raw(h, "hint")))
        for area, itemid, text in areas:
            for name in refs(text):
                assert (ctx, "question", area, str(itemid), name) in files, (q.name, area)
                seen += 1
    assert seen >= 4  # page images and the images of the matching question


def test_questions_slots_and_categories_agree(backup):
    cats = {int(c.get("id", "0")): c for c in backup.xml("questions.xml")}
    for act in backup.activities:
        listed = inforef(backup, act.directory).get("question_categoryref", [])
        for cid in listed:
            cat = cats[cid]
            owner = next(
                a for a in backup.activities if str(a.context) == cat.findtext("contextid")
            )
            assert cat.findtext("contextlevel") == "70"
            assert cat.findtext("contextinstanceid") == str(owner.cmid)
            parent = int(cat.findtext("parent", "0"))
            assert parent == 0 or parent in listed
        if act.modname != "quiz":
            continue
        assert listed
        for slot in backup.slots(act):
            if slot.entry is None:
                condition = json.loads(slot.filter)
                assert int(condition["filter"]["category"]["values"][0]) in listed
                continue
            q = backup.questions[slot.entry]
            assert q.category in listed and q.parent == 0
        for ref in act.el.iterfind(".//question_reference"):
            assert ref.findtext("usingcontextid") == str(act.context)
    for q in backup.questions.values():
        assert q.entry == q.id
        if q.qtype == "multianswer":
            sequence = [int(i) for i in q.options["sequence"].split(",")]
            assert q.options["question"] == str(q.id)
            assert [backup.question_by_id(i).parent for i in sequence] == [q.id] * len(sequence)
        if q.qtype == "truefalse":
            ids = {str(a.id) for a in q.answers}
            assert {q.options["trueanswer"], q.options["falseanswer"]} == ids
        for rec in q.el.iterfind(".//numerical_record"):
            assert int(rec.findtext("answer", "0")) in {a.id for a in q.answers}
    answer_ids = [a.id for q in backup.questions.values() for a in q.answers]
    assert len(answer_ids) == len(set(answer_ids))


def test_grades_and_completion_agree(backup, course):
    gradebook = backup.xml("gradebook.xml")
    category = gradebook.find("grade_categories/grade_category").get("id")
    total = 0.0
    for act in backup.activities:
        items = backup.grade_items(act)
        refs = inforef(backup, act.directory).get("grade_itemref", [])
        assert [int(i.get("id")) for i in items] == refs
        if act.modname not in ("quiz", "assign"):
            assert not items
            continue
        (item,) = items
        assert item.findtext("iteminstance") == str(act.instance)
        assert item.findtext("categoryid") == category
        assert item.findtext("itemmodule") == act.modname
        if act.modname == "assign":
            task = next(a for a in course.assignments if a.title == act.title)
            assert float(item.findtext("grademax")) == float(act.el.findtext("grade"))
            assert float(item.findtext("grademax")) == task.points
            assert float(item.findtext("gradepass")) == (task.pass_points or 0)
            assert item.findtext("idnumber") == task.id
            total += task.points
            continue
        quiz = course.find(next(i.id for i in course.quizzes if i.title == act.title))
        slots = backup.slots(act)
        grade = float(act.el.findtext("grade"))
        assert grade == float(act.el.findtext("sumgrades")) == sum(s.maxmark for s in slots)
        assert float(item.findtext("grademax")) == grade
        pass_grade = grade * quiz.settings.pass_percentage / 100
        assert float(item.findtext("gradepass")) == pytest.approx(pass_grade, abs=1e-5)
        assert act.module.findtext("completionpassgrade") == "1"
        assert act.module.findtext("completiongradeitemnumber") == "0"
        total += grade
    course_item = gradebook.find("grade_items/grade_item")
    assert float(course_item.findtext("grademax")) == total
    assert course_item.findtext("iteminstance") == category
    criteria = backup.xml("completion.xml").findall("course_completion_criteria")
    learners = [i.id for i in course.items() if not i.for_trainers]
    required = [
        a
        for a in backup.activities
        if a.modname in ("page", "quiz", "assign", "forum")
        and backup.module_field(a, "idnumber") in learners
    ]
    assert len(required) == len(learners)
    assert [int(c.findtext("moduleinstance")) for c in criteria] == [a.cmid for a in required]
    assert [c.findtext("module") for c in criteria] == [a.modname for a in required]
    for act in required:
        assert act.module.findtext("completion") == "2"
        if act.modname == "page":
            assert act.module.findtext("completionview") == "1"


# ---------------------------------------------------------------------------------------------
# The course read back equals the model


def test_course_settings(backup, course):
    c = backup.course
    assert c.findtext("fullname") == course.title
    assert c.findtext("shortname") == course.short_name
    assert c.findtext("lang") == "bg"
    assert c.findtext("format") == "topics"
    assert c.findtext("enablecompletion") == "1"
    assert int(c.findtext("startdate")) == 1799625600  # 2027-01-11, the course's start_date
    assert backup.text(c.findtext("summary")) == neutral(course, course.summary)


def test_sections_pages_and_quizzes(backup, course):
    s = strings(course.language)
    sections = backup.sections
    assert [x.name for x in sections[1:]] == [m.title for m in course.modules]
    assert sections[0].summary == neutral(course, course.summary)
    for section, module in zip(sections[1:], course.modules, strict=True):
        assert section.summary == neutral(course, module.summary)
        acts = [(a.modname, a.title) for a in section.activities]
        kinds = [(MODNAMES[type(i).__name__], i.title) for i in module.items]
        assert acts == kinds
    for lesson in course.lessons:
        page = next(a for a in backup.activities if a.modname == "page" and a.title == lesson.title)
        content = backup.text(page.el.findtext("content"))
        assert content.endswith(neutral(course, lesson.html))
        assert "<h1" not in content
        assert (s["objectives"] in content) == bool(lesson.objectives)
        for objective in lesson.objectives:
            assert f"<li>{neutral(course, objective)}</li>" in content
    assert "doc:Решения, основани на данни#" in backup.text(
        next(a for a in backup.activities if a.title == "Стратегия на библиотеката").el.findtext(
            "content"
        )
    )


MODNAMES = {"Lesson": "page", "Quiz": "quiz", "Assignment": "assign", "Forum": "forum"}


def test_images_travel_with_their_texts(backup, course):
    stored = {(f["filename"], f["contenthash"], f["component"]) for f in backup.files}
    for lesson in course.lessons:
        for ident in lesson.media:
            media = course.media[ident]
            sha1 = hashlib.sha1(media.read()).hexdigest()
            assert (media.name, sha1, "mod_page") in stored
    quiz_media = {m for q in course.quizzes for m in q.media}
    assert quiz_media
    for ident in quiz_media:
        media = course.media[ident]
        sha1 = hashlib.sha1(media.read()).hexdigest()
        assert (media.name, sha1, "question") in stored


QTYPES = {
    "single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
    "short": "shortanswer", "numerical": "numerical", "matching": "match",
    "ordering": "ordering", "essay": "essay", "cloze": "multianswer",
    "description": "description",
}  # fmt: skip


def test_every_question_reads_back_as_its_model(backup, course):
    s = strings(course.language)
    quiz = course.quizzes[0]
    act = next(a for a in backup.activities if a.modname == "quiz")
    slots = backup.slots(act)
    assert [x.number for x in slots] == list(range(1, len(quiz.questions) + 1))
    assert len(slots) == len(quiz.questions)
    for slot, model in zip(slots, quiz.questions, strict=True):
        q = backup.questions[slot.entry]
        assert q.qtype == QTYPES[model.kind], model.title
        assert q.name == model.title
        assert slot.maxmark == (model.points if model.gradable else 0)
        assert q.general_feedback == neutral(course, model.general_feedback)
        assert q.hints == [neutral(course, h) for h in model.hints]
        assert q.tags == model.tags
        if not isinstance(model, Cloze):
            assert q.text == neutral(course, model.text)
        check_answers(backup, course, q, model, s)


def check_answers(backup, course, q, model: Question, s) -> None:
    got = [(a.text, a.fraction, a.feedback) for a in q.answers]
    n = lambda html: neutral(course, html)  # noqa: E731
    match model:
        case SingleChoice(choices=c) | MultipleChoice(choices=c):
            assert got == [(n(x.text), x.fraction, n(x.feedback)) for x in c]
            assert q.options["single"] == ("1" if isinstance(model, SingleChoice) else "0")
            assert q.options["correctfeedback"] == n(model.correct_feedback)
            assert q.options["partiallycorrectfeedback"] == n(model.partial_feedback)
            assert q.options["incorrectfeedback"] == n(model.incorrect_feedback)
        case TrueFalse():
            right = [1.0, 0.0] if model.answer else [0.0, 1.0]
            assert got == [
                (s["true"], right[0], n(model.feedback_true)),
                (s["false"], right[1], n(model.feedback_false)),
            ]
        case ShortAnswer(answers=a):
            # each answer, then the spellings the site also accepts (tests/test_matching.py)
            assert got == [
                (v, x.fraction, n(x.feedback)) for x in a for v in moodle_spellings(x.text)
            ]
            assert q.options["usecase"] == ("1" if model.case_sensitive else "0")
        case Numerical(answers=a):
            assert [(float(t), f, fb) for t, f, fb in got] == [
                (x.value, x.fraction, n(x.feedback)) for x in a
            ]
            tolerances = [float(r.findtext("tolerance")) for r in q.el.iter("numerical_record")]
            assert tolerances == [x.tolerance for x in a]
        case Matching():
            matches = [
                (backup.text(m.findtext("questiontext")), m.findtext("answertext"))
                for m in q.el.iter("match")
            ]
            expected = [(n(p.prompt), p.answer) for p in model.pairs]
            assert matches == expected + [("", d) for d in model.distractors]
        case Ordering(items=items):
            assert got == [(n(t), float(i), "") for i, t in enumerate(items, start=1)]
        case Essay():
            assert q.options["graderinfo"] == n(model.grader_info)
            assert q.options["minwordlimit"] == str(model.min_words or "$@NULL@$")
            assert q.options["maxwordlimit"] == str(model.max_words or "$@NULL@$")
            assert q.options["responsefieldlines"] == str(model.lines)
        case Cloze():
            check_cloze(backup, course, q, model)
        case _:
            assert got == []


def check_cloze(backup, course, q, model: Cloze) -> None:
    n = lambda html: neutral(course, html)  # noqa: E731
    placeholders = iter(range(1, len(model.gaps) + 1))
    text = "".join(p if isinstance(p, str) else f"{{#{next(placeholders)}}}" for p in model.parts)
    assert q.text == n(text)
    assert q.defaultmark == sum(g.points for g in model.gaps)
    children = [backup.question_by_id(int(i)) for i in q.options["sequence"].split(",")]
    kinds = {
        GapKind.DROPDOWN: "multichoice",
        GapKind.SHORT: "shortanswer",
        GapKind.NUMERIC: "numerical",
    }
    assert len(children) == len(model.gaps)
    for child, gap in zip(children, model.gaps, strict=True):
        assert child.qtype == kinds[gap.kind]
        assert child.defaultmark == gap.points
        got = [(a.text, a.fraction, a.feedback) for a in child.answers]
        if gap.kind is GapKind.NUMERIC:
            got = [(float(t), f, fb) for t, f, fb in got]
            assert got == [(float(o.text), o.fraction, n(o.feedback)) for o in gap.options]
        else:
            assert got == [(o.text, o.fraction, n(o.feedback)) for o in gap.options]
        assert child.text.startswith(f"{{{gap.points:g}:") and child.text.endswith("}")


def test_quiz_settings(backup, course):
    quiz = course.quizzes[0]
    act = next(a for a in backup.activities if a.modname == "quiz")
    el = act.el
    assert el.findtext("attempts_number") == str(quiz.settings.attempts)
    assert el.findtext("timelimit") == str(quiz.settings.time_limit * 60)
    # feedback: immediate, and the quiz has hints, which Moodle shows only in this behaviour
    assert el.findtext("preferredbehaviour") == "interactive"
    assert el.findtext("shuffleanswers") == "1"
    assert int(el.findtext("reviewspecificfeedback")) & 0x10000  # shown while answering
    assert el.findtext("intro") == neutral(course, quiz.intro)


# ---------------------------------------------------------------------------------------------
# Layouts and options


def test_45_keeps_questions_in_the_quiz(mbz45):
    backup = Backup(mbz45)
    assert backup.info.findtext("backup_release") == "4.5"
    assert not [a for a in backup.activities if a.modname == "qbank"]
    names = [s.findtext("name") for s in backup.info.iterfind("settings/setting")]
    assert "questionbank" in names
    quiz = next(a for a in backup.activities if a.modname == "quiz")
    contexts = {c.findtext("contextid") for c in backup.xml("questions.xml")}
    assert contexts == {str(quiz.context)}


def test_5_keeps_questions_in_a_question_bank_module(mbz5):
    backup = Backup(mbz5)
    assert backup.info.findtext("backup_release") == "5.0"
    (bank,) = [a for a in backup.activities if a.modname == "qbank"]
    assert bank.section == backup.sections[0].id
    assert bank.module.findtext("visible") == "0"
    assert bank.module.findtext("completion") == "0"
    names = [s.findtext("name") for s in backup.info.iterfind("settings/setting")]
    assert "questionbank" not in names
    contexts = {c.findtext("contextid") for c in backup.xml("questions.xml")}
    assert contexts == {str(bank.context)}
    assert inforef(backup, bank.directory)["question_categoryref"]


def test_drawn_questions_are_random_slots(course_dir, tmp_path):
    write(
        course_dir / "02-услуги" / "02-тест.md",
        "---\ntype: quiz\ntitle: Случаен тест\ndraw: 2\nfeedback: after_attempt\n---\n"
        "## Първи\n\n- (x) Да\n- ( ) Не\n\n## Втори\n\n- (x) Да\n- ( ) Не\n\n"
        "## Трети\n\n- = 3\n\n## Бележка {type=description}\n\nПрочетете.\n",
    )
    module = course_dir / "02-услуги" / "module.md"
    module.write_text(
        module.read_text(encoding="utf-8").replace(
            "title: Нови услуги\n",
            "title: Нови услуги\nlessons:\n  - 01-дигитални.md\n  - 02-тест.md\n",
        ),
        encoding="utf-8",
    )
    for options in ((), ("moodle.version=5",)):
        backup = Backup(build(course_dir, tmp_path / str(len(options)), *options))
        act = next(a for a in backup.activities if a.title == "Случаен тест")
        slots = backup.slots(act)
        assert [s.entry is None for s in slots] == [False, True, True]  # description, 2 drawn
        assert [s.maxmark for s in slots] == [0.0, 1.0, 1.0]
        assert act.el.findtext("grade") == "2.00000"
        assert act.el.findtext("preferredbehaviour") == "deferredfeedback"
        listed = inforef(backup, act.directory)["question_categoryref"]
        for slot in slots[1:]:
            category = json.loads(slot.filter)["filter"]["category"]["values"][0]
            assert int(category) in listed
            pool = [q for q in backup.questions.values() if q.category == int(category)]
            assert sorted(q.name for q in pool) == sorted(["Първи", "Втори", "Трети", "Бележка"])
        ref = act.el.find(".//question_set_reference")
        bank = next(
            a for a in backup.activities if str(a.context) == ref.findtext("questionscontextid")
        )
        assert bank.modname == ("qbank" if options else "quiz")


def test_bad_options_stop_before_writing(tmp_path):
    for option, message in (
        ("moodle.version=7", 'moodle.version must be one of 4, 4.5, 5, 5.0, 5.1, not "7"'),
        ("moodle.activites=scorm", 'did you mean "moodle.activities"'),
        ("moodle.activities=pages", "moodle.activities must be one of native, scorm"),
    ):
        result = run_cli("build", str(FIXTURE), "-o", str(tmp_path), "-t", "moodle", "-O", option)
        assert result.exit_code == 2
        assert message in result.output
        assert not list(tmp_path.iterdir())


def test_feedback_for_right_and_wrong_answers_goes_with_the_answers(course_dir, tmp_path):
    """Short-answer questions have no such feedback fields in Moodle: the text is kept with
    the right answers, and wrong-answer feedback with a "*" answer that takes any other."""
    quiz = course_dir / "01-основи" / "03-тест.md"
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(
        text.replace(
            "  > Правилно, но на английски.\n",
            "  > Правилно, но на английски.\n\nПри верен отговор: Браво!\n"
            "При грешен отговор: Опитайте пак.\n",
        ),
        encoding="utf-8",
    )
    result = run_cli("build", str(course_dir), "-o", str(tmp_path / "out"), "-t", "moodle")
    assert result.exit_code == 0, result.output
    assert "has no feedback for right" not in result.output
    with zipfile.ZipFile(tmp_path / "out" / "proben-kurs-0.1.0.mbz") as zf:
        xml = zf.read("questions.xml").decode("utf-8")
    entry = xml[xml.index("<name>В коя държава е град Оулу?</name>") :]
    entry = entry[: entry.index("</question>")]
    assert entry.count("Браво!") == 4  # both accepted answers, each also with a full stop
    assert "<answertext>*</answertext>" in entry and "Опитайте пак." in entry


def test_feedback_moodle_cannot_keep_is_a_warning(course_dir, tmp_path):
    quiz = course_dir / "01-основи" / "03-тест.md"
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(
        text.replace(
            "За оценяващия: Търсим конкретна услуга и нейните потребители.\n",
            "За оценяващия: Търсим конкретна услуга и нейните потребители.\n"
            "При верен отговор: Браво!\n",
        ),
        encoding="utf-8",
    )
    result = run_cli("build", str(course_dir), "-o", str(tmp_path / "out"), "-t", "moodle")
    assert result.exit_code == 0, result.output
    assert 'question "Опишете една услуга на вашата библиотека"' in result.output
    assert "essay question has no feedback for right" in result.output


def test_a_failed_build_leaves_nothing(tmp_path, monkeypatch):
    from packager.model import Media

    def broken(self):
        raise OSError(5, "Input/output error", str(self.source))

    monkeypatch.setattr(Media, "read", broken)
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path), "-t", "moodle")
    assert result.exit_code == 1
    assert "cannot write" in result.output or "error" in result.output
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_scorm_activities_carry_each_module(tmp_path, course):
    from packager.targets.scorm import package_entries

    backup = Backup(build(FIXTURE, tmp_path, "moodle.activities=scorm"))
    for name, data in backup.entries.items():
        if name.endswith(".xml") and not name.startswith("files/"):
            check_order(ET.fromstring(data), name, 4)
    expected, carried = [], {}
    for m in course.modules:  # lessons and quizzes in SCORM, the rest as activities
        sco = [i for i in m.items if isinstance(i, Lesson | Quiz) and not m.for_trainers]
        sco = [i for i in sco if not i.for_trainers]
        if sco:
            expected.append(("scorm", m.title))
            carried[m.title] = dataclasses.replace(m, items=sco)
        expected += [(MODNAMES[type(i).__name__], i.title) for i in m.items if i not in sco]
    assert [(a.modname, a.title) for a in backup.activities] == expected
    assert {a.title for a in backup.activities if a.module.findtext("visible") != "1"} == {
        i.title for i in course.items() if i.for_trainers
    }
    assert not backup.questions
    for section in backup.sections[1:]:
        scorm = [a for a in section.activities if a.modname == "scorm"]
        if not scorm:
            continue
        (act,) = scorm
        module = carried[act.title]
        package = package_entries(course, "1.2", [module])
        ours = [f for f in backup.files if f["contextid"] == str(act.context)]
        content = {
            (f["filepath"] + f["filename"]).lstrip("/"): f["contenthash"]
            for f in ours
            if f["filearea"] == "content"
        }
        assert content == {p: hashlib.sha1(d).hexdigest() for p, d in package.items()}
        (zipped,) = [f for f in ours if f["filearea"] == "package"]
        assert zipped["filename"] == act.el.findtext("reference")
        assert zipped["contenthash"] == act.el.findtext("sha1hash")
        with zipfile.ZipFile(io.BytesIO(backup.entries[blob(zipped)])) as zf:
            assert sorted(zf.namelist()) == sorted(package)
        manifest = ET.fromstring(package["imsmanifest.xml"])
        idents = [
            e.get("identifier")
            for e in manifest.iter()
            if e.tag.endswith(("}organization", "}item"))
        ]
        scoes = act.el.findall("scoes/sco")
        assert [s.findtext("identifier") for s in scoes] == idents
        launch = next(s for s in scoes if s.get("id") == act.el.findtext("launch"))
        assert launch.findtext("scormtype") == "sco" and launch.findtext("launch")
        assert {int(f["id"]) for f in ours} == set(inforef(backup, act.directory)["fileref"])
        item = backup.xml(f"{act.directory}/grades.xml").find("grade_items/grade_item")
        assert float(item.findtext("grademax")) == float(act.el.findtext("maxgrade"))
        assert act.module.findtext("completion") == "2"
    criteria = backup.xml("completion.xml").findall("course_completion_criteria")
    assert [int(c.findtext("moduleinstance")) for c in criteria] == [
        a.cmid for a in backup.activities if a.module.findtext("visible") == "1"
    ]


def blob(f: dict[str, str]) -> str:
    return f"files/{f['contenthash'][:2]}/{f['contenthash']}"


def test_a_type_moodle_lacks_is_left_out_with_a_warning(tmp_path, monkeypatch, course):
    from packager.targets.moodle import qtypes as moodle_qtypes

    monkeypatch.delitem(moodle_qtypes.PAYLOADS, Ordering)
    result = run_cli("build", str(FIXTURE), "-o", str(tmp_path), "-t", "moodle")
    assert result.exit_code == 0, result.output
    assert 'question "Подредете етапите": Moodle has no question type' in result.output
    backup = Backup(tmp_path / PACKAGE)
    act = next(a for a in backup.activities if a.modname == "quiz")
    quiz = course.quizzes[0]
    names = [backup.questions[s.entry].name for s in backup.slots(act)]
    assert names == [q.title for q in quiz.questions if not isinstance(q, Ordering)]
    assert float(act.el.findtext("grade")) == sum(
        q.points for q in quiz.graded_questions if not isinstance(q, Ordering)
    )


# ---------------------------------------------------------------------------------------------
# Plan, then write: the plan is complete and frozen, the writers only read it


def moodle_plan(course: Course, version: str = "4", scorm: bool = False):
    from packager.targets.moodle.backup import VERSIONS
    from packager.targets.moodle.planner import make_plan

    s = strings(course.language)
    return make_plan(course, VERSIONS[version], 1_800_000_000, scorm, s, PACKAGE)


LAYOUTS = [("4", False), ("5", False), ("4", True)]


@pytest.mark.parametrize(("version", "scorm"), LAYOUTS)
def test_writers_in_any_order_write_the_same_bytes(course, version, scorm):
    import random

    from packager.targets.moodle.backup import (
        WRITERS,
        activities_files,
        activity_entries,
        write_entries,
    )

    plan = moodle_plan(course, version, scorm)
    entries = write_entries(plan)
    writers = list(WRITERS)
    random.Random(7).shuffle(writers)
    assert writers != list(WRITERS)
    orders = (writers, list(reversed(WRITERS)), sorted(WRITERS, key=lambda w: w.__name__))
    for order in orders:  # each on a fresh plan, and again on the one written already
        for target in (moodle_plan(course, version, scorm), plan):
            again = write_entries(target, order)
            assert sorted(again) == sorted(entries)
            assert all(again[name] == data for name, data in entries.items())
    by_activity: dict[str, bytes] = {}
    for act in reversed(plan.activities):
        by_activity |= activity_entries(plan, act)
    assert by_activity == activities_files(plan)
    for writer in reversed(WRITERS):  # a writer called twice writes the same again
        assert writer(plan) == writer(plan)
    assert moodle_plan(course, version, scorm) == plan  # planning is deterministic too


def test_two_writers_of_one_entry_are_refused(course):
    from packager.targets.moodle.backup import WRITERS, write_entries

    plan = moodle_plan(course)
    with pytest.raises(ValueError, match="writes"):
        write_entries(plan, (*WRITERS, WRITERS[0]))


def frozen_problems(value: object, path: str = "plan", seen: set[int] | None = None) -> list[str]:
    """Where ``value`` holds something mutable: a list, dict or set, or a dataclass that is
    not frozen. The model's objects are the source the plan refers to, not part of it."""
    import dataclasses

    seen = set() if seen is None else seen
    if id(value) in seen or type(value).__module__ == "packager.model":
        return []
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = [] if value.__dataclass_params__.frozen else [f"{path}: not frozen"]
        for f in dataclasses.fields(value):
            out += frozen_problems(getattr(value, f.name), f"{path}.{f.name}", seen)
        return out
    if isinstance(value, tuple):
        return [p for i, v in enumerate(value) for p in frozen_problems(v, f"{path}[{i}]", seen)]
    if value is None or isinstance(value, str | int | float | bytes):
        return []
    return [f"{path}: a {type(value).__name__}"]


@pytest.mark.parametrize(("version", "scorm"), LAYOUTS)
def test_the_plan_is_immutable(course, version, scorm):
    import dataclasses

    plan = moodle_plan(course, version, scorm)
    assert frozen_problems(plan) == []
    act = next(a for a in plan.activities if a.grade_items)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.sections = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        act.inforef.files += (99,)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.files[0].area.itemid = 5
    with pytest.raises(AttributeError):
        plan.sections[1].activities.append(act)  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        plan.files[0] = plan.files[1]  # type: ignore[index]
    if not scorm:
        (question, *_) = plan.banks[0].categories[1].questions
        with pytest.raises(dataclasses.FrozenInstanceError):
            question.draws = ()


def test_the_immutability_check_finds_a_list():
    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class Holder:
        ids: object

    @dataclasses.dataclass
    class Loose:
        n: int = 0

    assert frozen_problems(Holder((1, 2))) == []
    assert frozen_problems(Holder((1, [2]))) == ["plan.ids[1]: a list"]
    assert frozen_problems(Holder({"a": 1})) == ["plan.ids: a dict"]
    assert frozen_problems(Holder(Loose())) == ["plan.ids: not frozen"]


def test_the_plan_holds_every_id_the_backup_uses(course):
    """Inforefs, grade items, categories and question ids in the plan are the backup's."""
    plan = moodle_plan(course, "5")
    files = {f.id for f in plan.files}
    assert [f.id for f in plan.files] == list(range(1, len(files) + 1))
    assert {b.sha1 for b in plan.blobs} == {f.sha1 for f in plan.files}
    listed = [i for a in plan.activities for i in a.inforef.files]
    listed += [i for s in plan.sections for i in s.inforef.files] + list(plan.inforef.files)
    assert len(listed) == len(set(listed)) and set(listed) <= files
    (bank,) = plan.banks
    (qbank,) = [a for a in plan.activities if a.modname == "qbank"]
    assert qbank.inforef.question_categories == tuple(c.id for c in bank.categories)
    grades = [g.id for a in plan.activities for g in a.grade_items]
    assert [plan.course_grade.id, *grades] == list(range(1, len(grades) + 2))
    quiz = next(a for a in plan.activities if a.modname == "quiz")
    entries = [qp.id for c in bank.categories for qp in c.questions]
    assert [s.entry for s in quiz.content.slots] == entries[: len(quiz.content.slots)]
    criteria = [c.cmid for c in plan.criteria]
    kinds = ("page", "quiz", "assign", "forum")
    assert criteria == [a.cmid for a in plan.activities if a.modname in kinds and a.visible]
    assert len(criteria) == len([i for i in course.items() if not i.for_trainers])


def test_a_question_written_against_another_plan_is_refused(course):
    """Writing replays the ids planning drew; a plan that lacks one or has one too many is
    an error, never a backup with ids that do not agree."""
    import dataclasses

    from packager.targets.moodle.questions import question_entries

    plan = moodle_plan(course)
    s = strings(course.language)
    questions = [qp for b in plan.banks for c in b.categories for qp in c.questions]
    qp = next(q for q in questions if dict(q.draws).get("answer"))
    assert question_entries(plan, qp, s)
    draws = dict(qp.draws)
    fewer = dataclasses.replace(qp, draws=tuple({**draws, "answer": draws["answer"][:-1]}.items()))
    with pytest.raises(RuntimeError, match="no answer id"):
        question_entries(plan, fewer, s)
    more = dataclasses.replace(
        qp, draws=tuple({**draws, "answer": (*draws["answer"], 999)}.items())
    )
    with pytest.raises(RuntimeError, match="answer ids unused"):
        question_entries(plan, more, s)


def test_a_media_file_is_stored_once_per_area(course):
    from packager.targets.moodle.plan import Area
    from packager.targets.moodle.plan_files import FileRegistry

    counter = iter(range(1, 100))
    files = FileRegistry(course, lambda: next(counter), {})
    media = next(iter(course.media))
    first = files.media(media, Area(5, "mod_page", "content"))
    assert files.media(media, Area(5, "mod_page", "content")) is first
    second = files.media(media, Area(6, "mod_page", "content"))
    assert (first.id, second.id) == (1, 2) and first.sha1 == second.sha1
    assert files.ids_in(5, "mod_page") == (1,) and files.ids_in(6, "mod_page", "intro") == ()
    files.data(b"x", Area(7, "mod_scorm", "content"), "a/b.txt")
    with pytest.raises(ValueError, match=r"two files at /a/b\.txt"):
        files.data(b"y", Area(7, "mod_scorm", "content"), "a/b.txt")
    stored, blobs = files.frozen()
    assert [f.id for f in stored] == [1, 2, 3] and len(blobs) == 2
    assert stored[2].filepath == "/a/" and stored[2].mime == "text/plain"


# ---------------------------------------------------------------------------------------------
# Audiences, assignments, forums and stratified draws


def by_source(backup: Backup, ident: str):
    """The activity that carries the model's item ``ident`` (its idnumber)."""
    return next(a for a in backup.activities if backup.module_field(a, "idnumber") == ident)


def criteria_cmids(backup: Backup) -> list[int]:
    criteria = backup.xml("completion.xml").findall("course_completion_criteria")
    return [int(c.findtext("moduleinstance")) for c in criteria]


def test_what_is_for_trainers_is_hidden_from_learners(backup, course):
    trainers = [m for m in course.modules if m.for_trainers]
    assert trainers and any(
        i.for_trainers for m in course.modules if not m.for_trainers for i in m.items
    )
    for section, module in zip(backup.sections[1:], course.modules, strict=True):
        assert section.visible == (not module.for_trainers)
        el = backup.xml(f"sections/section_{section.id}/section.xml")
        assert el.findtext("visible") == ("0" if module.for_trainers else "1")
    assert backup.sections[0].visible
    required = criteria_cmids(backup)
    for item in course.items():
        act = by_source(backup, item.id)
        module = course.module_of(item)
        field = lambda name, act=act: backup.module_field(act, name)  # noqa: E731
        if not item.for_trainers:
            assert (field("visible"), field("visibleold"), field("completion")) == ("1", "1", "2")
            assert act.cmid in required
            continue
        # hidden, and shown again with its section only if it is hidden just for being there
        assert field("visible") == "0"
        assert field("visibleold") == ("1" if module.for_trainers else "0")
        assert field("visibleoncoursepage") == "1"  # teachers see it on the course page
        assert field("completion") == "0" and field("completionview") == "0"
        assert act.cmid not in required
        assert not backup.grade_items(act)


def test_assignments_read_back_with_criteria_grade_and_guide(backup, course):
    s = strings(course.language)
    assert course.assignments
    for task in course.assignments:
        act = by_source(backup, task.id)
        assert act.modname == "assign" and act.el.findtext("name") == task.title
        intro = backup.text(act.el.findtext("intro"))
        assert intro.startswith(neutral(course, task.html))  # nothing of the instructions lost
        table = ET.fromstring(intro[intro.index("<table") : intro.index("</table>") + 8])
        assert table.get("class") == " ".join(TABLE_CLASSES)
        head = [th.text for th in table.iterfind("thead/tr/th")]
        assert head == [s["criterion"], s["criterion_points"]]
        rows = [
            (neutral_cell(cells[0]), float(cells[1].text))
            for cells in (list(tr) for tr in table.iterfind("tbody/tr"))
        ]
        assert rows == [(neutral(course, c.text), c.points) for c in task.criteria]
        foot = list(table.find("tfoot/tr"))
        assert (foot[0].text, float(foot[1].text)) == (s["total"], task.points)
        assert s["pass_points"].format(n=f"{task.pass_points:g}") in intro
        assert act.el.findtext("introformat") == "1"
        assert float(act.el.findtext("grade")) == task.points
        (item,) = backup.grade_items(act)
        assert float(item.findtext("grademax")) == task.points
        assert float(item.findtext("gradepass")) == task.pass_points
        # submission as the model asks, graded by a trainer with comments
        assert backup.plugin_enabled(act, "assignsubmission", "onlinetext")
        assert backup.plugin_enabled(act, "assignsubmission", "file")
        assert backup.plugin_enabled(act, "assignfeedback", "comments")
        limits = {
            c.findtext("name"): c.findtext("value")
            for c in act.el.iterfind("plugin_configs/plugin_config")
            if c.findtext("plugin") == "file" and c.findtext("subtype") == "assignsubmission"
        }
        assert 0 < int(limits["maxfilesubmissions"]) <= 20
        assert 0 < int(limits["maxsubmissionsizebytes"]) <= 100 * 1024 * 1024
        # complete when submitted, and part of course completion
        assert act.el.findtext("completionsubmit") == "1"
        assert backup.module_field(act, "completion") == "2"
        assert backup.module_field(act, "completionview") == "0"
        assert backup.module_field(act, "completiongradeitemnumber") == "$@NULL@$"
        assert act.cmid in criteria_cmids(backup)
        # a marking guide: one criterion per criterion, each with its points
        guide = backup.guide(act)
        assert guide is not None
        assert [(g.shortname, g.maxscore) for g in guide] == [
            (text_of(c.text), c.points) for c in task.criteria
        ]
        assert sum(g.maxscore for g in guide) == task.points


def neutral_cell(cell: ET.Element) -> str:
    """A table cell's inner HTML as the reader gives texts."""
    inner = (cell.text or "") + "".join(ET.tostring(c, encoding="unicode") for c in cell)
    return inner


def test_forums_read_back_with_prompt_and_completion(backup, course):
    assert course.forums
    for forum in course.forums:
        act = by_source(backup, forum.id)
        assert act.modname == "forum" and act.el.findtext("name") == forum.title
        assert act.el.findtext("type") == "general"
        assert backup.text(act.el.findtext("intro")) == neutral(course, forum.html)
        # the prompts ask for a post of one's own and replies to two colleagues
        rules = [act.el.findtext(f"completion{r}") for r in ("discussions", "replies", "posts")]
        assert rules == ["1", "2", "0"]
        assert backup.module_field(act, "completion") == "2"
        assert act.el.findtext("assessed") == "0" and not backup.grade_items(act)
        assert act.cmid in criteria_cmids(backup)
        assert backup.xml(f"{act.directory}/grading.xml").tag == "areas"


def test_links_to_assignments_and_forums_are_moodle_links(course_dir, tmp_path):
    lesson = course_dir / "02-услуги" / "01-дигитални.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8")
        + "\nВижте [заданието](02-задание.md) и [форума](03-форум.md).\n",
        encoding="utf-8",
    )
    backup = Backup(build(course_dir, tmp_path / "out"))
    page = next(a for a in backup.activities if a.title == "Дигитални услуги")
    raw = page.el.findtext("content")
    task, forum = (
        next(a for a in backup.activities if a.modname == m) for m in ("assign", "forum")
    )
    assert f"$@ASSIGNVIEWBYID*{task.cmid}@$" in raw and f"$@FORUMVIEWBYID*{forum.cmid}@$" in raw


def test_an_assignment_without_criteria_is_graded_directly(course_dir, tmp_path):
    write(
        course_dir / "02-услуги" / "02-задание.md",
        "---\ntype: assignment\ntitle: Кратко задание\npoints: 7.5\nsubmission: [text]\n---\n"
        "# Какво правите\n\nНапишете три изречения.\n",
    )
    result = run_cli("build", str(course_dir), "-o", str(tmp_path / "out"), "-t", "moodle")
    assert result.exit_code == 0, result.output
    assert 'assignment "Кратко задание": Moodle grades assignments in whole points' in result.output
    backup = Backup(tmp_path / "out" / PACKAGE)
    act = next(a for a in backup.activities if a.modname == "assign")
    assert backup.guide(act) is None
    assert backup.xml(f"{act.directory}/grading.xml").findall("area") == []
    assert backup.plugin_enabled(act, "assignsubmission", "onlinetext")
    assert not backup.plugin_enabled(act, "assignsubmission", "file")
    intro = backup.text(act.el.findtext("intro"))
    assert "<table" not in intro and "<h1" not in intro and ">Какво правите</h2>" in intro
    assert act.el.findtext("grade") == "8"
    (item,) = backup.grade_items(act)
    assert float(item.findtext("grademax")) == 8 and float(item.findtext("gradepass")) == 0
    assert act.el.findtext("maxattempts") == "1"  # nothing to pass: no automatic reopening


TRAINERS_QUIZ = (
    "---\ntype: quiz\ntitle: Самопроверка\n---\n## Готови ли сте?\n\n- (x) Да\n- ( ) Не\n"
)
TRAINERS_TASK = (
    "---\ntype: assignment\ntitle: План за деня\ncriteria:\n  Пълен: 5\n  Реалистичен: 5\n---\n"
    "Подгответе план.\n"
)


def test_trainers_quizzes_and_assignments_are_not_graded(course_dir, tmp_path):
    folder = course_dir / "03-за-обучители"
    write(folder / "02-самопроверка.md", TRAINERS_QUIZ)
    write(folder / "03-задание.md", TRAINERS_TASK)
    edit_module(folder, ["01-план.md", "02-самопроверка.md", "03-задание.md"])
    for options in ((), ("moodle.version=5",)):
        backup = Backup(build(course_dir, tmp_path / str(len(options)), *options))
        quiz = next(a for a in backup.activities if a.title == "Самопроверка")
        task = next(a for a in backup.activities if a.title == "План за деня")
        for act in (quiz, task):
            assert backup.module_field(act, "visible") == "0"
            assert backup.module_field(act, "completion") == "0"
            assert not backup.grade_items(act)
            assert act.cmid not in criteria_cmids(backup)
        assert float(quiz.el.findtext("grade")) == 0
        assert float(quiz.el.findtext("sumgrades")) == 1
        assert task.el.findtext("grade") == "0" and task.el.findtext("completionsubmit") == "0"
        assert backup.guide(task) is None
        total = backup.xml("gradebook.xml").find("grade_items/grade_item")
        graded = [i for a in backup.activities for i in backup.grade_items(a)]
        assert float(total.findtext("grademax")) == sum(
            float(i.findtext("grademax")) for i in graded
        )


def edit_module(folder: Path, files: list[str]) -> None:
    module = folder / "module.md"
    text = module.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    listed = "".join(f"  - {f}\n" for f in files)
    module.write_text(f"{head}\nlessons:\n{listed}---\n{body}", encoding="utf-8")


POOLED = """---
type: quiz
title: Финален тест
feedback: after_attempt
draw:
  модул 1: 2
  модул 2: 1
  модул 3: 2
---
## Въведение {type=description}

Прочетете въпросите внимателно.

## Първи от модул 1 {tags="модул 1"}

- (x) Да
- ( ) Не

## Втори от модул 1 {tags="модул 1, стратегия"}

- (x) Да
- ( ) Не

## Трети от модул 1 {tags="модул 1"}

- ( ) Да
- (x) Не

## Първи от модул 2 {points=2 tags="модул 2"}

- (x) Да
- ( ) Не

## Втори от модул 2 {points=2 tags="модул 2"}

- = 3

## Първи от модул 3 {tags="модул 3"}

- (x) А
- ( ) Б

## Втори от модул 3 {tags="модул 3"}

- (x) А
- ( ) Б
"""


@pytest.mark.parametrize("version", ["4", "5"])
def test_a_stratified_draw_is_a_category_per_pool_with_its_random_slots(
    course_dir, tmp_path, version
):
    folder = course_dir / "02-услуги"
    write(folder / "04-финал.md", POOLED)
    edit_module(folder, ["01-дигитални.md", "02-задание.md", "03-форум.md", "04-финал.md"])
    model = next(q for q in load_course(course_dir)[0].quizzes if q.title == "Финален тест")
    backup = Backup(build(course_dir, tmp_path / "out", f"moodle.version={version}"))
    act = next(a for a in backup.activities if a.title == "Финален тест")
    cats = {int(c.get("id")): c for c in backup.xml("questions.xml")}
    listed = inforef(backup, act.directory)["question_categoryref"]
    slots = backup.slots(act)
    # the description stays a fixed slot in the quiz's own category
    (fixed,) = [s for s in slots if s.entry is not None]
    own = backup.questions[fixed.entry].category
    assert backup.questions[fixed.entry].qtype == "description" and fixed.maxmark == 0
    assert cats[own].findtext("name") == "Финален тест"
    drawn = [s for s in slots if s.entry is None]
    assert [s.number for s in slots] == list(range(1, len(slots) + 1))
    assert [s.page for s in drawn] == list(range(1, len(drawn) + 1))
    per_category: dict[int, list[float]] = {}
    for s in drawn:
        per_category.setdefault(s.category, []).append(s.maxmark)
    assert len(per_category) == len(model.settings.pools) == 3
    for pool, (cid, marks) in zip(model.settings.pools, per_category.items(), strict=True):
        cat = cats[cid]
        assert cat.findtext("name") == pool.tag
        assert int(cat.findtext("parent")) == own  # under the quiz's category
        assert cid in listed and own in listed
        assert len(marks) == pool.count
        points = {q.points for q in model.pool_questions(pool)}
        assert marks == [points.pop()] * pool.count
        held = sorted(q.name for q in backup.questions.values() if q.category == cid)
        assert held == sorted(q.title for q in model.pool_questions(pool))
        bank = next(a for a in backup.activities if a.modname == "qbank") if version == "5" else act
        assert cat.findtext("contextid") == str(bank.context)
    grade = sum(p.count * model.pool_questions(p)[0].points for p in model.settings.pools)
    assert grade == 2 * 1 + 1 * 2 + 2 * 1
    assert float(act.el.findtext("grade")) == float(act.el.findtext("sumgrades")) == grade
    (item,) = backup.grade_items(act)
    assert float(item.findtext("grademax")) == grade
    stamps = [c.findtext("stamp") for c in cats.values()]
    assert len(stamps) == len(set(stamps))


# ---------------------------------------------------------------------------------------------
# packager verify


def test_verify_accepts_every_layout(mbz45, mbz5, tmp_path):
    scorm = build(FIXTURE, tmp_path, "moodle.activities=scorm")
    for path, acts in ((mbz45, 8), (mbz5, 9), (scorm, 6)):
        result = run_cli("verify", str(path))
        assert result.exit_code == 0, result.output
        assert "4 sections (1 hidden)" in result.output
        assert f"{acts} activities (1 assign, 1 forum" in result.output


def test_module_packages_link_only_to_what_they_hold(tmp_path):
    """A SCORM activity holds one module: a link to another module's lesson is its text, not a
    link the LMS would answer with "not found"; links inside the module stay links."""
    backup = Backup(build(FIXTURE, tmp_path, "moodle.activities=scorm"))
    packages = {}
    for f in backup.xml("files.xml").iter("file"):
        if f.findtext("filearea") == "package":
            digest = f.findtext("contenthash")
            data = backup.entries[f"files/{digest[:2]}/{digest}"]
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                packages[f.findtext("filename")] = {n: zf.read(n) for n in zf.namelist()}
    services = next(p for name, p in packages.items() if name.startswith("02-"))
    page = services["02-услуги/01-дигитални.html"].decode()
    assert "стратегията" in page and "01-основи" not in page
    assert re.search(r'<a href="[^"]*\.pdf">брошурата</a>', page)
    report = verify(tmp_path / PACKAGE)
    assert report.ok, report.problems
    assert "each checked as a SCORM zip is" in "; ".join(report.checked)


def test_verify_checks_the_packages_of_scorm_activities(tmp_path):
    path = build(FIXTURE, tmp_path, "moodle.activities=scorm")
    backup = Backup(path)
    f = next(f for f in backup.xml("files.xml").iter("file") if f.findtext("filearea") == "package")
    digest = f.findtext("contenthash") or ""
    key = f"files/{digest[:2]}/{digest}"
    with zipfile.ZipFile(io.BytesIO(backup.entries[key])) as zf:
        inner = {n: zf.read(n) for n in zf.namelist()}
    page = next(n for n in sorted(inner) if n.endswith(".html"))
    inner[page] = inner[page].replace(b"</main>", b'<img src="gone.png" alt=""></main>', 1)
    del inner["imsmanifest.xml"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in inner.items():
            zf.writestr(name, data)
    files = dict(backup.entries, **{key: buffer.getvalue()})
    from packager.verify.moodle import verify_backup
    from packager.verify.report import Report

    report = Report(str(path))
    verify_backup(files, report)
    assert report.problems == [
        f"{f.findtext('filename')}: no imsmanifest.xml at the root of the zip"
    ]
    inner["imsmanifest.xml"] = zipfile.ZipFile(io.BytesIO(backup.entries[key])).read(
        "imsmanifest.xml"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in inner.items():
            zf.writestr(name, data)
    report = Report(str(path))
    verify_backup(dict(backup.entries, **{key: buffer.getvalue()}), report)
    assert report.problems == [
        f'{f.findtext("filename")}: {page}: img src="gone.png" points to a missing file'
    ]


def test_packages_in_a_backup_share_its_unpacking_limit(tmp_path, monkeypatch):
    """A SCORM package inside a backup may unpack only to what the limit leaves once the
    backup itself is unpacked: a nested archive cannot double what verify reads."""
    from packager.verify import moodle as verify_moodle
    from packager.verify.report import Report

    path = build(FIXTURE, tmp_path, "moodle.activities=scorm")
    files = Backup(path).entries
    outer = sum(len(data) for data in files.values())
    monkeypatch.setattr(verify_moodle, "MAX_UNPACKED", outer + 1000)
    report = Report(str(path))
    verify_moodle.verify_backup(files, report)
    assert len(report.problems) == 2
    assert all(
        re.fullmatch(
            r".+\.zip: not a ZIP or tar\.gz archive: it would unpack to \d+ "
            r"bytes \(limit 1000\)",
            p,
        )
        for p in report.problems
    ), report.problems


def verify_changed(mbz: Path, name: str, old: str, new: str, count: int = 1) -> list[str]:
    """The problems verify finds once ``old`` is replaced in the archive's file ``name``."""
    from packager.verify.moodle import verify_backup
    from packager.verify.report import Report

    with zipfile.ZipFile(mbz) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    text = files[name].decode("utf-8")
    assert text.count(old) >= count, (name, old)
    files[name] = text.replace(old, new, count).encode("utf-8")
    report = Report(str(mbz))
    verify_backup(files, report)
    return report.problems


def test_verify_finds_what_would_restore_wrong(mbz45, course_dir, tmp_path):
    backup = Backup(mbz45)
    task = next(a for a in backup.activities if a.modname == "assign")
    forum = next(a for a in backup.activities if a.modname == "forum")
    hidden = next(a for a in backup.activities if a.title == "План на учебния ден")
    first = criteria_cmids(backup)[0]
    cases = [
        (
            "completion.xml",
            f"<moduleinstance>{first}</moduleinstance>",
            f"<moduleinstance>{hidden.cmid}</moduleinstance>",
            "which learners cannot see",
        ),
        (
            f"{task.directory}/grading.xml",
            "<maxscore>4.00000</maxscore>",
            "<maxscore>5.00000</maxscore>",
            "criteria add up to 11, the assignment is graded out of 10",
        ),
        (
            f"{task.directory}/assign.xml",
            "<name>enabled</name>\n        <value>1</value>",
            "<name>enabled</name>\n        <value>0</value>",
            "learners can hand in nothing",
        ),
        (
            f"{task.directory}/grades.xml",
            "<grademax>10.00000</grademax>",
            "<grademax>12.00000</grademax>",
            "grade 10 and its grade item's maximum differ",
        ),
        (
            f"{forum.directory}/module.xml",
            "<completion>2</completion>",
            "<completion>0</completion>",
            "posts complete it, but completion is not tracked",
        ),
    ]
    for name, old, new, message in cases:
        count = 2 if "enabled" in old else 1  # online text and files
        problems = verify_changed(mbz45, name, old, new, count)
        assert any(message in p for p in problems), (message, problems)
    # a pool that holds fewer questions than its random slots draw
    folder = course_dir / "02-услуги"
    write(folder / "04-финал.md", POOLED)
    edit_module(folder, ["01-дигитални.md", "02-задание.md", "03-форум.md", "04-финал.md"])
    pooled = build(course_dir, tmp_path / "out")
    assert run_cli("verify", str(pooled)).exit_code == 0
    final = next(a for a in Backup(pooled).activities if a.title == "Финален тест")
    slots = Backup(pooled).slots(final)
    module3 = slots[-1].category
    problems = verify_changed(
        pooled,
        f"{final.directory}/quiz.xml",
        f'"values":["{slots[1].category}"]',
        f'"values":["{module3}"]',
        2,
    )
    assert any("4 random questions from category" in p and "holds 2" in p for p in problems)


def test_course_completion_follows_the_course_file(course_dir, tmp_path):
    """Forums count for course completion only with forums_required (their replies depend on
    other learners' posts); assignments unless assignments_required is false."""
    course_yml = course_dir / "course.yml"
    text = course_yml.read_text("utf-8").replace("  forums_required: true\n", "")
    course_yml.write_text(text, "utf-8")
    backup = Backup(build(course_dir, tmp_path / "a"))
    kinds = [a.modname for a in backup.activities if a.cmid in criteria_cmids(backup)]
    assert "forum" not in kinds and "assign" in kinds
    forum = next(a for a in backup.activities if a.modname == "forum")
    assert backup.module_field(forum, "completion") == "2"  # still tracked for the learner
    text = text.replace("completion:\n", "completion:\n  assignments_required: false\n")
    course_yml.write_text(text, "utf-8")
    backup = Backup(build(course_dir, tmp_path / "b"))
    kinds = [a.modname for a in backup.activities if a.cmid in criteria_cmids(backup)]
    assert "forum" not in kinds and "assign" not in kinds and "quiz" in kinds


def test_a_criterion_name_is_escaped_for_the_marking_guide(course_dir, tmp_path):
    """Moodle shows a marking guide criterion's name as HTML: text that looks like markup in
    the source must stay text there."""
    task = course_dir / "02-услуги" / "02-задание.md"
    text = task.read_text("utf-8").replace(
        "Има партньор и бюджет: 3", '"Партньор &lt;img src=x onerror=alert(1)&gt; & бюджет": 3'
    )
    task.write_text(text, "utf-8")
    backup = Backup(build(course_dir, tmp_path / "out"))
    act = next(a for a in backup.activities if a.modname == "assign")
    names = [c.shortname for c in backup.guide(act)]
    assert names[1] == "Партньор &lt;img src=x onerror=alert(1)&gt; &amp; бюджет"
