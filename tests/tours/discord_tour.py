"""A Discord user's side of the tours: run slash commands, press buttons, read what arrived.

`DiscordTour` drives the `discord_parley` rig (the real discord.py client against the fake
Discord on 127.0.0.1, every real feature) and returns, for each step, the REST calls that
showed something: interaction callbacks, followups, and channel messages posted or edited.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.discord import builders
from tests.discord.fake_discord import Call
from tests.hostile.platforms import (
    DiscordRig,
    discord_parley,
    discord_problems,
    discord_visible,
    message_calls,
    recording_errors,
)
from tests.support import FakeClock

MASON = builders.USER_ID  # the builders' default member
NOOR = "53908232506183681"
REMY = "53908232506183682"
ADMIN = "53908232506183683"
NAMES = {MASON: "Mason", NOOR: "Noor", REMY: "Remy", ADMIN: "Ada"}
CHANNEL = builders.CHANNEL_ID
ADMIN_ROLE = "1100000000000000070"
BOT_ROLE = "1100000000000000077"
VIEW, SEND, EMBED, ATTACH = 1 << 10, 1 << 11, 1 << 14, 1 << 15
UPDATE_MESSAGE = 7  # interaction callback: edit the message the button is on
CHANNEL_MESSAGES = f"/channels/{CHANNEL}/messages"


def text_of(call: Call) -> str:
    """What the user reads in a message: its content and its embeds."""
    return discord_visible("\n".join(p for p in (call.message.get("content"), call.text) if p))


def buttons_of(call: Call) -> dict[str, str]:
    """Button label -> custom_id of a message."""
    rows = call.message.get("components") or []
    return {b["label"]: b["custom_id"] for row in rows for b in row.get("components", [])}


def message_id_of(call: Call) -> str:
    """The id of the message a call created or edited."""
    if hasattr(call, "pressed"):
        return message_id_of(call.pressed)
    response = call.response or {}
    if "resource" in response:
        return str(response["resource"]["message"]["id"])
    return str(response["id"])


def flags_of(call: Call) -> int:
    """The flags of the message a call created or edited (an edit keeps the message's)."""
    if hasattr(call, "pressed"):
        return flags_of(call.pressed)
    return int(call.message.get("flags", 0))


def edits_pressed_message(call: Call, token: str) -> bool:
    """Whether `call` answered a button press by editing the message the button is on: an
    UPDATE_MESSAGE callback, or an edit of the original response after a deferred update."""
    if call.path.endswith(f"/{token}/callback"):
        return (call.payload or {}).get("type") == UPDATE_MESSAGE
    return call.method == "PATCH" and call.path.endswith(f"/{token}/messages/@original")


def as_member(payload: dict[str, Any], user_id: str) -> dict[str, Any]:
    """The interaction made by another member of the guild."""
    payload["member"] = member(user_id)
    if user_id == ADMIN:
        payload["member"]["permissions"] = str(VIEW | SEND | builders.MANAGE_GUILD)
    return payload


def member(user_id: str) -> dict[str, Any]:
    """A guild member: Ada holds the Admins role (Manage Server), the others none."""
    roles = (ADMIN_ROLE,) if user_id == ADMIN else ()
    return {**builders.member(roles=roles), "user": builders.user(user_id, NAMES[user_id])}


_plain_guild = builders.guild


def guild() -> dict[str, Any]:
    """The fake guild as Discord sends it: with the bot's own member and its role, which
    `guild.me` and the channel permission checks of `/post` and `/schedule` read."""
    data = _plain_guild()
    data["roles"] = [
        builders.role(builders.GUILD_ID, "@everyone", permissions=VIEW | SEND),
        builders.role(ADMIN_ROLE, "Admins", permissions=builders.MANAGE_GUILD, position=1),
        builders.role(BOT_ROLE, "Parley", permissions=VIEW | SEND | EMBED | ATTACH, position=2),
    ]
    data["members"] = [{**builders.member(roles=(BOT_ROLE,)), "user": builders.bot_user()}]
    return data


@dataclass
class DiscordTour:
    rig: DiscordRig

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        subcommand: str | None = None,
        user: str = MASON,
        locale: str = "en-US",
    ) -> list[Call]:
        """Run `/name [subcommand] option:value…` as `user` (Ada is the moderator)."""
        permissions = builders.MANAGE_GUILD if user == ADMIN else 0
        payload = builders.slash(
            name, options, subcommand=subcommand, locale=locale, permissions=permissions
        )
        return await self._run(as_member(payload, user))

    async def press(
        self, message: Call, label: str, *, user: str = MASON, locale: str = "en-US"
    ) -> list[Call]:
        """Press the button labelled `label` on the message `message` created or edited."""
        permissions = builders.MANAGE_GUILD if user == ADMIN else 0
        payload = builders.press(
            buttons_of(message)[label],
            message_id_of(message),
            flags=flags_of(message),
            locale=locale,
            permissions=permissions,
        )
        calls = await self._run(as_member(payload, user))
        for call in calls:
            if edits_pressed_message(call, payload["token"]):
                call.pressed = message  # type: ignore[attr-defined]
        return calls

    async def _run(self, payload: dict[str, Any]) -> list[Call]:
        start = len(self.rig.fake.calls)
        await self.rig.interact(payload)
        return self.since(start)

    def since(self, start: int) -> list[Call]:
        """The calls after the first `start` that showed a message or deferred a response."""
        return [
            call
            for call in self.rig.fake.calls[start:]
            if call.method in ("POST", "PATCH")
            and (call.path.startswith(("/interactions/", "/webhooks/", CHANNEL_MESSAGES)))
        ]


def deferral(call: Call) -> bool:
    """A callback that only acknowledges (thinking…, or a silent button acknowledgement)."""
    return call.path.endswith("/callback") and (call.payload or {}).get("type") in (5, 6)


def response_of(calls: list[Call], *, ephemeral: bool = False) -> Call:
    """The message answering the interaction (its callback, or the deferred response's edit
    or followup): the public one, or with `ephemeral` the one only its user sees."""
    found = [
        c
        for c in calls
        if c.path.startswith(("/interactions/", "/webhooks/"))
        and c.ephemeral == ephemeral
        and not deferral(c)
    ]
    assert len(found) == 1, [(c.method, c.path, c.ephemeral, text_of(c)[:80]) for c in calls]
    return found[0]


def channel_posts(calls: list[Call]) -> list[Call]:
    """Messages created in the channel through the bot's REST API (not as a response)."""
    return [c for c in calls if c.method == "POST" and c.path == CHANNEL_MESSAGES]


def channel_edits(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "PATCH" and c.path.startswith(CHANNEL_MESSAGES)]


@asynccontextmanager
async def discord_tour(
    folder: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock | None = None, **env: Any
) -> AsyncIterator[DiscordTour]:
    """A tour in the fake guild: Ada manages it, Mason, Noor and Remy are members."""
    monkeypatch.setattr(builders, "guild", guild)
    async with (
        recording_errors() as errors,
        discord_parley(folder, monkeypatch, clock=clock, **env) as rig,
    ):
        rig.fake.members.update({user_id: member(user_id) for user_id in NAMES})
        yield DiscordTour(rig)
        assert rig.harness.tree_errors == [] and rig.fake.unhandled == []
        assert errors.lines() == []
        assert discord_problems(message_calls(rig.fake)) == []
