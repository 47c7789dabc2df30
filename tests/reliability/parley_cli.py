"""The `parley` command line in a child process, as an operator runs it."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def operator_environment(database: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DISCORD_", "PARLEY_"))
    }
    env.update(PARLEY_DB=str(database), PYTHONPATH=str(ROOT), NO_COLOR="1", **extra)
    return env


async def parley(*args: str, database: Path, within: float = 120, **extra: str) -> Outcome:
    """Run `python -m parley ARGS` beside `database`; its exit code and output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "parley",
        *args,
        cwd=database.parent,
        env=operator_environment(database, **extra),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), within)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return Outcome(process.returncode, out.decode(), err.decode())
