"""Fixtures for moderation tests: the demo app with its recording gateway at hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Parley
from tests.core.demo_feature import demo_features
from tests.support import FakeClock, RecordingGateway, make_settings


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
async def mod_app(tmp_path: Path, clock: FakeClock, gateway) -> AsyncIterator[Parley]:
    async with Parley.open(make_settings(tmp_path), clock, features=demo_features) as parley:
        parley.services.outbox.register(gateway)
        yield parley
