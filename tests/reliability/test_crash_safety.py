"""SIGKILL in the middle of a storm of votes and `/argue` submissions loses nothing acknowledged.

Why Telegram and not the console: the real entry point runs the real polling loop over HTTP
against the fake Bot API on 127.0.0.1, handles eight updates at once (so votes share group
commits), and its acknowledgements are recorded outside the process being killed: exactly
what users saw. Updates fetched but not confirmed are delivered again after a restart, as
Telegram does, and updates never fetched are served by the next process.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from pathlib import Path

from tests.reliability.bot_process import BotProcess, eventually
from tests.reliability.storm import PagedBotApi, Poll, Storm, acknowledged, check_database
from tests.telegram.builders import ALICE, make_message_update
from tests.telegram.fake_api import FakeBotApi
from tests.telegram.fake_server import serve_fake_api

SEED = 20260301
KILLS = 3
VOTERS_PER_RUN = 150
ARGUERS_PER_RUN = 40
OPTIONS = ("Alpha", "Beta", "Gamma")


async def create_polls(api: FakeBotApi, count: int) -> list[Poll]:
    for number in range(count):
        api.queue_update(
            make_message_update(
                f"/poll Crash question {number}? | {' | '.join(OPTIONS)}", chat_type="supergroup"
            )
        )

    def posted() -> list[Poll]:
        polls = []
        for call in api.of("sendMessage"):
            found = re.search(r"Poll #(\d+)", str(call.params.get("text")))
            markup = call.params.get("reply_markup")
            if found and markup:
                markup = markup if isinstance(markup, dict) else json.loads(markup)
                payloads = tuple(
                    button["callback_data"]
                    for row in markup["inline_keyboard"]
                    for button in row
                    if "poll.vote" in button.get("callback_data", "")
                )
                polls.append(Poll(int(found.group(1)), 9000 + len(polls), OPTIONS, payloads))
        return polls

    await eventually(lambda: len(posted()) == count, what="polls posted")
    polls = posted()
    assert all(len(poll.payloads) == len(OPTIONS) for poll in polls)
    return polls


async def serves(api: FakeBotApi, marker: int) -> None:
    """A command gets its reply (a fresh private chat, so the reply is unambiguous)."""
    api.queue_update(make_message_update("/about", user_id=marker, first_name="Probe"))
    await eventually(
        lambda: any(
            c.method == "sendMessage" and str(c.params.get("chat_id")) == str(marker)
            for c in api.calls
        ),
        within=15,
        what="a reply to /about after restart",
    )


async def test_acknowledged_votes_and_arguments_survive_sigkill(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    api = PagedBotApi()
    storm = Storm()
    database = tmp_path / "parley.db"
    async with serve_fake_api(api) as base_url:
        bot = BotProcess(database, base_url, tmp_path / "bot.log")
        await bot.start()
        try:
            polls = await create_polls(api, 4)
            kill_points = []
            for run in range(KILLS):
                before = acknowledged(api, storm).count
                sent = storm.queue_run(api, polls, rng, VOTERS_PER_RUN, ARGUERS_PER_RUN)
                point = before + rng.randint(sent // 10, sent * 9 // 10)
                kill_points.append(point - before)
                await eventually(
                    lambda point=point: acknowledged(api, storm).count >= point,
                    within=20,
                    what=f"run {run}: {point} acknowledgements",
                )
                await bot.kill()
                acks = acknowledged(api, storm)
                assert acks.count >= point
                check_database(str(database), storm, acks)
                await bot.start()
                await serves(api, marker=ALICE + 100 + run)
            # The last process serves whatever was still queued, then stops cleanly.
            await eventually(lambda: not api.pending_updates, within=20, what="queue drained")
            assert await bot.interrupt() == 0, bot.log()[-3000:]
        finally:
            if bot.process and bot.process.returncode is None:
                await bot.kill()
    acks = acknowledged(api, storm)
    check_database(str(database), storm, acks)
    with sqlite3.connect(database) as db:
        stored_votes = db.execute("SELECT COUNT(*) FROM poll_ballots").fetchone()[0]
    assert stored_votes >= len({(p.poll.poll_id, p.user_id) for p, _ in acks.votes})
    assert "Traceback" not in bot.log(), bot.log()[-3000:]
    print(f"kill points (acks into each run): {kill_points}; acks in total: {acks.count}")
