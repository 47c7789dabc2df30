"""Message context-menu commands: a command offered on a message, its text as the argument.

Each `CommandSpec` with `on_message` becomes a message command named by it (Chinese through the
translator). Discord hands the target message with the interaction, so no message-content
intent is needed. Parley's own messages are embeds: their visible text counts as the message's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from bot.commands import CommandSpec, Registry
from bot.i18n import Localized

from .slash import SPEC_EXTRA, localized

MessageRunner = Callable[[discord.Interaction, CommandSpec, discord.Message], Awaitable[None]]
"""Runs one message command of a spec on its target message."""

NO_TEXT = Localized(
    "That message has no text I can read (I do not read images or attached files).",
    "那条消息里没有我能读取的文字（我不读取图片或附件）。",
)


def build_menus(registry: Registry, run: MessageRunner) -> list[app_commands.ContextMenu]:
    """A message command for every command declared `on_message`."""
    return [_menu(spec, run) for spec in registry.commands() if spec.on_message is not None]


def _menu(spec: CommandSpec, run: MessageRunner) -> app_commands.ContextMenu:
    async def callback(interaction: discord.Interaction, message: discord.Message) -> None:
        await run(interaction, spec, message)

    action = spec.on_message
    if action is None:
        raise ValueError(f"/{spec.path} is not offered on messages")
    menu: app_commands.ContextMenu = app_commands.ContextMenu(
        name=localized(action.name), callback=callback, extras={SPEC_EXTRA: spec}
    )
    return menu


def message_text(message: discord.Message) -> str:
    """What the message says: its content, else the text of its embeds."""
    if message.content.strip():
        return message.content.strip()
    parts: list[str] = []
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{field.name}\n{field.value}" for field in embed.fields]
    return "\n\n".join(part.strip() for part in parts if part and part.strip())
