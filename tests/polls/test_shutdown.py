"""Shutting down finishes pending poll work: queued votes commit and waiting tally edits draw."""

from __future__ import annotations

from bot.app import Parley
from parley.features import build_features
from tests.polls.helpers import MOD, run, vote
from tests.support import FakeClock, RecordingGateway, make_actor, make_settings


async def test_waiting_tally_edits_are_drawn_at_shutdown(tmp_path):
    gateway = RecordingGateway()
    async with Parley.open(make_settings(tmp_path), FakeClock(), features=build_features) as app:
        app.services.outbox.register(gateway)
        await run(app, "/poll Lunch? | Pizza | Sushi", actor=MOD)
        for name in ("ann", "bob", "cy"):
            await vote(app, 1, 0, make_actor(name))
        edits_before_close = len(gateway.edits)
    final = gateway.edits[-1][1].plain_text()
    assert len(gateway.edits) > edits_before_close
    assert "Total voters: 3" in final and "100% (3)" in final


async def test_a_tally_already_shown_is_not_edited_again_at_shutdown(tmp_path):
    gateway = RecordingGateway()
    async with Parley.open(make_settings(tmp_path), FakeClock(), features=build_features) as app:
        app.services.outbox.register(gateway)
        await run(app, "/poll Lunch? | Pizza | Sushi", actor=MOD)
        await vote(app, 1, 0, make_actor("ann"))
        await app.services.background.idle()
        edits_before_close = len(gateway.edits)
        assert "100% (1)" in gateway.edits[-1][1].plain_text()
    assert len(gateway.edits) == edits_before_close


async def test_a_question_starting_with_a_subcommand_word_is_still_a_poll(tmp_path):
    async with Parley.open(make_settings(tmp_path), FakeClock(), features=build_features) as app:
        app.services.outbox.register(RecordingGateway())
        await run(app, "/poll Close the schools? | Yes | No", actor=MOD)
        await run(app, "/poll list | Keep | Drop", actor=MOD)
        out = await run(app, "/poll list", actor=MOD)
        assert "Close the schools?" in out.text and "#2" in out.text
        out = await run(app, "/poll close two", actor=MOD)
        assert "whole number" in out.text  # a real subcommand keeps its own usage error
