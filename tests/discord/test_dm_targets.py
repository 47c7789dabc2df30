"""Posting into direct messages and threads (finding 18): the real discord.py client fetches the
target from the fake Discord, and the gateway allows a DM only when it is the actor's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.identity import Actor, ChatRef
from tests.hostile.platforms import discord_parley

from . import builders
from .conftest import Harness
from .test_posting import EMBED, SEND, VIEW, guild_with_bot

OWN_DM = "1100000000000000099"  # the DM of builders.USER_ID (Mallory here) with the bot
OTHER_DM = "1100000000000000098"
VICTIM = "1100000000000000777"
SEND_IN_THREADS = 1 << 38


def dm_channel(channel_id: str, recipient: str) -> dict[str, object]:
    return {"id": channel_id, "type": 1, "recipients": [builders.user(recipient, "Someone")]}


def mallory() -> Actor:
    return Actor("discord", builders.USER_ID, "Mallory")


async def test_only_the_actors_own_dm_is_a_target(harness: Harness) -> None:
    harness.fake.channels[OWN_DM] = dm_channel(OWN_DM, builders.USER_ID)
    harness.fake.channels[OTHER_DM] = dm_channel(OTHER_DM, VICTIM)
    gateway = (await harness.start()).gateway

    assert await gateway.check_can_post(ChatRef("discord", OWN_DM), mallory()) is None
    for channel, actor in ((OTHER_DM, mallory()), (OWN_DM, Actor("discord", VICTIM, "V"))):
        reason = await gateway.check_can_post(ChatRef("discord", channel), actor)
        assert reason is not None
        assert "not your direct message" in reason.en and "不是你与我的私信" in reason.zh


async def test_a_thread_needs_manage_messages_like_its_channel(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builders, "guild", guild_with_bot(VIEW | SEND | EMBED | SEND_IN_THREADS))
    harness.fake.channels[builders.THREAD_ID] = builders.thread()
    gateway = (await harness.start()).gateway
    thread = ChatRef("discord", builders.THREAD_ID)

    harness.fake.members[builders.USER_ID] = builders.member()
    reason = await gateway.check_can_post(thread, mallory())
    assert reason is not None and "Manage Messages" in reason.en
    harness.fake.members[builders.USER_ID] = builders.member(roles=(builders.MOD_ROLE_ID,))
    assert await gateway.check_can_post(thread, mallory()) is None


async def test_post_into_someone_elses_dm_is_refused_and_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_parley(tmp_path, monkeypatch) as rig:
        rig.fake.channels[OTHER_DM] = dm_channel(OTHER_DM, VICTIM)
        command = builders.slash("post", {"item": "debate", "details": OTHER_DM}, dm=True)
        calls = await rig.interact(command)
        answered = " ".join(call.text for call in calls)
        assert "not your direct message" in answered, answered
        posted = [c for c in rig.fake.calls if c.path == f"/channels/{OTHER_DM}/messages"]
        assert posted == []
