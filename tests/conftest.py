"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Parley
from tests.support import FakeClock, RecordingGateway, make_settings


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def app(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Parley]:
    """The real application (all features) on a fresh SQLite file, with a recording gateway."""
    async with Parley.open(make_settings(tmp_path), clock) as parley:
        parley.services.outbox.register(RecordingGateway())
        yield parley
