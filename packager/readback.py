"""What a built package holds, read back for ``packager diff``: a Moodle backup (pages,
quizzes and their questions, assignments and forums, matched by idnumber; an activity hidden
from learners, or in a hidden section, is for trainers) or a SCORM package (SCOs, matched by
identifier; a SCORM package holds nothing for trainers). Digests are of what the package
carries, so compare packages of the same kind."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from lxml import etree

from .inventory import digest
from .messages import tr
from .verify.archive import read_archive

NULL = "$@NULL@$"
_LINK = re.compile(r"\$@(\w+)\*(\d+)@\$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
# the record's list for each activity type the packager writes
LISTS = {"page": "lessons", "quiz": "quizzes", "assign": "assignments", "forum": "forums"}
TRAINERS, LEARNERS = "trainers", "learners"
# what tells a SCO page's kind: the quiz player's data, the task page's hand-in section, the
# forum page's note (the page layer writes them)
_SCO_KINDS = ((b"data-quiz", "quizzes"), (b'class="task-hand-in"', "assignments"),
              (b'class="notice forum-note"', "forums"))  # fmt: skip


def _digest(*parts: Any) -> str:
    return digest(list(parts))


def _xml(files: dict[str, bytes], name: str) -> etree._Element:
    return etree.fromstring(files[name], _PARSER)


def package_record(path: Path) -> dict[str, Any]:
    """A release-like record of a package; raises ValueError when it is neither kind."""
    try:
        files = read_archive(path.read_bytes())
    except Exception as exc:  # any archive problem is "not a package"
        raise ValueError(tr("{path}: not a package ({reason})", path=path, reason=exc)) from None
    if "moodle_backup.xml" in files:
        return _backup(files)
    if "imsmanifest.xml" in files:
        return _scorm(files)
    raise ValueError(tr("{path}: neither a Moodle backup nor a SCORM package", path=path))


def _text(el: etree._Element | None, path: str) -> str:
    value = el.findtext(path) if el is not None else None
    return "" if value in (None, NULL) else value


def _backup(files: dict[str, bytes]) -> dict[str, Any]:
    info = _xml(files, "moodle_backup.xml").find("information")
    course = {
        "title": _text(info, "original_course_fullname"),
        "short_name": _text(info, "original_course_shortname"),
        "version": _text(info, "name"),
    }
    sections: dict[str, tuple[str, list[str], bool]] = {}  # id -> title, sequence, visible
    modules = []
    for name in sorted(n for n in files if n.endswith("/section.xml")):
        sec = _xml(files, name)
        title = _text(sec, "name") or f"section {_text(sec, 'number')}"
        visible = _text(sec, "visible") != "0"
        sections[sec.get("id", "")] = (title, _text(sec, "sequence").split(","), visible)
        if _text(sec, "number") != "0":
            audience = LEARNERS if visible else TRAINERS
            digest = _digest(_text(sec, "summary"), *([] if visible else [TRAINERS]))
            modules.append({"id": title, "title": title, "audience": audience, "sha256": digest})
    acts = []
    for name in sorted(n for n in files if n.endswith("/module.xml") and "activities/" in n):
        folder = name.rsplit("/", 1)[0]
        module = _xml(files, name)
        modname = _text(module, "modulename")
        if modname in LISTS:
            act = _xml(files, f"{folder}/{modname}.xml")
            acts.append((module, modname, act, folder))
    # links between activities carry backup-internal ids ($@PAGEVIEWBYID*21@$): name them by
    # the activity's idnumber, which stays the same from one version to the next
    idnumbers = {a.get("moduleid", ""): _text(m, "idnumber") for m, _, a, _ in acts}

    def stable(text: str) -> str:
        return _LINK.sub(lambda k: f"$@{k[1]}*{idnumbers.get(k[2], k[2])}@$", text)

    found: dict[str, list[dict[str, Any]]] = {name: [] for name in LISTS.values()}
    by_context, entries_of = {}, {}
    for module, modname, act, folder in acts:
        body = act.find(modname)
        cmid = act.get("moduleid", "")
        title = _text(body, "name")
        section, sequence, shown = sections.get(_text(module, "sectionid"), ("", [], True))
        audience = LEARNERS if shown and _text(module, "visible") != "0" else TRAINERS
        entry = {
            "id": _text(module, "idnumber") or f"cm {cmid}",
            "title": title,
            "module": section,
            "position": sequence.index(cmid) + 1 if cmid in sequence else 0,
            "audience": audience,
        }
        intro = stable(_text(body, "intro"))
        parts: list[Any]
        if modname == "page":
            parts = [intro, stable(_text(body, "content"))]
        elif modname == "quiz":
            slots = {
                _text(ref, "questionbankentryid"): int(_text(inst, "slot") or 0)
                for inst in body.iter("question_instance")
                for ref in inst.iter("question_reference")
            }
            settings = [_text(body, k) for k in ("grade", "attempts_number", "timelimit")]
            parts = [intro, settings, len(slots)]
            by_context[act.get("contextid")] = entry["id"]
            entries_of[entry["id"]] = slots
        elif modname == "assign":
            parts = [intro, stable(_text(body, "activity")), *_assign(files, folder, body)]
        else:
            parts = [intro, _text(body, "type")]
        if audience == TRAINERS:
            parts.append(TRAINERS)
        entry["sha256"] = _digest(title, *parts)
        found[LISTS[modname]].append(entry)
    questions = []
    bank = _xml(files, "questions.xml") if "questions.xml" in files else None
    for category in bank.iter("question_category") if bank is not None else []:
        quiz = by_context.get(_text(category, "contextid"), "")
        for qbe in category.iter("question_bank_entry"):
            for q in qbe.iter("question"):
                if _text(q, "parent") not in ("", "0"):
                    continue  # a blank of a Cloze question: part of its parent
                answers = [
                    (_text(a, "answertext"), _text(a, "fraction"), _text(a, "feedback"))
                    for a in q.iter("answer")
                ]
                questions.append(
                    {
                        "id": _text(qbe, "idnumber") or f"entry {qbe.get('id')}",
                        "title": _text(q, "name"),
                        "kind": _text(q, "qtype"),
                        "quiz": quiz,
                        "position": entries_of.get(quiz, {}).get(qbe.get("id"), 0),
                        "sha256": _digest(
                            _text(q, "questiontext"), _text(q, "generalfeedback"), answers
                        ),
                    }
                )
    contents = {"modules": modules, **found, "questions": questions}
    return {"format": 1, "basis": "moodle backup", "course": course, "contents": contents}


def _assign(files: dict[str, bytes], folder: str, body: etree._Element) -> list[Any]:
    """What an assignment asks beyond its texts: its grade and pass grade, the ways to hand in,
    and the criteria of its marking guide."""
    handing_in = sorted(
        _text(c, "plugin")
        for c in body.iter("plugin_config")
        if _text(c, "subtype") == "assignsubmission"
        and _text(c, "name") == "enabled"
        and _text(c, "value") == "1"
    )
    passing = ""
    if f"{folder}/grades.xml" in files:
        items = _xml(files, f"{folder}/grades.xml").iter("grade_item")
        passing = next((_text(i, "gradepass") for i in items), "")
    criteria: list[list[str]] = []
    if f"{folder}/grading.xml" in files:
        criteria = [
            [_text(c, k) for k in ("shortname", "description", "maxscore")]
            for c in _xml(files, f"{folder}/grading.xml").iter("guidecriterion")
        ]
    return [_text(body, "grade"), passing, handing_in, criteria]


def _scorm(files: dict[str, bytes]) -> dict[str, Any]:
    manifest = _xml(files, "imsmanifest.xml")
    org = manifest.find("{*}organizations/{*}organization")
    resources = {r.get("identifier"): r for r in manifest.iter("{*}resource")}
    title = org.findtext("{*}title") if org is not None else ""
    modules: list[dict[str, Any]] = []
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in LISTS.values()}
    for group in org.findall("{*}item") if org is not None else []:
        scos = group.findall("{*}item") or [group]
        name = group.findtext("{*}title") or ""
        modules.append(
            {
                "id": group.get("identifier"),
                "title": name,
                "audience": LEARNERS,
                "sha256": _digest(name),
            }
        )
        for position, sco in enumerate(scos, 1):
            res = resources.get(sco.get("identifierref"))
            href = res.get("href", "").split("#")[0].split("?")[0] if res is not None else ""
            page = files.get(href, b"")
            kind = next((name for mark, name in _SCO_KINDS if mark in page), "lessons")
            found[kind].append(
                {
                    "id": sco.get("identifier"),
                    "title": sco.findtext("{*}title") or "",
                    "module": group.get("identifier"),
                    "position": position,
                    "audience": LEARNERS,
                    "sha256": hashlib.sha256(page).hexdigest(),
                }
            )
    course = {"title": title, "short_name": "", "version": ""}
    contents = {"modules": modules, **found, "questions": []}
    return {"format": 1, "basis": "scorm", "course": course, "contents": contents}
