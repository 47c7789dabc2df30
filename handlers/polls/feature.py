"""The poll feature: `/poll` and `/stance` commands, vote buttons, the close job, postables.

The command handlers live here; the voting buttons in `vote_buttons`, `/stance` in
`stance_check`. Handlers translate invocations; `PollService` does the work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from bot.authority import Access, Custodian, Guard
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Localized
from bot.identity import ChatRef
from bot.params import ChoiceParam, DurationParam, IntParam, TextParam
from bot.posting import Postable
from bot.quotas import Quotas
from bot.ratelimit import Budget
from bot.reply import Attachment, BulletList, Paragraph, Posted, Reply
from bot.scheduler import JobRunner
from bot.services import BaseFeature, Services
from bot.targets import resolve_target
from domain.polls import PollKind, ResultsVisibility
from handlers.polls import manage_texts, texts
from handlers.polls.actions import (
    PollBallot,
    PollByChat,
    PollPick,
    PollRetract,
    PollSubmit,
    PollVote,
)
from handlers.polls.by_chat import by_chat_view
from handlers.polls.creation import parse_create, with_settings
from handlers.polls.custody import POLL, PollCustody
from handlers.polls.deadlines import REMIND_JOB
from handlers.polls.export import VoterRecord, count_rows, ranking_rows, to_csv, voter_rows
from handlers.polls.live_post import tracked
from handlers.polls.management import PollManagement
from handlers.polls.master_key import open_master_key
from handlers.polls.postables import PollPostables
from handlers.polls.results import results_public
from handlers.polls.rules import MAX_DURATION, MAX_OPTION_CHARS, MAX_OPTIONS, MIN_DURATION
from handlers.polls.service import (
    ANNOUNCE_JOB,
    CLEAR_WAL_JOB,
    CLOSE_JOB,
    ERASE_SALT_JOB,
    PollService,
)
from handlers.polls.stance_check import StanceCommands
from handlers.polls.starting import check_may_start
from handlers.polls.templates import PollTemplates, poll_draft
from handlers.polls.turnout import PollTurnoutCommand
from handlers.polls.views import list_view, results_view
from handlers.polls.vote_buttons import VoteButtons
from handlers.topics.loader import SuggestedPoll
from storage.poll_ballots import NamedBallot
from storage.polls import PollRecord

FEATURE = "polls"
EDIT_INTERVAL_SECONDS = 2.0

BY_CHAT = "bychat"
LIST_PAGE_SIZE = 15

_ID = IntParam(name="poll_id", description=texts.POLL_ID, min_value=1)
_SEE = Guard("poll_id", POLL)
_MANAGE = Guard("poll_id", POLL, Access.MANAGE)
_RESULTS_VIEW = ChoiceParam(
    name="view",
    description=texts.RESULTS_VIEW,
    choices=("chart", BY_CHAT),
    labels={"chart": texts.RESULTS_VIEW_CHART, BY_CHAT: texts.RESULTS_VIEW_BY_CHAT},
    aliases={"图表": "chart", "按群": BY_CHAT},
    required=False,
)


class PollFeature(BaseFeature):
    """Polls with buttons, anonymous ballots, live tallies, sharing and stance checks."""

    def __init__(
        self,
        services: Services,
        suggested: Iterable[SuggestedPoll],
        *,
        edit_interval: float = EDIT_INTERVAL_SECONDS,
    ) -> None:
        """`suggested` are the topic's suggested polls (`Topic.polls`), checked here."""
        self._chat_settings = services.storage.chat_settings
        self._outbox = services.outbox
        self.service = PollService(
            services.storage.polls,
            services.outbox,
            services.scheduler,
            services.clock,
            open_master_key(services.settings, services.storage.poll_key),
            edit_interval=edit_interval,
            open_polls=Quotas.from_settings(services.settings).open_polls,
            zones=self._zone,
            background=services.background,
        )
        self._templates = PollTemplates(suggested)
        self._stance = StanceCommands(self.service, self._templates)
        self._buttons = VoteButtons(self.service)
        self._manage = PollManagement(self.service, services.authority)
        self._turnout = PollTurnoutCommand(self.service, services.outbox)
        self._postables = PollPostables(
            self.service, self._stance, services.authority, self._templates
        )

    def commands(self) -> Iterable[CommandSpec]:
        """`/poll` with its subcommands, and `/stance` with its own."""
        return (
            CommandSpec(
                name="poll",
                feature=FEATURE,
                description=texts.POLL,
                handler=self.create,
                budget=Budget.COSTLY,
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
                name="poll",
                feature=FEATURE,
                subcommand="template",
                aliases=("模板",),
                description=texts.TEMPLATE,
                handler=self.template,
                budget=Budget.COSTLY,
                params=(
                    TextParam(
                        name="name",
                        description=texts.TEMPLATE_NAME,
                        required=False,
                        max_length=300,
                        rest=True,
                    ),
                ),
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="list",
                aliases=("列表",),
                description=texts.LIST,
                handler=self.list_polls,
                params=(
                    IntParam(
                        name="page",
                        description=texts.LIST_PAGE,
                        min_value=1,
                        max_value=1000,
                        required=False,
                    ),
                ),
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="results",
                aliases=("结果",),
                description=texts.RESULTS,
                handler=self.results,
                params=(_ID, _RESULTS_VIEW),
                guards=(_SEE,),
                slow=True,
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="export",
                aliases=("导出",),
                description=texts.EXPORT,
                handler=self.export,
                params=(_ID,),
                guards=(Guard("poll_id", POLL, Access.MODERATE),),
                role=Role.MODERATOR,
                panel=True,
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="close",
                aliases=("结束",),
                description=texts.CLOSE,
                handler=self.close,
                params=(_ID,),
                guards=(_MANAGE,),
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="share",
                aliases=("同步",),
                description=texts.SHARE,
                handler=self.share,
                params=(
                    _ID,
                    TextParam(name="target", description=texts.SHARE_TARGET, max_length=120),
                ),
                guards=(Guard("poll_id", POLL, Access.MODERATE),),
                budget=Budget.COSTLY,
                role=Role.MODERATOR,
            ),
            *self._management_commands(),
            CommandSpec(
                name="stance",
                feature=FEATURE,
                description=texts.STANCE,
                handler=self._stance.start,
                budget=Budget.COSTLY,
                params=(
                    TextParam(
                        name="template",
                        description=texts.STANCE_TEMPLATE,
                        required=False,
                        max_length=40,
                    ),
                ),
                group_default="start",
            ),
            CommandSpec(
                name="stance",
                feature=FEATURE,
                subcommand="after",
                aliases=("后测",),
                description=texts.STANCE_AFTER,
                handler=self._stance.after,
                params=(_ID,),
                guards=(_MANAGE,),
                budget=Budget.COSTLY,
            ),
            CommandSpec(
                name="stance",
                feature=FEATURE,
                subcommand="results",
                aliases=("结果",),
                description=texts.STANCE_RESULTS,
                handler=self._stance.results,
                params=(_ID,),
                guards=(_SEE,),
            ),
        )

    def _management_commands(self) -> Iterable[CommandSpec]:
        """`/poll add`, `remove`, `deadline`, `reopen`, `nonvoters` and `clone`."""
        manage = self._manage
        return (
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="add",
                description=manage_texts.ADD,
                handler=manage.add_option,
                params=(
                    _ID,
                    TextParam(
                        name="text",
                        description=manage_texts.ADD_TEXT,
                        max_length=MAX_OPTION_CHARS,
                        rest=True,
                    ),
                ),
                guards=(_SEE,),
                budget=Budget.COSTLY,
                audit_every_use=True,
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="remove",
                description=manage_texts.REMOVE,
                handler=manage.remove_option,
                params=(
                    _ID,
                    IntParam(
                        name="number",
                        description=manage_texts.OPTION_NUMBER,
                        min_value=1,
                        max_value=MAX_OPTIONS,
                    ),
                ),
                guards=(Guard("poll_id", POLL, Access.MODERATE),),
                audit_every_use=True,
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="deadline",
                description=manage_texts.DEADLINE,
                handler=manage.move_deadline,
                params=(
                    _ID,
                    TextParam(
                        name="when",
                        description=manage_texts.DEADLINE_WHEN,
                        max_length=40,
                        rest=True,
                    ),
                ),
                guards=(_MANAGE,),
                audit_every_use=True,
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="reopen",
                description=manage_texts.REOPEN,
                handler=manage.reopen,
                params=(
                    _ID,
                    DurationParam(
                        name="duration",
                        description=manage_texts.REOPEN_FOR,
                        required=False,
                        minimum=MIN_DURATION,
                        maximum=MAX_DURATION,
                    ),
                ),
                guards=(_MANAGE,),
                audit_every_use=True,
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="nonvoters",
                description=manage_texts.NONVOTERS,
                handler=self._turnout.nonvoters,
                params=(_ID,),
                guards=(_MANAGE,),
                audit_every_use=True,
            ),
            CommandSpec(
                name="poll",
                feature=FEATURE,
                subcommand="clone",
                description=manage_texts.CLONE,
                handler=manage.clone,
                params=(_ID,),
                guards=(_SEE,),
                budget=Budget.COSTLY,
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        """Option buttons, the private ballot's toggles, Submit, Withdraw, and By chat."""
        return (
            ActionSpec(
                payload=PollVote,
                handler=self._buttons.press_option,
                guards=(Guard("poll", POLL, on_its_message=True),),
                budget=Budget.LIGHT,
                feature=FEATURE,
            ),
            ActionSpec(
                payload=PollBallot,
                handler=self._buttons.open_ballot,
                guards=(Guard("poll", POLL, on_its_message=True),),
                budget=Budget.LIGHT,
                feature=FEATURE,
            ),
            ActionSpec(
                payload=PollPick,
                handler=self._buttons.pick,
                personal=True,
                budget=Budget.LIGHT,
                feature=FEATURE,
            ),
            ActionSpec(
                payload=PollSubmit,
                handler=self._buttons.submit,
                personal=True,
                budget=Budget.LIGHT,
                feature=FEATURE,
            ),
            ActionSpec(
                payload=PollRetract,
                handler=self._buttons.retract,
                personal=True,
                budget=Budget.LIGHT,
                feature=FEATURE,
            ),
            ActionSpec(
                payload=PollByChat,
                handler=self.by_chat_button,
                guards=(Guard("poll", POLL),),
                budget=Budget.LIGHT,
                feature=FEATURE,
            ),
        )

    def custodians(self) -> Iterable[Custodian]:
        """Polls, for the core's authorization."""
        return (PollCustody(self.service),)

    def jobs(self) -> Mapping[str, JobRunner]:
        """Closing polls at their deadline, and erasing their salts for good."""
        return {
            CLOSE_JOB: self.service.run_close_job,
            ERASE_SALT_JOB: self.service.run_erase_salt_job,
            CLEAR_WAL_JOB: self.service.run_clear_wal_job,
            ANNOUNCE_JOB: self.service.run_announce_job,
            REMIND_JOB: self.service.run_remind_job,
        }

    def switches(self) -> Iterable[tuple[str, Localized]]:
        """Polls, which /settings feature switches."""
        return ((FEATURE, Localized("polls", "投票")),)

    def postables(self) -> Iterable[Postable]:
        """`poll` (a template or a poll id) and `stance`."""
        return self._postables.items(FEATURE)

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Take the person off every ballot and poll (see `PollService.forget_person`)."""
        return await self.service.forget_person(platform, user_id)

    async def shutdown(self) -> None:
        """Commit queued votes, then draw every tally edit still waiting out its interval."""
        await self.service.writer.close()
        await self.service.live.flush_all()

    # --- commands --------------------------------------------------------------------------------

    async def create(self, ctx: Context, poll: str) -> Posted:
        """`/poll QUESTION | OPTION | OPTION … [--settings]`."""
        await check_may_start(ctx)
        draft = parse_create(poll, ctx.clock.now(), ctx.settings.zone)
        record = await self.service.create(draft, ctx.chat, ctx.actor, ctx.locale)
        return await self._post_here(ctx, record)

    async def template(self, ctx: Context, name: str | None) -> Reply | Posted:
        """`/poll template [NAME]`: list the debate polls, or post one."""
        if name is None:
            items = tuple(
                f"{template.name} — {template.question.render(ctx.locale)}"
                for template in self._templates
            )
            return Reply(
                title=ctx.t(texts.TEMPLATES_TITLE),
                blocks=(BulletList(items), Paragraph(ctx.t(texts.TEMPLATES_HINT))),
            )
        await check_may_start(ctx)
        template, _, settings = name.strip().partition(" ")
        found = with_settings(
            poll_draft(self._templates.find(template), ctx.locale),
            settings,
            ctx.clock.now(),
            ctx.settings.zone,
        )
        record = await self.service.create(found, ctx.chat, ctx.actor, ctx.locale)
        return await self._post_here(ctx, record)

    async def list_polls(self, ctx: Context, page: int | None) -> Reply:
        """`/poll list [PAGE]`: the chat's polls, newest first, `LIST_PAGE_SIZE` a page."""
        number = page or 1
        skipped = (number - 1) * LIST_PAGE_SIZE
        polls = await self.service.polls.in_chat(ctx.chat, LIST_PAGE_SIZE + 1, skipped)
        if not polls and number == 1:
            return Reply.text(ctx.t(texts.NO_POLLS))
        if not polls:
            raise UserError(texts.NO_SUCH_PAGE, page=number)
        more = len(polls) > LIST_PAGE_SIZE
        return list_view(
            polls[:LIST_PAGE_SIZE],
            ctx.locale,
            ctx.clock.now(),
            ctx.settings.zone,
            page=number,
            more=more,
        )

    async def results(self, ctx: Context, poll_id: int, view: str | None) -> Reply:
        """`/poll results ID [bychat]`: the tally or runoff rounds and a PNG chart, or per chat."""
        poll = await self.service.existing(poll_id)
        await self._check_results_visible(ctx, poll)
        if view == BY_CHAT:
            return await self._by_chat(ctx, poll)
        results = await self.service.results(poll, runoff=True)
        from handlers.polls.chart import render_chart  # matplotlib: ~0.2 s, kept off start-up

        chart = await asyncio.to_thread(
            render_chart, poll.question, poll.options, results, ctx.locale
        )
        shared = len(await self.service.polls.chats.numbers(poll_id)) > 1
        return results_view(poll, results, ctx.locale, ctx.clock.now(), chart, by_chat=shared)

    async def by_chat_button(self, ctx: Context, press: PollByChat) -> Reply:
        """The "By chat" button under a shared poll's results."""
        record = await self.service.existing(press.poll)
        await self._check_results_visible(ctx, record)
        return await self._by_chat(ctx, record)

    async def export(self, ctx: Context, poll_id: int) -> Reply:
        """`/poll export ID`: CSV; anonymous polls give counts per option only."""
        poll = await self.service.existing(poll_id)
        if not results_public(poll, ctx.clock.now()):
            hidden = (
                texts.EXPORT_AFTER_VOTE_OPEN
                if poll.visibility is ResultsVisibility.AFTER_VOTE
                else texts.RESULTS_HIDDEN_UNTIL_CLOSE
            )
            raise UserError(hidden, id=poll_id)
        if poll.anonymous and poll.kind is PollKind.RANKED:
            rankings = (await self.service.polls.ballots.by_voter_key(poll_id)).values()
            rows = ranking_rows(poll.options, rankings)
            note = texts.EXPORT_ANONYMOUS_RANKED
        elif poll.anonymous:
            rows = count_rows((await self.service.results(poll)).tally)
            note = texts.EXPORT_ANONYMOUS
        else:
            ballots = await self.service.polls.ballots.named(poll_id)
            forgotten = ctx.t(texts.EXPORT_FORGOTTEN)
            rows = await asyncio.to_thread(_voter_rows, poll, ballots, forgotten)
            note = texts.EXPORT_DONE
        data = await asyncio.to_thread(lambda: to_csv(rows).encode())
        attachment = Attachment(filename=f"poll-{poll_id}.csv", data=data, media_type="text/csv")
        return Reply(
            blocks=(Paragraph(ctx.t(note, id=poll_id)),), attachment=attachment, private=True
        )

    async def close(self, ctx: Context, poll_id: int) -> Reply:
        """`/poll close ID` (its creator, or a moderator of its home chat)."""
        if not await self.service.close(poll_id):
            raise UserError(texts.ALREADY_CLOSED, id=poll_id)
        return Reply.text(ctx.t(texts.CLOSED_BY_HAND, id=poll_id), private=True)

    async def share(self, ctx: Context, poll_id: int, target: str) -> Reply:
        """`/poll share ID TARGET`: show the poll in another chat, on any connected platform."""
        poll = await self.service.existing(poll_id)
        chat = resolve_target(self._outbox, ctx.chat, target)
        shown = target.strip()[:60]
        if (chat.platform, chat.chat_id) == (ctx.chat.platform, ctx.chat.chat_id):
            raise UserError(texts.SAME_CHAT, id=poll_id)
        if await self.service.polls.chats.shown_in(poll_id, chat):
            raise UserError(texts.ALREADY_SHOWN_THERE, id=poll_id, target=shown)
        reason = await self._outbox.gateway(chat.platform).check_can_post(chat, ctx.actor)
        if reason is not None:
            raise UserError(texts.CANNOT_SHARE, id=poll_id, reason=reason)
        locale = (await self._chat_settings.get(chat)).language or ctx.locale
        if not await self.service.share(poll, chat, locale):
            raise UserError(texts.ALREADY_SHOWN_THERE, id=poll_id, target=shown)
        said = ctx.t(texts.SHARED, id=poll_id, target=shown)
        if not poll.is_open(ctx.clock.now()):
            said = f"{said} {ctx.t(texts.SHARED_CLOSED, id=poll_id)}"
        return Reply.text(said, private=True)

    # --- helpers ---------------------------------------------------------------------------------

    async def _post_here(self, ctx: Context, poll: PollRecord) -> Posted:
        view = await self.service.view(poll, ctx.chat, ctx.locale)
        return tracked(self.service, poll.id, view, ctx.locale)

    async def _zone(self, chat: ChatRef) -> ZoneInfo:
        return (await self._chat_settings.get(chat)).zone

    async def _by_chat(self, ctx: Context, poll: PollRecord) -> Reply:
        breakdown = await self.service.breakdown(poll)
        private = not results_public(poll, ctx.clock.now())
        return by_chat_view(poll, breakdown, ctx.chat, ctx.locale, private=private)

    async def _check_results_visible(self, ctx: Context, poll: PollRecord) -> None:
        if results_public(poll, ctx.clock.now()):
            return
        if poll.visibility is ResultsVisibility.AFTER_CLOSE:
            raise UserError(texts.RESULTS_HIDDEN_UNTIL_CLOSE, id=poll.id)
        if not await self.service.ballot_of(poll, ctx.actor):
            raise UserError(texts.RESULTS_HIDDEN_UNTIL_VOTE, id=poll.id)


def _voter_rows(
    poll: PollRecord, ballots: list[NamedBallot], forgotten: str
) -> list[tuple[str, ...]]:
    """The export rows of a named poll's ballots (CPU work on many rows: run off the loop).

    A ballot whose voter was forgotten is named `forgotten`.
    """
    records = [
        VoterRecord(ballot.voter_name or forgotten, ballot.choices, ballot.voted_at, ballot.chat)
        for ballot in ballots
    ]
    return voter_rows(poll.options, poll.kind, records)
