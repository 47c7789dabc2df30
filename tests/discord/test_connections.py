"""A burst of interactions answered at once opens a bounded number of HTTP connections."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.adapters.discord.client import REST_CONNECTIONS

from . import builders
from .conftest import Harness
from .test_shard_processes import eventually

BURST = 3 * REST_CONNECTIONS
GATEWAY = 1  # the fake serves the gateway on the REST API's host, so it takes one of them


def about_by(person: int) -> dict[str, Any]:
    """`/about` asked by a person of their own (one person's commands are taken in turn)."""
    payload = builders.slash("about")
    payload["member"]["user"] = builders.user(f"4100000000000{person:05d}", f"Reader {person}")
    return payload


async def test_a_burst_of_answers_shares_a_bounded_pool_of_connections(harness: Harness) -> None:
    await harness.start()
    fake = harness.fake
    fake.hold_callbacks = asyncio.Event()  # Discord is slow to take the answers
    burst = [about_by(person) for person in range(BURST)]
    for payload in burst:
        await fake.dispatch("INTERACTION_CREATE", payload)

    # Every interaction is answered while the first answers are still held: an unbounded
    # client opens a connection for each of them, a bounded one waits for a free one.
    await eventually(lambda: fake.held_callbacks >= REST_CONNECTIONS - GATEWAY, "the first answers")
    await eventually(lambda: len(harness.handled_by) == BURST, "every interaction is handled")
    for _ in range(20):
        await asyncio.sleep(0.005)  # room for any further connection to be made
    assert fake.held_callbacks == REST_CONNECTIONS - GATEWAY
    fake.hold_callbacks.set()
    callbacks = lambda: [c for c in fake.calls if c.path.endswith("/callback")]  # noqa: E731
    await eventually(lambda: len(callbacks()) == BURST, "every interaction is answered")

    assert fake.connections_opened <= REST_CONNECTIONS, fake.connections_opened
    assert all("Parley" in answer.text for answer in callbacks())
