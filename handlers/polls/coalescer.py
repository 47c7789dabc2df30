"""Coalesced refreshes: a burst of changes edits a poll's messages at most once per interval.

The first change after a quiet spell refreshes at once; changes during the interval are folded
into one refresh at its end, which reads the state then, so the last refresh is exact. When to
refresh is a slot per poll (`storage.poll_refresh`), shared by every process on PostgreSQL:
whichever process took a vote, one edit per interval. A process looks at a slot once per
change, or per interval while it waits; changes meanwhile are only noted here. Only the polls
with a refresh under way or waiting are remembered.

Every refresh runs in the app's `BackgroundWork` (bounded there), and a change never waits for
its refresh: a platform's flood wait on an edit never holds up the voter whose press caused it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.background import BackgroundWork
from storage.poll_refresh import IDLE, LocalSlots, RefreshSlots, Slot

log = logging.getLogger("parley.polls.coalescer")

Refresh = Callable[[int], Awaitable[None]]


class RefreshCoalescer:
    """Runs `refresh(key)` at most once per `interval` seconds per key, across `slots`' users."""

    def __init__(
        self,
        refresh: Refresh,
        interval: float,
        background: BackgroundWork,
        slots: RefreshSlots | None = None,
    ) -> None:
        self._refresh = refresh
        self._interval = interval
        self._slots: RefreshSlots = slots or LocalSlots()
        self._background = background
        self._busy: set[int] = set()
        """Keys with a claim or refresh under way, or a look at their slot waiting."""
        self._changed: set[int] = set()
        """Busy keys changed since this process last told their slot."""
        self._pending: dict[int, asyncio.Task[None]] = {}
        self._unshown: set[int] = set()
        """Keys changed since this process's last refresh of them began reading the tally."""

    def __len__(self) -> int:
        """How many keys are remembered (a refresh under way or waiting)."""
        return len(self._busy)

    async def changed(self, key: int) -> None:
        """Note a change: refresh now (in the background) if the slot is free, else once it is."""
        self._unshown.add(key)
        if key in self._busy:
            self._changed.add(key)
            return
        self._busy.add(key)
        self._hand_off(key, changed=True)

    def _hand_off(self, key: int, *, changed: bool) -> None:
        """Settle `key` in the app's background work."""
        self._background.start(f"poll-refresh-{key}", lambda: self._settle(key, changed=changed))

    async def flush(self, key: int) -> None:
        """Refresh now, replacing a refresh that was waiting (e.g. when the poll closes)."""
        await self._cancel_waiting(key)
        self._busy.add(key)
        self._changed.discard(key)
        await self._claim(key, changed=True, force=True)
        await self._run(key)
        await self._settle(key, changed=False)

    async def flush_all(self) -> None:
        """Finish the refreshes under way, then run now each waiting one with a change to show.

        Before shutting down. A poll whose last change is already shown is not edited again.
        """
        await self._background.idle()
        for key in list(self._pending):
            if key in self._unshown:
                await self.flush(key)
            else:
                await self._cancel_waiting(key)
                self._busy.discard(key)

    async def _cancel_waiting(self, key: int) -> None:
        task = self._pending.pop(key, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _settle(self, key: int, *, changed: bool) -> None:
        """Claim the slot and refresh while it is taken; then wait for it, or forget the key."""
        while True:
            changed = changed or key in self._changed
            self._changed.discard(key)  # the slot hears of it now, before any tally is read
            slot = await self._claim(key, changed=changed)
            changed = False
            if slot.taken:
                await self._run(key)
                wait = self._interval
            elif slot.wait is not None:
                wait = slot.wait
            elif key in self._changed:
                continue  # changed while the slot was asked
            else:  # nothing waits: forgotten (another process showed the change, if any)
                self._busy.discard(key)
                self._unshown.discard(key)
                return
            if wait > 0:
                self._pending[key] = asyncio.create_task(self._later(key, wait))
                return

    async def _claim(self, key: int, *, changed: bool, force: bool = False) -> Slot:
        try:
            return await self._slots.claim(key, self._interval, changed=changed, force=force)
        except Exception:  # storage unavailable: this change shows with the next one
            log.exception("event=poll_refresh_slot_failed poll=%d", key)
            return IDLE

    async def _later(self, key: int, wait: float) -> None:
        await asyncio.sleep(wait)
        self._pending.pop(key, None)
        self._hand_off(key, changed=False)

    async def _run(self, key: int) -> None:
        self._unshown.discard(key)  # the refresh reads the tally after this
        try:
            await self._refresh(key)
        except Exception:
            log.exception("event=poll_refresh_failed poll=%d", key)
