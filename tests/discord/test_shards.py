"""Discord sharding: `PARLEY_DISCORD_SHARDS`, each process identifying its own shards against the
fake gateway, events handled on the shard they arrive on, and only shard 0's process syncing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.adapters.discord import ShardPlan, create_adapter, parse_shards
from bot.adapters.discord.client import ShardedParleyClient
from bot.app import FatalAdapterError, Parley
from tests.support import make_settings

from . import builders
from .conftest import Harness, features
from .fake_discord import FakeDiscord


@pytest.fixture(autouse=True)
def identify_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py waits 5 s between a process's IDENTIFYs (Discord's rate); the fake has none."""

    async def at_once(self: ShardedParleyClient, shard_id: int | None, *, initial: bool) -> None:
        return None

    monkeypatch.setattr(ShardedParleyClient, "before_identify_hook", at_once)


@pytest.mark.parametrize(
    ("text", "ids", "count"),
    [
        ("0-3/8", (0, 1, 2, 3), 8),
        ("2/8", (2,), 8),
        (" 0-1, 4 / 8 ", (0, 1, 4), 8),
        ("0/1", (0,), 1),
    ],
)
def test_shard_lists_are_read(text: str, ids: tuple[int, ...], count: int) -> None:
    assert parse_shards(text) == ShardPlan(ids, count)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0-3", "IDS/COUNT, e.g. 0-3/8"),
        ("eight", "IDS/COUNT"),
        ("/8", "IDS/COUNT"),
        ("-1/8", "IDS/COUNT"),
        ("0-3/0", "count must be 1 to 4096, not 0"),
        ("0/99999", "count must be 1 to 4096"),
        ("3-1/8", "the range 3-1 runs backwards"),
        ("0-8/8", "shard 8 does not exist in 8 shards (they are numbered 0 to 7)"),
        ("0,,1/8", "'' is not a shard id or range"),
        ("0" * 500 + "/8", "is not a shard list"),
    ],
)
def test_bad_shard_lists_get_a_clear_start_up_error(tmp_path: Path, text: str, says: str) -> None:
    settings = make_settings(tmp_path, DISCORD_TOKEN=builders.TOKEN, PARLEY_DISCORD_SHARDS=text)
    with pytest.raises(FatalAdapterError, match="PARLEY_DISCORD_SHARDS") as caught:
        create_adapter(settings, None)  # type: ignore[arg-type]  # refused before the app is used
    assert says in str(caught.value)
    assert len(str(caught.value)) < 200


async def test_two_processes_run_their_own_shards_and_only_shard_0s_syncs(
    harness: Harness, fake: FakeDiscord
) -> None:
    second = await harness.start(shards=ShardPlan((2, 3), 4))
    assert [call for call in fake.calls if call.method == "PUT"] == []  # shard 0 runs elsewhere
    first = await harness.start(shards=ShardPlan((0, 1), 4))
    assert sorted(fake.shards_identified()) == [[0, 4], [1, 4], [2, 4], [3, 4]]
    assert len([call for call in fake.calls if call.method == "PUT"]) == 1
    # The guild is on shard (id >> 22) % 4 == 3: only the second process has it.
    assert second.client.get_guild(int(builders.GUILD_ID)) is not None
    assert first.client.get_guild(int(builders.GUILD_ID)) is None

    for shard, process in ((0, first), (1, first), (2, second), (3, second)):
        payload = builders.slash("help")
        (answer,) = await harness.interact(payload, shard=shard)
        assert "/help" in answer.text
        assert harness.handled_by[int(payload["id"])] is process.client


async def test_the_setting_chooses_the_shards(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = make_settings(tmp_path, DISCORD_TOKEN=builders.TOKEN, PARLEY_DISCORD_SHARDS="2/4")
    async with Parley.open(settings, features=features) as app:
        adapter = create_adapter(settings, app)
        await adapter.start()
        try:
            await asyncio.wait_for(fake.identified.wait(), 5)  # commands sync before this
            assert fake.shards_identified() == [[2, 4]]
            assert [call for call in fake.calls if call.method == "PUT"] == []
        finally:
            await adapter.stop()


async def test_without_the_setting_one_unsharded_connection_syncs(
    harness: Harness, fake: FakeDiscord
) -> None:
    await harness.start()
    assert fake.shards_identified() == []
    assert len([call for call in fake.calls if call.method == "PUT"]) == 1
