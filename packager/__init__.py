"""Builds LMS packages (SCORM, Moodle backups, question banks, a static site) from a Markdown
course."""

__version__ = "0.2.0"
