"""`parley run` in a child process whose discord.py talks to a fake Discord (tests only).

`python -m tests.discord.serve_against_fake` reads FAKE_DISCORD_API and FAKE_DISCORD_GATEWAY,
points discord.py there (as the `fake` fixture does in-process), then runs the real entry point
with the environment's settings (DISCORD_TOKEN, PARLEY_DISCORD_SHARDS, PARLEY_DATABASE_URL…).
"""

from __future__ import annotations

import os
import sys

import discord
import yarl

from bot.adapters.discord.client import ShardedParleyClient
from parley.cli import main


async def _identify_at_once(
    self: ShardedParleyClient, shard_id: int | None, *, initial: bool
) -> None:
    """discord.py waits 5 s between IDENTIFYs (Discord's rate); the fake has no such limit."""


if __name__ == "__main__":
    discord.http.Route.BASE = os.environ["FAKE_DISCORD_API"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["FAKE_DISCORD_GATEWAY"])
    ShardedParleyClient.before_identify_hook = _identify_at_once  # type: ignore[method-assign]
    sys.exit(main(["run"]))
