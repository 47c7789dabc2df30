"""Per-chat settings: language, time zone, moderator role, rate limit and feature switches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import Locale
from bot.identity import ChatRef
from storage.database import Database
from storage.generations import FreshCache, Topic
from storage.timestamps import to_db

_COLUMNS = ("language", "timezone", "moderator_role_id", "rate_limit_per_minute", "poll_creators")
DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """The stored settings of one chat; None means "not set, use the default"."""

    language: Locale | None = None
    timezone: str | None = None
    moderator_role_id: str | None = None
    rate_limit_per_minute: float | None = None
    poll_creators: str | None = None
    """Who may start polls here: `moderators`, or everyone when None (or `everyone`)."""
    disabled_features: frozenset[str] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        """The chat's time zone: UTC when none is set or the stored name is no zone here."""
        if self.timezone:
            try:
                return ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                pass  # e.g. a zone a newer tzdata knew: times are shown in UTC, never an error
        return ZoneInfo(DEFAULT_TIMEZONE)


SETTINGS_CACHED = 10_000
"""Chats whose settings are kept in memory (the newest used), checked before each use."""


class ChatSettingsRepository:
    """Reads and writes `chat_settings`, with a cache (settings are read on every command).

    The cache starts afresh whenever any chat's settings changed, here or in another process
    (`Topic.CHAT_SETTINGS`): settings change rarely and are read all the time.
    """

    def __init__(self, database: Database) -> None:
        self._db = database
        self._cache: FreshCache[str, ChatSettings] = FreshCache(
            database.generations, Topic.CHAT_SETTINGS, SETTINGS_CACHED
        )

    async def get(self, chat: ChatRef) -> ChatSettings:
        """The chat's settings (defaults when nothing is stored)."""
        seen = await self._cache.check()
        cached = self._cache.get(chat.key)
        if cached is not None:
            return cached
        key = (chat.platform, chat.chat_id)
        row = await self._db.fetch_one(
            f"SELECT {', '.join(_COLUMNS)} FROM chat_settings WHERE platform = ? AND chat_id = ?",
            key,
        )
        disabled = await self._db.fetch_all(
            "SELECT feature FROM chat_disabled_features WHERE platform = ? AND chat_id = ?", key
        )
        stored = dict(zip(_COLUMNS, row, strict=True)) if row else {}
        settings = ChatSettings(**stored, disabled_features=frozenset(r[0] for r in disabled))
        self._cache.put(seen, chat.key, settings)
        return settings

    async def set_language(self, chat: ChatRef, language: Locale | None, at: datetime) -> None:
        """Set (or with None, clear) the chat's language."""
        await self._upsert(chat, "language", language, at)

    async def set_timezone(self, chat: ChatRef, timezone: str | None, at: datetime) -> None:
        """Set (or clear) the chat's IANA time zone."""
        await self._upsert(chat, "timezone", timezone, at)

    async def set_moderator_role(self, chat: ChatRef, role_id: str | None, at: datetime) -> None:
        """Set (or clear) the role whose members count as moderators."""
        await self._upsert(chat, "moderator_role_id", role_id, at)

    async def set_rate_limit(self, chat: ChatRef, per_minute: float | None, at: datetime) -> None:
        """Set (or clear) the commands per minute a member may run in this chat."""
        await self._upsert(chat, "rate_limit_per_minute", per_minute, at)

    async def set_poll_creators(self, chat: ChatRef, who: str | None, at: datetime) -> None:
        """Set who may start polls here (`moderators` or `everyone`; None: the default)."""
        await self._upsert(chat, "poll_creators", who, at)

    async def set_feature_enabled(
        self, chat: ChatRef, feature: str, enabled: bool, at: datetime
    ) -> None:
        """Switch a feature on or off in this chat."""
        if enabled:
            await self._db.execute(
                "DELETE FROM chat_disabled_features"
                " WHERE platform = ? AND chat_id = ? AND feature = ?",
                (chat.platform, chat.chat_id, feature),
            )
        else:
            await self._db.execute(
                "INSERT INTO chat_disabled_features"
                " (platform, chat_id, feature, disabled_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (chat.platform, chat.chat_id, feature, to_db(at)),
            )
        self._db.generations.touch(Topic.CHAT_SETTINGS)

    async def forget_chats(self, chats: Iterable[ChatRef]) -> int:
        """Delete the settings and feature switches of the given (private) chats; rows deleted."""
        chats = tuple(chats)
        async with self._db.transaction() as tx:
            changed = await tx.for_each_chat(
                (
                    "DELETE FROM chat_settings WHERE platform = ? AND chat_id = ?",
                    "DELETE FROM chat_disabled_features WHERE platform = ? AND chat_id = ?",
                ),
                chats,
            )
        self._db.generations.touch(Topic.CHAT_SETTINGS)
        return changed

    async def _upsert(
        self, chat: ChatRef, column: str, value: str | float | None, at: datetime
    ) -> None:
        if column not in _COLUMNS:
            raise ValueError(column)
        await self._db.execute(
            f"INSERT INTO chat_settings (platform, chat_id, {column}, updated_at)"
            f" VALUES (?, ?, ?, ?) ON CONFLICT (platform, chat_id)"
            f" DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at",
            (chat.platform, chat.chat_id, value, to_db(at)),
        )
        self._db.generations.touch(Topic.CHAT_SETTINGS)
