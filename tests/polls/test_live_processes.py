"""Two Parley processes (two apps) on one PostgreSQL database share each poll's live edits."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.app import Parley
from bot.identity import MessageRef
from bot.reply import Reply
from bot.services import Feature, Services
from handlers.polls.actions import PollVote
from handlers.polls.feature import EDIT_INTERVAL_SECONDS, PollFeature
from parley.features import build_features
from tests.polls.helpers import press, run
from tests.support import FakeClock, RecordingGateway, make_actor, make_settings

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ALICE = make_actor("alice")


@dataclass
class TimedGateway(RecordingGateway):
    """A recording gateway that also notes when each edit was made."""

    edited_at: list[tuple[float, MessageRef, Reply]] = field(default_factory=list)

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        await super().edit(message, reply)
        self.edited_at.append((time.monotonic(), message, reply))


def counts(text: str) -> list[str]:
    """The tally's figures: each option's `(n)` and the total."""
    return re.findall(r"\(\d+\)|Total voters: \d+", text)


async def test_two_processes_voting_into_one_poll_edit_its_message_once_per_interval_ending_exact(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = make_settings(
        tmp_path, PARLEY_DATABASE_URL=postgres_url, PARLEY_RATE_LIMIT_BURST=10_000
    )
    coalescers = []

    def features(services: Services) -> list[Feature]:
        built = build_features(services)
        coalescers.extend(f.service.live for f in built if isinstance(f, PollFeature))
        return built

    async with AsyncExitStack() as stack:
        apps = [
            await stack.enter_async_context(Parley.open(settings, FakeClock(), features=features))
            for _ in range(2)
        ]
        gateways = [TimedGateway() for _ in apps]
        for app, gateway in zip(apps, gateways, strict=True):
            app.services.outbox.register(gateway)
        await run(apps[0], "/poll Lunch? | Soup | Salad", ALICE)  # posted as message chat-1

        async def vote(n: int) -> None:
            actor = make_actor(f"v{n}")
            await press(apps[n % 2], PollVote(poll=1, option=n % 3 % 2), actor, message="chat-1")

        for burst in range(12):  # votes through both processes for about four intervals
            await asyncio.gather(*(vote(burst * 5 + k) for k in range(5)))
            await asyncio.sleep(0.35)
        for _ in range(round(30 * EDIT_INTERVAL_SECONDS)):  # the trailing edit, whoever holds it
            if not any(len(live) for live in coalescers):
                break
            await asyncio.sleep(0.1)

        edits = sorted(
            (at, reply) for gateway in gateways for at, message, reply in gateway.edited_at
        )
        assert {message.message_id for g in gateways for _, message, _ in g.edited_at} == {"chat-1"}
        assert all(gateway.edited_at for gateway in gateways)  # both processes took a turn
        gaps = [later[0] - earlier[0] for earlier, later in itertools.pairwise(edits)]
        assert len(edits) >= 2 and min(gaps) >= EDIT_INTERVAL_SECONDS - 0.1
        stored = (await run(apps[1], "/poll results 1")).text
        assert counts(edits[-1][1].plain_text()) == counts(stored)
        assert "Total voters: 60" in stored
