"""The loopback fake answers an interaction's callbacks as Discord does (adapters.md §4): one
initial response each, of a type its interaction takes; every harness test then checks it."""

from __future__ import annotations

import aiohttp

from . import builders
from .fake_discord import FakeDiscord


async def callback(fake: FakeDiscord, payload: dict[str, object], kind: int) -> int:
    """POST an interaction callback of `kind` for `payload`; the status the fake answers."""
    url = f"{fake.api_url}/interactions/{payload['id']}/{payload['token']}/callback"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"type": kind, "data": {}}) as response,
    ):
        return response.status


async def test_a_second_answer_and_a_message_edit_answering_a_command_are_refused(
    fake: FakeDiscord,
) -> None:
    command = builders.slash("help")
    await fake.dispatch("INTERACTION_CREATE", command)
    assert await callback(fake, command, 7) == 400  # a command has no message to update
    assert await callback(fake, command, 4) == 200
    assert await callback(fake, command, 4) == 400  # 40060: already acknowledged
    press = builders.press("v1:poll.vote:1:0", builders.snowflake())
    await fake.dispatch("INTERACTION_CREATE", press)
    assert await callback(fake, press, 7) == 200  # a press may update its message
    assert len(fake.unhandled) == 2
    fake.unhandled.clear()
