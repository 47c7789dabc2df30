"""Shared refresh slots with two connections on one database (two processes), on both engines."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from storage.database import Database
from storage.poll_refresh import IDLE, TAKEN, LocalSlots, SharedSlots, refresh_slots
from storage.polls import PollRepository
from tests.storage.test_contract import new_poll

INTERVAL = 0.4


@pytest.fixture
async def two(any_database_url: str) -> AsyncIterator[tuple[SharedSlots, SharedSlots, int]]:
    """Two processes' slots on one database, and a poll."""
    async with Database.open(any_database_url) as first, Database.open(any_database_url) as second:
        poll_id = await PollRepository(first).create(new_poll())
        yield SharedSlots(first), SharedSlots(second), poll_id


async def test_one_taker_per_interval_and_the_change_it_missed_is_drawn_after(
    two: tuple[SharedSlots, SharedSlots, int],
) -> None:
    a, b, poll = two
    assert await a.claim(poll, INTERVAL, changed=True) == TAKEN  # a edits now
    held = await b.claim(poll, INTERVAL, changed=True)  # b's vote: marked pending
    assert not held.taken and held.wait is not None and 0 < held.wait <= INTERVAL
    again = await a.claim(poll, INTERVAL, changed=False)  # a looks again early: still held
    assert not again.taken and again.wait is not None
    await asyncio.sleep(held.wait + 0.05)
    assert await a.claim(poll, INTERVAL, changed=False) == TAKEN  # b's change, drawn by a
    assert await b.claim(poll, INTERVAL, changed=False) == IDLE  # nothing left for b
    await asyncio.sleep(INTERVAL + 0.05)
    assert await b.claim(poll, INTERVAL, changed=False) == IDLE  # free, nothing pending


async def test_the_closing_edit_takes_a_held_slot(
    two: tuple[SharedSlots, SharedSlots, int],
) -> None:
    a, b, poll = two
    assert await a.claim(poll, INTERVAL, changed=True) == TAKEN
    assert await b.claim(poll, INTERVAL, changed=True, force=True) == TAKEN
    assert not (await a.claim(poll, INTERVAL, changed=True)).taken


async def test_a_sqlite_file_keeps_its_slots_in_memory_and_postgresql_shares_them(
    any_database_url: str,
) -> None:
    async with Database.open(any_database_url) as db:
        slots = refresh_slots(db)
        assert isinstance(slots, SharedSlots if db.engine == "postgresql" else LocalSlots)
        poll_id = await PollRepository(db).create(new_poll())
        assert await slots.claim(poll_id, INTERVAL, changed=True) == TAKEN
        assert not (await slots.claim(poll_id, INTERVAL, changed=True)).taken
