"""Changing a poll after it was created: `/poll add`, `remove`, `deadline`, `reopen`, `clone`.

Every change is redrawn on each message showing the poll and audited (the commands set
`audit_every_use`). Who may: adding an option is for any member who may vote on an `--open`
poll, else (like the deadline and reopening) for its creator and its home chat's moderators;
removing an added option is for those moderators. Cloning makes a new poll in the asking chat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.authority import Access, Authority, Guard
from bot.context import Context
from bot.durations import parse_duration
from bot.errors import UserError
from bot.reply import Posted, Reply
from domain.polls import PollKind, ResultsVisibility
from handlers.polls import manage_texts, texts
from handlers.polls.creation import read_moment, rule_error
from handlers.polls.custody import POLL
from handlers.polls.live_post import tracked
from handlers.polls.model import PollDraft
from handlers.polls.rules import (
    MAX_DURATION,
    PollRuleError,
    check_added_option,
    check_deadline,
    validate_draft,
)
from handlers.polls.service import PollService
from handlers.polls.starting import check_may_start
from handlers.polls.views import format_when
from storage.polls import PollRecord

_MANAGE = Guard("poll_id", POLL, Access.MANAGE)
_NO_DEADLINE = frozenset({"none", "off", "无", "不限"})


class PollManagement:
    """The handlers of the commands that change a poll after it was created."""

    def __init__(self, service: PollService, authority: Authority) -> None:
        self._service = service
        self._authority = authority

    async def add_option(self, ctx: Context, poll_id: int, text: str) -> Reply:
        """`/poll add ID TEXT`: a new option at the end; no existing ballot changes.

        On an `--open` poll any member who may vote on it adds one; its creator and its home
        chat's moderators always may (the role allow-list is for voting).
        """
        poll = await self._service.existing(poll_id)
        if not poll.is_open(ctx.clock.now()):
            raise UserError(texts.POLL_CLOSED, id=poll_id)
        if poll.stance is not None:
            raise UserError(manage_texts.STANCE_OPTIONS_FIXED, id=poll_id)
        may_vote = poll.allowed_role is None or poll.allowed_role in ctx.actor.role_ids
        if not (poll.open_options and may_vote):
            await self._authority.authorize(
                _MANAGE, poll_id, actor=ctx.actor, chat=ctx.chat, moderator=ctx.moderator
            )
        label = " ".join(text.split())

        def check(offered: Sequence[str], used: int, mine: int) -> None:
            try:
                check_added_option(label, offered, used, mine)
            except PollRuleError as error:
                raise rule_error(error) from None

        position = await self._service.polls.changes.add_option(
            poll_id, label, ctx.actor.key, ctx.clock.now(), check
        )
        if position is None:
            raise UserError(texts.POLL_CLOSED, id=poll_id)
        await self._service.live.changed(poll_id)
        return Reply.text(
            ctx.t(manage_texts.ADDED, id=poll_id, number=position + 1, option=label), private=True
        )

    async def remove_option(self, ctx: Context, poll_id: int, number: int) -> Reply:
        """`/poll remove ID N`: take an added option off the poll and off every ballot."""
        poll = await self._service.existing(poll_id)
        if not poll.is_open(ctx.clock.now()):
            raise UserError(texts.POLL_CLOSED, id=poll_id)
        position = number - 1
        if position not in poll.added or position in poll.removed:
            raise UserError(manage_texts.NOT_ADDED, id=poll_id, number=number)
        removal = await self._service.polls.changes.remove_option(
            poll_id, position, ctx.clock.now()
        )
        if removal is None:
            raise UserError(manage_texts.NOT_ADDED, id=poll_id, number=number)
        await self._service.live.changed(poll_id)
        said = manage_texts.REMOVED if removal.ballots_changed else manage_texts.REMOVED_UNCHOSEN
        return Reply.text(
            ctx.t(
                said,
                id=poll_id,
                number=number,
                option=poll.options[position],
                changed=removal.ballots_changed,
                withdrawn=removal.ballots_withdrawn,
            ),
            private=True,
        )

    async def move_deadline(self, ctx: Context, poll_id: int, when: str) -> Reply:
        """`/poll deadline ID 2h|2026-12-01 09:00|none`: extend or shorten an open poll."""
        poll = await self._service.existing(poll_id)
        now = ctx.clock.now()
        if not poll.is_open(now):
            raise UserError(manage_texts.DEADLINE_CLOSED, id=poll_id)
        closes_at = self._read_when(ctx, when, now)
        if not await self._service.move_deadline(poll, closes_at):
            raise UserError(manage_texts.DEADLINE_CLOSED, id=poll_id)
        if closes_at is None:
            return Reply.text(ctx.t(manage_texts.DEADLINE_CLEARED, id=poll_id), private=True)
        when_text = format_when(closes_at, ctx.settings.zone)
        return Reply.text(
            ctx.t(manage_texts.DEADLINE_SET, id=poll_id, when=when_text), private=True
        )

    async def reopen(self, ctx: Context, poll_id: int, duration: timedelta | None) -> Reply:
        """`/poll reopen ID [2h]`: a closed named poll takes votes again."""
        poll = await self._service.existing(poll_id)
        now = ctx.clock.now()
        if poll.is_open(now):
            raise UserError(manage_texts.ALREADY_OPEN, id=poll_id)
        await self._check_reopenable(poll)
        if poll.closed_at is None:  # its deadline passed and the closing job has yet to run
            await self._service.close(poll_id)
        closes_at = now + duration if duration is not None else None
        if not await self._service.reopen(poll, closes_at):
            raise UserError(manage_texts.ALREADY_OPEN, id=poll_id)
        return Reply.text(ctx.t(manage_texts.REOPENED, id=poll_id), private=True)

    async def clone(self, ctx: Context, poll_id: int) -> Posted:
        """`/poll clone ID`: a new poll in this chat, with the same question, options, settings."""
        await check_may_start(ctx)
        poll = await self._service.existing(poll_id)
        draft = clone_draft(poll)
        try:
            validate_draft(draft)
        except PollRuleError:
            raise UserError(manage_texts.CLONE_NOTHING, id=poll_id) from None
        record = await self._service.create(draft, ctx.chat, ctx.actor, ctx.locale)
        view = await self._service.view(record, ctx.chat, ctx.locale)
        return tracked(self._service, record.id, view, ctx.locale)

    async def _check_reopenable(self, poll: PollRecord) -> None:
        if poll.anonymous:
            raise UserError(manage_texts.REOPEN_ANONYMOUS, id=poll.id)
        if poll.visibility is ResultsVisibility.AFTER_CLOSE:
            raise UserError(manage_texts.REOPEN_AFTER_CLOSE, id=poll.id)
        if poll.stance is not None:
            raise UserError(manage_texts.REOPEN_STANCE, id=poll.id)
        if await self._service.polls.changes.holds_forgotten(poll.id):
            raise UserError(manage_texts.REOPEN_FORGOTTEN, id=poll.id)

    def _read_when(self, ctx: Context, when: str, now: datetime) -> datetime | None:
        text = when.strip()
        if text.casefold() in _NO_DEADLINE:
            return None
        duration = parse_duration(text)
        moment = now + duration if duration is not None else read_moment(text, ctx.settings.zone)
        if moment is None:
            raise UserError(manage_texts.BAD_WHEN, value=text[:30], zone=ctx.settings.zone.key)
        try:
            check_deadline(moment, now)
        except PollRuleError as error:
            raise rule_error(error) from None
        return moment


def clone_draft(poll: PollRecord) -> PollDraft:
    """A draft of `poll` as it stands: its options on offer, settings, and its length of time."""
    options = tuple(poll.options[index] for index in poll.live_options)
    duration = None
    if poll.closes_at is not None:
        duration = min(poll.closes_at - poll.created_at, MAX_DURATION)
    max_choices = poll.max_choices
    if poll.kind is PollKind.MULTI and max_choices is not None:
        max_choices = min(max_choices, len(options))
    draft = PollDraft(
        question=poll.question,
        options=options,
        kind=poll.kind,
        max_choices=max_choices,
        anonymous=poll.anonymous,
        visibility=poll.visibility,
        duration=duration,
        allowed_role=poll.allowed_role,
        open_options=poll.open_options,
        shuffle=poll.shuffle,
    )
    if duration is not None and poll.remind_before is not None and poll.remind_before < duration:
        draft = replace(draft, remind_before=poll.remind_before)
    return draft
