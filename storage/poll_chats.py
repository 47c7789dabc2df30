"""The chats a poll is shown in, numbered, and the messages that show it there.

Each chat a poll is shown in has a small number (0: the chat it was created in, which
`PollRepository.create` records); ballots refer to their chat by that number. Every message
showing the poll is kept, with its language, for live updates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.i18n import Locale
from bot.identity import ChatRef, MessageRef
from storage.database import Database
from storage.generations import Topic
from storage.timestamps import to_db


@dataclass(frozen=True, slots=True)
class PollMessage:
    """A message showing a poll, and the language it is shown in."""

    message: MessageRef
    locale: Locale


class PollChats:
    """Reads and writes `poll_chats` and `poll_messages` (part of `PollRepository`)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def shown_in(self, poll_id: int, chat: ChatRef) -> bool:
        """Whether the poll was created in or shared into `chat`."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM poll_chats WHERE poll_id = ? AND platform = ? AND chat_id = ?",
            (poll_id, chat.platform, chat.chat_id),
        )
        return row is not None

    async def numbers(self, poll_id: int) -> dict[ChatRef, int]:
        """The number of each chat the poll is shown in (threads are not told apart)."""
        rows = await self._db.fetch_all(
            "SELECT platform, chat_id, chat_no FROM poll_chats WHERE poll_id = ? ORDER BY chat_no",
            (poll_id,),
        )
        return {ChatRef(row[0], row[1]): int(row[2]) for row in rows}

    async def add_message(self, poll_id: int, shown: PollMessage, at: datetime) -> None:
        """Remember a message that shows the poll (for live updates), numbering a new chat."""
        message = shown.message
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO poll_messages (poll_id, platform, chat_id, thread_id,"
                " message_id, locale, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (
                    poll_id,
                    message.chat.platform,
                    message.chat.chat_id,
                    message.chat.thread_id,
                    message.message_id,
                    shown.locale,
                    to_db(at),
                ),
            )
            await tx.execute(
                "INSERT INTO poll_chats (poll_id, chat_no, platform, chat_id)"
                " SELECT ?, coalesce(max(chat_no) + 1, 0), ?, ? FROM poll_chats WHERE poll_id = ?"
                " ON CONFLICT (poll_id, platform, chat_id) DO NOTHING",
                (poll_id, message.chat.platform, message.chat.chat_id, poll_id),
            )
        self._db.generations.touch(Topic.POLLS)

    async def forget_message(self, poll_id: int, message: MessageRef) -> None:
        """Stop tracking a message of the poll (it was deleted); its chat still shows the poll."""
        await self._db.execute(
            "DELETE FROM poll_messages WHERE poll_id = ? AND platform = ? AND chat_id = ?"
            " AND message_id = ?",
            (poll_id, message.chat.platform, message.chat.chat_id, message.message_id),
        )
        self._db.generations.touch(Topic.POLLS)

    async def messages(self, poll_id: int) -> list[PollMessage]:
        """Every message showing the poll, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT platform, chat_id, thread_id, message_id, locale FROM poll_messages"
            " WHERE poll_id = ? ORDER BY posted_at, platform, chat_id, message_id",
            (poll_id,),
        )
        return [
            PollMessage(MessageRef(ChatRef(row[0], row[1], row[2]), row[3]), row[4]) for row in rows
        ]
