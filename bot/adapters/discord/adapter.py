"""The Discord adapter's lifecycle: log in (retrying network failures), run, stop."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
from collections.abc import Callable, Iterator, Sequence

import aiohttp
import discord

from bot.app import FatalAdapterError
from bot.router import Router

from .client import ParleyClient, ShardedParleyClient
from .gateway import DiscordGateway
from .shards import ShardPlan
from .translate import PLATFORM

log = logging.getLogger("parley.discord")

RETRYABLE = (OSError, aiohttp.ClientError, discord.DiscordServerError, discord.GatewayNotFound)
STOP_TIMEOUT = 10.0
MAX_RETRY_DELAY = 60.0

_BAD_TOKEN = (
    "Discord rejected the bot token (401 Unauthorized). Check DISCORD_TOKEN: copy the token"
    " from the Bot page of your application in the Discord developer portal."
)
_CLOSED = "Discord closed the gateway connection for good (close code {code})."
_PRIVILEGED = (
    "Discord refused the connection: the bot asked for a privileged intent it is not allowed."
)


class DiscordAdapter:
    """Connects a `ParleyClient` to Discord and exposes its gateway to the core.

    With `shards`, it runs those gateway shards (discord.py's `AutoShardedClient`); without,
    one connection as discord.py chooses.
    """

    platform = PLATFORM

    def __init__(
        self,
        router: Router,
        token: str,
        *,
        guild_ids: Sequence[int] = (),
        shards: ShardPlan | None = None,
        guild_ready_timeout: float = 2.0,
        retry_delay: Callable[[], float] | None = None,
    ) -> None:
        self._router = router
        self._token = token
        self._guild_ids = tuple(guild_ids)
        self._shards = shards
        self._guild_ready_timeout = guild_ready_timeout
        self._retry_delay = retry_delay
        self._client: ParleyClient | None = None
        self._task: asyncio.Task[None] | None = None
        self.gateway = DiscordGateway(lambda: self.client)

    @property
    def client(self) -> ParleyClient:
        """The logged-in client."""
        if self._client is None:
            raise RuntimeError("the Discord adapter is not started")
        return self._client

    async def start(self) -> None:
        """Log in and sync commands (retrying network failures), then connect in the background."""
        delay = self._retry_delay or _login_delays().__next__
        while True:
            client = self._new_client()
            try:
                await client.login(self._token)
            except RETRYABLE as error:
                await client.close()
                wait = delay()
                log.warning(
                    "event=discord_login_retry error=%s in=%.1fs", type(error).__name__, wait
                )
                await asyncio.sleep(wait)
                continue
            except discord.LoginFailure as error:
                await client.close()
                raise FatalAdapterError(_BAD_TOKEN) from error
            except BaseException:
                await client.close()
                raise
            break
        self._client = client
        self._task = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        log.info("event=discord_started user=%s shards=%s", client.user, self._shards or "auto")

    def _new_client(self) -> ParleyClient:
        if self._shards is None:
            return ParleyClient(
                self._router,
                guild_ids=self._guild_ids,
                guild_ready_timeout=self._guild_ready_timeout,
                seen=self.gateway.saw,
            )
        return ShardedParleyClient(
            self._router,
            self._shards,
            guild_ids=self._guild_ids,
            guild_ready_timeout=self._guild_ready_timeout,
            seen=self.gateway.saw,
        )

    async def wait(self) -> None:
        """Return when the connection ends on its own; fatal refusals become `FatalAdapterError`."""
        if self._task is None:
            return
        try:
            await asyncio.shield(self._task)
        except discord.LoginFailure as error:
            raise FatalAdapterError(_BAD_TOKEN) from error
        except discord.PrivilegedIntentsRequired as error:
            raise FatalAdapterError(_PRIVILEGED) from error
        except discord.ConnectionClosed as error:
            message = _BAD_TOKEN if error.code == 4004 else _CLOSED.format(code=error.code)
            raise FatalAdapterError(message) from error

    async def stop(self) -> None:
        """Close the connection and the HTTP session; safe to call more than once."""
        if self._client is not None:
            await self._client.close()
        if self._task is not None:
            task, self._task = self._task, None
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_TIMEOUT)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            except Exception:
                log.exception("event=discord_connection_failed")


def _login_delays() -> Iterator[float]:
    """Seconds to wait before each new login attempt: doubling from 1 s to a minute, jittered."""
    for attempt in itertools.count():
        yield min(MAX_RETRY_DELAY, 2.0**attempt) * random.uniform(0.5, 1.0)
