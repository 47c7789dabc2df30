"""Running Parley's real entry point (`python -m parley run`) against the fake Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.telegram.fake_api import TOKEN

ROOT = Path(__file__).resolve().parents[2]


async def eventually(check: Callable[[], bool], within: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {within} s: {what}")
        await asyncio.sleep(0.005)


def bot_environment(database: Path, base_url: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DISCORD_", "PARLEY_"))
    }
    env.update(
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        PARLEY_DB=str(database),
        PARLEY_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


class BotProcess:
    """`python -m parley run` in a child process, logging to a file (never a full pipe)."""

    def __init__(self, database: Path, base_url: str, log_path: Path) -> None:
        self.database = database
        self.base_url = base_url
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "parley",
                "run",
                cwd=self.database.parent,
                env=bot_environment(self.database, self.base_url),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind runs in the child."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def interrupt(self, within: float = 20.0) -> int:
        """SIGINT, as an operator's Ctrl-C; returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        return await asyncio.wait_for(self.process.wait(), within)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
