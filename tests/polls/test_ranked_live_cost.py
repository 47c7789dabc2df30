"""A big ranked poll: its live view counts first preferences in the database, off the loop.

The event loop's own CPU time (`time.thread_time` in the loop's thread, which other processes
on the machine do not inflate) is measured around a vote press, which refreshes the poll
message at once. Loading 30,000 ballots and running instant-runoff on the loop takes well over
0.1 s there; counting first preferences in SQL leaves the loop a few milliseconds.
"""

import sqlite3
import time

from handlers.polls.actions import PollSubmit
from tests.polls.helpers import gateway, press, run, settle
from tests.support import make_actor

ALICE = make_actor("alice")
BALLOTS = 30_000
LOOP_BUDGET = 0.04
"""Seconds of the loop's CPU one press and its live refresh may take with `BALLOTS` stored."""


def store_ranked_ballots(path: str, poll_id: int, count: int) -> None:
    """`count` ranked ballots: one in three ranks Pizza first, the rest Sushi (3 ranks each)."""
    orders = [(0, 1, 2), (1, 2, 0), (1, 0, 2)]
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO poll_ballots (poll_id, voter_key, chat_no) VALUES (?, ?, 0)",
            [(poll_id, f"bulk:{n}") for n in range(count)],
        )
        connection.executemany(
            "INSERT INTO poll_choices (poll_id, voter_key, rank, option) VALUES (?, ?, ?, ?)",
            [
                (poll_id, f"bulk:{n}", rank, option)
                for n in range(count)
                for rank, option in enumerate(orders[n % 3])
            ],
        )


async def test_live_view_of_a_big_ranked_poll_leaves_the_loop_free(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi | Tacos --ranked", ALICE)
    store_ranked_ballots(polls_app.services.settings.database_path, 1, BALLOTS)
    await press(polls_app, PollSubmit(poll=1, picks="2"), make_actor("bob"))  # warm up
    await settle(polls_app)
    started = time.thread_time()
    out = await press(polls_app, PollSubmit(poll=1, picks="0"), make_actor("carol"))
    spent = time.thread_time() - started
    assert "Your vote in poll #1 is in: Pizza." in out.text
    await settle(polls_app)
    last = gateway(polls_app).edits[-1][1].plain_text()
    assert "first preferences" in last.lower()
    assert "Pizza\n███░░░░░░░ 33% (10001)" in last
    assert "Sushi\n███████░░░ 67% (20000)" in last
    assert spent < LOOP_BUDGET, f"the loop spent {spent:.3f} s on one press"


async def test_results_of_a_big_ranked_poll_show_the_rounds(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi | Tacos --ranked", ALICE)
    store_ranked_ballots(polls_app.services.settings.database_path, 1, 3_000)
    out = await run(polls_app, "/poll results 1", ALICE)
    assert "Round 1" in out.text and "Sushi" in out.text
