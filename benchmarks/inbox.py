"""The durable inbox's cost on the vote path: vote presses/s through the real polling loop.

Both sides run python-telegram-bot's real `Updater` (getUpdates pages of at most 100, as
Telegram sends them) and `Application` as Parley's Telegram adapter builds them, every real
feature and a real SQLite file, over the in-process fake Bot API (tests/telegram/fake_api.py,
no network). Every press is a vote by a different person, answered once committed.

1. Today's path: the inbox switched off (nothing stored, nothing taken): the library confirms
   a page with its next getUpdates, whatever happened to it.
2. Inbox: each page stored before the library sees it, each update taken (a shared commit)
   before its handler runs and marked finished after, confirmed rows pruned.

Usage: `python benchmarks/inbox.py` (5,000 presses, best of 3 interleaved rounds) or
`--quick` (2,000, one round).
"""

from __future__ import annotations

# ruff: noqa: E402  (imports follow the sys.path set-up for running from a checkout)
import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update

from benchmarks.telegram_e2e import presses, vote_buttons
from bot.adapters.telegram import TelegramAdapter, TelegramOptions
from bot.adapters.telegram.connection import TokenWatch, build_application
from bot.adapters.telegram.inbox import Inbox
from bot.app import Parley
from parley.features import build_features
from tests.reliability.storm import PagedBotApi
from tests.support import FakeClock, make_settings
from tests.telegram.builders import make_message_update
from tests.telegram.fake_api import TOKEN, FakeRequest

POLLS = 5


class NoInbox(Inbox):
    """Today's path: nothing stored, every update handled as it comes."""

    async def open(self) -> list[tuple[int, dict[str, Any]]]:
        return []

    async def store(
        self, updates: Sequence[dict[str, Any]], *, confirmed_below: int | None = None
    ) -> None:
        return None

    async def take(self, update_id: int) -> bool:
        return True

    def finish(self, update_id: int) -> None:
        return None


async def run(count: int, folder: Path, *, durable: bool) -> tuple[float, int]:
    """Seconds until `count` presses are answered, and the rows left in the inbox."""
    api = PagedBotApi()
    settings = make_settings(folder, TELEGRAM_TOKEN=TOKEN)
    async with Parley.open(settings, FakeClock(), features=build_features) as app:
        repository = app.services.storage.inbox
        inbox = Inbox(repository) if durable else NoInbox(repository)
        watch = TokenWatch()
        application = build_application(
            TOKEN,
            None,
            watch,
            inbox,
            request=FakeRequest(api),
            get_updates_request=FakeRequest(api),
        )
        adapter = TelegramAdapter(
            application,
            app.router,
            app.services.registry,
            watch=watch,
            inbox=inbox,
            options=TelegramOptions(poll_timeout=1, bootstrap_retries=0),
        )
        app.services.outbox.register(adapter.gateway)  # live tallies are edited, as in `serve`
        await application.initialize()
        for number in range(POLLS):
            command = f"/poll Bench question {number}? | Red | Green | Blue | Grey"
            update = make_message_update(command, chat_type="supergroup")
            await application.process_update(Update.de_json(update, application.bot))
        for update in presses(vote_buttons(api), count):
            api.queue_update(update)
        api.calls.clear()
        started = time.perf_counter()
        await adapter.start()
        while len(api.of("answerCallbackQuery")) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.001)
        elapsed = time.perf_counter() - started
        await adapter.stop()
        await app.services.features.shutdown()
        acks = sum("Your vote" in str(c.params.get("text")) for c in api.of("answerCallbackQuery"))
        assert acks == count, f"{acks} of {count} presses acknowledged as votes"
        row = await app.services.storage.database.fetch_one("SELECT COUNT(*) FROM telegram_inbox")
    return elapsed, int(row[0]) if row else 0


async def main_async(count: int, rounds: int) -> None:
    logging.disable(logging.WARNING)
    today: list[float] = []
    durable: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(rounds):  # interleaved, best of each: the machine may be shared
            today.append((await run(count, Path(folder) / f"today{number}", durable=False))[0])
            seconds, kept = await run(count, Path(folder) / f"inbox{number}", durable=True)
            durable.append(seconds)
    today_s, inbox_s = min(today), min(durable)
    print(
        f"{count} vote presses (distinct voters, {POLLS} polls) through the real polling loop,"
        f" best of {rounds}"
    )
    print(f"today's path (no inbox)   {count / today_s:>9,.0f} presses/s  ({today_s:.2f} s)")
    print(
        f"with the durable inbox    {count / inbox_s:>9,.0f} presses/s  ({inbox_s:.2f} s;"
        f" {kept} bare ids left in the inbox)"
    )
    extra_ms = (inbox_s - today_s) / count * 1000
    print(f"Inbox / today: {today_s / inbox_s:.2f} of the throughput ({extra_ms:+.3f} ms a press)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run for CI")
    quick = parser.parse_args().quick
    asyncio.run(main_async(2_000 if quick else 5_000, 1 if quick else 3))


if __name__ == "__main__":
    main()
