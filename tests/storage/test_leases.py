"""Named leases on both engines, with two connections sharing one database as two processes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.database import Database
from storage.leases import Leases
from storage.postgres import PostgresDatabase

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=45)


@pytest.fixture
async def sqlite_pair(tmp_path: Path) -> AsyncIterator[tuple[Leases, Leases]]:
    path = tmp_path / "parley.db"
    async with Database.open(path) as first, Database.open(path) as second:
        yield Leases(first), Leases(second)


@pytest.fixture
async def postgresql_pair(postgres_url: str) -> AsyncIterator[tuple[Leases, Leases]]:
    async with (
        PostgresDatabase.open(postgres_url) as first,
        PostgresDatabase.open(postgres_url) as second,
    ):
        yield Leases(first), Leases(second)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two(request: pytest.FixtureRequest) -> tuple[Leases, Leases]:
    """Two processes' worth of connections to one database, on each engine."""
    pair: tuple[Leases, Leases] = request.getfixturevalue(f"{request.param}_pair")
    return pair


async def test_one_owner_at_a_time(two: tuple[Leases, Leases]) -> None:
    a, b = two
    assert await a.acquire("telegram", "host:1:a", LATER, now=NOW)
    assert not await b.acquire("telegram", "host:2:b", LATER, now=NOW)
    assert await a.acquire("telegram", "host:1:a", LATER, now=NOW)  # the holder again: kept
    assert await b.acquire("other", "host:2:b", LATER, now=NOW)  # another name is free
    holder = await b.holder("telegram")
    assert holder is not None
    assert (holder.owner, holder.expires_at) == ("host:1:a", LATER)


async def test_an_expired_lease_is_taken_over_and_its_old_holder_cannot_renew(
    two: tuple[Leases, Leases],
) -> None:
    a, b = two
    assert await a.acquire("telegram", "host:1:a", LATER, now=NOW)
    assert not await b.acquire(
        "telegram", "host:2:b", LATER + timedelta(seconds=45), now=LATER - timedelta(seconds=1)
    )
    assert await b.acquire("telegram", "host:2:b", LATER + timedelta(seconds=45), now=LATER)
    assert not await a.renew("telegram", "host:1:a", LATER + timedelta(seconds=60))
    assert await b.renew("telegram", "host:2:b", LATER + timedelta(seconds=60))
    holder = await a.holder("telegram")
    assert holder is not None
    assert (holder.owner, holder.expires_at) == ("host:2:b", LATER + timedelta(seconds=60))


async def test_release_frees_the_lease_only_for_its_owner(two: tuple[Leases, Leases]) -> None:
    a, b = two
    assert await a.acquire("telegram", "host:1:a", LATER, now=NOW)
    await b.release("telegram", "host:2:b")  # not b's: nothing happens
    assert not await b.acquire("telegram", "host:2:b", LATER, now=NOW)
    await a.release("telegram", "host:1:a")
    assert await a.holder("telegram") is None
    assert not await a.renew("telegram", "host:1:a", LATER)
    assert await b.acquire("telegram", "host:2:b", LATER, now=NOW)


async def test_replace_takes_a_gone_holders_lease_only_while_it_is_still_theirs(
    two: tuple[Leases, Leases],
) -> None:
    a, b = two
    assert await a.acquire("telegram", "host:1:a", LATER, now=NOW)
    assert not await b.replace("telegram", "host:9:x", "host:2:b", LATER)  # not x's lease
    assert await b.replace("telegram", "host:1:a", "host:2:b", LATER)
    assert not await a.replace("telegram", "host:1:a", "host:3:c", LATER)  # b holds it now
    holder = await a.holder("telegram")
    assert holder is not None and holder.owner == "host:2:b"
