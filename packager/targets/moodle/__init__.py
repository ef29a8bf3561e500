"""Moodle course backup (.mbz): one section per module, lessons as Pages, quizzes as Moodle
quizzes with their questions in the question bank, assignments and forums, grades, activity and
course completion; what is for trainers hidden from learners."""

from __future__ import annotations

from .backup import MoodleBackup, backup_entries

__all__ = ["MoodleBackup", "backup_entries"]
