"""Discord interactions as neutral invocations: the one place that reads who, where and what."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import aiohttp
import discord

from bot.commands import CommandSpec
from bot.identity import Actor, ChatKind, ChatRef, MessageRef
from bot.invocation import Attachment, AttachmentUnavailable, Invocation

from .forms import submitted

log = logging.getLogger("parley.discord")

PLATFORM = "discord"
MAX_ATTACHMENT_BYTES = 2_000_000


def to_invocation(
    interaction: discord.Interaction,
    command: CommandSpec | None = None,
    options: Mapping[str, object] | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> Invocation:
    """The invocation for a slash command (`command` with its `options`) or a button press.

    Slash options arrive already split and typed; missing optional options are left out, and
    an uploaded file arrives in `attachments`, downloaded when read (see `attachment_of`).
    A slash command without a `command` is one Discord still lists but Parley no longer
    declares: its bare name lets the router answer that it is unknown. A button press carries
    the pressed component's `custom_id` as its payload.
    """
    chat, kind = chat_of(interaction)
    actor = actor_of(interaction)
    community = _community(interaction)
    data: Mapping[str, object] = interaction.data or {}
    if command is not None or interaction.type is discord.InteractionType.application_command:
        return Invocation(
            actor=actor,
            chat=chat,
            chat_kind=kind,
            community=community,
            command=command.name if command else str(data.get("name", "")),
            subcommand=command.subcommand if command else None,
            options={k: v for k, v in (options or {}).items() if v is not None},
            attachments=attachments,
        )
    custom_id = str(data.get("custom_id", ""))
    message = interaction.message
    source = MessageRef(chat, str(message.id)) if message is not None else None
    return Invocation(
        actor=actor,
        chat=chat,
        chat_kind=kind,
        community=community,
        payload=custom_id,
        source=source,
    )


def form_invocation(interaction: discord.Interaction) -> Invocation:
    """The command a form submit names, with its fields as options (checked by the router)."""
    path, values = submitted(interaction.data or {})
    name, _, subcommand = path.partition(" ")
    chat, kind = chat_of(interaction)
    return Invocation(
        actor=actor_of(interaction),
        chat=chat,
        chat_kind=kind,
        community=_community(interaction),
        command=name,
        subcommand=subcommand or None,
        options=values,
    )


def _community(interaction: discord.Interaction) -> str | None:
    """The server the interaction came from; None in a DM."""
    return str(interaction.guild_id) if interaction.guild_id is not None else None


def attachment_of(upload: discord.Attachment | None) -> tuple[Attachment, ...]:
    """The uploaded file for the handler (which checks its type); none when over the size cap.

    Nothing is downloaded here: the handler reads it once the router's gates let it through.
    """
    if upload is None:
        return ()
    if upload.size > MAX_ATTACHMENT_BYTES:
        log.info("event=attachment_skipped reason=size size=%d", upload.size)
        return ()

    async def download() -> bytes:
        try:
            return await upload.read()
        except discord.HTTPException as error:
            log.warning("event=attachment_failed status=%s", error.status)
            raise AttachmentUnavailable(str(error.status)) from error
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            log.warning("event=attachment_failed error=%s", type(error).__name__)
            raise AttachmentUnavailable(type(error).__name__) from error

    media_type = upload.content_type or "application/octet-stream"
    return (Attachment(upload.filename, media_type, upload.size, download),)


def is_button_press(interaction: discord.Interaction) -> bool:
    """Whether the interaction is a press of a message button."""
    data: Mapping[str, object] = interaction.data or {}
    return (
        interaction.type is discord.InteractionType.component
        and data.get("component_type") == discord.ComponentType.button.value
    )


def chat_of(interaction: discord.Interaction) -> tuple[ChatRef, ChatKind]:
    """The channel (a thread keeps its parent as the chat) and whether it is a DM."""
    channel = interaction.channel
    channel_id = str(interaction.channel_id or getattr(channel, "id", None) or "")
    if interaction.guild_id is None:
        return ChatRef(PLATFORM, channel_id), ChatKind.PRIVATE
    if isinstance(channel, discord.Thread) and channel.parent_id is not None:
        return ChatRef(PLATFORM, str(channel.parent_id), thread_id=channel_id), ChatKind.GROUP
    return ChatRef(PLATFORM, channel_id), ChatKind.GROUP


def actor_of(interaction: discord.Interaction) -> Actor:
    """The user with their locale, roles and moderator standing.

    Moderators are members allowed to manage the server or its messages in this channel
    (administrators included); in a DM the user moderates their own conversation. Role ids
    come from the cached guild, which the non-privileged guilds intent keeps.
    """
    user = interaction.user
    permissions = interaction.permissions
    in_dm = interaction.guild_id is None
    roles: frozenset[str] = frozenset()
    if isinstance(user, discord.Member):
        roles = frozenset(str(role.id) for role in user.roles if not role.is_default())
    return Actor(
        platform=PLATFORM,
        user_id=str(user.id),
        display_name=user.display_name,
        is_moderator=in_dm
        or permissions.administrator
        or permissions.manage_guild
        or permissions.manage_messages,
        locale_tag=interaction.locale.value,
        role_ids=roles,
    )
