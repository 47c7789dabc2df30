"""The poll feature: `/poll` and `/stance` commands, vote buttons, the close job, postables.

Handlers here translate invocations; `PollService` does the work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.errors import UserError
from bot.identity import ChatRef
from bot.params import IntParam, TextParam
from bot.posting import Postable
from bot.reply import Attachment, BulletList, Paragraph, Preformatted, Reply
from bot.scheduler import JobRunner
from bot.services import BaseFeature, Services
from handlers.polls import texts
from handlers.polls.ballots import decode_picks, toggle_pick
from handlers.polls.creation import parse_create, rule_error
from handlers.polls.export import VoterRecord, count_rows, to_csv, voter_rows
from handlers.polls.master_key import load_master_key
from handlers.polls.model import Ballot, PollKind, ResultsVisibility
from handlers.polls.postables import PollPostables
from handlers.polls.results import results_public
from handlers.polls.rules import MAX_OPTIONS, PollRuleError, validate_ballot
from handlers.polls.service import CLOSE_JOB, PollService
from handlers.polls.sharing import resolve_target
from handlers.polls.stance_check import StanceCommands
from handlers.polls.templates import TEMPLATES
from handlers.polls.views import ballot_view, list_view, poll_view, results_view
from storage.polls import PollRecord, VoteOp, VoteResult, VoteStatus

FEATURE = "polls"
EDIT_INTERVAL_SECONDS = 2.0

_ID = IntParam(name="id", description=texts.POLL_ID, min_value=1)
_ACKS = {
    VoteStatus.RECORDED: texts.VOTE_RECORDED,
    VoteStatus.CHANGED: texts.VOTE_CHANGED,
    VoteStatus.RETRACTED: texts.VOTE_RETRACTED,
    VoteStatus.NO_BALLOT: texts.NO_VOTE,
}


class PollFeature(BaseFeature):
    """Polls with buttons, anonymous ballots, live tallies, sharing and stance checks."""

    def __init__(self, services: Services, *, edit_interval: float = EDIT_INTERVAL_SECONDS) -> None:
        self._chat_settings = services.storage.chat_settings
        self._outbox = services.outbox
        self.service = PollService(
            services.storage.polls,
            services.outbox,
            services.scheduler,
            services.clock,
            load_master_key(services.settings),
            edit_interval=edit_interval,
        )
        self._stance = StanceCommands(self.service)
        self._postables = PollPostables(self.service, self._stance)

    def commands(self) -> Iterable[CommandSpec]:
        """`/poll` with its subcommands, and `/stance` with its own."""
        poll = {"name": "poll", "feature": FEATURE}
        stance = {"name": "stance", "feature": FEATURE}
        return (
            CommandSpec(
                **poll,
                description=texts.POLL,
                handler=self.create,
                params=(
                    TextParam(
                        name="poll",
                        description=texts.POLL_TEXT,
                        max_length=1500,
                        rest=True,
                        must_contain=("|", "｜"),
                        shape=texts.POLL_SHAPE,
                    ),
                ),
                group_default="create",
            ),
            CommandSpec(
                **poll,
                subcommand="template",
                description=texts.TEMPLATE,
                handler=self.template,
                params=(
                    TextParam(
                        name="name", description=texts.TEMPLATE_NAME, required=False, max_length=40
                    ),
                ),
            ),
            CommandSpec(**poll, subcommand="list", description=texts.LIST, handler=self.list),
            CommandSpec(
                **poll,
                subcommand="results",
                description=texts.RESULTS,
                handler=self.results,
                params=(_ID,),
                slow=True,
            ),
            CommandSpec(
                **poll,
                subcommand="export",
                description=texts.EXPORT,
                handler=self.export,
                params=(_ID,),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                **poll,
                subcommand="close",
                description=texts.CLOSE,
                handler=self.close,
                params=(_ID,),
            ),
            CommandSpec(
                **poll,
                subcommand="share",
                description=texts.SHARE,
                handler=self.share,
                params=(
                    _ID,
                    TextParam(name="target", description=texts.SHARE_TARGET, max_length=120),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                **stance,
                description=texts.STANCE,
                handler=self._stance.start,
                params=(
                    TextParam(
                        name="template",
                        description=texts.TEMPLATE_NAME,
                        required=False,
                        max_length=40,
                    ),
                ),
                group_default="start",
            ),
            CommandSpec(
                **stance,
                subcommand="after",
                description=texts.STANCE_AFTER,
                handler=self._stance.after,
                params=(_ID,),
            ),
            CommandSpec(
                **stance,
                subcommand="results",
                description=texts.STANCE_RESULTS,
                handler=self._stance.results,
                params=(_ID,),
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        """Option buttons, the private ballot's toggles, Submit and Withdraw."""
        poll = IntParam(name="poll", description=texts.POLL_ID, min_value=1)
        option = IntParam(name="option", description=texts.OPTION_INDEX, max_value=MAX_OPTIONS - 1)
        picks = TextParam(name="picks", description=texts.PICKS, max_length=MAX_OPTIONS)
        return (
            ActionSpec(
                name="poll.vote", handler=self.press_option, params=(poll, option), feature=FEATURE
            ),
            ActionSpec(
                name="poll.pick",
                handler=self.pick,
                params=(poll, picks, option),
                feature=FEATURE,
            ),
            ActionSpec(
                name="poll.submit", handler=self.submit, params=(poll, picks), feature=FEATURE
            ),
            ActionSpec(name="poll.retract", handler=self.retract, params=(poll,), feature=FEATURE),
        )

    def jobs(self) -> Mapping[str, JobRunner]:
        """Closing polls at their deadline."""
        return {CLOSE_JOB: self.service.run_close_job}

    def postables(self) -> Iterable[Postable]:
        """`poll` (a template or a poll id) and `stance`."""
        return self._postables.items()

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Make the person's named ballots anonymous counts; drop them as poll creator."""
        return await self.service.polls.forget_voter(platform, user_id)

    async def shutdown(self) -> None:
        """Commit queued votes, then draw every tally edit still waiting out its interval."""
        await self.service.writer.close()
        await self.service.live.flush_all()

    # --- commands --------------------------------------------------------------------------------

    async def create(self, ctx: Context, poll: str) -> None:
        """`/poll QUESTION | OPTION | OPTION … [--settings]`."""
        draft = parse_create(poll, ctx.clock.now(), await self._zone(ctx.chat))
        record = await self.service.create(draft, ctx.chat, ctx.actor, ctx.locale)
        await self._post_here(ctx, record)

    async def template(self, ctx: Context, name: str | None) -> Reply | None:
        """`/poll template [NAME]`: list the debate polls, or post one."""
        if name is None:
            items = tuple(
                f"{key} — {template.question[1 if ctx.locale == 'zh' else 0]}"
                for key, template in TEMPLATES.items()
            )
            return Reply(
                title=ctx.t(texts.TEMPLATES_TITLE),
                blocks=(BulletList(items), Paragraph(ctx.t(texts.TEMPLATES_HINT))),
            )
        found = TEMPLATES.get(name.strip().lower())
        if found is None:
            raise UserError(texts.UNKNOWN_TEMPLATE, name=name[:40], names=", ".join(TEMPLATES))
        record = await self.service.create(found.draft(ctx.locale), ctx.chat, ctx.actor, ctx.locale)
        await self._post_here(ctx, record)
        return None

    async def list(self, ctx: Context) -> Reply:
        """`/poll list`."""
        polls = await self.service.polls.in_chat(ctx.chat)
        if not polls:
            return Reply.text(ctx.t(texts.NO_POLLS))
        return list_view(polls, ctx.locale, ctx.clock.now())

    async def results(self, ctx: Context, id: int) -> Reply:
        """`/poll results ID`: the tally or runoff rounds, and a PNG chart."""
        poll = await self.service.find(id, ctx.chat)
        await self._check_results_visible(ctx, poll)
        results = await self.service.results(poll)
        from handlers.polls.chart import render_chart  # matplotlib: ~0.2 s, kept off start-up

        chart = await asyncio.to_thread(render_chart, poll.question, results.tally, ctx.locale)
        return results_view(poll, results, ctx.locale, ctx.clock.now(), chart)

    async def export(self, ctx: Context, id: int) -> Reply:
        """`/poll export ID`: CSV; anonymous polls give counts per option only."""
        poll = await self.service.find(id, ctx.chat)
        if not results_public(poll, ctx.clock.now()):
            raise UserError(texts.RESULTS_HIDDEN_UNTIL_CLOSE, id=id)
        if poll.anonymous:
            rows = count_rows((await self.service.results(poll)).tally)
            note = texts.EXPORT_ANONYMOUS
        else:
            records = [
                VoterRecord(ballot.voter_name, ballot.choices, ballot.voted_at)
                for ballot in await self.service.polls.named_ballots(id)
            ]
            rows = voter_rows(poll.options, poll.kind, records)
            note = texts.EXPORT_DONE
        attachment = Attachment(
            filename=f"poll-{id}.csv", data=to_csv(rows).encode(), media_type="text/csv"
        )
        return Reply(blocks=(Paragraph(ctx.t(note, id=id)),), attachment=attachment, private=True)

    async def close(self, ctx: Context, id: int) -> Reply:
        """`/poll close ID` (the creator or a moderator)."""
        poll = await self.service.find(id, ctx.chat)
        if poll.creator != ctx.actor.key and not ctx.is_moderator:
            raise UserError(texts.CLOSE_NOT_ALLOWED, id=id)
        if not await self.service.close(id):
            raise UserError(texts.ALREADY_CLOSED, id=id)
        return Reply.text(ctx.t(texts.CLOSED_BY_HAND, id=id), private=True)

    async def share(self, ctx: Context, id: int, target: str) -> Reply:
        """`/poll share ID TARGET`: show the poll in another chat, on any connected platform."""
        poll = await self.service.find(id, ctx.chat)
        chat = resolve_target(self._outbox, ctx.chat, target)
        if chat == ctx.chat or await self.service.polls.shown_in(id, chat):
            raise UserError(texts.SAME_CHAT, id=id)
        reason = await self._outbox.gateway(chat.platform).check_can_post(chat, ctx.actor)
        if reason is not None:
            raise UserError(texts.CANNOT_SHARE, id=id, reason=reason)
        locale = (await self._chat_settings.get(chat)).language or ctx.locale
        await self.service.show(poll, chat, locale)
        return Reply.text(ctx.t(texts.SHARED, id=id, target=target.strip()[:60]), private=True)

    # --- buttons ---------------------------------------------------------------------------------

    async def press_option(self, ctx: Context, poll: int, option: int) -> Reply | None:
        """An option under the poll: vote (single choice) or open the private ballot."""
        record = await self._votable(ctx, poll, option)
        if record.kind is PollKind.SINGLE:
            result = await self.service.vote(record, ctx.actor, VoteOp.TOGGLE, (option,))
            await self._acknowledge(ctx, record, result)
            return None
        current = await self.service.ballot_of(record, ctx.actor)
        picks = current if option in current else self._fit(record, toggle_pick(current, option))
        return ballot_view(record, picks, ctx.locale)

    async def pick(self, ctx: Context, poll: int, picks: str, option: int) -> Reply | None:
        """A toggle on the private ballot: pick or unpick one option."""
        record = await self._votable(ctx, poll, option)
        current = self._decode(record, picks)
        updated = toggle_pick(current, option)
        limit = record.max_choices or len(record.options)
        if record.kind is PollKind.MULTI and len(updated) > limit:
            return Reply.text(ctx.t(texts.BALLOT_FULL, max=limit), private=True)
        await ctx.update_source(ballot_view(record, updated, ctx.locale))
        return None

    async def submit(self, ctx: Context, poll: int, picks: str) -> None:
        """Submit the private ballot."""
        record = await self._votable(ctx, poll, 0)
        choices = self._decode(record, picks)
        try:
            validate_ballot(Ballot(choices), record.kind, len(record.options), record.max_choices)
        except PollRuleError as error:
            raise rule_error(error) from None
        result = await self.service.vote(record, ctx.actor, VoteOp.SET, choices)
        await self._acknowledge(ctx, record, result)

    async def retract(self, ctx: Context, poll: int) -> None:
        """Withdraw my ballot."""
        record = await self._votable(ctx, poll, 0)
        result = await self.service.vote(record, ctx.actor, VoteOp.RETRACT)
        await self._acknowledge(ctx, record, result)

    # --- helpers ---------------------------------------------------------------------------------

    async def _post_here(self, ctx: Context, poll: PollRecord) -> None:
        view = poll_view(poll, await self.service.results(poll), ctx.locale, ctx.clock.now())
        message = await ctx.reply(view)
        if message is not None:
            await self.service.track(poll.id, message, ctx.locale)

    async def _votable(self, ctx: Context, poll_id: int, option: int) -> PollRecord:
        poll = await self.service.get(poll_id)
        if poll is None or option >= len(poll.options):
            raise UserError(texts.BAD_BALLOT_BUTTON)
        self.service.check_can_vote(poll, ctx.actor)
        return poll

    @staticmethod
    def _decode(poll: PollRecord, word: str) -> tuple[int, ...]:
        picks = decode_picks(word, len(poll.options))
        if picks is None or poll.kind is PollKind.SINGLE:
            raise UserError(texts.BAD_BALLOT_BUTTON)
        return picks

    @staticmethod
    def _fit(poll: PollRecord, picks: tuple[int, ...]) -> tuple[int, ...]:
        limit = poll.max_choices or len(poll.options)
        return picks if poll.kind is PollKind.RANKED else picks[-limit:]

    async def _acknowledge(self, ctx: Context, poll: PollRecord, result: VoteResult) -> None:
        """Answer the voter privately (the vote is committed by now), then refresh the poll."""
        if result.status is VoteStatus.CLOSED:
            raise UserError(texts.POLL_CLOSED, id=poll.id)
        choices = ", ".join(poll.options[index] for index in result.choices)
        blocks: list[Paragraph | Preformatted] = [
            Paragraph(ctx.t(_ACKS[result.status], id=poll.id, choices=choices))
        ]
        if poll.anonymous:
            blocks.append(Paragraph(ctx.t(texts.ANONYMOUS_NOTE)))
        if poll.visibility is ResultsVisibility.AFTER_VOTE and result.choices:
            results = await self.service.results(poll)
            blocks.append(Paragraph(ctx.t(texts.RESULTS_NOW)))
            blocks.append(Preformatted(results.text(poll.options, ctx.locale)))
        await ctx.reply(Reply(blocks=tuple(blocks), private=True))
        if result.status is not VoteStatus.NO_BALLOT:
            await self.service.live.changed(poll.id)

    async def _check_results_visible(self, ctx: Context, poll: PollRecord) -> None:
        if results_public(poll, ctx.clock.now()):
            return
        if poll.visibility is ResultsVisibility.AFTER_CLOSE:
            raise UserError(texts.RESULTS_HIDDEN_UNTIL_CLOSE, id=poll.id)
        if not await self.service.ballot_of(poll, ctx.actor):
            raise UserError(texts.RESULTS_HIDDEN_UNTIL_VOTE, id=poll.id)

    async def _zone(self, chat: ChatRef) -> ZoneInfo:
        name = (await self._chat_settings.get(chat)).timezone
        try:
            return ZoneInfo(name or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")
