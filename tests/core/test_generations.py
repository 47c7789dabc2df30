"""Generations: what caches check, on two real connections to one database (both engines)."""

import asyncio
from datetime import UTC, datetime

from bot.identity import ChatRef
from storage.chat_settings import ChatSettingsRepository
from storage.database import Database
from storage.generations import Topic

CHAT = ChatRef("test", "chat")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def test_another_connections_commit_moves_the_generation(any_database_url):
    async with (
        Database.open(any_database_url) as mine,
        Database.open(any_database_url) as other,
    ):
        before = await mine.generations.current(Topic.POLLS)
        assert await mine.generations.current(Topic.POLLS) == before
        await ChatSettingsRepository(other).set_language(CHAT, "zh", NOW)
        assert await mine.generations.current(Topic.POLLS) != before


async def test_this_process_writes_move_their_topic_only(tmp_path):
    # SQLite only: its data_version ignores this connection's commits; PostgreSQL's counter
    # moves on every commit to a cached topic (a cache then just reads again).
    async with Database.open(tmp_path / "parley.db") as database:
        polls = await database.generations.current(Topic.POLLS)
        settings = await database.generations.current(Topic.CHAT_SETTINGS)
        await ChatSettingsRepository(database).set_language(CHAT, "zh", NOW)
        assert await database.generations.current(Topic.POLLS) == polls
        assert await database.generations.current(Topic.CHAT_SETTINGS) != settings


async def test_a_pinned_invocation_reads_others_once_and_its_tasks_for_themselves(any_database_url):
    async with (
        Database.open(any_database_url) as mine,
        Database.open(any_database_url) as other,
    ):
        async with mine.generations.pinned():
            pinned = await mine.generations.current(Topic.POLLS)
            await ChatSettingsRepository(other).set_language(CHAT, "zh", NOW)
            assert await mine.generations.current(Topic.POLLS) == pinned
            started = asyncio.create_task(mine.generations.current(Topic.POLLS))
            assert await started != pinned
            mine.generations.touch(Topic.POLLS)  # its own writes are seen at once
            assert (await mine.generations.current(Topic.POLLS)).local == pinned.local + 1
        assert await mine.generations.current(Topic.POLLS) != pinned


async def test_a_pin_within_a_pin_of_the_same_task_shares_its_read(any_database_url):
    # The Telegram adapter pins before its inbox take; the router's pin inside reuses that read.
    async with (
        Database.open(any_database_url) as mine,
        Database.open(any_database_url) as other,
    ):
        async with mine.generations.pinned():
            pinned = await mine.generations.current(Topic.POLLS)
            await ChatSettingsRepository(other).set_language(CHAT, "zh", NOW)
            async with mine.generations.pinned():
                assert await mine.generations.current(Topic.POLLS) == pinned
            assert await mine.generations.current(Topic.POLLS) == pinned
        assert await mine.generations.current(Topic.POLLS) != pinned
