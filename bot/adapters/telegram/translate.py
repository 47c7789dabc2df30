"""Turning a Telegram update into a Parley invocation: the one place that reads updates.

`translate_update` decides whether an update is for Parley at all (a command for this bot,
or a button press) and builds the neutral `Invocation`, with who the actor is and any text
document attached to the command. It does no I/O: whether a person administers a group is
asked (`getChatAdministrators`) only when a router gate needs it, and a document is downloaded
only when the handler reads it, after the gates.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath

from telegram import Chat, Document, Message, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.commandline import CommandLine, parse_command_line
from bot.commands import Registry
from bot.identity import Actor, ChatKind, ChatMoved, ChatRef, MessageRef
from bot.invocation import Attachment, AttachmentUnavailable, Invocation

from .moderators import ModeratorCache
from .panels import PanelOrigins

PLATFORM = "telegram"
MAX_ATTACHMENT_BYTES = 2_000_000
TEXT_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown"}

log = logging.getLogger("parley.telegram")


@dataclass(frozen=True, slots=True)
class Inbound:
    """An invocation with what the responder needs to answer it on Telegram."""

    invocation: Invocation
    chat_id: int
    user_id: int | None
    """The person to write to privately (None when the actor is a chat, e.g. an anonymous admin)."""
    message_id: int | None = None
    """The command message, to reply to in groups."""
    callback_query_id: str | None = None
    source_has_caption: bool | None = None
    """Whether the pressed button sits on a photo or document (None: unknown)."""


def translate_update(
    update: Update,
    *,
    bot_username: str,
    registry: Registry,
    moderators: ModeratorCache,
    panels: PanelOrigins,
) -> Inbound | None:
    """The invocation in `update`, or None when the update is not for Parley.

    A press on a moderator panel sent to a private chat (`panels`) is made in its group.
    """
    if update.callback_query is not None:
        return _translate_press(update, moderators, panels)
    message = update.message or update.channel_post
    if message is None or message.is_automatic_forward:
        return None
    line = parse_command_line(message.text or message.caption or "")
    if line is None or not _is_for_us(line, message.chat, bot_username, registry):
        return None
    kind = chat_kind(message.chat)
    actor = _message_actor(message, kind, moderators)
    if actor is None:
        return None
    invocation = Invocation(
        actor=actor,
        chat=_chat_ref(message.chat, message),
        chat_kind=kind,
        command=line.name,
        text=line.text,
        attachments=_attachments(message, line, registry),
    )
    user_id = message.from_user.id if message.sender_chat is None and message.from_user else None
    return Inbound(invocation, message.chat.id, user_id, message_id=message.message_id)


def chat_move_in(update: Update) -> ChatMoved | None:
    """The move a group's service message announces (to a supergroup), or None.

    Telegram sends two: `migrate_to_chat_id` in the old group, `migrate_from_chat_id` in the
    new supergroup; both name the same move.
    """
    message = update.message
    if message is None:
        return None
    if message.migrate_to_chat_id is not None:
        return ChatMoved(PLATFORM, str(message.chat.id), str(message.migrate_to_chat_id))
    if message.migrate_from_chat_id is not None:
        return ChatMoved(PLATFORM, str(message.migrate_from_chat_id), str(message.chat.id))
    return None


def chat_kind(chat: Chat) -> ChatKind:
    """Private chat, group (basic or super) or channel."""
    if chat.type == ChatType.PRIVATE:
        return ChatKind.PRIVATE
    if chat.type == ChatType.CHANNEL:
        return ChatKind.CHANNEL
    return ChatKind.GROUP


def _is_for_us(line: CommandLine, chat: Chat, bot_username: str, registry: Registry) -> bool:
    """Commands addressed to another bot are not; unknown bare commands only in private."""
    if line.addressed_to is not None:
        return line.addressed_to.lower() == bot_username.lower()
    if chat.type == ChatType.PRIVATE:
        return True
    return registry.command(line.name) is not None or registry.has_group(line.name)


def _translate_press(
    update: Update, moderators: ModeratorCache, panels: PanelOrigins
) -> Inbound | None:
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return None
    message = query.message
    kind = chat_kind(message.chat)
    accessible = message if isinstance(message, Message) else None
    where = _chat_ref(message.chat, accessible)
    group = panels.group_of(message.chat.id, message.message_id)  # only private chats' panels
    chat, kind = (group, ChatKind.GROUP) if group is not None else (where, kind)
    invocation = Invocation(
        actor=_person(query.from_user, int(chat.chat_id), kind, moderators),
        chat=chat,
        chat_kind=kind,
        payload=query.data,
        source=MessageRef(where, str(message.message_id)),
    )
    has_caption = None if accessible is None else accessible.text is None
    return Inbound(
        invocation,
        message.chat.id,
        query.from_user.id,
        callback_query_id=query.id,
        source_has_caption=has_caption,
    )


def _message_actor(message: Message, kind: ChatKind, moderators: ModeratorCache) -> Actor | None:
    """The person who sent `message`, or the chat they spoke as; None for other bots."""
    sender_chat = message.sender_chat
    if sender_chat is not None:
        # An anonymous administrator speaks as the group itself; a channel as itself.
        return Actor(
            platform=PLATFORM,
            user_id=str(sender_chat.id),
            display_name=sender_chat.effective_name or str(sender_chat.id),
            is_moderator=sender_chat.id == message.chat.id,
        )
    user = message.from_user
    if user is None or user.is_bot:
        return None
    return _person(user, message.chat.id, kind, moderators)


def _person(user: User, chat_id: int, kind: ChatKind, moderators: ModeratorCache) -> Actor:
    """A person; in a private chat they moderate it, in a group or channel its administrators do.

    The administrators are looked up only if the router calls `moderator_lookup`.
    """
    user_id = user.id

    async def administers() -> bool:
        return await moderators.is_moderator(chat_id, user_id)

    return Actor(
        platform=PLATFORM,
        user_id=str(user.id),
        display_name=user.full_name or user.username or str(user.id),
        is_moderator=kind is ChatKind.PRIVATE,
        locale_tag=user.language_code,
        moderator_lookup=None if kind is ChatKind.PRIVATE else administers,
    )


def _chat_ref(chat: Chat, message: Message | None) -> ChatRef:
    thread = message.message_thread_id if message and message.is_topic_message else None
    return ChatRef(PLATFORM, str(chat.id), str(thread) if thread is not None else None)


def _attachments(message: Message, line: CommandLine, registry: Registry) -> tuple[Attachment, ...]:
    """The text document sent with the command (or replied to), for commands that take one."""
    resolved = registry.resolve(line.name, line.text)
    if resolved is None or not resolved[0].accepts_attachment:
        return ()
    replied = message.reply_to_message
    document = message.document or (replied.document if replied else None)
    if document is None:
        return ()
    media_type = _text_media_type(document)
    if media_type is None:
        log.info("event=attachment_skipped reason=type chat=%s", message.chat.id)
        return ()
    if document.file_size is not None and document.file_size > MAX_ATTACHMENT_BYTES:
        log.info("event=attachment_skipped reason=size chat=%s", message.chat.id)
        return ()
    name = document.file_name or "document.txt"
    return (Attachment(name, media_type, document.file_size, _downloader(document, message.chat)),)


def _downloader(document: Document, chat: Chat) -> Callable[[], Awaitable[bytes]]:
    """Downloads `document` when called: `getFile`, then the file, never over the size cap."""

    async def download() -> bytes:
        try:
            file = await document.get_file()
            data = bytes(await file.download_as_bytearray())
        except TelegramError as error:
            log.warning("event=attachment_failed chat=%s error=%s", chat.id, type(error).__name__)
            raise AttachmentUnavailable(type(error).__name__) from error
        if len(data) > MAX_ATTACHMENT_BYTES:
            log.info("event=attachment_skipped reason=size chat=%s", chat.id)
            raise AttachmentUnavailable("larger than declared")
        return data

    return download


def _text_media_type(document: Document) -> str | None:
    """`text/plain` or `text/markdown` for .txt and .md files; None for anything else."""
    suffix = PurePath(document.file_name or "").suffix.lower()
    return TEXT_SUFFIXES.get(suffix)
