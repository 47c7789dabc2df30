"""Mod-log channels: where each community's audit entries are posted, and their case numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.identity import ChatRef
from storage.database import Database
from storage.timestamps import to_db


@dataclass(frozen=True, slots=True)
class ModLogChannel:
    """A community's mod-log: the chat posts go to, and whether a failure was reported."""

    chat: ChatRef
    warned: bool


class ModLogRepository:
    """The `modlog_channels` table (migration 017), one row per community."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def set_channel(
        self, platform: str, community: str, chat: ChatRef | None, at: datetime
    ) -> None:
        """Post `community`'s entries to `chat` from now on (None: stop); case numbers go on."""
        channel = (chat.chat_id, chat.thread_id) if chat is not None else (None, None)
        await self._db.execute(
            "INSERT INTO modlog_channels (platform, community, channel_id, thread_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, community) DO UPDATE SET"
            " channel_id = excluded.channel_id, thread_id = excluded.thread_id, warned = 0,"
            " updated_at = excluded.updated_at",
            (platform, community, *channel, to_db(at)),
        )

    async def channel(self, platform: str, community: str) -> ModLogChannel | None:
        """Where `community`'s entries go, or None while it has no mod-log."""
        row = await self._db.fetch_one(
            "SELECT channel_id, thread_id, warned FROM modlog_channels"
            " WHERE platform = ? AND community = ? AND channel_id IS NOT NULL",
            (platform, community),
        )
        if row is None:
            return None
        return ModLogChannel(ChatRef(platform, row[0], row[1]), bool(row[2]))

    async def next_case(self, platform: str, community: str) -> int:
        """The next case number of `community` (1, 2, …), counted once even across processes."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "UPDATE modlog_channels SET last_case = last_case + 1"
                " WHERE platform = ? AND community = ? RETURNING last_case",
                (platform, community),
            )
        return int(row[0]) if row is not None else 0

    async def set_warned(self, platform: str, community: str, warned: bool) -> bool:
        """Record whether a failed post was reported; True when that changed the row."""
        changed = await self._db.execute(
            "UPDATE modlog_channels SET warned = ? WHERE platform = ? AND community = ?"
            " AND warned <> ?",
            (int(warned), platform, community, int(warned)),
        )
        return changed > 0
