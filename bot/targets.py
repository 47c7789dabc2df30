"""Chats a moderator names in a command: the platform's own form, or `platform:chat_id`.

One reader for every command that sends somewhere else (`/post`, `/schedule`, `/poll share`),
so a target one of them accepts, the others accept too. The `platform:chat_id` form reaches
any connected platform (cross-platform posting).
"""

from __future__ import annotations

import re

from bot.context import Outbox, UnknownPlatformError
from bot.errors import UserError
from bot.i18n import Localized
from bot.identity import ChatRef

_QUALIFIED = re.compile(r"^([a-z][a-z0-9_]{0,31}):(\S{1,100})$")
_TARGET_LIKE = ("#", "@", "<#", "-100")
_NUMBERED = re.compile(r"^#\d+$")
"""`#2` is how Parley writes the number of a poll or an argument, never a chat."""

BAD_TARGET = Localized(
    "I can't read “{target}” as a chat. {how}", "无法识别目标聊天“{target}”。{how}"
)
TARGET_HOW = {
    "discord": Localized(
        "Mention a channel, like #news, or write platform:chat_id.",
        "请提及一个频道（例如 #news），或写成“平台:聊天ID”。",
    ),
    "telegram": Localized(
        "Use the @username or numeric id of a group or channel where I am an administrator, or"
        " platform:chat_id.",
        "请使用我担任管理员的群组或频道的 @用户名 或数字 ID，或写成“平台:聊天ID”。",
    ),
}
OTHER_HOW = Localized("Use #name, or platform:chat_id.", "请使用 #名称，或写成“平台:聊天ID”。")
UNKNOWN_PLATFORM = Localized(
    "Parley is not connected to “{platform}” right now, so “{target}” cannot be reached.",
    "Parley 目前没有连接“{platform}”，无法发到“{target}”。",
)


def read_target(outbox: Outbox, origin: ChatRef, word: str) -> ChatRef | None:
    """The chat `word` names; None when it is not written as a chat at all.

    A word written as a chat that names none (`#`, `@x`, `nosuch:1`) is a `UserError` naming it;
    `#2` is a number (a poll's), not a chat.
    """
    text = word.strip()
    qualified = _QUALIFIED.match(text)
    if qualified is not None:
        platform, chat_id = qualified.groups()
        try:
            outbox.gateway(platform)
        except UnknownPlatformError:
            raise UserError(UNKNOWN_PLATFORM, platform=platform, target=text[:60]) from None
        return ChatRef(platform, chat_id)
    if _NUMBERED.match(text):
        return None
    parsed = outbox.gateway(origin.platform).parse_target(text)
    if parsed is None and text.startswith(_TARGET_LIKE):
        raise _not_a_chat(origin, text)
    return parsed


def resolve_target(outbox: Outbox, origin: ChatRef, text: str) -> ChatRef:
    """The chat `text` names, or a `UserError` saying how to name one."""
    chat = read_target(outbox, origin, text)
    if chat is None:
        raise _not_a_chat(origin, text.strip())
    return chat


def _not_a_chat(origin: ChatRef, text: str) -> UserError:
    how = TARGET_HOW.get(origin.platform, OTHER_HOW)
    return UserError(BAD_TARGET, target=text[:60], how=how)
