"""Posting and editing outside any interaction (schedules, other channels) over REST."""

from __future__ import annotations

import re
from collections.abc import Callable

import discord

from bot.i18n import Localized
from bot.identity import Actor, ChatRef, MessageRef
from bot.reply import Reply

from .outgoing import edit_arguments, send_arguments
from .places import Places
from .render import render_reply, render_single
from .translate import PLATFORM

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
NOT_MODERATOR_THERE = Localized(
    "you need Manage Messages in that channel to post there.",
    "你需要在那个频道拥有“管理消息”权限才能在那里发布。",
)


class DiscordGateway:
    """The core's `Gateway` for Discord; `client` gives the connected client."""

    platform = PLATFORM

    def __init__(self, client: Callable[[], discord.Client]) -> None:
        self._client = client
        self._places = Places(client)

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        """Post `reply` in the channel (or thread); long replies become several messages.

        There is no ephemeral message outside an interaction: `reply.private` is ignored.
        """
        channel = self._channel(chat)
        posted = [await channel.send(**send_arguments(m)) for m in render_reply(reply)]
        return MessageRef(chat, str(posted[-1].id))

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        """Replace a message the bot posted (content past one message's limits is cut off)."""
        partial = self._channel(message.chat).get_partial_message(int(message.message_id))
        await partial.edit(**edit_arguments(render_single(reply)))

    def parse_target(self, text: str) -> ChatRef | None:
        """A channel mention (`<#123…>`) or a bare channel id."""
        match = _TARGET.match(text.strip())
        return ChatRef(PLATFORM, match.group(1) or match.group(2)) if match else None

    async def check_can_post(self, chat: ChatRef, actor: Actor) -> Localized | None:
        """The bot must be able to post there, and `actor` must moderate that channel.

        A server channel or thread needs Manage Messages there; a direct message channel is
        allowed only when it is `actor`'s own DM with the bot. A channel of a server on another
        process's shards is looked up over REST (see `places.py`).
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
        try:
            me = await self._places.me(place)
            member = await self._places.member(place, int(actor.user_id))
        except discord.HTTPException:
            return NOT_MODERATOR_THERE
        try:
            mine, theirs = place.permissions_for(me), place.permissions_for(member)
        except discord.ClientException:  # a thread whose parent channel is not known
            return CANNOT_SEE
        if not (mine.view_channel and mine.send_messages and mine.embed_links):
            return MISSING_PERMISSIONS
        if not (theirs.administrator or theirs.manage_guild or theirs.manage_messages):
            return NOT_MODERATOR_THERE
        return None

    async def pin(self, message: MessageRef) -> None:
        """Pin a message the bot posted (needs Manage Messages, or Pin Messages)."""
        partial = self._channel(message.chat).get_partial_message(int(message.message_id))
        await partial.pin()

    def _channel(self, chat: ChatRef) -> discord.PartialMessageable:
        return self._client().get_partial_messageable(int(chat.thread_id or chat.chat_id))
