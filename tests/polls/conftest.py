"""Fixtures for poll tests: the real app (all features) with a short live-update interval."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Parley
from bot.services import Feature, Services
from handlers.polls.feature import PollFeature
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from parley.features import build_features
from tests.polls.helpers import remember_live_updates
from tests.support import FakeClock, RecordingGateway, make_settings

EDIT_INTERVAL = 0.05


def features_with_fast_edits(services: Services) -> list[Feature]:
    polls = load_topic(DEFAULT_TOPIC).polls
    features = [
        PollFeature(services, polls, edit_interval=EDIT_INTERVAL)
        if isinstance(f, PollFeature)
        else f
        for f in build_features(services)
    ]
    for feature in features:
        if isinstance(feature, PollFeature):
            remember_live_updates(services, feature)
    return features


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path, PARLEY_RATE_LIMIT_BURST=10_000)


@pytest.fixture
async def polls_app(settings, clock: FakeClock) -> AsyncIterator[Parley]:
    async with Parley.open(settings, clock, features=features_with_fast_edits) as parley:
        parley.services.outbox.register(RecordingGateway())
        yield parley
