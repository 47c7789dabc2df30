"""The moderation feature: its command declarations, wired to the services that do the work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.authority import Access, Custodian, Guard
from bot.buttons import button
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.i18n import Localized
from bot.identity import ChatKind, ChatRef
from bot.params import ChoiceParam, IntParam, TextParam
from bot.posting import PostRequest
from bot.quotas import Quotas
from bot.ratelimit import Budget
from bot.reply import BulletList, Paragraph, Reply
from bot.scheduler import JobRunner
from bot.services import BaseFeature, Services

from . import texts
from .actions import ForgetMe
from .custody import SCHEDULED_POST, ScheduledPostCustody
from .forgetting import SCRUB_JOB, DiskScrubJob, forget_person, private_chats_of
from .modlog import CHANNEL_PARAM, ModLog
from .posting import Poster
from .schedule import JOB_KIND, ScheduledPosts
from .settings import ChatSettingsCommands

_DETAILS = Localized(
    "[target] [item options] [pin], e.g. #news short zh pin",
    "[目标] [内容选项] [pin]，如 #news short zh pin",
)
_WHEN_DETAILS = Localized(
    "WHEN [target] [options] [pin]; WHEN: in 2h, 2026-12-01 09:00, daily 09:00, weekly mon 20:00",
    "时间 [目标] [选项] [pin]；时间如 in 2h、2026-12-01 09:00、daily 09:00、weekly mon 20:00",
)


class ModerationFeature(BaseFeature):
    """/post, /schedule, /settings, /audit and /forgetme."""

    def __init__(self, services: Services) -> None:
        storage = services.storage
        self._services = services
        self._poster = Poster(services.features, services.outbox, storage.posts, services.clock)
        self._scheduled = ScheduledPosts(
            self._poster,
            services.scheduler,
            storage.jobs,
            services.outbox,
            quota=Quotas.from_settings(services.settings).scheduled_posts,
        )
        self._settings = ChatSettingsCommands(
            storage.chat_settings, services.settings, services.registry
        )
        self._modlog = ModLog(
            storage.modlog,
            storage.chat_settings,
            services.outbox,
            services.clock,
            services.settings.locale,
        )
        services.audit_feed.subscribe(self._modlog.publish)

    def commands(self) -> Iterable[CommandSpec]:
        """Moderator commands, plus /forgetme for everyone."""
        items = tuple(sorted(self._services.features.postables()))
        item = ChoiceParam(
            name="item",
            description=Localized(
                f"what to post: {', '.join(items) or '-'}",
                f"要发布的内容：{'、'.join(items) or '-'}",
            ),
            choices=items,
        )
        settings = self._settings
        return (
            CommandSpec(
                name="post",
                description=Localized(
                    "Post an item here or in another chat", "在本群或其他聊天发布内容"
                ),
                handler=self.post,
                params=(item, _details("details", _DETAILS, required=False)),
                budget=Budget.COSTLY,
                role=Role.MODERATOR,
                slow=True,
            ),
            CommandSpec(
                name="schedule",
                description=Localized("Schedule a post, once or repeating", "安排一次或定期发布"),
                handler=self.schedule,
                params=(item, _details("when", _WHEN_DETAILS, required=True)),
                budget=Budget.COSTLY,
                role=Role.MODERATOR,
                group_default="create",
            ),
            CommandSpec(
                name="schedule",
                subcommand="list",
                description=Localized("List scheduled posts in this chat", "列出本群已安排的发布"),
                handler=self._scheduled.list_posts,
                role=Role.MODERATOR,
                audited=False,
            ),
            CommandSpec(
                name="schedule",
                subcommand="cancel",
                description=Localized("Cancel a scheduled post", "取消已安排的发布"),
                handler=self._scheduled.cancel,
                guards=(Guard("job_id", SCHEDULED_POST, Access.MODERATE),),
                params=(
                    IntParam(
                        name="job_id",
                        description=Localized(
                            "the number from /schedule list", "/schedule list 中的编号"
                        ),
                        min_value=1,
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="settings",
                description=Localized("Show this chat's settings", "查看本群设置"),
                handler=settings.show,
                role=Role.MODERATOR,
                audited=False,
            ),
            CommandSpec(
                name="settings",
                subcommand="language",
                description=Localized("Set this chat's language", "设置本群语言"),
                handler=settings.language,
                params=(
                    ChoiceParam(
                        name="language",
                        description=Localized(
                            "en, zh, or auto to follow each app", "en、zh，或 auto 跟随客户端"
                        ),
                        choices=("en", "zh", "auto"),
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="settings",
                subcommand="timezone",
                description=Localized("Set this chat's time zone", "设置本群时区"),
                handler=settings.timezone,
                params=(
                    TextParam(
                        name="zone",
                        description=Localized(
                            "IANA name, e.g. Asia/Shanghai", "IANA 名称，如 Asia/Shanghai"
                        ),
                        max_length=64,
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="settings",
                subcommand="modrole",
                description=Localized(
                    "Set the moderator role (Discord)", "设置管理员角色（Discord）"
                ),
                handler=settings.moderator_role,
                params=(
                    TextParam(
                        name="role",
                        description=Localized(
                            "a role mention or id, or none", "角色提及或 id，或 none"
                        ),
                        max_length=40,
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="settings",
                subcommand="ratelimit",
                description=Localized("Commands per minute per member", "每位成员每分钟的命令数"),
                handler=settings.rate_limit,
                params=(
                    IntParam(
                        name="per_minute",
                        description=Localized("1–120, or 0 for the default", "1–120，0 表示默认"),
                        min_value=0,
                        max_value=120,
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="settings",
                subcommand="polls",
                description=Localized("Who may start polls here", "谁可以在本群发起投票"),
                handler=settings.poll_creators,
                params=(
                    ChoiceParam(
                        name="who",
                        description=Localized("moderators or everyone", "moderators 或 everyone"),
                        choices=("moderators", "everyone"),
                        aliases={"管理员": "moderators", "所有人": "everyone"},
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="settings",
                subcommand="feature",
                description=Localized("Switch a feature on or off here", "在本群开关某个功能"),
                handler=settings.feature,
                params=(
                    TextParam(
                        name="feature",
                        description=Localized(
                            "summary, debate, arguments, polls", "summary、debate、arguments、polls"
                        ),
                        max_length=20,
                    ),
                    ChoiceParam(
                        name="state",
                        description=Localized("on or off", "on 或 off"),
                        choices=("on", "off"),
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="settings",
                subcommand="modlog",
                description=Localized(
                    "Post every moderator action in a channel", "把每项管理操作发布到一个频道"
                ),
                handler=self._modlog.configure,
                params=(CHANNEL_PARAM,),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="audit",
                description=Localized("Recent moderator actions here", "本群最近的管理操作"),
                handler=self.audit,
                audited=False,
                params=(
                    IntParam(
                        name="count",
                        description=Localized("how many, 1–50", "条数，1–50"),
                        min_value=1,
                        max_value=50,
                        required=False,
                        default=10,
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="forgetme",
                description=Localized(
                    "Remove the data Parley keeps about you", "删除 Parley 保存的你的数据"
                ),
                handler=self.forget_prompt,
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        """The forget-me confirmation button."""
        return (ActionSpec(payload=ForgetMe, handler=self.forget_confirmed),)

    def custodians(self) -> Iterable[Custodian]:
        """Scheduled posts, for the core's authorization."""
        return (ScheduledPostCustody(self._services.storage.jobs),)

    def jobs(self) -> Mapping[str, JobRunner]:
        """Scheduled posts, and scrubbing the disk after a person was forgotten."""
        return {JOB_KIND: self._scheduled.run, SCRUB_JOB: DiskScrubJob(self._services).run}

    async def post(self, ctx: Context, item: str, details: str | None) -> Reply:
        """Post an item now, here or in a target chat."""
        plan = self._poster.plan(ctx.chat, item, details or "")
        request = PostRequest(
            plan.target, plan.options, ctx.locale, ctx.actor, ctx.chat, await ctx.moderates()
        )
        await self._poster.check(plan, request)
        outcome = await self._poster.post(plan, request)
        target = plan.target_label or ctx.t(texts.HERE)
        if plan.pin and outcome.pin_refusal is not None:
            reason = ctx.t(outcome.pin_refusal)
            text = ctx.t(texts.PIN_REFUSED, item=item, target=target, reason=reason)
            return Reply.text(text, private=True)
        if plan.pin and not outcome.pinned:
            return Reply.text(ctx.t(texts.PIN_FAILED, item=item, target=target), private=True)
        template = texts.POSTED_PINNED if outcome.pinned else texts.POSTED
        return Reply.text(ctx.t(template, item=item, target=target), private=True)

    async def schedule(self, ctx: Context, item: str, when: str) -> Reply:
        """Schedule an item."""
        return await self._scheduled.create(ctx, item, when)

    async def audit(self, ctx: Context, count: int) -> Reply:
        """The newest audit entries of this chat."""
        entries = await self._services.storage.audit.recent(ctx.chat, count)
        if not entries:
            return Reply.text(ctx.t(texts.AUDIT_EMPTY))
        zone = ctx.settings.zone
        lines = tuple(
            ctx.t(
                texts.AUDIT_LINE,
                at=entry.at.astimezone(zone).strftime("%m-%d %H:%M"),
                who=ctx.t(texts.AUDIT_FORGOTTEN_MEMBER) if entry.forgotten else entry.actor_name,
                action=entry.action,
                detail=entry.detail[:80],
                failed=ctx.t(texts.AUDIT_FAILED) if entry.outcome != "ok" else "",
            )
            for entry in entries
        )
        return Reply(title=ctx.t(texts.AUDIT_TITLE), blocks=(BulletList(lines),))

    async def forget_prompt(self, ctx: Context) -> Reply:
        """Explain what forgetting removes, with a confirmation button."""
        return Reply(
            blocks=(Paragraph(ctx.t(texts.FORGET_PROMPT)),),
            buttons=((button(ctx.t(texts.FORGET_BUTTON), ForgetMe()),),),
            private=True,
        )

    async def forget_confirmed(self, ctx: Context, press: ForgetMe) -> Reply:
        """Forget the person who pressed the button (and the private chat it was pressed in)."""
        private = ctx.invocation.chat_kind is ChatKind.PRIVATE
        count = await forget_user(
            self._services,
            ctx.actor.platform,
            ctx.actor.user_id,
            pressed_in=ctx.chat if private else None,
        )
        return Reply.text(ctx.t(texts.FORGOTTEN, count=count), private=True)


async def forget_user(
    services: Services, platform: str, user_id: str, *, pressed_in: ChatRef | None = None
) -> int:
    """Remove or pseudonymise everything stored about a person; returns the records changed.

    `pressed_in` is the private chat the request came from, when it came from one.
    """
    chats = private_chats_of(platform, user_id, pressed_in)
    return await forget_person(services, platform, user_id, chats)


def _details(name: str, description: Localized, *, required: bool) -> TextParam:
    return TextParam(
        name=name, description=description, required=required, max_length=300, rest=True
    )
