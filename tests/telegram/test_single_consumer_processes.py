"""Two real `parley run` processes on one PostgreSQL database and one fake Bot API: one polls,
the other waits; SIGKILL the one that polls, and the other takes over and answers, once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.telegram.builders import make_message_update
from tests.telegram.fake_api import TOKEN, FakeBotApi
from tests.telegram.fake_server import serve_fake_api

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # real processes and real time


async def eventually(check: Callable[[], bool], what: str, within: float) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.05)


async def start(database_url: str, base_url: str, log: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_"))}
    env = {k: v for k, v in env.items() if not k.startswith("PARLEY_")}
    env.update(
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        PARLEY_DATABASE_URL=database_url,
        PARLEY_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "parley",
            "run",
            cwd=log.parent,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )


def abouts(api: FakeBotApi) -> int:
    return sum("About Parley" in str(c.params.get("text", "")) for c in api.of("sendMessage"))


async def test_the_waiting_process_takes_over_when_the_polling_one_is_killed(
    postgres_url: str, tmp_path: Path
) -> None:
    api = FakeBotApi()
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    async with serve_fake_api(api) as base_url:
        first = await start(postgres_url, base_url, first_log)
        second: asyncio.subprocess.Process | None = None
        try:
            await eventually(
                lambda: "receiving=yes" in first_log.read_text(), "the first one polls", 30
            )
            second = await start(postgres_url, base_url, second_log)
            await eventually(
                lambda: "event=telegram_standby" in second_log.read_text(),
                "the second one waits and says so",
                30,
            )
            api.queue_update(make_message_update("/about"))
            await eventually(lambda: abouts(api) == 1, "the first one answers", 10)

            first.kill()  # no clean-up: its lease stays in the database
            await first.wait()
            await eventually(
                lambda: "event=telegram_lease_taken" in second_log.read_text(),
                "the second one takes over (its next lease check, 15 s at most)",
                30,
            )
            api.queue_update(make_message_update("/about"))
            await eventually(lambda: abouts(api) == 2, "the second one answers", 10)
            await asyncio.sleep(0.5)
            assert abouts(api) == 2  # each update answered once
        finally:
            for process in (first, second):
                if process is not None and process.returncode is None:
                    process.send_signal(signal.SIGINT)
            if second is not None:
                code = await asyncio.wait_for(second.wait(), 30)
                assert code == 0, second_log.read_text()[-3000:]
