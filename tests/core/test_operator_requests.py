"""Operator requests: queued by the command line in the database, answered by the running bot."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest

from bot.app import Parley
from bot.clock import SystemClock
from bot.identity import Actor
from parley.features import build_features
from parley.operator_requests import FORGET_USER, ask_running_bot
from storage.database import Database
from tests.polls.helpers import run
from tests.support import RecordingGateway, make_actor, make_settings

ALICE = make_actor("alice")


@pytest.mark.slow
async def test_the_running_bot_answers_a_request_from_another_connection(tmp_path):
    settings = make_settings(tmp_path)
    clock = SystemClock()
    async with Parley.open(settings, clock, features=build_features) as app:
        app.services.outbox.register(RecordingGateway())
        await run(app, "/argue labs Replication should come before any public claim.", ALICE)
        await app.services.scheduler.start()
        try:
            async with Database.open(settings.database_path) as operator:
                result = await ask_running_bot(
                    operator, FORGET_USER, {"platform": "test", "user_id": "alice"}, clock
                )
        finally:
            await app.services.scheduler.stop()
    assert result is not None and result["count"] >= 1
    with sqlite3.connect(settings.database_path) as db:
        assert db.execute("SELECT COUNT(*) FROM operator_requests").fetchone() == (0,)
        assert ("alice",) not in db.execute("SELECT author_id FROM arguments").fetchall()


async def test_an_unanswered_request_stays_queued_without_the_person_once_done(
    tmp_path, any_database_url, clock
):
    settings = make_settings(
        tmp_path, PARLEY_DATABASE_URL=any_database_url, PARLEY_POLL_KEY_FILE=tmp_path / "key"
    )
    async with Database.open(settings.database_url) as operator:
        arguments = {"platform": "test", "user_id": "alice"}
        assert await ask_running_bot(operator, FORGET_USER, arguments, clock, 0.2) is None
    async with Parley.open(
        settings, clock, features=build_features
    ) as app:  # the bot's scheduler runs it later
        assert await app.services.scheduler.run_due() == 1
        [(stored, result)] = await app.services.storage.database.fetch_all(
            "SELECT arguments, result FROM operator_requests"
        )
    assert json.loads(stored) == {} and json.loads(result) == {"count": 0}


async def test_forget_user_counts_records_in_good_english(tmp_path, clock, capsys, monkeypatch):
    from parley.cli import main

    settings = make_settings(tmp_path)
    monkeypatch.setenv("PARLEY_DB", str(settings.database_path))
    monkeypatch.setenv("PARLEY_POLL_KEY_FILE", str(tmp_path / "parley.pollkey"))
    async with Parley.open(settings, clock, features=build_features) as app:
        app.services.outbox.register(RecordingGateway())
        console_alice = Actor("console", "alice", "alice")
        await run(
            app, "/argue labs Replication should come before any public claim.", console_alice
        )
    assert await asyncio.to_thread(main, ["forget-user", "console", "alice"]) == 0
    assert await asyncio.to_thread(main, ["forget-user", "console", "alice"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-2:] == [
        "Removed or anonymized 1 record of console:alice.",
        "Removed or anonymized 0 records of console:alice.",
    ]
