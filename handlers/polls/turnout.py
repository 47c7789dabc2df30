"""`/poll nonvoters ID`: who voted in the chat's previous poll but not yet in this named poll.

For the poll's creator and its home chat's moderators, only on platforms that let a bot know
a chat's members (`Gateway.knows_members`: Discord yes, Telegram no), never on anonymous polls
(nor against an anonymous previous poll). A creator who is not a moderator sees the names
only when they started the previous poll too: who voted in someone else's named poll is for
moderators (as its export is).
"""

from __future__ import annotations

from bot.authority import same_chat
from bot.context import Context, Outbox
from bot.errors import UserError
from bot.reply import BulletList, Paragraph, Reply
from handlers.polls import manage_texts, texts
from handlers.polls.service import PollService

NAMES_SHOWN = 50
"""At most this many names in one answer (the count says how many more)."""


class PollTurnoutCommand:
    """The handler of `/poll nonvoters`."""

    def __init__(self, service: PollService, outbox: Outbox) -> None:
        self._service = service
        self._outbox = outbox

    async def nonvoters(self, ctx: Context, poll_id: int) -> Reply:
        """The names, privately, of the previous poll's voters who have no ballot here yet."""
        poll = await self._service.existing(poll_id)
        if not self._outbox.gateway(ctx.chat.platform).knows_members:
            raise UserError(manage_texts.NONVOTERS_PLATFORM)
        if poll.anonymous:
            raise UserError(manage_texts.NONVOTERS_ANONYMOUS, id=poll_id)
        turnout = self._service.polls.turnout
        earlier = await turnout.previous(poll.chat, poll_id)
        if earlier is None:
            raise UserError(manage_texts.NONVOTERS_NO_PREVIOUS, id=poll_id)
        if earlier.anonymous:
            raise UserError(manage_texts.NONVOTERS_PREVIOUS_ANONYMOUS, previous=earlier.id)
        moderates_home = same_chat(poll.chat, ctx.chat) and await ctx.moderates()
        if earlier.creator != ctx.actor.key and not moderates_home:
            raise UserError(texts.NOT_THIS_CHATS_POLL, id=earlier.id)
        names, count = await turnout.missing(earlier.id, poll_id, NAMES_SHOWN)
        values = {"id": poll_id, "previous": earlier.id}
        if not names:
            return Reply.text(ctx.t(manage_texts.NONVOTERS_NONE, **values), private=True)
        blocks: list[BulletList | Paragraph] = [BulletList(tuple(names))]
        if count > len(names):
            blocks.append(Paragraph(ctx.t(manage_texts.NONVOTERS_MORE, count=count - len(names))))
        return Reply(
            title=ctx.t(manage_texts.NONVOTERS_TITLE, **values), blocks=tuple(blocks), private=True
        )
