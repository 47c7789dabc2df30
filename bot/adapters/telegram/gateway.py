"""Sending and editing rendered replies through the Bot API, with retries."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatAction, ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.context import MessageGoneError
from bot.i18n import Localized
from bot.identity import Actor, ChatMoved, ChatRef, MessageRef
from bot.reply import Attachment, Reply

from .render import EMPTY_TEXT, render_reply
from .retry import RetryPolicy
from .translate import PLATFORM

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_NOT_MODIFIED = "message is not modified"
_NO_TEXT = "no text in the message to edit"
_GONE = ("message to edit not found", "message_id_invalid", "chat not found")
"""Edit refusals that last: the message, or the chat, is gone for the bot."""
_TARGET = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{4,31}|-?[0-9]{5,20})$")
_ADMINS = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}

NOT_A_MEMBER = Localized(
    "I am not a member of that chat (add me first).", "我不在那个聊天中（请先把我加进去）。"
)
CANNOT_WRITE = Localized(
    "I am not allowed to post there (make me an administrator who can post).",
    "我没有在那里发布的权限（请把我设为可发消息的管理员）。",
)
NOT_THEIR_ADMIN = Localized(
    "only administrators of that chat can post there through me.",
    "只有那个聊天的管理员才能通过我在那里发布。",
)

log = logging.getLogger("parley.telegram")

ChatMoveHook = Callable[[ChatMoved], Awaitable[None]]
"""Told that a chat took a new id (Telegram answered a send with `ChatMigrated`)."""


class TelegramGateway:
    """Posts and edits Parley replies in any Telegram chat.

    A group upgraded to a supergroup answers every call with `ChatMigrated`: the move is
    reported to `on_chat_moved` (which moves Parley's rows), and a post is sent again to the
    new id. An edit is not: the old group's messages stay behind, and the new chat numbers its
    own messages afresh.
    """

    platform = PLATFORM
    knows_members = False
    """The Bot API lists a group's administrators, never its members."""

    def __init__(self, bot: Bot, retry: RetryPolicy, on_chat_moved: ChatMoveHook) -> None:
        self._bot = bot
        self._retry = retry
        self._on_chat_moved = on_chat_moved

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        """Post `reply` in `chat`; the reference is to the last message (the one with buttons)."""
        message = await self.post(_chat_id(chat), reply, thread_id=_thread(chat))
        posted_in = ChatRef(PLATFORM, str(message.chat.id), chat.thread_id)  # `@name` → id
        return MessageRef(posted_in, str(message.message_id))

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        """Replace a message the bot posted (text, or the caption of a photo or document).

        A message deleted, or in a chat that removed the bot or moved to a new id, raises
        `MessageGoneError`, so that it is not edited again.
        """
        chat_id = _chat_id(message.chat)
        try:
            await self.replace(
                chat_id, int(message.message_id), reply, thread_id=_thread(message.chat)
            )
        except ChatMigrated as error:
            await self._chat_moved(chat_id, error)
            raise MessageGoneError(message.message_id) from error
        except Forbidden as error:  # the bot was removed from the chat
            raise MessageGoneError(message.message_id) from error
        except BadRequest as error:
            if any(gone in error.message.lower() for gone in _GONE):
                raise MessageGoneError(message.message_id) from error
            raise

    async def send_private(self, person: Actor, reply: Reply, near: ChatRef) -> bool:
        """A message in the person's private chat with the bot; False if they never opened it."""
        try:
            await self.post(int(person.user_id), reply, thread_id=None)
        except (ValueError, Forbidden, BadRequest):
            return False
        return True

    def parse_target(self, text: str) -> ChatRef | None:
        """A chat typed as `@username` (public groups and channels) or a numeric id."""
        target = text.strip()
        return ChatRef(PLATFORM, target) if _TARGET.match(target) else None

    async def check_can_post(self, chat: ChatRef, actor: Actor) -> Localized | None:
        """Why the bot cannot post in `chat`, or `actor` does not administer it; None if fine."""
        chat_id = _chat_id(chat)
        if isinstance(chat_id, str) and not chat_id.startswith("@"):
            return NOT_A_MEMBER  # neither an id nor a @username: no chat the bot can be in
        try:
            return await self._check_can_post(chat_id, actor)
        except ChatMigrated as error:
            await self._chat_moved(chat_id, error)
            return await self._check_can_post(error.new_chat_id, actor)

    async def _check_can_post(self, chat_id: int | str, actor: Actor) -> Localized | None:
        try:
            target = await self._bot.get_chat(chat_id)
            me = await self._bot.get_chat_member(target.id, self._bot.id)
        except (BadRequest, Forbidden):
            return NOT_A_MEMBER
        if me.status in {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}:
            return NOT_A_MEMBER
        if target.type == ChatType.CHANNEL and me.status not in _ADMINS:
            return CANNOT_WRITE
        if me.status == ChatMemberStatus.RESTRICTED and not getattr(me, "can_send_messages", True):
            return CANNOT_WRITE
        if actor.platform != PLATFORM or not _NUMERIC_ID.fullmatch(actor.user_id):
            return NOT_THEIR_ADMIN
        if int(actor.user_id) == target.id:  # an anonymous administrator of that very chat
            return None
        try:
            member = await self._bot.get_chat_member(target.id, int(actor.user_id))
        except (BadRequest, Forbidden):
            return NOT_THEIR_ADMIN
        return None if member.status in _ADMINS else NOT_THEIR_ADMIN

    async def pin(self, message: MessageRef) -> None:
        """Pin a message the bot posted, without notifying everyone."""
        await self._retry.run(
            "pinChatMessage",
            functools.partial(
                self._bot.pin_chat_message,
                _chat_id(message.chat),
                int(message.message_id),
                disable_notification=True,
            ),
        )

    async def post(
        self,
        chat_id: int | str,
        reply: Reply,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """Send `reply` as one or more messages; returns the last one sent.

        Into a group that became a supergroup, it is sent to the supergroup (quoting nothing:
        the quoted message stayed behind).
        """
        try:
            return await self._post(chat_id, reply, thread_id, reply_to)
        except ChatMigrated as error:
            await self._chat_moved(chat_id, error)
            return await self._post(error.new_chat_id, reply, thread_id, None)

    async def _chat_moved(self, chat_id: int | str, error: ChatMigrated) -> None:
        log.info("event=chat_migrated old=%s new=%s", chat_id, error.new_chat_id)
        await self._on_chat_moved(ChatMoved(PLATFORM, str(chat_id), str(error.new_chat_id)))

    async def _post(
        self, chat_id: int | str, reply: Reply, thread_id: int | None, reply_to: int | None
    ) -> Message:
        rendered = render_reply(reply)
        quoted = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to is not None
            else None
        )
        last: Message | None = None
        if reply.attachment is not None:
            keyboard = None if rendered.texts else rendered.keyboard
            last = await self._send_file(
                chat_id, reply.attachment, rendered.caption, keyboard, thread_id, quoted
            )
            quoted = None
        sent = await self._send_texts(chat_id, rendered.texts, rendered.keyboard, thread_id, quoted)
        last = sent or last
        if last is None:
            raise RuntimeError("a rendered reply has a text or a file")
        return last

    async def replace(
        self,
        chat_id: int | str,
        message_id: int,
        reply: Reply,
        *,
        has_caption: bool | None = None,
        thread_id: int | None = None,
    ) -> None:
        """Edit message `message_id` to show `reply`; parts that do not fit are sent after it.

        `has_caption` says whether the message is a photo or document (None: find out by
        trying a text edit first). "Message is not modified" is not an error.
        """
        if not has_caption:
            try:
                await self._replace_text(chat_id, message_id, reply, thread_id)
                return
            except BadRequest as error:
                if has_caption is not None or _NO_TEXT not in error.message.lower():
                    raise
        await self._replace_caption(chat_id, message_id, reply, thread_id)

    @property
    def bot_username(self) -> str:
        """The bot's @username (known once the application is initialized)."""
        return self._bot.username

    async def answer_callback(self, query_id: str, text: str | None = None) -> None:
        """Answer a button press (a toast with `text`, or just stop the spinner)."""
        await self._retry.run(
            "answerCallbackQuery",
            functools.partial(self._bot.answer_callback_query, query_id, text=text),
        )

    async def show_typing(self, chat_id: int, thread_id: int | None = None) -> None:
        """Show "typing…" in the chat; failures are only logged."""
        try:
            await self._bot.send_chat_action(
                chat_id, ChatAction.TYPING, message_thread_id=thread_id
            )
        except TelegramError as error:
            log.info("event=typing_failed chat=%s error=%s", chat_id, type(error).__name__)

    async def _replace_text(
        self, chat_id: int | str, message_id: int, reply: Reply, thread_id: int | None
    ) -> None:
        rendered = render_reply(reply, with_file=False)
        first, rest = rendered.texts[0], rendered.texts[1:]
        await self._edit(
            "editMessageText",
            functools.partial(
                self._bot.edit_message_text,
                first,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                link_preview_options=_NO_PREVIEW,
                reply_markup=None if rest else rendered.keyboard,
            ),
        )
        await self._send_texts(chat_id, rest, rendered.keyboard, thread_id, None)
        if reply.attachment is not None:
            await self._send_file(chat_id, reply.attachment, None, None, thread_id, None)

    async def _replace_caption(
        self, chat_id: int | str, message_id: int, reply: Reply, thread_id: int | None
    ) -> None:
        rendered = render_reply(reply, with_file=True)
        keyboard = None if rendered.texts else rendered.keyboard
        if reply.attachment is not None:
            media_type = InputMediaPhoto if reply.attachment.is_image else InputMediaDocument
            media = media_type(
                reply.attachment.data,
                caption=rendered.caption,
                parse_mode=ParseMode.HTML,
                filename=reply.attachment.filename,
            )
            call = functools.partial(
                self._bot.edit_message_media,
                media,
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=keyboard,
            )
            await self._edit("editMessageMedia", call)
        else:
            call = functools.partial(
                self._bot.edit_message_caption,
                chat_id=chat_id,
                message_id=message_id,
                caption=rendered.caption or EMPTY_TEXT,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
            )
            await self._edit("editMessageCaption", call)
        await self._send_texts(chat_id, rendered.texts, rendered.keyboard, thread_id, None)

    async def _edit(self, what: str, call: Callable[[], Awaitable[object]]) -> None:
        try:
            await self._retry.run(what, call)
        except BadRequest as error:
            if _NOT_MODIFIED not in error.message.lower():
                raise

    async def _send_texts(
        self,
        chat_id: int | str,
        texts: tuple[str, ...],
        keyboard: InlineKeyboardMarkup | None,
        thread_id: int | None,
        quoted: ReplyParameters | None,
    ) -> Message | None:
        last: Message | None = None
        for index, text in enumerate(texts):
            last = await self._retry.run(
                "sendMessage",
                functools.partial(
                    self._bot.send_message,
                    chat_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=_NO_PREVIEW,
                    message_thread_id=thread_id,
                    reply_parameters=quoted if index == 0 else None,
                    reply_markup=keyboard if index == len(texts) - 1 else None,
                ),
            )
        return last

    async def _send_file(
        self,
        chat_id: int | str,
        attachment: Attachment,
        caption: str | None,
        keyboard: InlineKeyboardMarkup | None,
        thread_id: int | None,
        quoted: ReplyParameters | None,
    ) -> Message:
        send = self._bot.send_photo if attachment.is_image else self._bot.send_document
        return await self._retry.run(
            "sendPhoto" if attachment.is_image else "sendDocument",
            functools.partial(
                send,
                chat_id,
                attachment.data,
                caption=caption,
                parse_mode=ParseMode.HTML,
                filename=attachment.filename,
                message_thread_id=thread_id,
                reply_parameters=quoted,
                reply_markup=keyboard,
            ),
        )


_NUMERIC_ID = re.compile(r"-?[0-9]{1,20}")
"""Telegram ids in ASCII digits ("²" passes `str.isdigit` and then fails `int`)."""


def _chat_id(chat: ChatRef) -> int | str:
    """A numeric chat id, or an `@username` as the Bot API accepts for public chats."""
    return int(chat.chat_id) if _NUMERIC_ID.fullmatch(chat.chat_id) else chat.chat_id


def _thread(chat: ChatRef) -> int | None:
    return int(chat.thread_id) if chat.thread_id else None
