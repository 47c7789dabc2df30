"""End to end on Telegram: vote button presses per second through the real Application.

Each arm runs python-telegram-bot's real `Application` (concurrent updates as Parley builds
it) over the same in-process fake transport (tests/telegram/fake_api.py, no network), in a
fresh interpreter of its own, and the arms are interleaved over several runs:

1. No-op: the Application with one handler that does nothing.
2. Answer-only: a handler that only answers the callback query (the one Bot API call every
   button press needs): what the simplest useful bot costs.
3. Parley: the Application as Parley's Telegram adapter builds it, every real feature, a real
   SQLite file; each press is a vote by a different person on one of several polls, answered
   with the private acknowledgement (after the vote committed) and a coalesced live tally.
   Updates queued directly were never fetched, so the inbox only takes them (a shared commit
   per batch) and stores nothing; `benchmarks/inbox.py` measures the whole inbox.

The clock covers parsing (`Update.de_json`, the largest stage of a real press) and updates are
fed as the polling loop feeds them: batches of 100, the next once the previous is nearly
handled. Completion is counted, not searched for. Prints each arm's min–max rate and the
paired ratios Parley / answer-only and Parley / no-op of each run.

Usage: `python benchmarks/telegram_e2e.py` (5 runs × 20,000 presses) or `--quick` (2 × 2,000).
"""

from __future__ import annotations

# ruff: noqa: E402  (imports follow the sys.path set-up for running from a checkout)
import argparse
import asyncio
import json
import logging
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.adapters.telegram import TelegramOptions, create_adapter
from bot.adapters.telegram.connection import TokenWatch, build_application
from bot.adapters.telegram.inbox import Inbox
from bot.app import Parley
from handlers.polls.actions import PollVote
from parley.features import build_features
from parley.heap import settle_heap
from storage.database import Database
from storage.inbox import InboxRepository
from tests.support import FakeClock, make_settings
from tests.telegram.builders import make_callback_update, make_message_update
from tests.telegram.fake_api import TOKEN, FakeBotApi, FakeRequest

VOTE = PollVote(poll=1, option=0).encode()
POLLS = 5
BATCH = 100
"""Updates per getUpdates answer, as Telegram sends them."""
TARGET = 0.7
ARMS = ("noop", "answer", "parley")


class Progress:
    """How many presses were handled, and a wait for a count (no polling of the count)."""

    def __init__(self) -> None:
        self.count = 0
        self._goal = 0
        self._reached: asyncio.Future[None] | None = None

    def add(self) -> None:
        """One more press handled."""
        self.count += 1
        if self._reached is not None and self.count >= self._goal:
            self._reached.set_result(None)
            self._reached = None

    async def reach(self, goal: int) -> None:
        """Return once `goal` presses are handled (the loop idles meanwhile, as polling does)."""
        if self.count < goal:
            self._goal, self._reached = goal, asyncio.get_running_loop().create_future()
            await self._reached


class CountingBotApi(FakeBotApi):
    """The fake Bot API, counting answered callback queries as they happen."""

    def __init__(self) -> None:
        super().__init__()
        self.answered = Progress()

    async def answer(
        self, method: str, params: dict[str, Any], files: dict[str, bytes], token: str
    ) -> tuple[int, dict[str, Any]]:
        """Count, then answer as the fake does."""
        if method == "answerCallbackQuery":
            self.answered.add()
        return await super().answer(method, params, files, token)


def presses(polls: list[tuple[int, tuple[str, ...]]], count: int) -> list[dict]:
    """`count` presses by distinct voters on the buttons of `(message_id, payloads)` polls."""
    rng = random.Random(3)
    updates = []
    for number in range(count):
        message_id, options = rng.choice(polls)
        updates.append(
            make_callback_update(
                rng.choice(options),
                message_id=message_id,
                chat_type="supergroup",
                user_id=10_000_000 + number,
            )
        )
    return updates


async def drive(application: Application, payloads: list[dict], handled: Progress) -> float:
    """Parse and queue the updates batch by batch as polling would; time until all handled.

    Between batches the loop waits as a long poll does, idle (a busy wait would take the CPU
    from the threads the handlers wait on, such as the database's).
    """
    await application.start()
    started = time.perf_counter()
    for first in range(0, len(payloads), BATCH):
        await handled.reach(first - BATCH)  # the next long poll returns later
        for payload in payloads[first : first + BATCH]:
            application.update_queue.put_nowait(Update.de_json(payload, application.bot))
        await asyncio.sleep(0)
    await handled.reach(len(payloads))
    elapsed = time.perf_counter() - started
    await application.stop()
    return elapsed


async def ceiling(payloads: list[dict], folder: Path, *, answer: bool = False) -> float:
    """The no-op or answer-only Application's seconds for `payloads`."""
    api = FakeBotApi()
    async with Database.open(folder / f"ceiling-{answer}.db") as database:
        inbox = Inbox(InboxRepository(database))  # unused: updates are queued, not fetched
        application = build_application(
            TOKEN,
            None,
            TokenWatch(),
            inbox,
            request=FakeRequest(api),
            get_updates_request=FakeRequest(api),
        )
        return await _time_ceiling(application, payloads, answer=answer)


