"""Rendered messages as keyword arguments for discord.py's send and edit calls."""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.reply import Attachment

from .components import build_view
from .render import RenderedMessage, attachment_filename

NO_MENTIONS = discord.AllowedMentions.none()


def send_arguments(message: RenderedMessage) -> dict[str, Any]:
    """Arguments for `send_message`, `followup.send` and `Messageable.send`."""
    arguments: dict[str, Any] = {"embeds": list(message.embeds), "allowed_mentions": NO_MENTIONS}
    view = build_view(message.rows)
    if view is not None:
        arguments["view"] = view
    if message.attachment is not None:
        arguments["files"] = [to_file(message.attachment)]
    return arguments


def edit_arguments(message: RenderedMessage) -> dict[str, Any]:
    """Arguments for `edit_message` and message edits: replace embeds, buttons and files."""
    files = [to_file(message.attachment)] if message.attachment is not None else []
    return {
        "embeds": list(message.embeds),
        "view": build_view(message.rows),
        "attachments": files,
        "allowed_mentions": NO_MENTIONS,
    }


def to_file(attachment: Attachment) -> discord.File:
    """A discord.py file for an attachment."""
    return discord.File(
        io.BytesIO(attachment.data),
        filename=attachment_filename(attachment),
        description=attachment.description,
    )
