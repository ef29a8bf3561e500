"""What ``packager verify`` found in one output."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    package: str
    kind: str = "unknown"
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    skipped: bool = False  # not something verify checks (a change report, say)

    @property
    def ok(self) -> bool:
        return not self.problems
