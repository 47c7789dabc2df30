"""A flood wait on a live tally's edit never holds up the voter (adapters.md D2).

The group is over its flood limit: Telegram answers every edit there with 429 and
`retry_after=20` (the fake's `flood`); the edit waits that out on the adapter's sleep, which
here waits for the test. Meanwhile the same person's next press goes through the real update
processor (in order per person) and is answered at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.retry import RetryPolicy
from tests.support import FakeClock, make_settings
from tests.telegram.builders import BOB, GROUP_ID, make_callback_update, make_message_update
from tests.telegram.conftest import FAST, shipped_parley
from tests.telegram.fake_api import TOKEN, FakeBotApi
from tests.telegram.test_lazy_moderators import answers, buttons


class FloodWait:
    """The retry policy's sleep: it starts when Telegram asks to wait, ends when released."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.started = asyncio.Event()
        self.over = asyncio.Event()

    @contextlib.asynccontextmanager
    async def ending(self) -> AsyncIterator[None]:
        """Release the wait when the block ends, also on a failure (so shutdown can finish)."""
        try:
            yield
        finally:
            self.over.set()

    async def sleep(self, seconds: float) -> None:
        self.asked.append(seconds)
        self.started.set()
        await self.over.wait()


async def through_the_processor(adapter: TelegramAdapter, payload: dict) -> None:
    """Handle an update as the updater does: via the per-person ordered processor."""
    application = adapter.application
    update = Update.de_json(payload, application.bot)
    await application.update_processor.process_update(update, application.process_update(update))


@pytest.mark.timeout(30)  # the old code held the second press until the wait was over
async def test_the_same_persons_second_press_is_answered_during_the_flood_wait(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # RetryAfter.retry_after as PTB 23 has it
    flood = FloodWait()
    options = dataclasses.replace(FAST, retry=RetryPolicy(sleep=flood.sleep))
    api = FakeBotApi()
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, PARLEY_RATE_LIMIT_BURST=1000)
    async with (
        shipped_parley(settings, clock, api, options) as (parley, adapter),
        flood.ending(),
    ):
        poll = make_message_update("/poll Lunch? | Pizza | Soup", chat_type="supergroup")
        await through_the_processor(adapter, poll)
        message_id, data = buttons(api)
        api.flood(GROUP_ID, retry_after=20)  # the group is over its edit limit

        def bobs_press(option: int) -> dict:
            return make_callback_update(
                data[option], message_id=message_id, chat_type="supergroup", user_id=BOB
            )

        await through_the_processor(adapter, bobs_press(0))
        await flood.started.wait()  # the live edit is waiting out Telegram's 20 s
        await through_the_processor(adapter, bobs_press(1))

        assert flood.asked == [20.0] and not flood.over.is_set()
        assert [text.split(".")[0] for text in answers(api)] == [
            "Your vote in poll #1 is in: Pizza",
            "Your vote in poll #1 is now: Soup",
        ]
        api.flood_over(GROUP_ID)
        flood.over.set()
        await parley.services.background.idle()
        _refused, retried = api.of("editMessageText")  # Bob's first vote, after the wait
        assert "Pizza\n██████████ 100% (1)" in retried.params["text"]
    # Bob's change waits out the poll's 2 s between edits; a stopping bot draws it at once.
    latest = api.of("editMessageText")[-1].params["text"]
    assert "Soup\n██████████ 100% (1)" in latest
