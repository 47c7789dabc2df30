"""Written summaries' cache and the per-chat daily budget, on both engines."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from bot.identity import ChatMoved, ChatRef
from storage.database import Database
from storage.store import Storage
from storage.written_summaries import WrittenKey

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TODAY, TOMORROW = date(2026, 3, 1), date(2026, 3, 2)
CHAT, OTHER = ChatRef("telegram", "-4001"), ChatRef("telegram", "-4002")
KEY = WrittenKey("hash", "model-a", "short", "en", "summary", "1")


async def test_the_budget_counts_per_chat_and_day_and_keeps_only_today(any_database_url):
    async with Database.open(any_database_url) as db:
        written = Storage(db).written_summaries
        assert [await written.take(CHAT, TODAY, 2) for _ in range(3)] == [True, True, False]
        assert await written.used(CHAT, TODAY) == 2
        assert await written.take(OTHER, TODAY, 2)  # another chat has its own
        assert await written.take(CHAT, TOMORROW, 2)
        assert await written.used(CHAT, TODAY) == 0  # yesterday's rows went
        assert await written.used(CHAT, TOMORROW) == 1
        assert not await written.take(CHAT, TOMORROW, 0)


async def test_a_budget_of_none_allows_no_first_request(any_database_url):
    async with Database.open(any_database_url) as db:
        written = Storage(db).written_summaries
        assert not await written.take(CHAT, TODAY, 0)
        assert await written.used(CHAT, TODAY) == 0


async def test_concurrent_takes_never_exceed_the_budget(any_database_url):
    async with Database.open(any_database_url) as db:
        written = Storage(db).written_summaries
        taken = await asyncio.gather(*(written.take(CHAT, TODAY, 5) for _ in range(12)))
        assert taken.count(True) == 5 and await written.used(CHAT, TODAY) == 5


async def test_the_cache_keeps_one_answer_per_key(any_database_url):
    async with Database.open(any_database_url) as db:
        written = Storage(db).written_summaries
        assert await written.cached(KEY) is None
        await written.store(KEY, "[]", NOW)
        await written.store(KEY, '[{"text": "A.", "positions": [1]}]', NOW)
        assert await written.cached(KEY) == '[{"text": "A.", "positions": [1]}]'
        other_model = WrittenKey("hash", "model-b", "short", "en", "summary", "1")
        assert await written.cached(other_model) is None


async def test_a_moved_chat_keeps_its_count(any_database_url):
    async with Database.open(any_database_url) as db:
        storage = Storage(db)
        await storage.written_summaries.take(CHAT, TODAY, 3)
        await storage.chat_moves.move(ChatMoved("telegram", CHAT.chat_id, "-1004001"), NOW)
        moved = ChatRef("telegram", "-1004001")
        assert await storage.written_summaries.used(moved, TODAY) == 1
        assert await storage.written_summaries.used(CHAT, TODAY) == 0


async def test_forgetting_a_private_chat_deletes_its_count(any_database_url):
    async with Database.open(any_database_url) as db:
        written = Storage(db).written_summaries
        await written.take(CHAT, TODAY, 3)
        await written.take(OTHER, TODAY, 3)
        assert await written.forget_chats([CHAT]) == 1
        assert await written.used(CHAT, TODAY) == 0 and await written.used(OTHER, TODAY) == 1
