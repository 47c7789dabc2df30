"""Answering one interaction: the first reply, followups, edits of the pressed message, deferral.

Discord wants one response per interaction within 3 seconds, then followups. Slow commands
defer with a "thinking" placeholder that the first public reply replaces; a private reply after
a public placeholder removes the placeholder and follows up ephemerally instead.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.identity import ChatRef, MessageRef
from bot.reply import Reply

from .outgoing import edit_arguments, send_arguments
from .render import render_reply, render_single

log = logging.getLogger("parley.discord.responder")


class InteractionResponder:
    """The core's `Responder` for one Discord interaction."""

    def __init__(self, interaction: discord.Interaction, chat: ChatRef) -> None:
        self._interaction = interaction
        self._chat = chat
        self._is_component = interaction.type is discord.InteractionType.component
        self._placeholder = False  # a public "thinking…" message awaits its content
        self._source_is_original = False  # the pressed message is this interaction's original

    async def reply(self, reply: Reply) -> MessageRef | None:
        """Post the reply (several messages if it is long); returns the last public message."""
        last: discord.Message | None = None
        for message in render_reply(reply):
            last = await self._send(send_arguments(message), private=reply.private)
        if reply.private or last is None:
            return None
        return MessageRef(self._chat, str(last.id))

    async def update_source(self, reply: Reply) -> None:
        """Replace the message whose button was pressed."""
        arguments = edit_arguments(render_single(reply))
        response = self._interaction.response
        if not response.is_done():
            await response.edit_message(**arguments)
            self._source_is_original = True
        elif self._source_is_original:
            await self._interaction.edit_original_response(**arguments)
        elif self._interaction.message is not None:
            await self._interaction.message.edit(**arguments)

    async def signal_progress(self) -> None:
        """Defer: a "thinking" placeholder for commands, a silent acknowledgement for buttons."""
        response = self._interaction.response
        if response.is_done():
            return
        if self._is_component:
            await response.defer()
            self._source_is_original = True
        else:
            await response.defer(thinking=True)
            self._placeholder = True

    async def finish(self) -> None:
        """Close the interaction: acknowledge a silent button press, drop an unused placeholder."""
        if not self._interaction.response.is_done():
            if self._is_component:
                await self._interaction.response.defer()
            else:
                log.warning("event=no_response interaction=%s", self._interaction.id)
        elif self._placeholder:
            await self._interaction.delete_original_response()
            self._placeholder = False

    async def _send(self, arguments: dict[str, Any], *, private: bool) -> discord.Message | None:
        response = self._interaction.response
        if not response.is_done():
            callback = await response.send_message(**arguments, ephemeral=private)
            resource = callback.resource
            return resource if isinstance(resource, discord.Message) else None
        if self._placeholder:
            self._placeholder = False
            if not private:
                return await self._interaction.edit_original_response(**_as_edit(arguments))
            await self._interaction.delete_original_response()
        return await self._interaction.followup.send(**arguments, ephemeral=private, wait=True)


def _as_edit(arguments: dict[str, Any]) -> dict[str, Any]:
    """Send arguments turned into edit arguments (files become the message's attachments)."""
    edited = {key: value for key, value in arguments.items() if key != "files"}
    edited["attachments"] = arguments.get("files", [])
    return edited
