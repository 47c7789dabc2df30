"""Posting and editing outside any interaction (schedules, other channels) over REST."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable

import discord

from bot.context import MessageGoneError
from bot.i18n import Localized
from bot.identity import Actor, ChatRef, MessageRef
from bot.posting import PinRefusedError
from bot.reply import Reply

from .outgoing import edit_arguments, send_arguments
from .places import TTL_SECONDS, Place, Places, Recent
from .render import render_reply, render_single
from .translate import PLATFORM

MEMBER_LOOKUP_SECONDS = 2.0
"""How long a permission check waits for Discord's member lookup (inside the 3 s window)."""
UNKNOWN_MEMBER = 10007  # Discord's error code: the user is not a member of that server
GONE = (10003, 10008)  # Discord's Unknown Channel and Unknown Message
MISSING_ACCESS = 50001  # Discord's error code: the bot can no longer see that channel
_TARGET = re.compile(r"^(?:<#(\d{15,21})>|(\d{15,21}))$")
CANNOT_SEE = Localized(
    "I can't see that channel (is it in a server I'm in?).",
    "我看不到那个频道（它在我所在的服务器里吗？）。",
)
MISSING_PERMISSIONS = Localized(
    "I need View Channel, Send Messages and Embed Links there.",
    "我在那里需要“查看频道”“发送消息”和“嵌入链接”权限。",
)
NOT_YOUR_DM = Localized(
    "that is not your direct message with me; in DMs I post only in your own.",
    "那不是你与我的私信；在私信中我只在你自己的私信里发布。",
)
NOT_MEMBER_THERE = Localized(
    "you are not a member of that channel's server.",
    "你不是那个频道所在服务器的成员。",
)
LOOKUP_FAILED = Localized(
    "Discord did not tell me in time what you may do in that channel. Please try again in a"
    " moment.",
    "Discord 没能及时告诉我你在那个频道的权限，请稍后再试。",
)
NEEDS_PIN_MESSAGES = Localized(
    "I need the Pin Messages permission in that channel (since February 2026 Discord no longer"
    " lets Manage Messages pin).",
    "我需要在那个频道拥有“置顶消息”权限（自 2026 年 2 月起，“管理消息”权限已不能置顶）。",
)
NOT_MODERATOR_THERE = Localized(
    "you need Manage Messages in that channel to post there.",
    "你需要在那个频道拥有“管理消息”权限才能在那里发布。",
)


