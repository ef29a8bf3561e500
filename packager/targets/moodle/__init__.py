"""Moodle course backup (.mbz): one section per module, lessons as Pages, quizzes as Moodle
quizzes with their questions in the question bank, grades, activity and course completion."""

from __future__ import annotations

from .backup import MoodleBackup, backup_entries

__all__ = ["MoodleBackup", "backup_entries"]
