"""What ``packager verify`` found in one output."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..messages import tr


@dataclass
class Report:
    package: str
    kind: str = field(default_factory=lambda: tr("unknown"))  # what the output is
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    skipped: bool = False  # not something verify checks (a change report, say)

    @property
    def ok(self) -> bool:
        return not self.problems
