"""Coalesced refreshes: a burst of changes edits a poll's messages at most once per interval.

The first change after a quiet spell refreshes at once; changes during the interval are folded
into one refresh at its end, which reads the state then, so the last refresh is exact.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("parley.polls.coalescer")

Refresh = Callable[[int], Awaitable[None]]


class RefreshCoalescer:
    """Runs `refresh(key)` at most once per `interval` seconds per key."""

    def __init__(self, refresh: Refresh, interval: float) -> None:
        self._refresh = refresh
        self._interval = interval
        self._last: dict[int, float] = {}
        self._pending: dict[int, asyncio.Task[None]] = {}

    async def changed(self, key: int) -> None:
        """Note a change: refresh now if the last refresh is old enough, else once later."""
        if key in self._pending:
            return
        loop = asyncio.get_running_loop()
        wait = self._last.get(key, float("-inf")) + self._interval - loop.time()
        self._last[key] = max(loop.time(), loop.time() + wait)
        if wait <= 0:
            await self._run(key)
        else:
            self._pending[key] = asyncio.create_task(self._later(key, wait))

    async def flush(self, key: int) -> None:
        """Refresh now, replacing a refresh that was waiting (e.g. when the poll closes)."""
        task = self._pending.pop(key, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._last[key] = asyncio.get_running_loop().time()
        await self._run(key)

    async def flush_all(self) -> None:
        """Run every waiting refresh now (before shutting down)."""
        for key in list(self._pending):
            await self.flush(key)

    async def _later(self, key: int, wait: float) -> None:
        await asyncio.sleep(wait)
        self._pending.pop(key, None)
        await self._run(key)

    async def _run(self, key: int) -> None:
        try:
            await self._refresh(key)
        except Exception:
            log.exception("event=poll_refresh_failed poll=%d", key)
