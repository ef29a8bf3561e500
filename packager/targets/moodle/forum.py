"""Writing a forum (mod_forum): a standard forum for general use, its prompt as the description
and the posts that complete it, all planned in plan_forum.py; nothing here assigns an id."""

from __future__ import annotations

from .activities import Entries, activity_files
from .plan import Activity, Plan
from .plan_forum import MAX_ATTACHMENTS, ForumPlan
from .records import box, rec


def forum_files(plan: Plan, act: Activity, fp: ForumPlan) -> Entries:
    fields = {
        "type": "general",
        "name": fp.forum.title,
        "intro": fp.intro,
        "introformat": 1,
        "duedate": 0,
        "cutoffdate": 0,
        "assessed": 0,  # no ratings: the trainer grades the assignments
        "assesstimestart": 0,
        "assesstimefinish": 0,
        "scale": 0,
        "maxbytes": 0,  # the course's limit
        "maxattachments": MAX_ATTACHMENTS,
        "forcesubscribe": 0,
        "trackingtype": 1,
        "rsstype": 0,
        "rssarticles": 0,
        "timemodified": plan.mtime,
        "warnafter": 0,
        "blockafter": 0,
        "blockperiod": 0,
        "completiondiscussions": fp.discussions,
        "completionreplies": fp.replies,
        "completionposts": 0,
        "displaywordcount": 0,
        "lockdiscussionafter": 0,
        "grade_forum": 0,
        "discussions": [],
        "subscriptions": [],
        "digests": [],
        "readposts": [],
        "trackedprefs": [],
        "poststags": [],
        "grades": [],
    }
    inner = rec("forum", fields, id=act.instance)
    return activity_files(plan, act, inner, box("areas"))
