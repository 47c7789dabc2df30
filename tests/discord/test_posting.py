"""Posting to other channels: target parsing, permission checks and pins on the Discord gateway."""

from __future__ import annotations

import pytest

from bot.identity import Actor, ChatRef, MessageRef

from . import builders
from .conftest import Harness

VIEW, SEND, EMBED, MANAGE_MESSAGES, PIN = 1 << 10, 1 << 11, 1 << 14, 1 << 13, 1 << 51
BOT_ROLE = "1100000000000000077"


def guild_with_bot(bot_permissions: int):
    base = builders.guild

    def build():
        guild = base()
        guild["roles"] = [
            builders.role(builders.GUILD_ID, "@everyone", permissions=VIEW),
            builders.role(builders.MOD_ROLE_ID, "Mods", permissions=MANAGE_MESSAGES, position=1),
            builders.role(BOT_ROLE, "Parley", permissions=bot_permissions, position=2),
        ]
        guild["members"] = [{**builders.member(roles=(BOT_ROLE,)), "user": builders.bot_user()}]
        return guild

    return build


def actor() -> Actor:
    """The moderator asking; what they may do there is looked up from the guild."""
    return Actor("discord", builders.USER_ID, "Mason")


async def test_targets_and_permission_checks(harness: Harness, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(builders, "guild", guild_with_bot(VIEW | SEND | EMBED | PIN))
    adapter = await harness.start()
    gateway = adapter.gateway
    channel = ChatRef("discord", builders.CHANNEL_ID)
    assert gateway.parse_target(f"<#{builders.CHANNEL_ID}>") == channel
    assert gateway.parse_target(builders.CHANNEL_ID) == channel
    assert gateway.parse_target("#news") is None and gateway.parse_target("<@&1>") is None

    harness.fake.members[builders.USER_ID] = builders.member(roles=(builders.MOD_ROLE_ID,))
    assert await gateway.check_can_post(channel, actor()) is None

    harness.fake.members[builders.USER_ID] = builders.member()
    reason = await gateway.check_can_post(channel, actor())
    assert reason is not None and "Manage Messages" in reason.en

    unknown = ChatRef("discord", "1100000000000000999")
    reason = await gateway.check_can_post(unknown, actor())
    assert reason is not None and "can't see" in reason.en

    await gateway.pin(MessageRef(channel, "1300000000000000123"))
    pins = [c for c in harness.fake.calls if c.method == "PUT" and "/pins/" in c.path]
    assert pins[0].path == f"/channels/{builders.CHANNEL_ID}/messages/pins/1300000000000000123"


async def test_missing_bot_permissions_are_named(harness: Harness, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(builders, "guild", guild_with_bot(VIEW))
    adapter = await harness.start()
    harness.fake.members[builders.USER_ID] = builders.member(roles=(builders.MOD_ROLE_ID,))
    reason = await adapter.gateway.check_can_post(ChatRef("discord", builders.CHANNEL_ID), actor())
    assert reason is not None and "Send Messages" in reason.en