class DiscordGateway:
    """The core's `Gateway` for Discord; `client` gives the connected client."""

    platform = PLATFORM
    knows_members = True
    """A server's members: listed with the members intent, and by id over REST without it."""

    def __init__(self, client: Callable[[], discord.Client]) -> None:
        self._client = client
        self._places = Places(client)
        self._seen: Recent[tuple[int, int], discord.Permissions]
        self._seen = Recent(TTL_SECONDS, time.monotonic)

    def saw(self, interaction: discord.Interaction) -> None:
        """Keep the invoker's permissions in an interaction's channel, as Discord computed them.

        A post into that same channel then needs no member lookup (the bot's own member is in
        the gateway cache of its servers).
        """
        if interaction.guild_id is None or interaction.channel_id is None:
            return
        self._seen.put((interaction.channel_id, interaction.user.id), interaction.permissions)

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        """Post `reply` in the channel (or thread); long replies become several messages.

        There is no ephemeral message outside an interaction: `reply.private` is ignored.
        """
        channel = self._channel(chat)
        posted = [await channel.send(**send_arguments(m)) for m in render_reply(reply)]
        return MessageRef(chat, str(posted[-1].id))

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        """Replace a message the bot posted (content past one message's limits is cut off).

        A message or channel Discord says is unknown, or a channel the bot may no longer see,
        raises `MessageGoneError`, so that it is not edited again (each failed request counts
        toward Discord's invalid-request limit).
        """
        partial = self._channel(message.chat).get_partial_message(int(message.message_id))
        try:
            await partial.edit(**edit_arguments(render_single(reply)))
        except (discord.NotFound, discord.Forbidden) as error:
            if error.code in GONE or error.code == MISSING_ACCESS:
                raise MessageGoneError(message.message_id) from error
            raise

    def parse_target(self, text: str) -> ChatRef | None:
        """A channel mention (`<#123…>`) or a bare channel id."""
        match = _TARGET.match(text.strip())
        return ChatRef(PLATFORM, match.group(1) or match.group(2)) if match else None

    async def check_can_post(self, chat: ChatRef, actor: Actor) -> Localized | None:
        """The bot must be able to post there, and `actor` must moderate that channel.

        A server channel or thread needs Manage Messages there; a direct message channel is
        allowed only when it is `actor`'s own DM with the bot. A channel of a server on another
        process's shards is looked up over REST (see `places.py`). A lookup Discord does not
        answer within `MEMBER_LOOKUP_SECONDS`, or answers with an error, is said to be one.
        """
        try:
            place = await self._places.find(int(chat.chat_id))
        except (discord.HTTPException, discord.InvalidData):
            return CANNOT_SEE
        if isinstance(place, discord.DMChannel):
            recipient = place.recipient
            own = recipient is not None and str(recipient.id) == actor.user_id
            return None if own else NOT_YOUR_DM
        if place is None:
            return CANNOT_SEE  # a group DM: not a place Parley posts in
        seen = self._seen.peek((int(chat.thread_id or chat.chat_id), int(actor.user_id)))
        try:
            mine, theirs = await self._permissions(place, int(actor.user_id), seen)
        except discord.NotFound as error:
            return NOT_MEMBER_THERE if error.code == UNKNOWN_MEMBER else LOOKUP_FAILED
        except (discord.HTTPException, TimeoutError):
            return LOOKUP_FAILED
        except discord.ClientException:  # a thread whose parent channel is not known
            return CANNOT_SEE
        if not (mine.view_channel and mine.send_messages and mine.embed_links):
            return MISSING_PERMISSIONS
        if not (theirs.administrator or theirs.manage_guild or theirs.manage_messages):
            return NOT_MODERATOR_THERE
        return None

    async def _permissions(
        self, place: Place, user_id: int, seen: discord.Permissions | None
    ) -> tuple[discord.Permissions, discord.Permissions]:
        """The bot's and `user_id`'s permissions in `place` (theirs: `seen`, or looked up)."""
        async with asyncio.timeout(MEMBER_LOOKUP_SECONDS):
            me = await self._places.me(place)
            if seen is not None:
                return place.permissions_for(me), seen
            member = await self._places.member(place, user_id)
        return place.permissions_for(me), place.permissions_for(member)

    async def community_of(self, chat: ChatRef) -> str | None:
        """The server a channel or thread is in; None for a DM or one Discord does not show."""
        try:
            place = await self._places.find(int(chat.thread_id or chat.chat_id))
        except (discord.HTTPException, discord.InvalidData, ValueError):
            return None
        return str(place.guild.id) if isinstance(place, Place) else None

    async def send_private(self, person: Actor, reply: Reply, near: ChatRef) -> bool:
        """A direct message; False when the user cannot be found or refuses them."""
        try:
            user = await self._client().fetch_user(int(person.user_id))
            channel = await user.create_dm()
            for message in render_reply(reply):
                await channel.send(**send_arguments(message))
        except (ValueError, discord.Forbidden, discord.NotFound):
            return False
        return True

    async def pin(self, message: MessageRef) -> None:
        """Pin a message the bot posted; without Pin Messages there, `PinRefusedError`.

        Discord split Pin Messages from Manage Messages (required alone since February 2026):
        the bot's permission is checked first where the channel is known, and a refusal from
        Discord says the same.
        """
        chat = message.chat
        place = await self._places.find(int(chat.thread_id or chat.chat_id))
        mine = (
            place.permissions_for(await self._places.me(place))
            if isinstance(place, Place)
            else None
        )
        if mine is not None and not mine.pin_messages:
            raise PinRefusedError(NEEDS_PIN_MESSAGES)
        partial = self._channel(chat).get_partial_message(int(message.message_id))
        try:
            await partial.pin()
        except discord.Forbidden:
            raise PinRefusedError(NEEDS_PIN_MESSAGES) from None

    def _channel(self, chat: ChatRef) -> discord.PartialMessageable:
        return self._client().get_partial_messageable(int(chat.thread_id or chat.chat_id))
