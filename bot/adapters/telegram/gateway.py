"""Sending and editing rendered replies through the Bot API, with retries."""

from __future__ import annotations

import functools
import logging

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.identity import ChatRef, MessageRef
from bot.reply import Attachment, Reply

from .render import EMPTY_TEXT, render_reply
from .retry import RetryPolicy

PLATFORM = "telegram"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_NOT_MODIFIED = "message is not modified"
_NO_TEXT = "no text in the message to edit"

log = logging.getLogger("parley.telegram")


class TelegramGateway:
    """Posts and edits Parley replies in any Telegram chat."""

    platform = PLATFORM

    def __init__(self, bot: Bot, retry: RetryPolicy) -> None:
        self._bot = bot
        self._retry = retry

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        """Post `reply` in `chat`; the reference is to the last message (the one with buttons)."""
        message = await self.post(int(chat.chat_id), reply, thread_id=_thread(chat))
        return MessageRef(chat, str(message.message_id))

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        """Replace a message the bot posted (text, or the caption of a photo or document)."""
        await self.replace(
            int(message.chat.chat_id),
            int(message.message_id),
            reply,
            thread_id=_thread(message.chat),
        )

    async def post(
        self,
        chat_id: int,
        reply: Reply,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """Send `reply` as one or more messages; returns the last one sent."""
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
        chat_id: int,
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
        self, chat_id: int, message_id: int, reply: Reply, thread_id: int | None
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
        self, chat_id: int, message_id: int, reply: Reply, thread_id: int | None
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

    async def _edit(self, what: str, call: functools.partial[object]) -> None:
        try:
            await self._retry.run(what, call)
        except BadRequest as error:
            if _NOT_MODIFIED not in error.message.lower():
                raise

    async def _send_texts(
        self,
        chat_id: int,
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
        chat_id: int,
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


def _thread(chat: ChatRef) -> int | None:
    return int(chat.thread_id) if chat.thread_id else None
