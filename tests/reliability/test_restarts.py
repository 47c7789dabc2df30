"""Restarts with open polls, due deadlines and scheduled posts: each due item runs exactly once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.app import Parley
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from parley.features import build_features
from tests.polls.helpers import MOD, run, vote
from tests.support import FakeClock, RecordingGateway, make_actor, make_settings

POLLS = {poll.name: poll for poll in load_topic(DEFAULT_TOPIC).polls}
ONCE = POLLS["terms-ban"].question.en
DAILY = POLLS["evidence-disclosure"].question.en


async def restart(settings, clock: FakeClock) -> RecordingGateway:
    """Open the app, let the scheduler start (it runs what came due while down), close it."""
    gateway = RecordingGateway()
    async with Parley.open(settings, clock, features=build_features) as app:
        app.services.outbox.register(gateway)
        await app.services.scheduler.start()
        await app.services.scheduler.stop()
        assert await app.services.scheduler.run_due() == 0  # nothing left to run twice
    return gateway


def posted(gateway: RecordingGateway, text: str) -> int:
    return sum(text in reply.plain_text() for _, reply in gateway.sent)


def rows(settings, sql: str) -> list[tuple]:
    with sqlite3.connect(settings.database_path) as db:
        return db.execute(sql).fetchall()


async def test_due_items_run_exactly_once_across_restarts(tmp_path: Path, clock: FakeClock):
    settings = make_settings(tmp_path, PARLEY_RATE_LIMIT_BURST=1000)
    async with Parley.open(settings, clock, features=build_features) as app:
        app.services.outbox.register(RecordingGateway())
        await run(app, "/poll Lunch today? | Pizza | Sushi --for 1h", make_actor("alice"))
        await run(app, "/poll Book club pick? | Dune | Emma --for 3d", make_actor("alice"))
        for number in range(6):
            await vote(app, 1 + number % 2, number % 2, make_actor(f"voter{number}"))
        await run(app, "/schedule poll in 2h terms-ban", MOD)
        await run(app, "/schedule poll daily 15:00 evidence-disclosure", MOD)

    clock.advance(hours=4)  # 16:00: the 13:00 deadline, 14:00 post and 15:00 post all passed
    first = await restart(settings, clock)
    closed = [r for _, r in first.sent if r.title == "Poll #1 has closed"]
    assert len(closed) == 1 and "Pizza" in closed[0].plain_text()
    assert posted(first, ONCE) == 1 and posted(first, DAILY) == 1
    assert rows(settings, "SELECT id, closed_at IS NOT NULL FROM polls WHERE id <= 2") == [
        (1, 1),
        (2, 0),
    ]
    assert rows(settings, "SELECT COUNT(*) FROM poll_ballots WHERE poll_id <= 2") == [(6,)]
    jobs = dict(rows(settings, "SELECT json_extract(payload, '$.options'), status FROM jobs"))
    assert jobs["terms-ban"] == "done" and jobs["evidence-disclosure"] == "pending"
    [(next_daily,)] = rows(
        settings, "SELECT due_at FROM jobs WHERE json_extract(payload, '$.recurrence') IS NOT NULL"
    )
    assert next_daily.startswith("2026-03-02T15:00")

    second = await restart(settings, clock)  # same moment: nothing is due again
    assert second.sent == []

    clock.advance(days=1)  # 16:00 next day: the daily post once more, poll 2 still open
    third = await restart(settings, clock)
    assert posted(third, DAILY) == 1 and posted(third, ONCE) == 0
    assert not [r for _, r in third.sent if r.title and "has closed" in r.title and "#1" in r.title]
    assert rows(settings, "SELECT closed_at IS NULL FROM polls WHERE id = 2") == [(1,)]


async def test_a_job_interrupted_by_a_crash_runs_again_once(tmp_path: Path, clock: FakeClock):
    settings = make_settings(tmp_path)
    async with Parley.open(settings, clock, features=build_features) as app:
        app.services.outbox.register(RecordingGateway())
        await run(app, "/schedule poll in 1h terms-ban", MOD)
    # The process died after claiming the job and before posting: the row says `running`.
    with sqlite3.connect(settings.database_path) as db:
        db.execute("UPDATE jobs SET status = 'running', attempts = 1")
    clock.advance(hours=2)
    gateway = await restart(settings, clock)
    assert posted(gateway, ONCE) == 1
    assert rows(settings, "SELECT status FROM jobs WHERE id = 1") == [("done",)]
    assert (await restart(settings, clock)).sent == []
