"""Posting and editing outside any interaction (schedules, other channels) over REST."""

from __future__ import annotations

from collections.abc import Callable

import discord

from bot.identity import ChatRef, MessageRef
from bot.reply import Reply

from .outgoing import edit_arguments, send_arguments
from .render import render_reply, render_single
from .translate import PLATFORM


class DiscordGateway:
    """The core's `Gateway` for Discord; `client` gives the connected client."""

    platform = PLATFORM

    def __init__(self, client: Callable[[], discord.Client]) -> None:
        self._client = client

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

    def _channel(self, chat: ChatRef) -> discord.PartialMessageable:
        return self._client().get_partial_messageable(int(chat.thread_id or chat.chat_id))
