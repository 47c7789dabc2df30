"""What the core needs to know to authorize actions on polls: their home and where they show.

A poll's home is the chat it was started in; it is shown in every chat a moderator of that
home chat posted or shared it into. Presses on its option buttons count only from a message
the bot posted to show it.
"""

from __future__ import annotations

from bot.authority import Access, Placement
from bot.i18n import Locale, Localized
from bot.identity import ChatRef, MessageRef
from bot.suggestions import Suggestion, matches
from handlers.polls import texts
from handlers.polls.service import PollService

POLL = "poll"
SUGGESTED_FROM = 100
"""Suggestions are chosen among the chat's newest polls, at most this many."""


class PollCustody:
    """The custodian of polls (stance polls included)."""

    kind = POLL
    missing = texts.NO_SUCH_POLL

    def __init__(self, service: PollService) -> None:
        self._service = service

    def forbidden(self, access: Access) -> Localized:
        """Managing is for the creator and the home chat's moderators; the rest for the latter."""
        return texts.NOT_YOUR_POLL if access is Access.MANAGE else texts.NOT_THIS_CHATS_POLL

    async def place(self, object_id: int | str, chat: ChatRef) -> Placement | None:
        """The poll's home and creator, and whether `chat` shows it."""
        if not isinstance(object_id, int):
            return None
        poll = await self._service.get(object_id)
        if poll is None:
            return None
        shown = await self._service.shown_in(object_id, chat)
        return Placement(home=poll.chat, creator=poll.creator, shown_here=shown)

    async def shows_on(self, object_id: int | str, message: MessageRef) -> bool:
        """Whether `message` is one of the poll's own messages."""
        return isinstance(object_id, int) and await self._service.shows_on(object_id, message)

    async def suggest(
        self, chat: ChatRef, typed: str, locale: Locale, limit: int
    ) -> list[Suggestion]:
        """The newest polls created in or shared into `chat` whose number or question fits."""
        polls = await self._service.polls.in_chat(chat, SUGGESTED_FROM)
        found = [
            Suggestion(poll.id, f"#{poll.id} {poll.question}")
            for poll in polls
            if matches(typed, poll.id, poll.question)
        ]
        return found[:limit]
