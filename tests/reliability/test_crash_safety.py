"""SIGKILL at ten seeded points in a storm of presses and commands: nothing lost, nothing twice.

The real entry point (`python -m parley run`) runs the real polling loop over HTTP against the fake
Bot API on 127.0.0.1, which hands out pages of at most 100 updates as Telegram does; 64 updates
are handled at once, so a kill finds a page fetched but only partly handled. What users saw is
recorded outside the process being killed. After the last process drained everything and
stopped cleanly (which confirms every update):

- every update the fake handed out had its effect stored exactly once (a vote applied once, an
  argument or poll stored once): an update the kill interrupted before its first write is
  handled again after the restart (`event=inbox_interrupted`, at most one batch in flight per
  kill), one interrupted after it is not (its receipt committed with the write; see
  bot/adapters/telegram/inbox.py);
- no update was answered twice, and only those a kill interrupted between their write and their
  answer went unanswered (at most one batch per kill);
- every acknowledged vote and argument is stored;
- the inbox keeps no update's JSON, and only a few bare ids.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram.connection import CONCURRENT_UPDATES
from tests.reliability.bot_process import BotProcess, eventually
from tests.reliability.storm import PagedBotApi, Poll, Storm, acknowledged, check_database
from tests.telegram.builders import ALICE, make_message_update
from tests.telegram.fake_server import serve_fake_api

pytestmark = pytest.mark.slow  # real processes or real time: see the README

SEED = 20261201
KILLS = 10
VOTERS_PER_RUN = 70
ARGUERS_PER_RUN = 12
POLLERS_PER_RUN = 2
OPTIONS = ("Alpha", "Beta", "Gamma")
_INTERRUPTED = re.compile(r"event=inbox_interrupted count=(\d+) update_ids=([0-9,]+)")
_pollers = itertools.count(8_000_001)


class RecordingBotApi(PagedBotApi):
    """The paged fake, recording every update queued, handed out, and confirmed."""

    def __init__(self) -> None:
        super().__init__()
        self.queued: dict[int, dict[str, Any]] = {}
        self.handed_out: set[int] = set()
        self.confirmed_below = 0

    def queue_update(self, update: dict[str, Any]) -> int:
        update_id = super().queue_update(update)
        self.queued[update_id] = self._updates[-1]
        return update_id

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.confirmed_below = max(self.confirmed_below, int(params.get("offset") or 0))
        updates = await super()._get_updates(params)
        self.handed_out.update(update["update_id"] for update in updates)
        return updates


async def create_polls(api: RecordingBotApi, count: int) -> list[Poll]:
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
                message_id = call.result["message_id"]
                polls.append(Poll(int(found.group(1)), message_id, OPTIONS, payloads))
        return polls

    await eventually(lambda: len(posted()) == count, what="polls posted")
    return posted()


def queue_pollers(api: RecordingBotApi, count: int) -> None:
    for _ in range(count):
        user = next(_pollers)
        api.queue_update(
            make_message_update(
                f"/poll Storm question {user}? | Yes | No",
                chat_type="supergroup",
                user_id=user,
                first_name=f"Poller{user}",
            )
        )


async def serves(api: RecordingBotApi, marker: int) -> None:
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


def answers_by_update(api: RecordingBotApi) -> dict[int, int]:
    """How many times the bot answered each queued update (press, command)."""
    callbacks = Counter(
        str(c.params.get("callback_query_id")) for c in api.of("answerCallbackQuery")
    )
    private = Counter(str(c.params.get("chat_id")) for c in api.of("sendMessage"))
    replies = Counter(
        (c.params.get("reply_parameters") or {}).get("message_id") for c in api.of("sendMessage")
    )
    counts = {}
    for update_id, update in api.queued.items():
        if "callback_query" in update:
            counts[update_id] = callbacks[update["callback_query"]["id"]]
        elif update["message"]["chat"]["type"] == "private" or update["message"]["text"].startswith(
            "/argue"
        ):  # answered in the person's private chat
            counts[update_id] = private[str(update["message"]["from"]["id"])]
        else:
            counts[update_id] = replies[update["message"]["message_id"]]
    return counts


def all_handled(database: Path) -> bool:
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT COUNT(*) FROM telegram_inbox WHERE state != 'finished'").fetchone()
    return row[0] == 0


def interrupted_updates(log: str) -> list[set[int]]:
    """The updates each restart reported as interrupted by the kill before it."""
    found = []
    for match in _INTERRUPTED.finditer(log):
        ids = {int(part) for part in match.group(2).split(",")}
        assert len(ids) == int(match.group(1))
        found.append(ids)
    return found


def check_votes(database: Path, storm: Storm, api: RecordingBotApi) -> None:
    """Each ballot is what the person's presses give, each applied exactly once: a press
    handled twice would have toggled the vote back, one lost would have left it out."""
    with sqlite3.connect(database) as db:
        stored = dict(
            ((poll, key), option)
            for poll, key, option in db.execute(
                "SELECT poll_id, voter_key, option FROM poll_choices"
            )
        )
    expected: dict[tuple[int, int], int | None] = {}
    for _, update in sorted(api.queued.items()):
        query = update.get("callback_query")
        if query is None:
            continue
        press = storm.presses[query["id"]]
        key = (press.poll.poll_id, press.user_id)
        expected[key] = None if expected.get(key) == press.option else press.option
    for (poll_id, user), choice in expected.items():
        actual = stored.get((poll_id, f"telegram:{user}"))
        assert actual == choice, f"voter {user} poll {poll_id}: {actual}, not {choice}"


def check_commands(database: Path, api: RecordingBotApi) -> None:
    """Each /argue and /poll stored its argument or poll exactly once."""
    with sqlite3.connect(database) as db:
        authors = Counter(row[0] for row in db.execute("SELECT author_id FROM arguments"))
        questions = Counter(row[0] for row in db.execute("SELECT question FROM polls"))
    for update in api.queued.values():
        message = update.get("message")
        if message is None or message["chat"]["type"] == "private":
            continue
        text = message["text"]
        if text.startswith("/argue"):
            stored = authors[str(message["from"]["id"])]
        elif text.startswith("/poll Storm"):
            stored = questions[text.removeprefix("/poll ").split(" |")[0]]
        else:
            continue
        assert stored == 1, f"{text[:40]!r} stored {stored} times"


async def test_sigkill_in_a_storm_loses_nothing_and_runs_nothing_twice(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    api = RecordingBotApi()
    storm = Storm()
    database = tmp_path / "parley.db"
    async with serve_fake_api(api) as base_url:
        bot = BotProcess(database, base_url, tmp_path / "bot.log")
        await bot.start()
        try:
            polls = await create_polls(api, 4)
            for run in range(KILLS):
                before = acknowledged(api, storm).count
                sent = storm.queue_run(api, polls, rng, VOTERS_PER_RUN, ARGUERS_PER_RUN)
                queue_pollers(api, POLLERS_PER_RUN)
                point = before + rng.randint(sent // 10, sent * 8 // 10)
                await eventually(
                    lambda point=point: acknowledged(api, storm).count >= point,
                    within=20,
                    what=f"run {run}: {point} acknowledgements",
                )
                await bot.kill()
                check_database(str(database), storm, acknowledged(api, storm))
                await bot.start()
                await serves(api, marker=ALICE + 100 + run)
            await eventually(lambda: not api.pending_updates, within=20, what="queue drained")
            await eventually(lambda: all_handled(database), within=20, what="all handled")
            assert await bot.interrupt() == 0, bot.log()[-3000:]
        finally:
            if bot.process and bot.process.returncode is None:
                await bot.kill()
    log = bot.log()
    assert "Traceback" not in log, log[-3000:]
    per_kill = interrupted_updates(log)
    assert all(len(ids) <= CONCURRENT_UPDATES for ids in per_kill), per_kill
    assert api.handed_out == set(api.queued)
    assert api.confirmed_below > max(api.queued)
    answers = answers_by_update(api)
    twice = {update_id: n for update_id, n in answers.items() if n > 1}
    assert not twice, f"handled more than once: {twice}"
    unanswered = [u for u, n in answers.items() if n == 0]
    assert len(unanswered) <= KILLS * CONCURRENT_UPDATES, len(unanswered)
    check_database(str(database), storm, acknowledged(api, storm))
    check_votes(database, storm, api)
    check_commands(database, api)
    with sqlite3.connect(database) as db:
        kept = db.execute("SELECT COUNT(*), COUNT(payload) FROM telegram_inbox").fetchone()
    assert kept[1] == 0 and kept[0] <= 200, kept
    print(
        f"{len(api.queued)} updates, {KILLS} kills; interrupted per kill:"
        f" {[len(ids) for ids in per_kill]}; answered: {sum(answers.values())};"
        f" unanswered after a stored effect: {len(unanswered)}"
    )
