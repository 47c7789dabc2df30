"""Community arguments: submit, moderate, withdraw, upvote, and the balanced community view.

Upvoting is one vote per person per argument, enforced by the database's primary key; pressing
▲ again does not toggle the vote but answers that the vote was already counted. Authors cannot
upvote their own arguments. Every acknowledgement is sent after the write has committed.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from datetime import timedelta

from bot.context import Context
from bot.errors import UserError
from bot.quotas import PENDING_ARGUMENTS, refusal
from bot.reply import Replace, Reply
from handlers.debate import texts
from handlers.debate.actions import ArgApprove, ArgQueue, ArgReject, ArgUpvote
from handlers.debate.community_views import MAX_PER_SIDE, community_pages, queue_pages
from handlers.debate.model import DebateMap
from handlers.debate.order import ordered_sides
from handlers.text.similarity import find_near_duplicate
from storage.arguments import (
    ArgumentRepository,
    ArgumentStatus,
    Duplicate,
    RateLimited,
    Submitted,
    VoteOutcome,
)
from storage.quota import Quota, QuotaReachedError

MIN_LENGTH = 20
MAX_LENGTH = 500
SUBMISSIONS_PER_HOUR = 3
QUEUE_SIZE = 100
RATE_WINDOW = timedelta(hours=1)
_VOTE_MESSAGES = {
    VoteOutcome.COUNTED: texts.VOTE_COUNTED,
    VoteOutcome.ALREADY_VOTED: texts.ALREADY_VOTED,
    VoteOutcome.OWN_ARGUMENT: texts.OWN_ARGUMENT,
    VoteOutcome.NOT_OPEN: texts.NOT_OPEN,
}


class CommunityArguments:
    """The handlers behind `/argue`, `/debate community` and their buttons."""

    def __init__(
        self, repository: ArgumentRepository, debate: DebateMap, *, pending_quota: Quota
    ) -> None:
        self._arguments = repository
        self._map = debate
        self._pending_quota = pending_quota

    async def submit(self, ctx: Context, side: str, text: str) -> Reply:
        """Store a pending argument after the quota, rate-limit and near-duplicate checks.

        The quota caps the author's arguments waiting for review in this chat.
        """
        topic = self._map.topic
        existing = await self._arguments.comparable_texts(ctx.chat, topic)
        duplicate = await asyncio.to_thread(find_near_duplicate, text, existing)
        if duplicate is not None:
            raise UserError(texts.DUPLICATE, id=duplicate)
        now = ctx.clock.now()
        try:
            outcome = await self._arguments.submit(
                ctx.chat,
                ctx.actor,
                topic,
                side,
                text,
                now=now,
                window_start=now - RATE_WINDOW,
                max_in_window=SUBMISSIONS_PER_HOUR,
                pending_quota=self._pending_quota,
                checked_up_to=max((argument_id for argument_id, _ in existing), default=0),
            )
        except QuotaReachedError as error:
            raise refusal(error, PENDING_ARGUMENTS) from None
        match outcome:
            case Submitted(argument_id):
                label = self._map.side(side).label.render(ctx.locale)
                return Reply.text(ctx.t(texts.SUBMITTED, id=argument_id, side=label), private=True)
            case RateLimited(retry_at):
                minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
                raise UserError(texts.RATE_LIMITED, limit=SUBMISSIONS_PER_HOUR, minutes=minutes)
            case Duplicate(argument_id):
                raise UserError(texts.DUPLICATE, id=argument_id)

    async def pages(self, ctx: Context) -> list[Reply]:
        """The community view: each side's top approved arguments, equally many."""
        sides = ordered_sides(self._map.sides, ctx.chat.key, ctx.clock.now().date())
        first, second = [
            await self._arguments.top_approved(ctx.chat, self._map.topic, side.id, MAX_PER_SIDE)
            for side in sides
        ]
        return community_pages(sides, (first, second), ctx.locale)

    async def show(self, ctx: Context) -> Reply:
        """`/debate community`: the first page of the community view."""
        return (await self.pages(ctx))[0]

    async def upvote(self, ctx: Context, press: ArgUpvote) -> Reply | Replace:
        """▲: count one vote per person, refresh the view, and say what happened."""
        argument_id = press.argument_id
        outcome = await self._arguments.upvote(ctx.chat, argument_id, ctx.actor, ctx.clock.now())
        notice = Reply.text(ctx.t(_VOTE_MESSAGES[outcome], id=argument_id), private=True)
        if outcome is VoteOutcome.COUNTED:
            pages = await self.pages(ctx)
            return Replace(_page_with(pages, press.encode()), notice)
        return notice

    async def queue(self, ctx: Context) -> Reply:
        """`/argue queue`: the first page of pending arguments."""
        return (await self._queue_pages(ctx))[0]

    async def queue_page(self, ctx: Context, press: ArgQueue) -> Replace:
        """A queue page button: show that page in place."""
        pages = await self._queue_pages(ctx)
        return Replace(pages[min(press.page, len(pages)) - 1])

    async def approve(self, ctx: Context, press: ArgApprove) -> Replace:
        """Approve a pending argument (moderators)."""
        return await self._decide(ctx, press.argument_id, ArgumentStatus.APPROVED)

    async def reject(self, ctx: Context, press: ArgReject) -> Replace:
        """Reject a pending argument (moderators)."""
        return await self._decide(ctx, press.argument_id, ArgumentStatus.REJECTED)

    async def withdraw(self, ctx: Context, argument_id: int) -> Reply:
        """`/argue withdraw ID`: the author takes back a pending or approved argument."""
        argument = await self._arguments.get(ctx.chat, argument_id)
        if argument is None:
            raise UserError(texts.NO_SUCH_ARGUMENT, id=argument_id)
        if (argument.author_platform, argument.author_id) != (
            ctx.actor.platform,
            ctx.actor.user_id,
        ):
            raise UserError(texts.NOT_YOURS, id=argument_id)
        if not await self._arguments.withdraw(ctx.chat, argument_id, ctx.actor, ctx.clock.now()):
            status = texts.STATUS_WORDS[argument.status]
            raise UserError(texts.NOT_WITHDRAWABLE, id=argument_id, status=status)
        return Reply.text(ctx.t(texts.WITHDRAWN, id=argument_id), private=True)

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Delete a person's arguments and votes; returns the rows changed."""
        return await self._arguments.forget(platform, user_id)

    async def _decide(self, ctx: Context, argument_id: int, status: ArgumentStatus) -> Replace:
        decided = await self._arguments.decide(
            ctx.chat, argument_id, status, ctx.actor, ctx.clock.now()
        )
        done = texts.APPROVED if status is ArgumentStatus.APPROVED else texts.REJECTED
        said = ctx.t(done if decided else texts.ALREADY_DECIDED, id=argument_id)
        return Replace((await self._queue_pages(ctx))[0], Reply.text(said, private=True))

    async def _queue_pages(self, ctx: Context) -> list[Reply]:
        topic = self._map.topic
        pending = await self._arguments.pending(ctx.chat, topic, QUEUE_SIZE)
        total = await self._arguments.count_pending(ctx.chat, topic)
        return queue_pages(pending, total, self._map.sides, ctx.locale)


def _page_with(pages: Sequence[Reply], payload: str) -> Reply:
    """The page holding a button with `payload` (the first page if none does)."""
    for page in pages:
        if any(b.payload == payload for row in page.buttons for b in row):
            return page
    return pages[0]
