"""Parley itself on PostgreSQL: `PARLEY_DATABASE_URL=postgresql://…`, a poll from start to tally.

The poll is created by command, voted by button presses (the group-commit vote path,
`PollBallots.apply_votes`), closed at its deadline by a scheduled job that the scheduler
claims and runs, and tallied in the announcement.
"""

from __future__ import annotations

import asyncio

from bot.app import Parley
from bot.identity import Actor
from handlers.moderation.forgetting import SCRUB_DELAY, SCRUB_JOB
from handlers.polls.actions import PollVote
from parley.cli import main
from parley.operator_requests import forget_user_now
from tests.polls.conftest import features_with_fast_edits
from tests.polls.helpers import ChatResponder, gateway, run
from tests.support import RecordingGateway, make_actor, make_press, make_settings

ALICE = make_actor("alice")


async def test_a_poll_on_postgresql_is_voted_closed_by_its_job_and_tallied(
    tmp_path, postgres_url, clock
):
    settings = make_settings(
        tmp_path,
        PARLEY_DATABASE_URL=postgres_url,
        PARLEY_POLL_KEY_FILE=tmp_path / "poll.key",
        PARLEY_RATE_LIMIT_BURST=10_000,
    )
    async with Parley.open(settings, clock, features=features_with_fast_edits) as app:
        app.services.outbox.register(RecordingGateway())
        database = app.services.storage.database
        assert database.engine == "postgresql"
        await run(app, "/poll Lunch? | Soup | Salad --for 10m --anonymous", ALICE)
        [(message,)] = await database.fetch_all("SELECT message_id FROM poll_messages")
        for name, option in (("bob", 0), ("carol", 0), ("dave", 1), ("bob", 1), ("bob", 0)):
            press = make_press(
                PollVote(poll=1, option=option).encode(), actor=make_actor(name), message=message
            )
            await app.router.dispatch(press, ChatResponder())
        counts = await app.services.storage.polls.ballots.option_counts(1, first_choice_only=False)
        assert counts == {0: 2, 1: 1}
        clock.advance(minutes=10)
        assert await app.services.scheduler.run_due() == 2  # the close, then the salt clearing
        [announcement] = [r for _, r in gateway(app).sent if r.title == "Poll #1 has closed"]
        assert "Soup\n" in announcement.plain_text() and "(2)" in announcement.plain_text()
        jobs = await database.fetch_all("SELECT kind, status, attempts FROM jobs ORDER BY id")
        assert [tuple(job) for job in jobs] == [
            ("polls.close", "done", 1),
            ("polls.clear_wal", "done", 1),
            ("polls.announce", "done", 1),
        ]
        [(closed,)] = await database.fetch_all("SELECT closed_at IS NOT NULL FROM polls")
        assert closed


async def test_forgetting_a_person_on_postgresql_scrubs_with_vacuum(tmp_path, postgres_url, clock):
    settings = make_settings(
        tmp_path,
        PARLEY_DATABASE_URL=postgres_url,
        PARLEY_POLL_KEY_FILE=tmp_path / "poll.key",
        PARLEY_RATE_LIMIT_BURST=10_000,
    )
    async with Parley.open(settings, clock, features=features_with_fast_edits) as app:
        app.services.outbox.register(RecordingGateway())
        database = app.services.storage.database
        bob = make_actor("bob")
        await run(app, "/argue labs Replication should come before any public claim.", bob)
        await run(app, "/poll Lunch? | Soup | Salad", ALICE)
        [(message,)] = await database.fetch_all("SELECT message_id FROM poll_messages")
        vote = make_press(PollVote(poll=1, option=0).encode(), actor=bob, message=message)
        await app.router.dispatch(vote, ChatResponder())
        assert await forget_user_now(app.services, "test", "bob") >= 2
        clock.advance(seconds=SCRUB_DELAY.total_seconds() * 2)
        assert await app.services.scheduler.run_due() == 1  # the scrub: VACUUM FULL
        rows = await database.fetch_all(
            "SELECT count(*) FROM arguments UNION ALL SELECT count(*) FROM poll_ballots"
            " UNION ALL SELECT count(*) FROM jobs WHERE kind = ? AND status = 'done'",
            (SCRUB_JOB,),
        )
        assert [row[0] for row in rows] == [0, 0, 1]


async def test_the_command_line_forgets_in_place_on_postgresql_beside_a_serving_bot(
    tmp_path, postgres_url, clock, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARLEY_DATABASE_URL", postgres_url)
    monkeypatch.setenv("PARLEY_POLL_KEY_FILE", str(tmp_path / "poll.key"))
    settings = make_settings(
        tmp_path, PARLEY_DATABASE_URL=postgres_url, PARLEY_POLL_KEY_FILE=tmp_path / "poll.key"
    )
    async with Parley.open(settings, clock, features=features_with_fast_edits) as app:
        app.services.outbox.register(RecordingGateway())
        telegram_alice = Actor("telegram", "42", "Alice")
        await run(
            app, "/argue labs Replication should come before any public claim.", telegram_alice
        )
        # No file lock on PostgreSQL: the command opens the database beside this process.
        assert await asyncio.to_thread(main, ["forget-user", "telegram", "42"]) == 0
        rows = await app.services.storage.database.fetch_all("SELECT id FROM arguments")
    assert rows == []
    assert "of telegram:42." in capsys.readouterr().out
    assert not list(tmp_path.glob("*.lock"))
