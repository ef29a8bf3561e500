"""What changed between two versions of a course: ``packager diff`` and the release report.

``packager diff`` speaks the user's language; the release report (CHANGES.md) is always
English, so that a release is the same bytes whoever builds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .messages import tr

KINDS = (("modules", "Modules"), ("lessons", "Lessons"), ("quizzes", "Quizzes"),
         ("assignments", "Assignments"), ("forums", "Forums"),
         ("questions", "Questions"))  # fmt: skip
LEARNERS = "learners"  # the audience of an entry that names none (records before audiences)


@dataclass
class Change:
    what: str  # added, removed, changed, moved
    id: str
    title: str
    detail: str = ""  # in English, for the report
    notes: tuple[tuple[str, dict[str, str]], ...] = ()  # the detail's parts: message, values

    def detail_text(self) -> str:
        """The detail in the user's language."""
        if not self.notes:
            return self.detail
        return "; ".join(_note(message, values) for message, values in self.notes)


@dataclass
class Changes:
    old_version: str
    new_version: str
    by_kind: dict[str, list[Change]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.by_kind.values())


def compare(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """Compare the ``contents`` and ``course`` parts of two release records."""
    changes = Changes(old["course"]["version"], new["course"]["version"])
    for kind, _ in KINDS:
        before = {e["id"]: e for e in old["contents"].get(kind, [])}
        after = {e["id"]: e for e in new["contents"].get(kind, [])}
        found: list[Change] = []
        for ident, entry in after.items():
            if ident not in before:
                found.append(Change("added", ident, entry["title"], _place(entry)))
                continue
            prev = before[ident]
            if prev["sha256"] != entry["sha256"]:
                notes = [(WAS, {"title": prev["title"]})] if prev["title"] != entry["title"] else []
                audience = entry.get("audience", LEARNERS)
                if prev.get("audience", LEARNERS) != audience:
                    notes.append((NOW_FOR, {"audience": audience}))
                detail = "; ".join(m.format(**v) for m, v in notes)
                found.append(Change("changed", ident, entry["title"], detail, tuple(notes)))
            if _place(prev) != _place(entry):
                found.append(
                    Change("moved", ident, entry["title"], f"{_place(prev)} → {_place(entry)}")
                )
        found += [
            Change("removed", i, e["title"], _place(e)) for i, e in before.items() if i not in after
        ]
        changes.by_kind[kind] = found
    return changes


WAS = 'was "{title}"'
NOW_FOR = "now for {audience}"


def _note(message: str, values: dict[str, str]) -> str:
    """One part of a change's detail, in the user's language."""
    if message == WAS:
        return tr('was "{title}"', **values)
    audience = values["audience"]
    if audience == "trainers":
        return tr("now for trainers")
    if audience == "learners":
        return tr("now for learners")
    return tr("now for {audience}", audience=audience)


def _what(what: str) -> str:
    """added, changed, moved, removed: as ``packager diff`` prints it."""
    return {
        "added": tr("added"),
        "changed": tr("changed"),
        "moved": tr("moved"),
        "removed": tr("removed"),
    }[what]


def _kind(kind: str) -> str:
    """The singular name of a kind of entry, as ``packager diff`` prints it."""
    return {
        "modules": tr("module"),
        "lessons": tr("lesson"),
        "quizzes": tr("quiz"),
        "assignments": tr("assignment"),
        "forums": tr("forum"),
        "questions": tr("question"),
    }[kind]


def _place(entry: dict[str, Any]) -> str:
    parent = entry.get("module") or entry.get("quiz")
    if parent is None:
        return ""
    return f"{parent} #{entry.get('position')}"


ORDER = {"added": 0, "changed": 1, "moved": 2, "removed": 3}


def markdown(changes: Changes, title: str) -> str:
    """The change report an administrator reads before importing an update."""
    lines = [f"# {_md(title)}: {_md(changes.old_version)} → {_md(changes.new_version)}", ""]
    if changes.empty:
        lines += ["No lesson, quiz, assignment, forum or question changed.", ""]
        return "\n".join(lines)
    summary = []
    for kind, label in KINDS:
        found = changes.by_kind.get(kind, [])
        tally = {w: sum(c.what == w for c in found) for w in ORDER}
        parts = [f"{n} {w}" for w, n in tally.items() if n]
        if parts:
            summary.append(f"- {label}: " + ", ".join(parts))
    lines += [*summary, ""]
    for kind, label in KINDS:
        found = sorted(changes.by_kind.get(kind, []), key=lambda c: (ORDER[c.what], c.id))
        if not found:
            continue
        lines += [
            f"## {label}",
            "",
            "| change | id | title | detail |",
            "| --- | --- | --- | --- |",
        ]
        for c in found:
            lines.append(f"| {c.what} | {_md(c.id)} | {_md(c.title)} | {_md(c.detail)} |")
        lines.append("")
    return "\n".join(lines)


def text(changes: Changes) -> str:
    """One line per change, for a terminal, in the user's language."""
    out = []
    width = max(8, *(len(_what(w)) + 1 for w in ORDER))
    for kind, _ in KINDS:
        for c in sorted(changes.by_kind.get(kind, []), key=lambda c: (ORDER[c.what], c.id)):
            detail = c.detail_text()
            shown = f" ({detail})" if detail else ""
            out.append(f"{_what(c.what):{width}} {_kind(kind)} {c.id}: {c.title}{shown}")
    return "\n".join(out) if out else tr("no changes")


def _md(value: str) -> str:
    """Plain text for a Markdown table cell: no markup, no line breaks."""
    value = " ".join(str(value).split())
    for char in "\\`*_[]<>|#":
        value = value.replace(char, "\\" + char)
    return value
