"""Salts of anonymous polls are erased for good: on a deadline for a lone stance before-poll
(finding 7), and from the write-ahead log off the request path, without waiting on a reader
that holds an old snapshot (finding 12)."""

import sqlite3
import time

from tests.polls.helpers import MOD, db_rows, run, vote
from tests.support import make_actor

PEOPLE = [make_actor(name) for name in ("alice", "bob", "carol", "dave")]


def raw_bytes(settings) -> bytes:
    folder = settings.database_path.parent
    name = settings.database_path.name
    return b"".join(
        path.read_bytes()
        for path in folder.iterdir()
        if path.name.startswith(name) and path.name.endswith(("db", "-wal"))
    )


async def test_a_stance_before_poll_without_after_poll_loses_its_salt_after_the_window(
    polls_app, clock
):
    await run(polls_app, "/stance", MOD)
    for index, person in enumerate(PEOPLE):
        await vote(polls_app, 1, index % 2, person)
    [(salt,)] = db_rows(polls_app, "SELECT salt FROM polls")
    await run(polls_app, "/poll close 1", MOD)
    assert db_rows(polls_app, "SELECT salt IS NOT NULL FROM polls") == [(1,)]  # for /stance after
    clock.advance(days=6)
    await polls_app.services.scheduler.run_due()
    assert db_rows(polls_app, "SELECT salt IS NOT NULL FROM polls") == [(1,)]
    clock.advance(days=2)
    await polls_app.services.scheduler.run_due()
    assert db_rows(polls_app, "SELECT salt FROM polls") == [(None,)]
    assert salt not in raw_bytes(polls_app.services.settings)
    late = await run(polls_app, "/stance after 1", MOD)
    assert "closed more than 7 days ago without an after-poll" in late.text
    assert db_rows(polls_app, "SELECT count(*) FROM polls") == [(1,)]


async def test_a_stance_after_poll_inside_the_window_keeps_the_pair(polls_app, clock):
    await run(polls_app, "/stance", MOD)
    await vote(polls_app, 1, 0, PEOPLE[0])
    await run(polls_app, "/poll close 1", MOD)
    clock.advance(days=3)
    assert "Stance check #1 — after" in (await run(polls_app, "/stance after 1", MOD)).text
    clock.advance(days=10)
    await polls_app.services.scheduler.run_due()  # the erase job finds the after-poll: no-op
    assert db_rows(polls_app, "SELECT id, salt IS NOT NULL FROM polls") == [(1, 1), (2, 1)]


async def test_closing_does_not_wait_for_a_reader_and_the_wal_is_cleared_once_it_leaves(
    polls_app, clock
):
    await run(polls_app, "/poll Secret? | Yes | No --anonymous", MOD)
    for index, person in enumerate(PEOPLE):
        await vote(polls_app, 1, index % 2, person)
    [(salt,)] = db_rows(polls_app, "SELECT salt FROM polls")
    reader = sqlite3.connect(polls_app.services.settings.database_path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM polls").fetchall()  # holds a snapshot
        started = time.monotonic()
        closed = await run(polls_app, "/poll close 1", MOD)
        await polls_app.services.scheduler.run_due()  # the checkpoint reports busy at once
        took = time.monotonic() - started
        assert "Poll #1 is closed." in closed.text
        assert took < 2.5, took  # the busy timeout is 5 s: nobody waited it out
        assert db_rows(
            polls_app, "SELECT kind, status FROM jobs WHERE kind = 'polls.clear_wal'"
        ) == [("polls.clear_wal", "pending")]
    finally:
        reader.close()
    clock.advance(seconds=31)
    await polls_app.services.scheduler.run_due()
    assert db_rows(polls_app, "SELECT status FROM jobs WHERE kind = 'polls.clear_wal'") == [
        ("done",)
    ]
    assert salt not in raw_bytes(polls_app.services.settings)
