"""`/ground`: vote agree / disagree / pass on short statements; see opinion groups and consensus.

Statements are the debate map's claims (their short forms), the chat's approved community
arguments, statements moderators add, and members' proposals once a moderator approves them.
Each person sees one statement at a time on a private card; a vote brings the next. Results are
aggregates only: groups of at least five people, what sets each apart, and what every group
agrees with. The analysis runs off the event loop, one at a time, and is reused until the
chat's votes change.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bot.authority import Access, Custodian, Guard
from bot.buttons import button
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Locale, Localized
from bot.identity import ChatRef
from bot.params import TextParam
from bot.posting import Postable, PostRequest
from bot.ratelimit import Budget
from bot.reply import BulletList, ButtonStyle, Paragraph, Replace, Reply
from bot.services import BaseFeature, Services
from handlers.debate.model import DebateMap
from handlers.ground import texts
from handlers.ground.actions import GroundDecide, GroundVote
from handlers.ground.custody import STATEMENT, StatementCustody
from handlers.polls.anonymity import new_poll_salt
from handlers.text.similarity import find_near_duplicate
from storage.ground import Imported, Statement, StatementSource

if TYPE_CHECKING:
    from handlers.ground.results import Analysis

FEATURE = "ground"
MIN_LENGTH = 10
MAX_LENGTH = 200
PENDING_PER_PERSON = 3
QUEUE_SHOWN = 5
COMPARED = 200
IMPORTED_ARGUMENTS = 50
CACHED_CHATS = 256
_STANCES = {"agree": 1, "disagree": -1, "pass": 0}


class GroundFeature(BaseFeature):
    """Common ground: statements, private voting cards, opinion groups and consensus."""

    def __init__(
        self, services: Services, debate: DebateMap, keyed_voter: Callable[[bytes, str, str], str]
    ) -> None:
        """`keyed_voter` is the anonymous polls' voter key (`PollService.keyed_voter`)."""
        self._statements = services.storage.ground
        self._arguments = services.storage.arguments
        self._clock = services.clock
        self._map = debate
        self._keyed_voter = keyed_voter
        self._analyses: OrderedDict[str, tuple[tuple[object, ...], Analysis]] = OrderedDict()
        self._analysing = asyncio.Lock()

    def commands(self) -> Iterable[CommandSpec]:
        """`/ground` and its subcommands."""
        text = TextParam(
            name="text",
            description=texts.TEXT,
            min_length=MIN_LENGTH,
            max_length=MAX_LENGTH,
            rest=True,
        )
        return (
            CommandSpec(
                name="ground",
                description=texts.GROUND,
                handler=self.card,
                feature=FEATURE,
                group_default="vote",
            ),
            CommandSpec(
                name="ground",
                subcommand="results",
                aliases=("结果",),
                description=texts.RESULTS,
                handler=self.results,
                feature=FEATURE,
                budget=Budget.COSTLY,
            ),
            CommandSpec(
                name="ground",
                subcommand="add",
                aliases=("添加",),
                description=texts.ADD,
                handler=self.add,
                feature=FEATURE,
                role=Role.MODERATOR,
                params=(text,),
            ),
            CommandSpec(
                name="ground",
                subcommand="propose",
                aliases=("提议",),
                description=texts.PROPOSE,
                handler=self.propose,
                feature=FEATURE,
                budget=Budget.COSTLY,
                params=(text,),
            ),
            CommandSpec(
                name="ground",
                subcommand="queue",
                aliases=("待审",),
                description=texts.QUEUE,
                handler=self.queue,
                feature=FEATURE,
                role=Role.MODERATOR,
                audited=False,
            ),
            CommandSpec(
                name="ground",
                subcommand="anonymous",
                aliases=("匿名",),
                description=texts.ANONYMOUS,
                handler=self.make_anonymous,
                feature=FEATURE,
                role=Role.MODERATOR,
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        """The voting card's three buttons and the queue's Approve / Reject."""
        return (
            ActionSpec(
                payload=GroundVote,
                handler=self.vote,
                personal=True,
                budget=Budget.LIGHT,
                feature=FEATURE,
            ),
            ActionSpec(
                payload=GroundDecide,
                handler=self.decide,
                role=Role.MODERATOR,
                feature=FEATURE,
                guards=(Guard("statement", STATEMENT, Access.MODERATE),),
            ),
        )

    def custodians(self) -> Iterable[Custodian]:
        """Statements, for the core's authorization."""
        return (StatementCustody(self._statements),)

    def switches(self) -> Iterable[tuple[str, Localized]]:
        """Common ground, which /settings feature switches."""
        return ((FEATURE, Localized("common ground", "共识地图")),)

    def postables(self) -> Iterable[Postable]:
        """The results, to post now or on a schedule."""
        return (
            Postable(
                name="ground",
                description=texts.POSTABLE,
                usage="ground",
                build=self._build_post,
                label=texts.POSTABLE_LABEL,
                aliases=("共识地图", "共识"),
                feature=FEATURE,
                takes_options=False,
            ),
        )

    async def card(self, ctx: Context) -> Reply:
        """`/ground`: the next statement for the invoker, privately."""
        await self._import(ctx.chat)
        voter = await self._voter(ctx.chat, ctx.actor.platform, ctx.actor.user_id)
        return await self._next_card(ctx, ctx.chat, voter)

    async def vote(self, ctx: Context, press: GroundVote) -> Replace:
        """A vote on the card: store it, then show the next statement on the same card.

        The card is personal (sealed for the person it was made for, as a private ballot is),
        and may be pressed in their private chat: the statement's own chat is where it counts.
        """
        statement = await self._statements.get(press.statement)
        if statement is None:
            raise UserError(texts.VOTE_GONE)
        voter = await self._voter(statement.chat, ctx.actor.platform, ctx.actor.user_id)
        stored = await self._statements.vote(
            statement.id, voter, _STANCES[press.stance], self._clock.now()
        )
        if not stored:
            raise UserError(texts.VOTE_GONE)
        return Replace(await self._next_card(ctx, statement.chat, voter))

    async def results(self, ctx: Context) -> Reply:
        """`/ground results`: groups, what sets them apart, consensus and a picture."""
        await self._import(ctx.chat)
        return await self._results(ctx.chat, ctx.locale)

    async def add(self, ctx: Context, text: str) -> Reply:
        """`/ground add TEXT`: a moderator's statement, open for votes at once."""
        await self._refuse_duplicate(ctx.chat, text)
        new_id = await self._statements.add(ctx.chat, text, ctx.actor, self._clock.now())
        return Reply.text(ctx.t(texts.ADDED, id=new_id), private=True)

    async def propose(self, ctx: Context, text: str) -> Reply:
        """`/ground propose TEXT`: a member's statement, waiting for a moderator."""
        await self._refuse_duplicate(ctx.chat, text)
        new_id = await self._statements.propose(
            ctx.chat, text, ctx.actor, self._clock.now(), limit=PENDING_PER_PERSON
        )
        if new_id is None:
            raise UserError(texts.TOO_MANY_PENDING, count=PENDING_PER_PERSON)
        return Reply.text(ctx.t(texts.PROPOSED, id=new_id), private=True)

    async def queue(self, ctx: Context) -> Reply:
        """`/ground queue`: the oldest proposals with Approve / Reject, for moderators only."""
        pending = await self._statements.pending(ctx.chat, QUEUE_SHOWN)
        title = ctx.t(texts.QUEUE_TITLE)
        if not pending:
            return Reply.text(ctx.t(texts.QUEUE_EMPTY), title=title, private=True)
        lines = tuple(f"{statement.id}. {statement.text}" for statement in pending)
        rows = tuple(
            (
                button(
                    ctx.t(texts.APPROVE, id=statement.id),
                    GroundDecide(statement=statement.id, decision="approve"),
                    style=ButtonStyle.PRIMARY,
                ),
                button(
                    ctx.t(texts.REJECT, id=statement.id),
                    GroundDecide(statement=statement.id, decision="reject"),
                ),
            )
            for statement in pending
        )
        return Reply(title=title, blocks=(BulletList(lines),), buttons=rows, private=True)

    async def decide(self, ctx: Context, press: GroundDecide) -> Reply | Replace:
        """Approve or reject a proposal, then show the queue again."""
        approve = press.decision == "approve"
        if not await self._statements.decide(press.statement, approve):
            return Reply.text(ctx.t(texts.NOT_PENDING, id=press.statement), private=True)
        word = texts.APPROVED_WORD if approve else texts.REJECTED_WORD
        notice = Reply.text(
            ctx.t(texts.DECIDED, id=press.statement, decision=ctx.t(word)), private=True
        )
        return Replace(await self.queue(ctx), notice)

    async def make_anonymous(self, ctx: Context) -> Reply:
        """`/ground anonymous`: from the first vote on, votes are keyed, not named."""
        if await self._statements.salt(ctx.chat) is not None:
            return Reply.text(ctx.t(texts.ANONYMOUS_ALREADY), private=True)
        if not await self._statements.make_anonymous(ctx.chat, new_poll_salt()):
            raise UserError(texts.ANONYMOUS_TOO_LATE)
        return Reply.text(ctx.t(texts.ANONYMOUS_ON), private=True)

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Delete the person's votes (named and keyed) and the statements they wrote."""
        keys = [
            (chat, self._keyed_voter(salt, platform, user_id))
            for chat, salt in await self._statements.anonymous_chats()
        ]
        forgotten = await self._statements.forget(platform, user_id, keys)
        self._analyses.clear()
        return forgotten

    async def _build_post(self, request: PostRequest) -> Reply:
        await self._import(request.origin)
        return await self._results(request.origin, request.locale)

    async def _next_card(self, ctx: Context, chat: ChatRef, voter: str) -> Reply:
        statement, done, total = await self._statements.next_for(chat, voter)
        title = ctx.t(texts.CARD_TITLE, done=min(done + 1, total), total=total)
        if total == 0:
            return Reply.text(ctx.t(texts.NOTHING_YET), private=True)
        if statement is None:
            return Reply.text(ctx.t(texts.ALL_DONE, total=total), title=title, private=True)
        stances = (
            ("agree", texts.AGREE, ButtonStyle.PRIMARY),
            ("disagree", texts.DISAGREE, ButtonStyle.DANGER),
            ("pass", texts.PASS, ButtonStyle.SECONDARY),
        )
        row = tuple(
            button(ctx.t(label), GroundVote(statement=statement.id, stance=stance), style=style)
            for stance, label, style in stances
        )
        blocks = (Paragraph(self._say(statement, ctx.locale)), Paragraph(ctx.t(texts.CARD_HINT)))
        return Reply(title=title, blocks=blocks, buttons=(row,), private=True)

    async def _results(self, chat: ChatRef, locale: Locale) -> Reply:
        from handlers.ground.results import results_reply  # matplotlib: kept off start-up

        analysis = await self._analysis(chat)
        statements = {s.id: s for s in await self._statements.approved(chat)}

        def say(statement_id: int) -> str:
            statement = statements.get(statement_id)
            return self._say(statement, locale) if statement else str(statement_id)

        return await asyncio.to_thread(results_reply, analysis, say, locale)

    async def _analysis(self, chat: ChatRef) -> Analysis:
        """The chat's analysis, recomputed only when its votes changed, one at a time."""
        from handlers.ground.results import analyse  # numpy: kept off start-up

        async with self._analysing:
            fingerprint = await self._statements.fingerprint(chat)
            cached = self._analyses.get(chat.key)
            if cached is not None and cached[0] == fingerprint:
                self._analyses.move_to_end(chat.key)
                return cached[1]
            votes = await self._statements.chat_votes(chat)
            analysis = await asyncio.to_thread(analyse, votes)
            self._analyses[chat.key] = (fingerprint, analysis)
            while len(self._analyses) > CACHED_CHATS:
                self._analyses.popitem(last=False)
            return analysis

    async def _import(self, chat: ChatRef) -> None:
        """Bring the map's claims and the chat's approved arguments in as statements."""
        claims = [
            Imported(StatementSource.CLAIM, claim.id)
            for side in self._map.sides
            for claim in side.claims
        ]
        arguments = [
            Imported(
                StatementSource.ARGUMENT,
                str(argument.id),
                argument.text,
                (argument.author_platform, argument.author_id),
            )
            for side in self._map.sides
            for argument in await self._arguments.top_approved(
                chat, self._map.topic, side.id, IMPORTED_ARGUMENTS
            )
        ]
        await self._statements.import_statements(chat, [*claims, *arguments], self._clock.now())

    async def _voter(self, chat: ChatRef, platform: str, user_id: str) -> str:
        salt = await self._statements.salt(chat)
        if salt is None:
            return f"{platform}:{user_id}"
        return self._keyed_voter(salt, platform, user_id)

    async def _refuse_duplicate(self, chat: ChatRef, text: str) -> None:
        existing = await self._statements.texts(chat, COMPARED)
        duplicate = await asyncio.to_thread(find_near_duplicate, text, existing)
        if duplicate is not None:
            raise UserError(texts.DUPLICATE, id=duplicate)

    def _say(self, statement: Statement, locale: Locale) -> str:
        """The statement's text: a claim from the map in the reader's language."""
        if statement.source is StatementSource.CLAIM and statement.source_ref:
            try:
                return self._map.claim(statement.source_ref).statement.render(locale)
            except KeyError:
                return statement.source_ref
        return statement.text or ""
