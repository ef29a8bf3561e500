"""Question banks for importing into an existing LMS question bank: Moodle XML and GIFT."""

from __future__ import annotations

from .gift import Gift
from .moodlexml import MoodleXml

__all__ = ["Gift", "MoodleXml"]
