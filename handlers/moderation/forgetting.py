"""Forget-me: remove or pseudonymise everything Parley stores about one person.

The features forget what they keep (arguments, edits, articles, ballots); this module adds
what belongs to no feature: the person's posts, audit rows, scheduled jobs,
and every row of their private chats with the bot. Then the deleted bytes are scrubbed from
disk by a durable job (`SCRUB_JOB`) that runs after the request has finished, so that even the
request's own traces (a stored platform update, say) are gone, and that tries again later
while another process holds an old snapshot of the write-ahead log.

Which chats are the person's private chats: on Telegram a private chat's id is the user's id
(the Bot API guarantees it), and on every platform the chat the Forget button was pressed in
when that is a private chat. A Discord DM channel seen only elsewhere is not known to be theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.identity import ChatRef
from bot.services import Services
from storage.job_erasure import JobErasure
from storage.jobs import Job
from storage.scrub import DiskScrubber

log = logging.getLogger("parley.moderation")

SCRUB_JOB = "privacy.scrub"
SCRUB_DELAY = timedelta(seconds=5)
"""Scrub a little after the forget, when the request that asked for it has finished."""
SCRUB_RETRY = timedelta(seconds=30)
SCRUB_RETRY_LONGEST = timedelta(hours=1)
TELEGRAM = "telegram"


def private_chats_of(platform: str, user_id: str, pressed_in: ChatRef | None) -> list[ChatRef]:
    """The person's private chats with the bot that Parley can tell (see the module notes)."""
    chats = [ChatRef(TELEGRAM, user_id)] if platform == TELEGRAM else []
    if pressed_in is not None:
        chat = ChatRef(pressed_in.platform, pressed_in.chat_id)
        if chat not in chats:
            chats.append(chat)
    return chats


async def forget_person(
    services: Services, platform: str, user_id: str, private_chats: Iterable[ChatRef] = ()
) -> int:
    """Remove or pseudonymise everything stored about a person; returns the records changed."""
    storage = services.storage
    chats = tuple(private_chats)
    now = services.clock.now()
    await DiskScrubber(storage.database).secure_delete()
    changed = await services.features.forget_user(platform, user_id)
    changed += await storage.posts.forget_poster(platform, user_id)
    changed += await storage.chat_settings.forget_chats(chats)
    changed += await storage.posts.forget_chats(chats)
    changed += await storage.articles.forget_chats(chats)
    changed += await storage.arguments.forget_chats(chats)
    changed += await storage.polls.forget_chats(chats)
    changed += await storage.ground.forget_chats(chats)
    changed += await storage.written_summaries.forget_chats(chats)
    changed += await storage.audit.forget_actor(platform, user_id, chats)
    changed += await JobErasure(storage.database).forget_creator(platform, user_id, chats, now)
    if not await storage.jobs.pending(kind=SCRUB_JOB):
        await services.scheduler.schedule(SCRUB_JOB, now + SCRUB_DELAY)
    log.info("event=person_forgotten records=%d private_chats=%d", changed, len(chats))
    return changed


class DiskScrubJob:
    """The runner of `SCRUB_JOB`: rebuild the database file once, then empty its WAL.

    While another process holds an old snapshot the checkpoint reports busy at once; the job
    then runs again later (30 s, doubling up to an hour) and only checkpoints.
    """

    def __init__(self, services: Services) -> None:
        self._scrubber = DiskScrubber(services.storage.database)
        self._clock = services.clock
        self._busy: dict[int, int] = {}
        """Scrub jobs already vacuumed in this process, with how often their checkpoint was busy."""

    async def run(self, job: Job) -> datetime | None:
        """Scrub; returns when to try the checkpoint again if a reader kept the WAL."""
        if job.id not in self._busy:
            await self._scrubber.vacuum()
            self._busy[job.id] = 0
        if await self._scrubber.checkpoint():
            del self._busy[job.id]
            return None
        tries = self._busy[job.id] = self._busy[job.id] + 1
        log.warning("event=scrub_checkpoint_busy job=%d tries=%d", job.id, tries)
        return self._clock.now() + min(SCRUB_RETRY * 2 ** (tries - 1), SCRUB_RETRY_LONGEST)
