"""Posting a poll's live view: the posted message is tracked so it shows the tally as it moves."""

from __future__ import annotations

from bot.i18n import Locale
from bot.identity import MessageRef
from bot.reply import Posted, Reply
from handlers.polls.service import PollService


def tracked(service: PollService, poll_id: int, view: Reply, locale: Locale) -> Posted:
    """Post `view` of poll `poll_id`; the core hands back its message to track (none if private)."""

    async def track(message: MessageRef | None) -> None:
        if message is not None:
            await service.track(poll_id, message, locale)

    return Posted(view, track)
