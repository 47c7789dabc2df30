"""Two real `parley run` processes on one PostgreSQL database, each with two of four Discord
shards against the fake gateway: every shard identified once, each interaction answered once
by the process whose shard it came on, the slash commands synced once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from . import builders
from .fake_discord import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # real processes and real time


async def eventually(check: Callable[[], bool], what: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.02)


@pytest.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.close()


async def start(
    fake: FakeDiscord, shards: str, database_url: str, log: Path, **extra: str
) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "PARLEY_"))}
    env.pop("TELEGRAM_TOKEN", None)
    env.update(
        DISCORD_TOKEN=builders.TOKEN,
        PARLEY_DISCORD_SHARDS=shards,
        PARLEY_DATABASE_URL=database_url,
        PARLEY_LOG_LEVEL="INFO",
        FAKE_DISCORD_API=fake.api_url,
        FAKE_DISCORD_GATEWAY=fake.gateway_url,
        PYTHONPATH=str(ROOT),
        **extra,
    )
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.discord.serve_against_fake",
            cwd=log.parent,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )


async def test_two_processes_serve_their_shards_on_one_database(
    server: FakeDiscord, postgres_url: str, tmp_path: Path
) -> None:
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    processes = [
        await start(server, "0-1/4", postgres_url, logs[0]),
        await start(server, "2-3/4", postgres_url, logs[1]),
    ]
    try:
        await eventually(lambda: len(server.shards_identified()) == 4, "four shards identified")
        assert sorted(server.shards_identified()) == [[0, 4], [1, 4], [2, 4], [3, 4]]
        await eventually(
            lambda: all("event=discord_started" in log.read_text() for log in logs),
            "both processes started",
        )
        for shard in range(4):
            payload = builders.slash("about")
            await server.dispatch("INTERACTION_CREATE", payload, shard=shard)
            await eventually(
                lambda token=payload["token"]: any(
                    "/callback" in c.path for c in server.calls_for(token)
                ),
                f"an answer on shard {shard}",
            )
        await asyncio.sleep(0.3)  # a second answer from the other process would show by now
        for call in server.calls:
            assert call.path.count("/callback") <= 1
        callbacks = [call for call in server.calls if "/callback" in call.path]
        assert len(callbacks) == 4
        assert all("About Parley" in call.text for call in callbacks)
        assert len([call for call in server.calls if call.method == "PUT"]) == 1
        assert "event=commands_sync_skipped" in logs[1].read_text()
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
        codes = [await asyncio.wait_for(process.wait(), 30) for process in processes]
    assert codes == [0, 0], [log.read_text()[-3000:] for log in logs]
