"""Work the app runs beside the update that caused it, bounded, and finished at shutdown.

A live tally's edit is such work: the voter is answered at once, and a platform's flood wait on
the edit (Telegram may ask for 20 s) holds up nobody's next press. At most `limit` run at once;
the others wait their turn. `idle()` waits until none is left (tests, and features at
shutdown); `close(grace)` gives them `grace` seconds first and cancels the rest, so a long
flood wait cannot hold up a stopping bot. Work that may wait long on something slow (a language
model's answer) takes its turns from a `Lane` of its own, so it never holds up the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("parley.background")

DEFAULT_LIMIT = 8


class Lane:
    """Turns of one kind of work, apart from the shared ones: at most `limit` at once."""

    def __init__(self, limit: int) -> None:
        self.turns = asyncio.Semaphore(limit)


class BackgroundWork:
    """Runs work in tasks of its own, `limit` at a time; a failure is logged, never raised."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._turns = asyncio.Semaphore(limit)
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        """How many pieces of work are running or waiting for their turn."""
        return len(self._tasks)

    def start(
        self, name: str, work: Callable[[], Awaitable[None]], *, lane: Lane | None = None
    ) -> None:
        """Run `work()` soon, in its turn (`close` cancels it if it runs too long).

        With a `lane`, the turn is the lane's, and the shared turns stay free for the rest.
        """
        turns = lane.turns if lane is not None else self._turns
        task = asyncio.create_task(self._run(name, work, turns), name=f"parley-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every piece of work started (also meanwhile) has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self, grace: float) -> None:
        """Let the work finish for up to `grace` seconds, then cancel what is left."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace)
        left = set(self._tasks)
        if left:
            log.warning("event=background_cancelled count=%d", len(left))
            for task in left:
                task.cancel()
            await asyncio.gather(*left, return_exceptions=True)

    async def _run(
        self, name: str, work: Callable[[], Awaitable[None]], turns: asyncio.Semaphore
    ) -> None:
        async with turns:
            try:
                await work()
            except Exception:
                log.exception("event=background_failed work=%s", name)
