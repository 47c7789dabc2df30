"""A poll's results announcement is a job: a process that dies while posting loses nothing."""

import asyncio
import json

from tests.polls.helpers import gateway, run, vote
from tests.support import make_actor

ALICE = make_actor("alice", moderator=True)
CLOSED = "Poll #1 has closed"


def announcements(app) -> list[str]:
    return [reply.plain_text() for _, reply in gateway(app).sent if reply.title == CLOSED]


async def announce_jobs(app) -> list[tuple[str, int]]:
    rows = await app.services.storage.database.fetch_all(
        "SELECT status, attempts, payload FROM jobs WHERE kind = 'polls.announce'"
    )
    return [(row[0], row[1]) for row in rows if json.loads(row[2]) == {"poll_id": 1}]


async def close_and_die_posting(app) -> None:
    """`/poll close 1` in a process that dies while posting the results (the platform hangs).

    The announcement job stays running under its lease; the platform answers again after.
    """
    posting = asyncio.Event()
    held = gateway(app)
    real_send = held.send

    async def hang(chat, reply):
        posting.set()
        await asyncio.Event().wait()

    held.send = hang
    closing = asyncio.create_task(run(app, "/poll close 1", ALICE))
    await asyncio.wait_for(posting.wait(), 5)
    closing.cancel()
    await asyncio.gather(closing, return_exceptions=True)
    held.send = real_send


async def test_closing_announces_once_through_a_job(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await vote(polls_app, 1, 0, make_actor("bob"))
    await run(polls_app, "/poll close 1", ALICE)
    [announced] = announcements(polls_app)
    assert "Pizza" in announced and "100% (1)" in announced
    assert await announce_jobs(polls_app) == [("done", 1)]
    await run(polls_app, "/poll close 1", ALICE)  # closing again announces nothing more
    assert len(announcements(polls_app)) == 1


async def test_an_announcement_cut_off_by_a_dying_process_is_posted_after_its_lease(
    polls_app, clock
):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await vote(polls_app, 1, 1, make_actor("bob"))
    await close_and_die_posting(polls_app)
    assert await announce_jobs(polls_app) == [("running", 1)]
    assert await polls_app.services.scheduler.run_due() == 0  # its lease still holds
    clock.advance(minutes=2)
    assert await polls_app.services.scheduler.run_due() == 1
    assert await announce_jobs(polls_app) == [("done", 2)]
    [final] = announcements(polls_app)
    assert "Sushi" in final and "100% (1)" in final


async def test_a_poll_reopened_before_its_cut_off_announcement_reran_is_not_announced(
    polls_app, clock
):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await close_and_die_posting(polls_app)
    reopened = await run(polls_app, "/poll reopen 1", ALICE)
    assert "open again" in reopened.text
    clock.advance(minutes=2)
    assert await polls_app.services.scheduler.run_due() == 1
    assert announcements(polls_app) == []  # the poll is open: its next close announces it
    await run(polls_app, "/poll close 1", ALICE)
    assert len(announcements(polls_app)) == 1
