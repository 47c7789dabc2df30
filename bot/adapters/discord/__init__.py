"""The Discord adapter: slash commands, persistent buttons and embeds over discord.py.

`adapter` owns the lifecycle, `client` receives interactions, `slash` builds the command tree
from the declarations, `translate` turns interactions into invocations, `render` turns replies
into embeds within Discord's limits, `components` and `outgoing` prepare them for discord.py,
`responder` answers one interaction and `gateway` posts outside interactions; `menus` offers
commands on messages and `forms` builds and reads modals; `shards` reads which gateway shards
this process runs.
"""

from __future__ import annotations

from bot.app import FatalAdapterError, Parley
from bot.config import Settings

from .adapter import DiscordAdapter
from .shards import ShardPlan, ShardSpecError, parse_shards


def create_adapter(settings: Settings, app: Parley) -> DiscordAdapter:
    """The adapter for the configured bot token and guilds."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value():
        raise FatalAdapterError("DISCORD_TOKEN is not set.")
    try:
        shards = parse_shards(settings.discord_shards) if settings.discord_shards else None
    except ShardSpecError as error:
        raise FatalAdapterError(str(error)) from None
    return DiscordAdapter(
        app.router,
        settings.discord_token.get_secret_value(),
        guild_ids=settings.discord_guild_ids,
        shards=shards,
    )


__all__ = ["DiscordAdapter", "ShardPlan", "create_adapter", "parse_shards"]
