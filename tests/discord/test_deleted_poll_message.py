"""adapters.md D7: a live poll message someone deleted, or in a channel the bot no longer sees,
is edited once more at most, then never again (each failed edit counts toward Discord's
invalid-request limit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.discord.fake_discord import Call
from tests.discord.test_shard_processes import eventually
from tests.tours.discord_tour import (
    ADMIN,
    CHANNEL_MESSAGES,
    NOOR,
    REMY,
    channel_posts,
    discord_tour,
    message_id_of,
    response_of,
)


@pytest.mark.parametrize("gone", ["deleted", "unseen"])
async def test_a_deleted_poll_message_is_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gone: str
) -> None:
    """Deleted: 404 Unknown Message; unseen: 403 Missing Access (the bot lost the channel)."""
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await tour.slash("poll", {"poll": "Lunch? | Pizza | Sushi"}, subcommand="create")
        poll = response_of(calls)
        edits_path = f"{CHANNEL_MESSAGES}/{message_id_of(poll)}"

        def edits() -> int:
            return sum(c.method == "PATCH" and c.path == edits_path for c in tour.rig.fake.calls)

        def edits_of(message: Call) -> int:
            path = f"{CHANNEL_MESSAGES}/{message_id_of(message)}"
            return sum(c.method == "PATCH" and c.path == path for c in tour.rig.fake.calls)

        calls = await tour.slash("post", {"item": "poll", "details": "1"}, user=ADMIN)
        (second,) = channel_posts(calls)  # the same poll, posted again in the channel

        fake = tour.rig.fake
        refused = fake.deleted_messages if gone == "deleted" else fake.unseen_messages
        refused.add(message_id_of(poll))  # a moderator deleted the first, or hid it from the bot
        await tour.press(second, "1. Pizza", user=NOOR)
        await eventually(lambda: edits() == 1, "the one edit that finds it gone", within=5)
        await tour.press(second, "2. Sushi", user=REMY)
        await eventually(lambda: edits_of(second) >= 2, "the second message's tallies", within=5)
        assert edits() == 1  # the deleted one: not tried again
