"""The debate feature: `/debate` views of the shipped map and `/argue` community arguments.

The map comes from the topic loader, which validates it at start-up; every static view is rendered
when the feature is built, in both languages, so oversized content fails start-up too.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.authority import Access, Custodian, Guard
from bot.commands import ActionSpec, CommandSpec, MessageAction, Role
from bot.context import Context
from bot.errors import ExpiredButtonError, UserError
from bot.i18n import LOCALES, Locale, Localized
from bot.identity import ChatRef
from bot.params import ChoiceParam, IntParam, TextParam
from bot.posting import Postable, PostRequest
from bot.quotas import Quotas
from bot.ratelimit import Budget
from bot.reply import Replace, Reply
from bot.services import BaseFeature, Services
from bot.suggestions import Suggestion, matches
from handlers.debate import texts
from handlers.debate.actions import (
    NO_KEY,
    ArgApprove,
    ArgQueue,
    ArgReject,
    ArgUpvote,
    DebateView,
    View,
)
from handlers.debate.community import MAX_LENGTH, MIN_LENGTH, CommunityArguments
from handlers.debate.custody import ARGUMENT, ArgumentCustody
from handlers.debate.model import DebateMap
from handlers.debate.order import ordered_sides
from handlers.debate.views import (
    claim_pages,
    factcheck_pages,
    glossary_pages,
    overview,
    side_pages,
    timeline_pages,
)

DEBATE_TAG = "debate"
ARGUMENTS_TAG = "arguments"
POSTABLE_NAME = "debate"

_PageKey = tuple[View, str, Locale]


class DebateFeature(BaseFeature):
    """Both sides of the debate, and the community's own arguments."""

    def __init__(self, services: Services, debate: DebateMap, *, article_title: Localized) -> None:
        """`debate` is the topic's map; `article_title` names the article its fact-checks check."""
        self._clock = services.clock
        self._map = debate
        self._pages = _render_static_views(self._map, article_title)
        self._community = CommunityArguments(
            services.storage.arguments,
            self._map,
            pending_quota=Quotas.from_settings(services.settings).pending_arguments,
        )
        self._storage_arguments = services.storage.arguments

    def commands(self) -> Iterable[CommandSpec]:
        """`/debate …` and `/argue …`."""
        community = self._community
        side = ChoiceParam(
            name="side",
            description=texts.SIDE_PARAM,
            choices=tuple(s.id for s in self._map.sides),
            labels={s.id: s.label for s in self._map.sides},
            aliases=self._map.keywords(),
        )
        argument_id = _argument_id_param()
        return (
            CommandSpec(
                name="debate",
                feature=DEBATE_TAG,
                description=texts.DEBATE_DESCRIPTION,
                handler=self.show_overview,
            ),
            CommandSpec(
                name="debate",
                feature=DEBATE_TAG,
                subcommand="side",
                aliases=("阵营", "一方"),
                description=texts.SIDE_DESCRIPTION,
                handler=self.show_side,
                params=(side,),
            ),
            CommandSpec(
                name="debate",
                feature=DEBATE_TAG,
                subcommand="claim",
                aliases=("论点",),
                description=texts.CLAIM_DESCRIPTION,
                handler=self.show_claim,
                params=(TextParam(name="claim_id", description=texts.CLAIM_PARAM, max_length=8),),
                suggestions=(("claim_id", self.suggest_claims),),
            ),
            CommandSpec(
                name="debate",
                feature=DEBATE_TAG,
                subcommand="factcheck",
                aliases=("事实核查", "核查"),
                description=texts.FACTCHECK_DESCRIPTION,
                handler=self.show_factcheck,
            ),
            CommandSpec(
                name="debate",
                feature=DEBATE_TAG,
                subcommand="timeline",
                aliases=("时间线",),
                description=texts.TIMELINE_DESCRIPTION,
                handler=self.show_timeline,
            ),
            CommandSpec(
                name="debate",
                feature=DEBATE_TAG,
                subcommand="glossary",
                aliases=("术语表", "术语"),
                description=texts.GLOSSARY_DESCRIPTION,
                handler=self.show_glossary,
            ),
            CommandSpec(
                name="debate",
                subcommand="community",
                aliases=("社区论点", "社区"),
                feature=ARGUMENTS_TAG,
                description=texts.COMMUNITY_DESCRIPTION,
                handler=community.show,
            ),
            CommandSpec(
                name="argue",
                feature=ARGUMENTS_TAG,
                group_default="submit",
                description=texts.ARGUE_DESCRIPTION,
                handler=community.submit,
                params=(
                    side,
                    TextParam(
                        name="text",
                        description=texts.TEXT_PARAM,
                        min_length=MIN_LENGTH,
                        max_length=MAX_LENGTH,
                        rest=True,
                    ),
                ),
                form_param="text",
                on_message=MessageAction(texts.PROPOSE_AS_ARGUMENT, param="text", form=True),
            ),
            CommandSpec(
                name="argue",
                subcommand="queue",
                aliases=("待审核",),
                feature=ARGUMENTS_TAG,
                role=Role.MODERATOR,
                description=texts.QUEUE_DESCRIPTION,
                handler=community.queue,
                audited=False,
                panel=True,
            ),
            CommandSpec(
                name="argue",
                subcommand="withdraw",
                aliases=("撤回",),
                feature=ARGUMENTS_TAG,
                description=texts.WITHDRAW_DESCRIPTION,
                handler=community.withdraw,
                params=(argument_id,),
                guards=(Guard("argument_id", ARGUMENT),),
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        """Navigation, upvotes and moderation buttons."""
        community = self._community
        return (
            ActionSpec(
                payload=DebateView,
                handler=self.open_view,
                feature=DEBATE_TAG,
                budget=Budget.LIGHT,
            ),
            ActionSpec(
                payload=ArgUpvote,
                handler=community.upvote,
                feature=ARGUMENTS_TAG,
                guards=(Guard("argument_id", ARGUMENT),),
            ),
            ActionSpec(
                payload=ArgApprove,
                panel=True,
                handler=community.approve,
                feature=ARGUMENTS_TAG,
                role=Role.MODERATOR,
                audit=texts.AUDIT_APPROVED,
                guards=(Guard("argument_id", ARGUMENT, Access.MODERATE),),
            ),
            ActionSpec(
                payload=ArgReject,
                panel=True,
                handler=community.reject,
                feature=ARGUMENTS_TAG,
                role=Role.MODERATOR,
                audit=texts.AUDIT_REJECTED,
                guards=(Guard("argument_id", ARGUMENT, Access.MODERATE),),
            ),
            ActionSpec(
                payload=ArgQueue,
                panel=True,
                handler=community.queue_page,
                budget=Budget.LIGHT,
                feature=ARGUMENTS_TAG,
                role=Role.MODERATOR,
                audit=texts.AUDIT_QUEUE_PAGE,
            ),
        )

    def custodians(self) -> Iterable[Custodian]:
        """Community arguments, for the core's authorization."""
        return (ArgumentCustody(self._storage_arguments),)

    def switches(self) -> Iterable[tuple[str, Localized]]:
        """The debate map and community arguments, which /settings feature switches apart."""
        return (
            (DEBATE_TAG, Localized("debate", "辩论")),
            (ARGUMENTS_TAG, Localized("community arguments", "社区论点")),
        )

    def postables(self) -> Iterable[Postable]:
        """The debate card, to post now or on a schedule."""
        return (
            Postable(
                name=POSTABLE_NAME,
                description=texts.POSTABLE_DESCRIPTION,
                usage=POSTABLE_NAME,
                build=self.build_post,
                label=texts.POSTABLE_LABEL,
                aliases=("辩论", "辩论卡片"),
                feature=DEBATE_TAG,
                takes_options=False,
            ),
        )

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Delete the person's arguments and votes."""
        return await self._community.forget_user(platform, user_id)

    async def build_post(self, request: PostRequest) -> Reply:
        """The overview card for the target chat, in the requested language."""
        sides = ordered_sides(self._map.sides, request.target.key, self._clock.now().date())
        return overview(self._map, sides, request.locale)

    async def show_overview(self, ctx: Context) -> Reply:
        """`/debate`: the question and both sides, the first side alternating per chat and day."""
        sides = ordered_sides(self._map.sides, ctx.chat.key, ctx.clock.now().date())
        return overview(self._map, sides, ctx.locale)

    async def show_side(self, ctx: Context, side: str) -> Reply:
        """`/debate side SIDE` (an id or an alias: the parameter gives the id)."""
        return self._pages[View.SIDE, side, ctx.locale][0]

    async def show_claim(self, ctx: Context, claim_id: str) -> Reply:
        """`/debate claim ID`."""
        try:
            claim = self._map.claim(claim_id)
        except KeyError:
            first, second = (side.claims for side in self._map.sides)
            raise UserError(
                texts.UNKNOWN_CLAIM,
                wanted=claim_id,
                first=first[0].id,
                last=first[-1].id,
                other_first=second[0].id,
                other_last=second[-1].id,
            ) from None
        return self._pages[View.CLAIM, claim.id, ctx.locale][0]

    async def suggest_claims(
        self, chat: ChatRef, typed: str, locale: Locale, limit: int
    ) -> list[Suggestion]:
        """The debate map's claims whose id or statement fits what is typed (for autocomplete)."""
        found = []
        for claim in (claim for side in self._map.sides for claim in side.claims):
            statement = claim.statement.render(locale)
            if matches(typed, claim.id, statement):
                found.append(Suggestion(claim.id, f"{claim.id} · {statement}"))
        return found[:limit]

    async def show_factcheck(self, ctx: Context) -> Reply:
        """`/debate factcheck`."""
        return self._pages[View.FACTS, NO_KEY, ctx.locale][0]

    async def show_timeline(self, ctx: Context) -> Reply:
        """`/debate timeline`."""
        return self._pages[View.TIMELINE, NO_KEY, ctx.locale][0]

    async def show_glossary(self, ctx: Context) -> Reply:
        """`/debate glossary`."""
        return self._pages[View.GLOSSARY, NO_KEY, ctx.locale][0]

    async def open_view(self, ctx: Context, press: DebateView) -> Replace:
        """A navigation button: replace the message with the page of the view it names."""
        key, page = press.key, press.page
        match press.view:
            case View.HOME:
                pages = [await self.show_overview(ctx)]
            case View.COMMUNITY:
                pages = await self._community.pages(ctx)
            case View.CLAIM:
                pages = self._static(View.CLAIM, self._claim_id(key), ctx.locale)
            case View.SIDE:
                side_id = self._map.keywords().get(key.lower(), key)  # buttons from before renames
                pages = self._static(View.SIDE, side_id, ctx.locale)
            case static:
                pages = self._static(static, key, ctx.locale)
        return Replace(pages[min(page, len(pages)) - 1])

    def _static(self, view: View, key: str, locale: Locale) -> list[Reply]:
        try:
            return self._pages[view, key, locale]
        except KeyError:
            raise ExpiredButtonError(f"no {view} view for {key!r}") from None

    def _claim_id(self, key: str) -> str:
        try:
            return self._map.claim(key).id
        except KeyError:
            raise ExpiredButtonError(f"no claim {key!r}") from None


def _argument_id_param() -> IntParam:
    return IntParam(
        name="argument_id", description=texts.ARGUMENT_ID_PARAM, min_value=1, max_value=10**9
    )


def _render_static_views(
    debate: DebateMap, article_title: Localized
) -> dict[_PageKey, list[Reply]]:
    """Every view that depends only on the map, in both languages (raises if one cannot fit)."""
    pages: dict[_PageKey, list[Reply]] = {}
    for locale in LOCALES:
        for side in debate.sides:
            pages[View.SIDE, side.id, locale] = side_pages(debate, side, locale)
            for claim in side.claims:
                pages[View.CLAIM, claim.id, locale] = claim_pages(debate, claim, locale)
        pages[View.FACTS, NO_KEY, locale] = factcheck_pages(debate, article_title, locale)
        pages[View.TIMELINE, NO_KEY, locale] = timeline_pages(debate, locale)
        pages[View.GLOSSARY, NO_KEY, locale] = glossary_pages(debate, locale)
    return pages
