"""security.md finding 10, second reproduction: two bot processes on one database, one ballot.

A votes "A", B changes it to "B, C", A votes "A" again. A process that trusted its own memory of
the ballot answered "is now: A" and wrote nothing; each answer must be the stored ballot.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path

from bot.app import Parley
from bot.seals import ButtonSeal
from handlers.polls.actions import PollSubmit
from parley.features import build_features
from tests.polls.helpers import press, run
from tests.support import FakeClock, RecordingGateway, make_actor, make_settings

ALICE = make_actor("alice")
BOB = make_actor("bob")


async def submit(app: Parley, picks: str):
    """Bob submits his ballot through `app` (sealed with the key the database keeps)."""
    row = await app.services.storage.database.fetch_one("SELECT secret FROM button_seal_key")
    assert row is not None
    sealed = ButtonSeal(bytes(row[0])).seal(PollSubmit(poll=1, picks=picks).encode(), BOB.key)
    return await press(app, sealed, BOB, message="ballot", sealed=False)


async def test_each_process_answers_from_the_stored_ballot(any_database_url: str, tmp_path: Path):
    settings = make_settings(tmp_path, PARLEY_DATABASE_URL=any_database_url)
    clock = FakeClock()
    async with AsyncExitStack() as stack:
        a, b = [
            await stack.enter_async_context(Parley.open(settings, clock, features=build_features))
            for _ in range(2)
        ]
        for app in (a, b):
            app.services.outbox.register(RecordingGateway())
        await run(a, "/poll Lunch? | A | B | C --multi", ALICE)
        first = await submit(a, "0")
        assert "is in: A" in first.text
        changed = await submit(b, "12")
        assert "B, C" in changed.text
        again = await submit(a, "0")
        assert "A" in again.text and "B, C" not in again.text
        counts = await b.services.storage.polls.ballots.option_counts(1, first_choice_only=False)
        assert counts == {0: 1}  # the database holds what A answered
