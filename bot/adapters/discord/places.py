"""Where a post goes: a channel and who may do what there, from the cache or over REST.

With several processes each running some gateway shards, a process caches only the servers on
its own shards. A channel of another server is resolved over Discord's REST API, which any
process may call: the channel, its server (roles, owner) and the members asked about, built as
discord.py objects so that discord.py's own rules compute the permissions. Those results are
kept `TTL_SECONDS` (at most `MAX_ENTRIES` of each kind), so a burst of posts fetches once and a
changed role or overwrite counts within a minute; failures are not kept.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import discord

TTL_SECONDS = 60.0
MAX_ENTRIES = 1_000

Channel = discord.abc.GuildChannel | discord.Thread
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Place:
    """A server channel or thread; `parent` is a fetched thread's parent (not in the cache)."""

    channel: Channel
    parent: discord.abc.GuildChannel | None = None

    @property
    def guild(self) -> discord.Guild:
        """The channel's server (the cached one, or one fetched with its roles)."""
        return self.channel.guild

    def permissions_for(self, member: discord.Member) -> discord.Permissions:
        """`member`'s permissions here (`discord.ClientException`: a thread's parent is unknown)."""
        if self.parent is None:
            return self.channel.permissions_for(member)
        return thread_permissions(self.parent, member)


def thread_permissions(
    parent: discord.abc.GuildChannel, member: discord.Member
) -> discord.Permissions:
    """What `discord.Thread.permissions_for` gives in a thread of `parent` (the same rules)."""
    base = discord.abc.GuildChannel.permissions_for(parent, member)
    if not base.send_messages_in_threads:
        base.update(send_tts_messages=False, mention_everyone=False, embed_links=False)
        base.update(attach_files=False)
    if not base.read_messages:
        base.value &= ~discord.Permissions.all_channel().value
    return base


class Places:
    """Finds channels and members for permission checks; see the module docstring."""

    def __init__(
        self,
        client: Callable[[], discord.Client],
        *,
        ttl: float = TTL_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._channels: Recent[int, discord.DMChannel | Place | None] = Recent(ttl, now)
        self._guilds: Recent[int, discord.Guild] = Recent(ttl, now)
        self._members: Recent[tuple[int, int], discord.Member] = Recent(ttl, now)

    async def find(self, channel_id: int) -> discord.DMChannel | Place | None:
        """The channel (a DM, a server channel or thread), or None for one Parley never posts in.

        Raises `discord.HTTPException` or `discord.InvalidData` when Discord does not show it.
        """
        cached = self._client().get_channel(channel_id)
        if cached is not None:
            return _place(cached)
        return await self._channels.get(channel_id, lambda: self._fetch(channel_id))

    async def me(self, place: Place) -> discord.Member:
        """The bot's own member in the place's server."""
        me = place.guild.me
        if me is not None:
            return me
        user = self._client().user
        return await self.member(place, user.id if user else 0)

    async def member(self, place: Place, user_id: int) -> discord.Member:
        """Member `user_id` of the place's server (`discord.NotFound` if not one).

        In a server this process has, asked anew each time (as the gateway cache lacks members
        without the members intent); in another process's, kept like the server.
        """
        guild = place.guild
        cached = guild.get_member(user_id)
        if cached is not None:
            return cached
        if self._client().get_guild(guild.id) is not None:
            return await guild.fetch_member(user_id)
        return await self._members.get((guild.id, user_id), lambda: guild.fetch_member(user_id))

    async def _fetch(self, channel_id: int) -> discord.DMChannel | Place | None:
        client = self._client()
        channel = await client.fetch_channel(channel_id)
        if not isinstance(channel, Channel):
            return _place(channel)
        if client.get_guild(channel.guild.id) is not None:
            return Place(channel)  # e.g. an archived thread of a server this process has
        guild_id = channel.guild.id
        guild = await self._guilds.get(
            guild_id, lambda: client.fetch_guild(guild_id, with_counts=False)
        )
        channel = await guild.fetch_channel(channel_id)  # now with its server's roles
        if not isinstance(channel, discord.Thread):
            return Place(channel)
        parent = await guild.fetch_channel(channel.parent_id)
        if isinstance(parent, discord.Thread):
            raise discord.InvalidData("a thread's parent is a thread")
        return Place(channel, parent)


def _place(
    channel: discord.abc.GuildChannel | discord.Thread | discord.abc.PrivateChannel,
) -> discord.DMChannel | Place | None:
    if isinstance(channel, discord.DMChannel):
        return channel
    if isinstance(channel, Channel):
        return Place(channel)
    return None  # a group DM: not a place Parley posts in


class Recent(Generic[K, V]):
    """Results of lookups kept `ttl` seconds, at most `MAX_ENTRIES`; concurrent asks share one."""

    def __init__(self, ttl: float, now: Callable[[], float]) -> None:
        self._ttl = ttl
        self._now = now
        self._entries: OrderedDict[K, tuple[float, asyncio.Future[V]]] = OrderedDict()

    async def get(self, key: K, look_up: Callable[[], Awaitable[V]]) -> V:
        """The kept result for `key`, or `look_up()`'s (kept unless it raises)."""
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self._now():
            entry = (self._now() + self._ttl, asyncio.ensure_future(look_up()))
            entry[1].add_done_callback(functools.partial(self._done, key, entry))
            self._keep(key, entry)
        else:
            self._entries.move_to_end(key)
        return await asyncio.shield(entry[1])  # one caller's cancellation keeps the others'

    def put(self, key: K, value: V) -> None:
        """Keep `value` for `key` as if a lookup had just given it."""
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        future.set_result(value)
        self._keep(key, (self._now() + self._ttl, future))

    def _keep(self, key: K, entry: tuple[float, asyncio.Future[V]]) -> None:
        """Keep `entry` as the newest, dropping the oldest past `MAX_ENTRIES`."""
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)

    def peek(self, key: K) -> V | None:
        """The value kept for `key` if it is there, fresh and known; never looks it up."""
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self._now() or not entry[1].done():
            return None
        future = entry[1]
        return None if future.cancelled() or future.exception() else future.result()

    def _done(self, key: K, entry: tuple[float, asyncio.Future[V]], _: object) -> None:
        """Forget a failed lookup (its exception is retrieved, so nothing warns of it)."""
        failed = entry[1].cancelled() or entry[1].exception() is not None
        if failed and self._entries.get(key) is entry:
            del self._entries[key]
