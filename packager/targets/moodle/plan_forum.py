"""Planning a forum: a standard forum for general use whose description is the prompt, and the
posts a learner must write to complete it. The writer is forum.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Forum
from .plan import Area, without_h1
from .plan_files import FileRegistry

# The course's prompts say "post yours and reply to (at least) two colleagues": so a learner
# completes a forum by starting one discussion and replying twice (Moodle's completiondiscussions
# and completionreplies). A count of posts of any kind (completionposts 3) would also accept
# three replies and no post of one's own, which is not what the prompts ask.
DISCUSSIONS_TO_COMPLETE = 1
REPLIES_TO_COMPLETE = 2
MAX_ATTACHMENTS = 5  # photos of slides and the like


@dataclass(frozen=True)
class ForumPlan:
    forum: Forum
    intro: str  # the prompt, as the backup stores it
    discussions: int  # discussions a learner starts to complete it (0: completion not tracked)
    replies: int  # replies a learner writes to complete it


def plan_forum(forum: Forum, context: int, files: FileRegistry) -> ForumPlan:
    intro = files.text(without_h1(forum.html), Area(context, "mod_forum", "intro"))
    if forum.for_trainers:  # hidden from learners: nothing for them to complete
        return ForumPlan(forum, intro, 0, 0)
    return ForumPlan(forum, intro, DISCUSSIONS_TO_COMPLETE, REPLIES_TO_COMPLETE)
