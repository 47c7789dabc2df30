"""Answering one invocation on Telegram: in the chat, privately, or by editing the source."""

from __future__ import annotations

import logging

from telegram.constants import CallbackQueryLimit
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.i18n import Locale, Localized, parse_locale
from bot.identity import ChatKind, MessageRef
from bot.reply import Reply

from .gateway import TelegramGateway
from .panels import PanelOrigins
from .translate import Inbound

log = logging.getLogger("parley.telegram")

ANSWER_TEXT_LIMIT: int = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH  # 200
START_PRIVATE_CHAT = Localized(
    "I can't write to you privately yet: open a chat with @{bot} and press Start,"
    " then press the button again.",
    "我还无法私信你：请先打开与 @{bot} 的对话并点击“开始”，然后再按一次按钮。",
)
SENT_PRIVATELY = Localized("I sent it to you in a private chat.", "已私信发给你。")
PANEL_NEEDS_PRIVATE_CHAT = Localized(
    "I show this only in a private chat, and I can't write to you there yet: open a chat with"
    " @{bot}, press Start, then send the command again.",
    "这些内容只能私信给你，但我还无法私信你：请先打开与 @{bot} 的对话并点击“开始”，"
    "然后再发送一次命令。",
)
PANEL_IN_CHANNEL = Localized(
    "I show this only in a private chat, and a channel post does not say who sent it, so I"
    " cannot send it to anyone; nothing of it was shown here.",
    "这些内容只能私信给你，但频道消息不会显示是谁发的，所以我无法私信给任何人；这里没有显示其中任何内容。",
)
PANEL_ANONYMOUS = Localized(
    "I show this only in a private chat, and I can't write privately to an anonymous"
    " administrator: switch off “Remain anonymous” for yourself, then send the command again.",
    "这些内容只能私信给你，但我无法私信匿名管理员：请关闭你的“保持匿名”设置，然后再发送一次命令。",
)


class TelegramResponder:
    """The `Responder` for one update; `finish()` answers a button press nobody answered."""

    def __init__(self, gateway: TelegramGateway, inbound: Inbound, panels: PanelOrigins) -> None:
        self._gateway = gateway
        self._inbound = inbound
        self._invocation = inbound.invocation
        self._panels = panels
        chat = self._invocation.chat
        self._here = chat.chat_id == str(inbound.chat_id)  # not a panel pressed privately
        self._thread_id = int(chat.thread_id) if chat.thread_id and self._here else None
        self._callback_answered = inbound.callback_query_id is None

    async def reply(self, reply: Reply) -> MessageRef | None:
        """Post in the chat; private replies go to a callback answer or a private chat.

        A confidential reply (a moderator panel) never goes to a group: there the group sees a
        short note that it went to the private chat, or why it could not.
        """
        private_elsewhere = self._invocation.is_button or (
            self._invocation.chat_kind is not ChatKind.PRIVATE
        )
        if reply.private and private_elsewhere:
            sent = await self._answer_privately(reply)
            if reply.confidential and not self._invocation.is_button:
                await self._post_in_chat(Reply.text(self._panel_note(sent)))
                return None
            if sent:
                return None
            if self._invocation.chat_kind is ChatKind.CHANNEL and not self._invocation.is_button:
                # A channel post has no person to answer (only a signature, if any), and
                # whatever the bot posts there goes to every subscriber: say nothing.
                log.info("event=private_reply_dropped reason=channel_post")
                return None
            if self._invocation.is_button and self._invocation.chat_kind is not ChatKind.PRIVATE:
                # A ballot or a vote's answer must not land in the group for all to see (and
                # press): the presser learns how to let the bot write to them instead.
                await self._ask_for_private_chat()
                return None
        return await self._post_in_chat(reply)

    async def update_source(self, reply: Reply) -> None:
        """Edit the message carrying the pressed button (a new message for commands).

        A panel is never edited into a message everyone sees (one posted before panels were
        private): it goes privately instead.
        """
        source = self._invocation.source
        in_the_open = self._invocation.chat_kind is not ChatKind.PRIVATE and self._here
        if source is None or (reply.confidential and in_the_open):
            await self.reply(reply)
            return
        await self._gateway.replace(
            self._inbound.chat_id,
            int(source.message_id),
            reply,
            has_caption=self._inbound.source_has_caption,
            thread_id=self._thread_id,
        )

    async def signal_progress(self) -> None:
        """Show "typing…" in the chat."""
        await self._gateway.show_typing(self._inbound.chat_id, self._thread_id)

    async def finish(self) -> None:
        """Answer the button press if no reply did (Telegram expects exactly one answer)."""
        if not self._callback_answered:
            await self._answer_callback(None)

    async def _post_in_chat(self, reply: Reply) -> MessageRef:
        in_group = self._invocation.chat_kind is ChatKind.GROUP
        message = await self._gateway.post(
            self._inbound.chat_id,
            reply,
            thread_id=self._thread_id,
            reply_to=self._inbound.message_id if in_group else None,
        )
        return MessageRef(self._invocation.chat, str(message.message_id))

    async def _answer_privately(self, reply: Reply) -> bool:
        """A callback answer for short text, else a private message; False if neither worked."""
        text = reply.plain_text()
        if (
            not self._callback_answered
            and not reply.buttons
            and reply.attachment is None
            and len(text) <= ANSWER_TEXT_LIMIT
        ):
            return await self._answer_callback(text)
        user_id = self._inbound.user_id
        if user_id is None or self._invocation.chat_kind is ChatKind.PRIVATE:
            return False
        try:
            message = await self._gateway.post(user_id, reply)
        except (Forbidden, BadRequest) as error:
            log.info("event=private_reply_refused error=%s", type(error).__name__)
            return False
        if reply.confidential and reply.buttons:
            self._panels.remember(user_id, message.message_id, self._invocation.chat)
        return True

    @property
    def _locale(self) -> Locale:
        """The language of the adapter's own notes: the person's, else English."""
        return parse_locale(self._invocation.actor.locale_tag) or "en"

    def _panel_note(self, sent: bool) -> str:
        """What the group reads instead of a panel: where it went, or why it could not."""
        locale = self._locale
        if sent:
            return SENT_PRIVATELY.render(locale)
        if self._invocation.chat_kind is ChatKind.CHANNEL:
            return PANEL_IN_CHANNEL.render(locale)
        if self._inbound.user_id is None:
            return PANEL_ANONYMOUS.render(locale)
        return PANEL_NEEDS_PRIVATE_CHAT.render(locale, bot=self._gateway.bot_username)

    async def _ask_for_private_chat(self) -> None:
        """Tell the presser to start a private chat with the bot (Telegram's rule for bots)."""
        if self._callback_answered:
            log.info("event=private_reply_dropped reason=no_private_chat")
            return
        await self._answer_callback(
            START_PRIVATE_CHAT.render(self._locale, bot=self._gateway.bot_username)
        )

    async def _answer_callback(self, text: str | None) -> bool:
        query_id = self._inbound.callback_query_id
        if query_id is None:
            return False
        self._callback_answered = True
        try:
            await self._gateway.answer_callback(query_id, text)
        except TelegramError as error:
            log.info("event=callback_answer_failed error=%s", type(error).__name__)
            return False
        return True
