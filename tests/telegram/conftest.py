"""The Telegram harness: Parley with the real `Application` over the fake Bot API transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import ContextTypes

from bot.adapters.telegram import TelegramAdapter, TelegramOptions, create_adapter
from bot.adapters.telegram.retry import RetryPolicy
from bot.app import Parley
from bot.config import Settings
from bot.services import Feature, Services
from parley.features import build_features
from tests.support import FakeClock, make_settings
from tests.telegram.fake_api import TOKEN, FakeBotApi, FakeRequest
from tests.telegram.feature import TelegramTestFeature, telegram_test_features


async def no_sleep(seconds: float) -> None:
    """Stand-in for `asyncio.sleep` in retry policies: no waiting in tests."""
    SLEEPS.append(seconds)


SLEEPS: list[float] = []

FAST = TelegramOptions(
    poll_timeout=1,
    start_attempts=3,
    start_delay=0.01,
    bootstrap_retries=0,
    retry=RetryPolicy(sleep=no_sleep),
    sleep=no_sleep,
)


@dataclass
class Harness:
    """A running Telegram adapter, the fake API behind it, and the errors it reported."""

    parley: Parley
    adapter: TelegramAdapter
    api: FakeBotApi
    feature: TelegramTestFeature
    errors: list[BaseException] = field(default_factory=list)

    async def feed(self, payload: dict[str, Any]) -> None:
        """Process one update as the application would, and the live edits it caused."""
        application = self.adapter.application
        await application.process_update(Update.de_json(payload, application.bot))
        await self.parley.services.background.idle()

    def texts(self, method: str = "sendMessage") -> list[str]:
        return [
            str(call.params.get("text", call.params.get("caption", "")))
            for call in self.api.of(method)
        ]

    def clear(self) -> None:
        self.api.calls.clear()


@asynccontextmanager
async def shipped_bot(
    settings: Settings, clock: FakeClock, api: FakeBotApi
) -> AsyncIterator[TelegramAdapter]:
    """Every shipped feature on a started Telegram adapter over the fake Bot API."""
    async with shipped_parley(settings, clock, api) as (_, adapter):
        yield adapter


@asynccontextmanager
async def shipped_parley(
    settings: Settings, clock: FakeClock, api: FakeBotApi, options: TelegramOptions = FAST
) -> AsyncIterator[tuple[Parley, TelegramAdapter]]:
    """`shipped_bot` with its `Parley`, whose outbox (scheduled posts) sends on Telegram."""
    async with Parley.open(settings, clock, features=build_features) as parley:
        adapter = create_adapter(
            settings,
            parley,
            options=options,
            request=FakeRequest(api),
            get_updates_request=FakeRequest(api),
        )
        parley.services.outbox.register(adapter.gateway)
        await adapter.start()
        try:
            yield parley, adapter
        finally:
            await adapter.stop()


@pytest.fixture
def api() -> FakeBotApi:
    return FakeBotApi()


@pytest.fixture
async def harness(tmp_path: Path, clock: FakeClock, api: FakeBotApi) -> AsyncIterator[Harness]:
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, PARLEY_RATE_LIMIT_BURST=1000)
    built: list[Feature] = []

    def features(services: Services) -> list[Feature]:
        built.extend(telegram_test_features(services))
        return built

    async with Parley.open(settings, clock, features=features) as parley:
        adapter = create_adapter(
            settings,
            parley,
            options=FAST,
            request=FakeRequest(api),
            get_updates_request=FakeRequest(api),
        )
        feature = next(f for f in built if isinstance(f, TelegramTestFeature))
        harness = Harness(parley, adapter, api, feature)

        async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert context.error is not None
            harness.errors.append(context.error)

        adapter.application.add_error_handler(record)
        await adapter.start()
        try:
            yield harness
        finally:
            await adapter.stop()
        assert harness.errors == []
        assert api.unknown == []
