"""The record of items moderators posted: who posted what, where and when."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.identity import ChatRef, MessageRef
from storage.database import Database
from storage.timestamps import to_db


@dataclass(frozen=True, slots=True)
class PostRecord:
    """One posted item."""

    item: str
    options: str
    message: MessageRef
    pinned: bool
    posted_by_id: str
    posted_by_name: str
    posted_at: datetime
    job_id: int | None = None


class PostRepository:
    """Appends to `posts`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(self, post: PostRecord) -> int:
        """Store a post; returns its id."""
        new_id = await self._db.insert(
            "INSERT INTO posts (item, options, platform, chat_id, message_id, pinned,"
            " posted_by_id, posted_by_name, job_id, posted_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                post.item,
                post.options,
                post.message.chat.platform,
                post.message.chat.chat_id,
                post.message.message_id,
                int(post.pinned),
                post.posted_by_id,
                post.posted_by_name,
                post.job_id,
                to_db(post.posted_at),
            ),
        )
        return new_id

    async def forget_poster(self, platform: str, user_id: str) -> int:
        """Anonymize a person's posts: a placeholder name, no id, no options they typed."""
        count = await self._db.execute(
            "UPDATE posts SET posted_by_name = '(forgotten)', posted_by_id = '-', options = ''"
            " WHERE platform = ? AND posted_by_id = ?",
            (platform, user_id),
        )
        return count

    async def forget_chats(self, chats: Iterable[ChatRef]) -> int:
        """Delete the record of posts into the given (private) chats; returns rows deleted."""
        async with self._db.transaction() as tx:
            sql = "DELETE FROM posts WHERE platform = ? AND chat_id = ?"
            return await tx.for_each_chat((sql,), chats)
