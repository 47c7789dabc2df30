"""The mod-log channel: `/settings modlog #channel|off`, and each audit entry posted there.

A community (a Discord server; elsewhere the group chat itself) names one channel; from then on
every audit entry of the community is posted there as it is written, numbered like moderation
cases (#1, #2 …, counted in the database, so restarts and several processes share one count).
A post that fails (the bot lost its permission there) is logged, and the moderator who acted is
told once, until a post there works again or the channel is set anew.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from bot.audit_feed import AuditEvent
from bot.commands import Registry
from bot.context import CommunityFinder, Context, Outbox
from bot.errors import UserError
from bot.i18n import Locale, Localized
from bot.identity import ChatKind, ChatRef
from bot.params import TextParam
from bot.reply import Fields, Reply
from storage.audit import AuditEntry
from storage.chat_settings import ChatSettingsRepository
from storage.modlog import ModLogRepository

from . import texts
from .audit_lines import audited_action

log = logging.getLogger("parley.modlog")

OFF_WORDS = ("off", "none", "关闭", "关")

CHANNEL_PARAM = TextParam(
    name="channel",
    description=Localized(
        "the channel (#channel or its id), or off", "频道（#频道 或其 ID），或写“关闭”"
    ),
    max_length=100,
)
SET = Localized(
    "From now on every moderator action here is posted in {target}, numbered like cases: #1, #2 …",
    "从现在起，这里的每一项管理操作都会发布到 {target}，并像案件一样编号：#1、#2……",
)
TURNED_OFF = Localized(
    "The mod-log is off. If you set a channel again, the numbering continues.",
    "已关闭管理日志频道。再次设置频道时，编号会接着往下排。",
)
STOPPED_HERE = Localized(
    "{who} turned the mod-log off: moderator actions are no longer posted here.",
    "{who} 关闭了管理日志：管理操作不再发布到这里。",
)
MOVED_FROM_HERE = Localized(
    "{who} moved the mod-log to {target}: moderator actions are posted there from now on.",
    "{who} 把管理日志移到了 {target}：从现在起，管理操作发布到那里。",
)
NOT_A_CHANNEL = Localized(
    "“{target}” is not a channel I can read. Write it as #channel (or its id), or off.",
    "“{target}”不是我能识别的频道。请写成 #频道（或其 ID），或写“关闭”。",
)
NOT_IN_PRIVATE = Localized(
    "A mod-log is for a server or group, not a private chat.",
    "管理日志频道只用于服务器或群组，不能用于私聊。",
)
OTHER_COMMUNITY = Localized(
    "{target} is in another server: the mod-log must be in this one.",
    "{target} 在另一个服务器里：管理日志频道必须在本服务器内。",
)
CANNOT_POST = Localized(
    "I can't post the mod-log in {target}: {reason}", "我无法在 {target} 发布管理日志：{reason}"
)
POST_FAILED = Localized(
    "I could not post this action in the mod-log channel (do I still have View Channel, Send"
    " Messages and Embed Links there?). I say this once, until a post there works again or"
    " /settings modlog is set anew.",
    "我没能把这项操作发布到管理日志频道（我在那里还有“查看频道”“发送消息”和“嵌入链接”权限吗？）。"
    "此提示只出现一次，直到那里再次发布成功或重新设置 /settings modlog。",
)
CASE_TITLE = Localized("Case #{case} · {action}", "管理记录 #{case} · {action}")
MODERATOR = Localized("Moderator", "管理员")
WHERE = Localized("Where", "位置")
DETAIL = Localized("Details", "详情")
OUTCOME = Localized("Outcome", "结果")
WHEN = Localized("When", "时间")
DONE = Localized("done", "已完成")
FAILED = Localized("failed", "失败")
CHANNEL = Localized("channel {id}", "频道 {id}")
AT_IN_ZONE = Localized("{at} ({zone})", "{at}（{zone}）")


class ModLog:
    """Sets a community's mod-log channel and posts each audit entry of it there."""

    def __init__(
        self,
        repository: ModLogRepository,
        chat_settings: ChatSettingsRepository,
        outbox: Outbox,
        registry: Registry,
        default_locale: Locale,
    ) -> None:
        self._repository = repository
        self._chat_settings = chat_settings
        self._outbox = outbox
        self._registry = registry
        self._default_locale = default_locale

    async def configure(self, ctx: Context, channel: str) -> Reply:
        """`/settings modlog`: post this community's audit entries in `channel`, or `off`.

        The channel it leaves is told who turned it off or moved it, and where: a mod-log that
        just fell silent would hide what moderators do meanwhile.
        """
        if ctx.invocation.chat_kind is ChatKind.PRIVATE:
            raise UserError(NOT_IN_PRIVATE)
        platform, community = ctx.chat.platform, ctx.invocation.community or ctx.chat.chat_id
        label = channel.strip()
        target = None if label.lower() in OFF_WORDS else await self._target(ctx, community, label)
        old = await self._repository.channel(platform, community)
        await self._repository.set_channel(platform, community, target, ctx.clock.now())
        if old is not None and old.chat != target:
            await self._farewell(old.chat, ctx, label if target is not None else None)
        answer = ctx.t(SET, target=label) if target is not None else ctx.t(TURNED_OFF)
        return Reply.text(answer, private=True)

    async def _target(self, ctx: Context, community: str, label: str) -> ChatRef:
        """The channel `label` names, if it is in `community` and the bot can post there."""
        gateway = self._outbox.gateway(ctx.chat.platform)
        target = gateway.parse_target(label)
        if target is None:
            raise UserError(NOT_A_CHANNEL, target=label[:60])
        found = await gateway.community_of(target) if isinstance(gateway, CommunityFinder) else None
        if found is not None and found != community:  # one not found: check_can_post says so
            raise UserError(OTHER_COMMUNITY, target=label)
        reason = await gateway.check_can_post(target, ctx.actor)
        if reason is not None:
            raise UserError(CANNOT_POST, target=label, reason=ctx.t(reason))
        return target

    async def _farewell(self, old: ChatRef, ctx: Context, moved_to: str | None) -> None:
        """Tell the channel the mod-log leaves who turned it off, or where it went."""
        locale = (await self._chat_settings.get(old)).language or ctx.locale
        who = ctx.actor.display_name
        if moved_to is None:
            text = STOPPED_HERE.render(locale, who=who)
        else:
            text = MOVED_FROM_HERE.render(locale, who=who, target=moved_to)
        try:
            await self._outbox.send(old, Reply.text(text))
        except Exception as error:  # the bot may have lost the channel: that is why it moves
            log.warning(
                "event=modlog_farewell_failed chat=%s error=%s", old.key, type(error).__name__
            )

    async def publish(self, event: AuditEvent) -> Localized | None:
        """Post `event` in its community's mod-log, if it has one (the feed's listener)."""
        chat = event.entry.chat
        community = event.community or await self._community_of(chat)
        channel = await self._repository.channel(chat.platform, community)
        if channel is None:
            return None
        case = await self._repository.next_case(chat.platform, community)
        settings = await self._chat_settings.get(channel.chat)
        source = await self._chat_settings.get(chat)
        locale = settings.language or source.language or self._default_locale
        try:
            await self._outbox.send(
                channel.chat,
                case_reply(self._registry, event.entry, case, locale, settings.zone),
            )
        except Exception as error:
            log.warning(
                "event=modlog_post_failed chat=%s case=%d error=%s",
                channel.chat.key,
                case,
                type(error).__name__,
            )
            warn = await self._repository.set_warned(chat.platform, community, True)
            return POST_FAILED if warn else None
        if channel.warned:
            await self._repository.set_warned(chat.platform, community, False)
        return None

    async def _community_of(self, chat: ChatRef) -> str:
        """The community of a chat the acting invocation was not in (its own id if unknown)."""
        try:
            gateway = self._outbox.gateway(chat.platform)
            if isinstance(gateway, CommunityFinder):
                return await gateway.community_of(chat) or chat.chat_id
        except Exception:
            log.warning("event=modlog_community_unknown chat=%s", chat.key, exc_info=True)
        return chat.chat_id


def case_reply(
    registry: Registry, entry: AuditEntry, case: int, locale: Locale, zone: ZoneInfo
) -> Reply:
    """The mod-log message of one audit entry, its time in the log channel's zone.

    Worded as `/audit` words it: a button press by what it did, never by its payload.
    """
    action, detail = audited_action(registry, entry, locale)
    who = texts.AUDIT_FORGOTTEN_MEMBER.render(locale) if entry.forgotten else entry.actor_name
    where = CHANNEL.render(locale, id=entry.chat.chat_id)
    at = entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    pairs = [
        (MODERATOR.render(locale), who),
        (WHERE.render(locale), where),
        (OUTCOME.render(locale), (DONE if entry.outcome == "ok" else FAILED).render(locale)),
        (WHEN.render(locale), AT_IN_ZONE.render(locale, at=at, zone=zone.key)),
    ]
    if detail:
        pairs.insert(2, (DETAIL.render(locale), detail[:300]))
    title = CASE_TITLE.render(locale, case=case, action=action)
    return Reply(title=title, blocks=(Fields(tuple(pairs)),))
