"""`/stance`: a before-poll, an after-poll with the same options, and how positions moved.

Both polls are anonymous and share one salt, so a person's two ballots carry the same key
and can be paired without anyone knowing whose they are. Results are counts only, and only
once the after-poll has closed; moves made by fewer than `SMALL_CELL` people are pooled so a
small group cannot tell who moved.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Locale
from bot.identity import Actor, ChatRef
from bot.reply import BulletList, Paragraph, Posted, Reply
from domain.polls import StancePhase
from handlers.polls import texts
from handlers.polls.live_post import tracked
from handlers.polls.model import Ballot, PollDraft
from handlers.polls.service import STANCE_AFTER_WINDOW, PollService
from handlers.polls.stance import StanceShift, stance_shift
from handlers.polls.starting import check_may_start
from handlers.polls.templates import PollTemplates, poll_draft
from storage.polls import PollRecord

SMALL_CELL = 3


class StanceCommands:
    """The handlers of `/stance`, `/stance after` and `/stance results`."""

    def __init__(self, service: PollService, templates: PollTemplates) -> None:
        self._service = service
        self._templates = templates
        self._after_lock = asyncio.Lock()
        """Held from "has no after-poll yet" to creating it: two at once made two after-polls."""

    async def start(self, ctx: Context, template: str | None) -> Posted:
        """Post the before-poll of a stance check on a debate template."""
        await check_may_start(ctx)
        poll = await self.create_before_poll(ctx.chat, ctx.actor, ctx.locale, template)
        view = await self.view(poll, ctx.chat, ctx.locale)
        return tracked(self._service, poll.id, view, ctx.locale)

    async def create_before_poll(
        self, chat: ChatRef, creator: Actor, locale: Locale, template: str | None
    ) -> PollRecord:
        """Store a before-poll from a template (the topic's first suggested poll when None)."""
        found = self._templates.find(template) if template else self._templates.default
        before = replace(poll_draft(found, locale), anonymous=True)
        return await self._service.create(before, chat, creator, locale, stance=StancePhase.BEFORE)

    async def after(self, ctx: Context, poll_id: int) -> Posted:
        """Close the before-poll and post the after-poll with the same question and options."""
        before = await self._service.existing(poll_id)
        if before.stance is not StancePhase.BEFORE:
            raise UserError(texts.NOT_A_STANCE, id=poll_id)
        async with self._after_lock:
            existing = await self._service.polls.after_poll(poll_id)
            if existing is not None:
                raise UserError(texts.STANCE_AFTER_EXISTS, id=poll_id, after=existing)
            if before.salt is None:  # closed over STANCE_AFTER_WINDOW ago: nothing to pair with
                raise UserError(
                    texts.STANCE_AFTER_TOO_LATE, id=poll_id, days=STANCE_AFTER_WINDOW.days
                )
            draft = PollDraft(before.question, before.options, anonymous=True)
            after = await self._service.create(  # first: a refusal (a quota) changes nothing
                draft,
                ctx.chat,
                ctx.actor,
                ctx.locale,
                stance=StancePhase.AFTER,
                stance_before=before,
            )
            await self._service.close(poll_id)  # keeps the shared salt while the after-poll is open
        view = await self.view(after, ctx.chat, ctx.locale)
        return tracked(self._service, after.id, view, ctx.locale)

    async def results(self, ctx: Context, poll_id: int) -> Reply:
        """How positions moved, once the after-poll has closed."""
        poll = await self._service.existing(poll_id)
        before_id = poll.stance_before if poll.stance is StancePhase.AFTER else poll.id
        if poll.stance is None or before_id is None:
            raise UserError(texts.NOT_A_STANCE, id=poll_id)
        after_id = await self._service.polls.after_poll(before_id)
        after = await self._service.get(after_id) if after_id is not None else None
        if after is None:
            raise UserError(texts.STANCE_NO_AFTER_YET, id=before_id)
        if after.is_open(self._service.now()):
            raise UserError(texts.STANCE_AFTER_OPEN, id=before_id, after=after.id)
        before_ballots = await self._service.polls.ballots.by_voter_key(before_id)
        after_ballots = await self._service.polls.ballots.by_voter_key(after.id)
        shift = stance_shift(
            len(after.options),
            {key: Ballot(choices) for key, choices in before_ballots.items()},
            {key: Ballot(choices) for key, choices in after_ballots.items()},
        )
        return stance_view(before_id, after.options, shift, ctx.locale)

    async def view(self, poll: PollRecord, chat: ChatRef, locale: Locale) -> Reply:
        """The poll message of a stance poll in `chat`, with what it is for on top."""
        view = await self._service.view(poll, chat, locale)
        intro = (
            texts.STANCE_INTRO if poll.stance is StancePhase.BEFORE else texts.STANCE_AFTER_INTRO
        )
        shown_id = poll.id if poll.stance is StancePhase.BEFORE else poll.stance_before
        return replace(view, blocks=(Paragraph(intro.render(locale, id=shown_id)), *view.blocks))


def stance_view(poll_id: int, labels: tuple[str, ...], shift: StanceShift, lang: Locale) -> Reply:
    """The aggregated movement: totals, the larger moves, pooled small moves, net change."""
    blocks: list[Paragraph | BulletList] = [
        Paragraph(
            texts.STANCE_SUMMARY.render(lang, both=shift.answered_both, changed=shift.changed)
        ),
        Paragraph(
            texts.STANCE_ONLY_ONE.render(lang, before=shift.only_before, after=shift.only_after)
        ),
    ]
    moves = shift.moves()
    if not moves:
        blocks.append(Paragraph(texts.STANCE_NO_CHANGE.render(lang)))
    else:
        shown = [
            texts.STANCE_MOVE.render(lang, source=labels[a], target=labels[b], count=count)
            for a, b, count in moves
            if count >= SMALL_CELL
        ]
        pooled = sum(count for _, _, count in moves if count < SMALL_CELL)
        if pooled:
            shown.append(texts.STANCE_SMALL_MOVES.render(lang, k=SMALL_CELL, count=pooled))
        blocks.append(BulletList(tuple(shown)))
        net = texts.STANCE_NET_JOINER.render(lang).join(
            f"{label} {change:+d}" for label, change in zip(labels, shift.net_change(), strict=True)
        )
        both = shift.answered_both
        blocks.append(Paragraph(texts.STANCE_NET.render(lang, changes=net, both=both)))
    return Reply(title=texts.STANCE_TITLE.render(lang, id=poll_id), blocks=tuple(blocks))
