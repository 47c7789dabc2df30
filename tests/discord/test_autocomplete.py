"""Autocomplete of poll, article and claim ids through discord.py's real autocomplete path:
only what the chat may see (and the command may touch), at most 25 choices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.discord import builders
from tests.support import FakeClock
from tests.tours.discord_tour import ADMIN, MASON, NOOR, REMY, DiscordTour, as_member, discord_tour

AUTOCOMPLETE_RESULT = 8


async def offered(tour: DiscordTour, payload: dict[str, Any], user: str = MASON) -> list[Any]:
    """Dispatch an autocomplete interaction; the choices Parley answered (name, value)."""
    payload = as_member(payload, user) if "member" in payload else payload
    if user == ADMIN:
        payload["member"]["permissions"] = str(builders.MANAGE_GUILD)
    await tour.rig.fake.dispatch("INTERACTION_CREATE", payload)
    await tour.rig.fake.answered(payload["token"])
    (call,) = tour.rig.fake.calls_for(payload["token"])
    assert call.payload["type"] == AUTOCOMPLETE_RESULT
    return [(choice["name"], choice["value"]) for choice in call.payload["data"]["choices"]]


async def test_poll_ids_offered_are_the_chats_own_and_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    async with discord_tour(tmp_path, monkeypatch, clock) as tour:
        dm = builders.slash("poll", {"poll": "Secret? | A | B"}, subcommand="create", dm=True)
        await tour.rig.interact(dm)  # poll #1, in Mason's DM with the bot
        for n in range(27):
            clock.advance(minutes=1)  # new polls have a small allowance per person
            user = MASON if n < 20 else REMY  # and at most 25 open polls each
            poll = {"poll": f"Lunch {n}? | Pizza | Sushi"}
            await tour.slash("poll", poll, subcommand="create", user=user)

        results = builders.autocomplete("poll", "poll_id", "", subcommand="results", integer=True)
        choices = await offered(tour, results)
        assert len(choices) == 25  # Discord's cap
        assert choices[0] == ("#28 Lunch 26?", 28)  # newest first, ids as integers
        assert all("Secret" not in name for name, _ in choices)  # the DM's poll: not here

        typed = builders.autocomplete(
            "poll", "poll_id", "Lunch 1", subcommand="results", integer=True
        )
        names = [name for name, _ in await offered(tour, typed)]
        assert names[-1] == "#3 Lunch 1?" and all("Lunch 1" in name for name in names)

        def close() -> dict[str, Any]:
            return builders.autocomplete("poll", "poll_id", "", subcommand="close", integer=True)

        assert [value for _, value in await offered(tour, close(), user=REMY)] == [
            28,
            27,
            26,
            25,
            24,
            23,
            22,
        ]
        assert await offered(tour, close(), user=NOOR) == []  # none of hers, and no moderator
        assert len(await offered(tour, close(), user=ADMIN)) == 25  # the chat's moderator


async def test_article_and_claim_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        show = builders.autocomplete("article", "article_id", "", subcommand="show")
        ((name, ref),) = await offered(tour, show)
        assert ref.isascii() and name.startswith(f"{ref} · ")

        claims = await offered(
            tour, builders.autocomplete("debate", "claim_id", "", subcommand="claim")
        )
        assert 1 < len(claims) <= 25 and ("L1" in [value for _, value in claims])
        chinese = builders.autocomplete(
            "debate", "claim_id", "l1", subcommand="claim", locale="zh-CN"
        )
        ((label, _),) = [c for c in await offered(tour, chinese) if c[1] == "L1"]
        assert label.startswith("L1 · ") and any("\u4e00" <= ch <= "\u9fff" for ch in label)
