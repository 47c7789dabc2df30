"""End to end on Telegram: vote button presses per second through the real Application.

Both sides run python-telegram-bot's real `Application` (concurrent updates as Parley builds
it) over the same in-process fake transport (tests/telegram/fake_api.py, no network), fed
through its update queue as the polling loop would:

1. Ceiling: the Application with one handler that does nothing.
2. Answer-only: the same, with a handler that only answers the callback query (the one Bot
   API call every button press needs).
3. Parley: the Application as Parley's Telegram adapter builds it, every real feature, a real
   SQLite file; each press is a vote by a different person on one of several polls, answered
   with the private acknowledgement (after the vote committed) and a coalesced live tally.
   Updates queued directly were never fetched, so the inbox only takes them (a shared commit
   per batch) and stores nothing; `benchmarks/inbox.py` measures the whole inbox.

Usage: `python benchmarks/telegram_e2e.py` (20,000 presses) or `--quick` (4,000).
"""

from __future__ import annotations

# ruff: noqa: E402  (imports follow the sys.path set-up for running from a checkout)
import argparse
import asyncio
import json
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

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
from storage.database import Database
from storage.inbox import InboxRepository
from tests.support import FakeClock, make_settings
from tests.telegram.builders import make_callback_update, make_message_update
from tests.telegram.fake_api import TOKEN, FakeBotApi, FakeRequest

VOTE = PollVote(poll=1, option=0).encode()
POLLS = 5
TARGET = 0.8


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


async def drive(application: Application, payloads: list[dict], done) -> float:
    """Queue every update, start the Application's update processing, time until all handled."""
    updates = [Update.de_json(payload, application.bot) for payload in payloads]
    started = time.perf_counter()
    await application.start()
    for update in updates:
        application.update_queue.put_nowait(update)
    while not done():  # noqa: ASYNC110 (polling a counter is the point here)
        await asyncio.sleep(0.001)
    elapsed = time.perf_counter() - started
    await application.stop()
    return elapsed


async def ceiling(payloads: list[dict], folder: Path, *, answer: bool = False) -> float:
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
    handled = 0

    async def nothing(update: Update, context: object) -> None:
        nonlocal handled
        if answer:
            await update.callback_query.answer("ok")
        handled += 1

    application.add_handler(TypeHandler(Update, nothing))
    await application.initialize()
    try:
        return await drive(application, payloads, lambda: handled == len(payloads))
    finally:
        await application.shutdown()


async def parley(payloads_for, count: int, folder: Path) -> tuple[float, FakeBotApi]:
    api = FakeBotApi()
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
            elapsed = await drive(
                application, payloads, lambda: len(api.of("answerCallbackQuery")) >= count
            )
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


async def main_async(count: int) -> None:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        parley_s, api = await parley(lambda p: presses(p, count), count, Path(folder))
        base_s = await ceiling(presses([(700, (VOTE,))], count), Path(folder))
        answer_s = await ceiling(presses([(700, (VOTE,))], count), Path(folder), answer=True)
    acks = [c for c in api.of("answerCallbackQuery") if "Your vote" in str(c.params.get("text"))]
    edits = len(api.of("editMessageText"))
    print(f"{count} vote presses (distinct voters, {POLLS} polls), python-telegram-bot Application")
    print(f"ceiling (no-op handler)   {count / base_s:>9,.0f} updates/s  ({base_s:.2f} s)")
    print(
        f"Parley (vote + ack)       {count / parley_s:>9,.0f} updates/s  ({parley_s:.2f} s;"
        f" {len(acks)} acks, {edits} tally edits)"
    )
    print(f"answer-only handler       {count / answer_s:>9,.0f} updates/s  ({answer_s:.2f} s)")
    print(f"Parley / ceiling: {base_s / parley_s:.2f} (target >= {TARGET})")
    print(f"Parley / answer-only: {answer_s / parley_s:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run for CI")
    count = 4_000 if parser.parse_args().quick else 20_000
    asyncio.run(main_async(count))


if __name__ == "__main__":
    main()
