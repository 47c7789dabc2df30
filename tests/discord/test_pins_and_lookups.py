"""`/post … pin` needs Pin Messages (split from Manage Messages, alone since February 2026), and
a member lookup that fails inside the 3-second window is reported as what it is."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.adapters.discord import gateway
from tests.discord import builders
from tests.tours import discord_tour as tour_rig
from tests.tours.discord_tour import ADMIN, discord_tour, response_of, text_of

PIN_MESSAGES = 1 << 51
LOG = "1100000000000000044"
BOT_CAN_POST = tour_rig.VIEW | tour_rig.SEND | tour_rig.EMBED | tour_rig.ATTACH


def bot_role(permissions: int) -> None:
    """Give the bot's role in the tour's guild `permissions` (before the tour starts)."""
    plain = tour_rig.guild

    def guild() -> dict[str, object]:
        data = plain()
        data["roles"] = [
            *data["roles"][:2],  # type: ignore[index]
            builders.role(tour_rig.BOT_ROLE, "Parley", permissions=permissions, position=2),
        ]
        return data

    tour_rig.guild = guild  # type: ignore[assignment]


def pins(calls: list[object]) -> list[object]:
    return [c for c in calls if c.method == "PUT" and "/pins/" in c.path]  # type: ignore[attr-defined]


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
async def test_pinning_without_pin_messages_says_which_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    monkeypatch.setattr(tour_rig, "guild", tour_rig.guild)
    bot_role(BOT_CAN_POST | builders.MANAGE_MESSAGES)  # Manage Messages no longer pins
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await tour.slash(
            "post", {"item": "summary", "details": "pin"}, user=ADMIN, locale=locale
        )
        answer = text_of(response_of(calls, ephemeral=True))
        assert pins(tour.rig.fake.calls) == []  # not even tried
    if locale == "en-US":
        assert "could not pin it: I need the Pin Messages permission" in answer
        assert "Manage Messages" in answer
    else:
        assert "置顶" in answer and "我需要在那个频道拥有“置顶消息”权限" in answer


async def test_pinning_with_pin_messages_pins_and_a_refusal_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tour_rig, "guild", tour_rig.guild)
    bot_role(BOT_CAN_POST | PIN_MESSAGES)
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await tour.slash("post", {"item": "summary", "details": "pin"}, user=ADMIN)
        assert "and pinned it" in text_of(response_of(calls, ephemeral=True))
        assert len(pins(tour.rig.fake.calls)) == 1

        tour.rig.fake.refuse_pins = True  # e.g. a channel overwrite denies it
        calls = await tour.slash("post", {"item": "summary", "details": "pin"}, user=ADMIN)
        assert "I need the Pin Messages permission" in text_of(response_of(calls, ephemeral=True))


def with_second_channel() -> None:
    """The tour's guild with a second text channel, LOG."""
    plain = tour_rig.guild

    def guild() -> dict[str, object]:
        data = plain()
        channel = {**builders.text_channel(), "id": LOG, "name": "log"}
        data["channels"] = [*data["channels"], channel]  # type: ignore[misc]
        return data

    tour_rig.guild = guild  # type: ignore[assignment]


async def test_posting_into_the_invokers_own_channel_needs_no_member_lookup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """adapters.md D6: the interaction already says what its member may do in its channel."""
    async with discord_tour(tmp_path, monkeypatch) as tour:
        del tour.rig.fake.members[ADMIN]  # a member lookup would fail
        calls = await tour.slash(
            "schedule", {"item": "summary", "when": "in 2h"}, subcommand="create", user=ADMIN
        )
        assert "Scheduled #1" in text_of(response_of(calls, ephemeral=True))  # a moderator panel
        assert not [c for c in tour.rig.fake.calls if "/members/" in c.path]


async def test_a_member_lookup_discord_does_not_answer_in_time_is_not_a_missing_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gateway, "MEMBER_LOOKUP_SECONDS", 0.05)
    monkeypatch.setattr(tour_rig, "guild", tour_rig.guild)
    with_second_channel()
    elsewhere = {"item": "summary", "when": f"in 2h <#{LOG}>"}
    async with discord_tour(tmp_path, monkeypatch) as tour:
        tour.rig.fake.hold_members = asyncio.Event()  # Discord is slow to answer
        calls = await tour.slash("schedule", elsewhere, subcommand="create", user=ADMIN)
        tour.rig.fake.hold_members.set()
        answer = text_of(response_of(calls, ephemeral=True))
        assert "Discord did not tell me in time what you may do in that channel" in answer
        assert "Manage Messages" not in answer

        del tour.rig.fake.members[ADMIN]  # Discord: 10007 Unknown Member
        calls = await tour.slash("schedule", elsewhere, subcommand="create", user=ADMIN)
        answer = text_of(response_of(calls, ephemeral=True))
        assert "you are not a member of that channel's server" in answer

        calls = await tour.slash(
            "schedule", elsewhere, subcommand="create", user=ADMIN, locale="zh-CN"
        )
        assert "你不是那个频道所在服务器的成员" in text_of(response_of(calls, ephemeral=True))