async def _time_ceiling(application: Application, payloads: list[dict], *, answer: bool) -> float:
    handled = Progress()

    async def nothing(update: Update, context: object) -> None:
        if answer:
            await update.callback_query.answer("ok")
        handled.add()

    application.add_handler(TypeHandler(Update, nothing))
    await application.initialize()
    try:
        return await drive(application, payloads, handled)
    finally:
        await application.shutdown()


async def parley(payloads_for, count: int, folder: Path) -> tuple[float, FakeBotApi]:
    """Parley's seconds for `count` vote presses, and the fake API that saw them."""
    api = CountingBotApi()
    settings = make_settings(folder, TELEGRAM_TOKEN=TOKEN)
    async with Parley.open(settings, FakeClock(), features=build_features) as app:
        adapter = create_adapter(
            settings,
            app,
            options=TelegramOptions(poll_timeout=0, bootstrap_retries=0),
            request=FakeRequest(api),
            get_updates_request=FakeRequest(api),
        )
        app.services.outbox.register(adapter.gateway)  # live tallies are edited, as in `serve`
        application = adapter.application
        await application.initialize()
        try:
            for number in range(POLLS):
                command = f"/poll Bench question {number}? | Red | Green | Blue | Grey"
                update = make_message_update(command, chat_type="supergroup")
                await application.process_update(Update.de_json(update, application.bot))
            payloads = payloads_for(vote_buttons(api))
            api.calls.clear()
            api.answered = Progress()
            settle_heap()  # as `parley run` does once started
            elapsed = await drive(application, payloads, api.answered)
            await app.services.features.shutdown()
        finally:
            await adapter.stop()
    return elapsed, api


def vote_buttons(api: FakeBotApi) -> list[tuple[int, tuple[str, ...]]]:
    """Each posted poll's message id and vote button payloads."""
    found = []
    for call in api.of("sendMessage"):
        markup = call.params.get("reply_markup")
        if markup:
            markup = markup if isinstance(markup, dict) else json.loads(markup)
            buttons = tuple(
                button["callback_data"]
                for row in markup["inline_keyboard"]
                for button in row
                if "poll.vote" in button.get("callback_data", "")
            )
            found.append((call.result["message_id"], buttons))
    return found


async def one_arm(arm: str, count: int) -> dict[str, float | int]:
    """Run one arm in this process; its rate (and, for Parley, what it sent)."""
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        if arm == "parley":
            seconds, api = await parley(lambda p: presses(p, count), count, Path(folder))
            acks = sum(
                "Your vote" in str(c.params.get("text")) for c in api.of("answerCallbackQuery")
            )
            edits = len(api.of("editMessageText"))
            return {"rate": count / seconds, "acks": acks, "edits": edits}
        payloads = presses([(700, (VOTE,))], count)
        seconds = await ceiling(payloads, Path(folder), answer=arm == "answer")
        return {"rate": count / seconds}


def run_in_fresh_process(arm: str, count: int) -> dict[str, float | int]:
    """One arm in a new interpreter (no heap or calls left over from another arm)."""
    command = [sys.executable, __file__, "--arm", arm, "--count", str(count)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def spread(values: list[float]) -> str:
    """`min–max` of `values`, formatted."""
    return f"{min(values):,.0f}–{max(values):,.0f}"


def compare(count: int, runs: int) -> None:
    """Every arm in fresh processes, interleaved, `runs` times; rates and paired ratios."""
    rates: dict[str, list[float]] = {arm: [] for arm in ARMS}
    last: dict[str, float | int] = {}
    for _ in range(runs):
        for arm in ARMS:
            figures = run_in_fresh_process(arm, count)
            rates[arm].append(float(figures["rate"]))
            last = figures if arm == "parley" else last
    print(
        f"{count} vote presses (distinct voters, {POLLS} polls), python-telegram-bot Application,"
        f" parsing on the clock, {BATCH} updates per poll, {runs} runs, each arm in a fresh process"
    )
    print(f"no-op handler        {spread(rates['noop']):>17} presses/s")
    print(f"answer-only handler  {spread(rates['answer']):>17} presses/s")
    print(
        f"Parley (vote + ack)  {spread(rates['parley']):>17} presses/s"
        f"  (last run: {last.get('acks')} acks, {last.get('edits')} tally edits)"
    )
    per_answer = [p / a for p, a in zip(rates["parley"], rates["answer"], strict=True)]
    per_noop = [p / n for p, n in zip(rates["parley"], rates["noop"], strict=True)]
    print(f"Parley / answer-only: {min(per_answer):.2f}–{max(per_answer):.2f} (goal >= {TARGET})")
    print(f"Parley / no-op:       {min(per_noop):.3f}–{max(per_noop):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run for CI")
    parser.add_argument("--arm", choices=ARMS, help="run one arm here and print its figures")
    parser.add_argument("--count", type=int)
    arguments = parser.parse_args()
    count = arguments.count or (2_000 if arguments.quick else 20_000)
    if arguments.arm:
        print(json.dumps(asyncio.run(one_arm(arguments.arm, count))))
        return
    compare(count, 2 if arguments.quick else 5)


if __name__ == "__main__":
    main()
