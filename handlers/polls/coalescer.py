"""Coalesced refreshes: a burst of changes edits a poll's messages at most once per interval.

The first change after a quiet spell refreshes at once; changes during the interval are folded
into one refresh at its end, which reads the state then, so the last refresh is exact. Only the
polls refreshed within the last interval are remembered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

log = logging.getLogger("parley.polls.coalescer")

Refresh = Callable[[int], Awaitable[None]]


class RefreshCoalescer:
    """Runs `refresh(key)` at most once per `interval` seconds per key."""

    def __init__(self, refresh: Refresh, interval: float) -> None:
        self._refresh = refresh
        self._interval = interval
        self._last: OrderedDict[int, float] = OrderedDict()
        """When each key was (or will be) refreshed, oldest first; older than an interval: gone."""
        self._pending: dict[int, asyncio.Task[None]] = {}

    def __len__(self) -> int:
        """How many keys are remembered (refreshed within the last interval, or waiting)."""
        return len(self._last)

    async def changed(self, key: int) -> None:
        """Note a change: refresh now if the last refresh is old enough, else once later."""
        if key in self._pending:
            return
        now = asyncio.get_running_loop().time()
        self._forget_before(now)
        wait = self._last.pop(key, float("-inf")) + self._interval - now
        self._last[key] = max(now, now + wait)
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
        self._last.pop(key, None)
        self._last[key] = asyncio.get_running_loop().time()
        await self._run(key)

    async def flush_all(self) -> None:
        """Run every waiting refresh now (before shutting down)."""
        for key in list(self._pending):
            await self.flush(key)

    def _forget_before(self, now: float) -> None:
        """Drop the oldest keys whose last refresh is an interval old: they refresh at once."""
        while self._last:
            key, last = next(iter(self._last.items()))
            if last + self._interval > now:
                return
            del self._last[key]

    async def _later(self, key: int, wait: float) -> None:
        await asyncio.sleep(wait)
        self._pending.pop(key, None)
        await self._run(key)

    async def _run(self, key: int) -> None:
        try:
            await self._refresh(key)
        except Exception:
            log.exception("event=poll_refresh_failed poll=%d", key)
