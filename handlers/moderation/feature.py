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
from .audit_lines import audited_action
from .custody import SCHEDULED_POST, ScheduledPostCustody
from .forgetting import SCRUB_JOB, DiskScrubJob, forget_person, private_chats_of
from .modlog import CHANNEL_PARAM, ModLog
from .posting import Poster
from .schedule import JOB_KIND, ScheduledPosts
from .settings import ChatSettingsCommands
from .wording import item_choice, read_plan

_DETAILS = Localized(
    "target, item options and pin, in any order, e.g. #news short zh pin",
    "目标、内容选项和置顶，顺序不限，如 #news short zh 置顶",
)
_DETAIL_SHOWN = 80
"""Characters of an entry's detail that an `/audit` line shows."""
_WHEN_DETAILS = Localized(
    "when, target, options, pin in any order; when: in 2h, tomorrow 09:00, daily 09:00",
    "时间、目标、选项、置顶，顺序不限；时间如 2小时后、明天 09:00、每天 09:00、每周一 20:00",
)


class ModerationFeature(BaseFeature):
    """/post, /schedule, /settings, /audit and /forgetme."""

    def __init__(self, services: Services) -> None:
        storage = services.storage
        self._services = services
        self._poster = Poster(services.features, services.outbox, storage, services.clock)
        self._scheduled = ScheduledPosts(
            self._poster,
            services.scheduler,
            storage.jobs,
            services.outbox,
            quota=Quotas.from_settings(services.settings).scheduled_posts,
        )
        self._settings = ChatSettingsCommands(
            storage.chat_settings, services.settings, services.registry, services.features
        )
        self._modlog = ModLog(
            storage.modlog,
            storage.chat_settings,
            services.outbox,
            services.registry,
            services.settings.locale,
        )
        services.audit_feed.subscribe(self._modlog.publish)

    def commands(self) -> Iterable[CommandSpec]:
        """Moderator commands, plus /forgetme for everyone."""
        item = self._item
        settings = self._settings
        return (
            CommandSpec(
                name="post",
                description=Localized(
                    "Post an item here or in another chat", "在这里或其他聊天发布内容"
                ),
                handler=self.post,
                params=(item, _details("details", _DETAILS, required=False)),
                budget=Budget.COSTLY,
                role=Role.MODERATOR,
                slow=True,
            ),
            CommandSpec(
                name="schedule",
                description=Localized(
                    "Schedule a post, once or repeating", "安排一次性或定期的发布"
                ),
                handler=self.schedule,
                params=(item, _details("when", _WHEN_DETAILS, required=True)),
                budget=Budget.COSTLY,
                role=Role.MODERATOR,
                panel=True,
                group_default="create",
            ),
            CommandSpec(
                name="schedule",
                subcommand="list",
                aliases=("列表",),
                description=Localized("List scheduled posts in this chat", "列出这里已安排的发布"),
                handler=self._scheduled.list_posts,
                role=Role.MODERATOR,
                panel=True,
                audited=False,
            ),
            CommandSpec(
                name="schedule",
                subcommand="cancel",
                aliases=("取消",),
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
                panel=True,
            ),
            CommandSpec(
                name="settings",
                description=Localized("Show this chat's settings", "查看这里的设置"),
                handler=settings.show,
                role=Role.MODERATOR,
                panel=True,
                audited=False,
            ),
            CommandSpec(
                name="settings",
                subcommand="language",
                aliases=("语言",),
                description=Localized("Set this chat's language", "设置这里的语言"),
                handler=settings.language,
                params=(
                    ChoiceParam(
                        name="language",
                        description=Localized(
                            "en, zh, or auto to follow each app", "英文、中文，或自动（跟随客户端）"
                        ),
                        choices=("en", "zh", "auto"),
                        aliases={
                            "英文": "en",
                            "英语": "en",
                            "english": "en",
                            "中文": "zh",
                            "简体中文": "zh",
                            "chinese": "zh",
                            "自动": "auto",
                        },
                    ),
                ),
                role=Role.MODERATOR,
                panel=True,
            ),
            CommandSpec(
                name="settings",
                subcommand="timezone",
                aliases=("时区",),
                description=Localized("Set this chat's time zone", "设置这里的时区"),
                handler=settings.timezone,
                params=(
                    TextParam(
                        name="zone",
                        description=Localized(
                            "IANA name, e.g. Asia/Shanghai", "IANA 时区名称，如 Asia/Shanghai"
                        ),
                        max_length=64,
                    ),
                ),
                role=Role.MODERATOR,
                panel=True,
            ),
            CommandSpec(
                name="settings",
                subcommand="modrole",
                aliases=("管理员角色",),
                description=Localized(
                    "Set the moderator role (Discord only)", "设置管理员角色（仅限 Discord）"
                ),
                handler=settings.moderator_role,
                params=(
                    TextParam(
                        name="role",
                        description=Localized(
                            "a role mention or id, or none", "角色提及或 ID，或写“无”清除"
                        ),
                        max_length=40,
                    ),
                ),
                role=Role.MODERATOR,
                panel=True,
            ),
            CommandSpec(
                name="settings",
                subcommand="ratelimit",
                aliases=("频率限制", "频率"),
                description=Localized(
                    "Set how many commands each member may run per minute",
                    "设置每位成员每分钟最多可用的命令数",
                ),
                handler=settings.rate_limit,
                params=(
                    TextParam(
                        name="per_minute",
                        description=Localized(
                            "1–120, or default; it cannot be switched off",
                            "1–120，或写“默认”；不能关闭",
                        ),
                        max_length=12,
                    ),
                ),
                role=Role.MODERATOR,
                panel=True,
            ),
            CommandSpec(
                name="settings",
                subcommand="polls",
                aliases=("投票",),
                description=Localized("Who may start polls here", "谁可以在这里发起投票"),
                handler=settings.poll_creators,
                params=(
                    ChoiceParam(
                        name="who",
                        description=Localized("moderators or everyone", "管理员或所有人"),
                        choices=("moderators", "everyone"),
                        aliases={"管理员": "moderators", "所有人": "everyone"},
                    ),
                ),
                role=Role.MODERATOR,
            ),
            CommandSpec(
                name="settings",
                subcommand="feature",
                aliases=("功能",),
                description=Localized(
                    "Switch a feature on or off here", "开启或关闭这里的某个功能"
                ),
                handler=settings.feature,
                params=(
                    TextParam(
                        name="feature",
                        description=Localized(
                            "a feature, as /settings lists them, e.g. polls",
                            "功能名称（见 /settings），如 投票",
                        ),
                        max_length=20,
                    ),
                    ChoiceParam(
                        name="state",
                        description=Localized("on or off", "开启或关闭"),
                        choices=("on", "off"),
                        aliases={
                            "开": "on",
                            "开启": "on",
                            "打开": "on",
                            "关": "off",
                            "关闭": "off",
                        },
                    ),
                ),
                role=Role.MODERATOR,
                panel=True,
            ),
            CommandSpec(
                name="settings",
                subcommand="modlog",
                aliases=("管理日志",),
                description=Localized(
                    "Post every moderator action in a channel", "把每项管理操作发布到一个频道"
                ),
                handler=self._modlog.configure,
                params=(CHANNEL_PARAM,),
                role=Role.MODERATOR,
                panel=True,
            ),
            CommandSpec(
                name="audit",
                description=Localized("Recent moderator actions here", "这里最近的管理操作"),
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
                panel=True,
            ),
            CommandSpec(
                name="forgetme",
                description=Localized(
                    "Remove the data Parley keeps about you", "删除 Parley 保存的你的数据"
                ),
                handler=self.forget_prompt,
            ),
        )

    @property
    def _item(self) -> ChoiceParam:
        """The `item` parameter of /post and /schedule, from every feature's postables."""
        return item_choice(self._services.features.postables())

    def actions(self) -> Iterable[ActionSpec]:
        """The forget-me confirmation button."""
        return (ActionSpec(payload=ForgetMe, handler=self.forget_confirmed),)

    def custodians(self) -> Iterable[Custodian]:
        """Scheduled posts, for the core's authorization."""
        return (ScheduledPostCustody(self._services.storage.jobs),)

    def jobs(self) -> Mapping[str, JobRunner]:
        """Scheduled posts, and scrubbing the disk after a person was forgotten."""
        return {JOB_KIND: self._scheduled.run, SCRUB_JOB: DiskScrubJob(self._services).run}

    async def post(self, ctx: Context, item: str | None, details: str | None) -> Reply:
        """Post an item now, here or in a target chat."""
        plan = read_plan(details or "", item, self._item, self._services.outbox, ctx.chat)
        request = PostRequest(
            plan.target, plan.options, ctx.locale, ctx.actor, ctx.chat, await ctx.moderates()
        )
        await self._poster.check(plan, request)
        outcome = await self._poster.post(plan, request)
        values = {"item": self._poster.label(plan.item), "target": plan.target_label or texts.HERE}
        if plan.pin and outcome.pin_refusal is not None:
            reason = ctx.t(outcome.pin_refusal)
            return Reply.text(ctx.t(texts.PIN_REFUSED, reason=reason, **values), private=True)
        if plan.pin and not outcome.pinned:
            return Reply.text(ctx.t(texts.PIN_FAILED, **values), private=True)
        template = texts.POSTED_PINNED if outcome.pinned else texts.POSTED
        return Reply.text(ctx.t(template, **values), private=True)

    async def schedule(self, ctx: Context, item: str | None, when: str) -> Reply:
        """Schedule an item."""
        return await self._scheduled.create(ctx, item, when, self._item)

    async def audit(self, ctx: Context, count: int) -> Reply:
        """The newest audit entries of this chat, in its time zone, labelled with it."""
        entries = await self._services.storage.audit.recent(ctx.chat, count)
        if not entries:
            return Reply.text(ctx.t(texts.AUDIT_EMPTY))
        zone = ctx.settings.zone
        lines = []
        for entry in entries:
            action, detail = audited_action(self._services.registry, entry, ctx.locale)
            lines.append(
                ctx.t(
                    texts.AUDIT_LINE,
                    at=entry.at.astimezone(zone).strftime("%m-%d %H:%M"),
                    who=ctx.t(texts.AUDIT_FORGOTTEN_MEMBER)
                    if entry.forgotten
                    else entry.actor_name,
                    action=action,
                    detail=f" {detail[:_DETAIL_SHOWN]}" if detail else "",
                    failed=ctx.t(texts.AUDIT_FAILED) if entry.outcome != "ok" else "",
                )
            )
        title = ctx.t(texts.AUDIT_TITLE, zone=zone.key)
        return Reply(title=title, blocks=(BulletList(tuple(lines)),))

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
