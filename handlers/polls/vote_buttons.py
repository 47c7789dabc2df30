"""The voting buttons: an option under the poll, the private ballot's toggles, Submit, Withdraw.

Single-choice polls vote on the press. Multi and ranked polls open a private ballot whose
buttons carry the picks so far; Submit casts it. Each ballot records the chat it was cast in:
the chat of the pressed message when that chat shows the poll, else the chat the private
ballot was opened from.
"""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.identity import MessageRef
from bot.reply import Paragraph, Posted, Preformatted, Replace, Reply
from domain.polls import PollKind, ResultsVisibility, VoteOp, VoteResult, VoteStatus
from handlers.polls import texts
from handlers.polls.actions import PollBallot, PollPick, PollRetract, PollSubmit, PollVote
from handlers.polls.ballots import decode_picks, toggle_pick
from handlers.polls.creation import rule_error
from handlers.polls.model import Ballot
from handlers.polls.rules import PollRuleError, validate_ballot
from handlers.polls.service import PollService
from handlers.polls.views import ballot_view, choice_list, tally_blocks
from storage.polls import PollRecord

_ACKS = {
    VoteStatus.RECORDED: texts.VOTE_RECORDED,
    VoteStatus.CHANGED: texts.VOTE_CHANGED,
    VoteStatus.RETRACTED: texts.VOTE_RETRACTED,
    VoteStatus.NO_BALLOT: texts.NO_VOTE,
}


class VoteButtons:
    """The handlers of the `poll.vote`, `poll.pick`, `poll.submit` and `poll.retract` buttons."""

    def __init__(self, service: PollService) -> None:
        self._service = service

    async def press_option(self, ctx: Context, press: PollVote) -> Reply | Posted:
        """An option under the poll: vote (single choice) or open the private ballot."""
        option = press.option
        record = await self._votable(ctx, press.poll, option)
        chat_no = await self._service.chat_number(record, ctx.chat, ctx.invocation.chat_kind)
        if record.kind is PollKind.SINGLE:
            result = await self._service.vote(
                record, ctx.actor, VoteOp.TOGGLE, (option,), chat_no=chat_no
            )
            return await self._acknowledge(ctx, record, result)
        return await self._open(ctx, record, chat_no, option)

    async def open_ballot(self, ctx: Context, press: PollBallot) -> Reply:
        """Vote under a `--shuffle` poll: the private ballot, options in the voter's own order."""
        record = await self._votable(ctx, press.poll, None)
        if not record.shuffle:
            raise UserError(texts.BAD_BALLOT_BUTTON)
        chat_no = await self._service.chat_number(record, ctx.chat, ctx.invocation.chat_kind)
        return await self._open(ctx, record, chat_no, None)

    async def _open(
        self, ctx: Context, record: PollRecord, chat_no: int | None, option: int | None
    ) -> Reply:
        """The voter's private ballot: their stored picks, plus the `option` pressed under the poll.

        Its options are in the voter's order (`PollService.ballot_order`), whichever button
        opened it.
        """
        self._service.remember_ballot_origin(record, ctx.actor, chat_no)
        current = await self._service.ballot_of(record, ctx.actor)
        order = self._service.ballot_order(record, ctx.actor)
        if option is None or option in current:
            return ballot_view(record, current, ctx.locale, order)
        picks = toggle_pick(current, option)
        if record.kind is PollKind.MULTI and len(picks) > record.choice_limit:
            full = ctx.t(texts.BALLOT_FULL, max=record.choice_limit)
            return ballot_view(record, current, ctx.locale, order, notice=full)
        return ballot_view(record, picks, ctx.locale, order)

    async def pick(self, ctx: Context, press: PollPick) -> Reply | Replace:
        """A toggle on the private ballot: pick or unpick one option."""
        record = await self._votable(ctx, press.poll, press.option)
        picks = _decode(record, press.picks)
        updated: tuple[int, ...]
        if record.kind is PollKind.SINGLE:
            updated = () if picks == (press.option,) else (press.option,)
        else:
            updated = toggle_pick(picks, press.option)
        if record.kind is PollKind.MULTI and len(updated) > record.choice_limit:
            return Reply.text(ctx.t(texts.BALLOT_FULL, max=record.choice_limit), private=True)
        order = self._service.ballot_order(record, ctx.actor)
        return Replace(ballot_view(record, updated, ctx.locale, order))

    async def submit(self, ctx: Context, press: PollSubmit) -> Posted:
        """Submit the private ballot."""
        record = await self._votable(ctx, press.poll, None)
        choices = _decode(record, press.picks)
        try:
            validate_ballot(Ballot(choices), record.kind, len(record.options), record.max_choices)
        except PollRuleError as error:
            raise rule_error(error) from None
        chat_no = await self._service.chat_number(record, ctx.chat, ctx.invocation.chat_kind)
        origin = self._service.ballot_origin(record, ctx.actor)
        result = await self._service.vote(
            record, ctx.actor, VoteOp.SET, choices, chat_no=origin if chat_no is None else chat_no
        )
        return await self._acknowledge(ctx, record, result)

    async def retract(self, ctx: Context, press: PollRetract) -> Posted:
        """Withdraw my ballot."""
        record = await self._votable(ctx, press.poll, None)
        result = await self._service.vote(record, ctx.actor, VoteOp.RETRACT)
        return await self._acknowledge(ctx, record, result)

    async def _votable(self, ctx: Context, poll_id: int, option: int | None) -> PollRecord:
        """The poll, if it takes votes from the actor (on `option`, when one is pressed)."""
        poll = await self._service.get(poll_id)
        if poll is None or (option is not None and option not in poll.live_options):
            raise UserError(texts.BAD_BALLOT_BUTTON)
        self._service.check_can_vote(poll, ctx.actor)
        return poll

    async def _acknowledge(self, ctx: Context, poll: PollRecord, result: VoteResult) -> Posted:
        """Answer the voter privately (the vote is committed by now), then refresh the poll."""
        if result.status is VoteStatus.CLOSED:
            raise UserError(texts.POLL_CLOSED, id=poll.id)
        if result.status is VoteStatus.STALE:
            raise UserError(texts.BAD_BALLOT_BUTTON)
        choices = choice_list(poll, result.choices, ctx.locale)
        blocks: list[Paragraph | Preformatted] = [
            Paragraph(ctx.t(_ACKS[result.status], id=poll.id, choices=choices))
        ]
        if poll.anonymous:
            blocks.append(Paragraph(ctx.t(texts.ANONYMOUS_NOTE)))
        if poll.visibility is ResultsVisibility.AFTER_VOTE and result.choices:
            results = await self._service.results(poll)
            blocks.append(Paragraph(ctx.t(texts.RESULTS_NOW)))
            blocks.extend(tally_blocks(poll, results, ctx.locale))

        async def refresh(_: MessageRef | None) -> None:
            if result.status is not VoteStatus.NO_BALLOT:
                await self._service.live.changed(poll.id)

        return Posted(Reply(blocks=tuple(blocks), private=True), refresh)


def _decode(poll: PollRecord, word: str) -> tuple[int, ...]:
    """The picks a ballot button carries, or a `UserError` for a stale or forged one."""
    picks = decode_picks(word, len(poll.options))
    if picks is None or any(index in poll.removed for index in picks):
        raise UserError(texts.BAD_BALLOT_BUTTON)
    if poll.kind is PollKind.SINGLE and not (poll.shuffle and len(picks) <= 1):
        raise UserError(texts.BAD_BALLOT_BUTTON)
    return picks
