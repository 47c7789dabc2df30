"""A poll's timed jobs: closing at the deadline and the optional reminder before it.

Both are durable jobs in the poll's home chat. When the deadline moves (`/poll deadline`,
`/poll reopen`) the pending ones are cancelled and new ones scheduled; a job that still runs
for a deadline that moved (a lost cancel) finds the poll's `closes_at` changed and does nothing.
"""

from __future__ import annotations

from datetime import datetime

from bot.identity import ChatRef
from bot.scheduler import Scheduler
from storage.polls import PollRecord
from storage.timestamps import from_db, to_db

CLOSE_JOB = "polls.close"
REMIND_JOB = "polls.remind"


class PollDeadlines:
    """Schedules and cancels a poll's closing and reminder jobs."""

    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler

    async def schedule(self, poll: PollRecord, now: datetime) -> None:
        """Schedule the jobs for `poll.closes_at` (nothing for a poll without a deadline)."""
        if poll.closes_at is None:
            return
        payload = {"poll_id": poll.id, "closes_at": to_db(poll.closes_at)}
        await self._scheduler.schedule(CLOSE_JOB, poll.closes_at, payload, chat=poll.chat)
        if poll.remind_before is not None and poll.closes_at - poll.remind_before > now:
            due = poll.closes_at - poll.remind_before
            await self._scheduler.schedule(REMIND_JOB, due, payload, chat=poll.chat)

    async def cancel(self, poll_id: int, chat: ChatRef) -> None:
        """Cancel the poll's pending closing and reminder jobs."""
        for kind in (CLOSE_JOB, REMIND_JOB):
            await self._scheduler.cancel_matching(kind, chat, poll_id=poll_id)


def still_due(poll: PollRecord, payload: dict[str, object]) -> bool:
    """Whether a job scheduled for the deadline in `payload` is still the poll's deadline.

    Jobs stored before deadlines could move carry no deadline: they are due as they are.
    """
    planned = payload.get("closes_at")
    if not isinstance(planned, str):
        return True
    return poll.closes_at is not None and poll.closes_at == from_db(planned)
