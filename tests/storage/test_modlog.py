"""Mod-log channels on both engines: one row per community, case numbers that never repeat."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.identity import ChatRef
from storage.database import Database
from storage.modlog import ModLogChannel, ModLogRepository

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LOG = ChatRef("discord", "44", thread_id="45")


async def test_channel_cases_and_warnings(any_database_url: str) -> None:
    async with Database.open(any_database_url) as db:
        modlog = ModLogRepository(db)
        assert await modlog.channel("discord", "g1") is None
        assert await modlog.next_case("discord", "g1") == 0  # no mod-log: no case

        await modlog.set_channel("discord", "g1", LOG, NOW)
        assert await modlog.channel("discord", "g1") == ModLogChannel(LOG, warned=False)
        assert [await modlog.next_case("discord", "g1") for _ in range(3)] == [1, 2, 3]
        assert await modlog.next_case("discord", "g2") == 0  # per community

        assert await modlog.set_warned("discord", "g1", True) is True
        assert await modlog.set_warned("discord", "g1", True) is False  # once
        await modlog.set_channel("discord", "g1", None, NOW)
        assert await modlog.channel("discord", "g1") is None
        await modlog.set_channel("discord", "g1", ChatRef("discord", "46"), NOW)
        assert await modlog.channel("discord", "g1") == ModLogChannel(
            ChatRef("discord", "46"), warned=False
        )  # set anew: a new failure is said again
        assert await modlog.next_case("discord", "g1") == 4  # the count goes on
