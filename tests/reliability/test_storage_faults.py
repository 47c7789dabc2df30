"""A locked, read-only or full database: a clear log line, a polite reply, reads keep working,
no acknowledgement for a write that failed, and everything recovers when the condition clears.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import storage.sqlite
from bot.app import Parley
from handlers.polls.actions import PollVote
from parley.features import build_features
from storage.errors import StorageUnavailableError
from tests.polls.helpers import MOD, press, run
from tests.support import FakeClock, RecordingGateway, make_actor, make_settings

POLITE = "can't reach my database"
ALICE = make_actor("alice")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
async def app(tmp_path: Path, clock: FakeClock, monkeypatch) -> AsyncIterator[Parley]:
    monkeypatch.setattr(storage.sqlite, "BUSY_TIMEOUT_MS", 200)  # fail fast when locked
    settings = make_settings(tmp_path, PARLEY_RATE_LIMIT_BURST=10_000)
    async with Parley.open(settings, clock, features=build_features) as parley:
        parley.services.outbox.register(RecordingGateway())
        await run(parley, "/poll Lunch? | Pizza | Sushi", ALICE)
        yield parley


def writes(app: Parley) -> dict[str, object]:
    """One of each write the issue names: a vote press, /argue, /poll create."""
    return {
        "vote": lambda actor: press(app, PollVote(poll=1, option=1), actor),
        "argue": lambda actor: run(
            app, f"/argue labs Audits by {actor.display_name} would settle the numbers.", actor
        ),
        "poll": lambda actor: run(app, f"/poll {actor.display_name}? | Yes | No", actor),
    }


async def expect_refused(app: Parley, caplog, number: int) -> None:
    for name, write in writes(app).items():
        caplog.clear()
        out = await write(make_actor(f"{name}{number}"))
        assert POLITE in out.text, (name, out.text)
        assert "is in" not in out.text and "Thanks!" not in out.text and "Poll #" not in out.text
        assert "event=storage_unavailable" in caplog.text, name


async def expect_served(app: Parley, number: int) -> None:
    outs = {name: await write(make_actor(f"{name}{number}")) for name, write in writes(app).items()}
    assert "Your vote in poll #1 is in: Sushi." in outs["vote"].text
    assert "Thanks!" in outs["argue"].text
    assert "Poll #" in outs["poll"].replies[0].plain_text()


async def expect_reads(app: Parley) -> None:
    assert "Lunch?" in (await run(app, "/poll list", ALICE)).text
    assert "Parley" in (await run(app, "/about", ALICE)).text


def stored_votes(app: Parley) -> set[str]:
    with sqlite3.connect(app.services.settings.database_path) as db:
        return {key for (key,) in db.execute("SELECT voter_key FROM poll_ballots")}


async def test_locked_database(app: Parley, caplog) -> None:
    caplog.set_level(logging.INFO)
    other = sqlite3.connect(app.services.settings.database_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        await expect_refused(app, caplog, 1)
        await expect_reads(app)
    finally:
        other.execute("ROLLBACK")
        other.close()
    await expect_served(app, 2)
    assert stored_votes(app) == {"test:vote2"}


async def test_read_only_database(app: Parley, caplog) -> None:
    caplog.set_level(logging.INFO)
    database = app.services.storage.polls._db
    await database.execute("PRAGMA query_only = ON")
    await expect_refused(app, caplog, 1)
    await expect_reads(app)
    await database.execute("PRAGMA query_only = OFF")
    await expect_served(app, 2)


async def test_full_database(app: Parley, caplog) -> None:
    caplog.set_level(logging.INFO)
    database = app.services.storage.polls._db
    [pages] = await database.fetch_one("PRAGMA page_count")
    await database.execute(f"PRAGMA max_page_count = {pages}")
    refused = None
    rng = random.Random(5)
    for number in range(300):  # fill the free space until a write no longer fits
        words = " ".join(f"{rng.choice(_LETTERS)}{rng.randrange(10**6)}" for _ in range(50))
        out = await run(app, f"/argue labs {words}", make_actor(f"filler{number}"))
        if POLITE in out.text:
            refused = out.text
            break
    assert refused is not None
    await expect_reads(app)
    await database.execute("PRAGMA max_page_count = 1000000")
    await expect_served(app, 2)


async def test_a_burst_of_votes_on_a_locked_database_fails_fast_and_unacknowledged(
    app: Parley, caplog
) -> None:
    other = sqlite3.connect(app.services.settings.database_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        outs = await asyncio.gather(
            *(press(app, PollVote(poll=1, option=0), make_actor(f"burst{n}")) for n in range(30))
        )
        elapsed = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert all(POLITE in out.text and "is in" not in out.text for out in outs)
    # One failed batch is not retried vote by vote, each waiting out the busy timeout.
    assert elapsed < 3, elapsed
    assert stored_votes(app) == set()
    out = await press(app, PollVote(poll=1, option=0), make_actor("after"))
    assert "is in: Pizza" in out.text  # the writer task is alive
    assert stored_votes(app) == {"test:after"}


async def test_scheduler_survives_storage_faults_and_runs_the_job_later(
    app: Parley, clock: FakeClock, monkeypatch
) -> None:
    from bot import scheduler as scheduler_module

    gateway = app.services.outbox.gateway("test")
    await run(app, "/schedule poll in 1m terms-ban", MOD)
    jobs = app.services.storage.jobs
    real_next_due_at = jobs.next_due_at
    failures = {"left": 2}

    async def flaky_next_due_at():
        if failures["left"]:
            failures["left"] -= 1
            raise StorageUnavailableError("database is locked")
        return await real_next_due_at()

    monkeypatch.setattr(jobs, "next_due_at", flaky_next_due_at)
    monkeypatch.setattr(scheduler_module, "FAULT_PAUSE", 0.01)
    scheduler = app.services.scheduler
    await scheduler.start()
    try:
        clock.advance(minutes=2)
        scheduler._wake.set()
        deadline = time.monotonic() + 5
        while not gateway.sent and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
            scheduler._wake.set()
        assert gateway.sent, "the scheduler loop died on a storage error"
    finally:
        await scheduler.stop()


async def test_scheduler_stops_even_when_woken_as_it_is_cancelled(app: Parley) -> None:
    scheduler = app.services.scheduler
    for _ in range(20):
        await scheduler.start()
        await asyncio.sleep(0)
        scheduler._wake.set()  # e.g. a /schedule arriving during shutdown
        await asyncio.wait_for(scheduler.stop(), 2)


async def test_a_failed_commit_leaves_no_transaction_open(app: Parley) -> None:
    database = app.services.storage.polls._db
    with pytest.raises(sqlite3.IntegrityError):
        async with database.transaction() as tx:
            await tx.execute("PRAGMA defer_foreign_keys = ON")
            await tx.execute(  # an orphan choice: the foreign key is checked at COMMIT
                "INSERT INTO poll_choices (poll_id, voter_key, rank, option) VALUES (99, 'x', 0, 0)"
            )
    out = await press(app, PollVote(poll=1, option=0), make_actor("later"))
    assert "is in: Pizza" in out.text
