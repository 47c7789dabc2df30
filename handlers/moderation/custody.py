"""What the core needs to know to authorize actions on scheduled posts.

A scheduled post belongs to the chat it was scheduled in; only that chat's moderators, there,
may cancel it (the post itself may go to another chat).
"""

from __future__ import annotations

from bot.authority import Access, Placement
from bot.i18n import Localized
from bot.identity import ChatRef, MessageRef
from storage.jobs import JobRepository

from . import texts
from .schedule import JOB_KIND

SCHEDULED_POST = "scheduled_post"


class ScheduledPostCustody:
    """The custodian of scheduled posts."""

    kind = SCHEDULED_POST
    missing = texts.SCHEDULE_NOT_FOUND

    def __init__(self, jobs: JobRepository) -> None:
        self._jobs = jobs

    def forbidden(self, access: Access) -> Localized:
        """Only the home chat's moderators manage its schedule: the same as not found."""
        return texts.SCHEDULE_NOT_FOUND

    async def place(self, object_id: int | str, chat: ChatRef) -> Placement | None:
        """The scheduled post and the chat it was scheduled in."""
        if not isinstance(object_id, int):
            return None
        job = await self._jobs.get(object_id)
        if job is None or job.kind != JOB_KIND or job.chat is None:
            return None
        return Placement(home=job.chat, creator=job.created_by, shown_here=False)

    async def shows_on(self, object_id: int | str, message: MessageRef) -> bool:
        """Never: a scheduled post has no message until it is posted."""
        return False
