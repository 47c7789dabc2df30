"""The durable inbox, the adapter's side: store before confirming, take before handling.

Guarantees (storage in `storage.inbox`):

1. An update is stored before Telegram can consider it delivered: in polling mode the
   `getUpdates` transport stores each page before python-telegram-bot sees it (and so before
   its next `getUpdates` confirms it); in webhook mode the update is stored before the HTTP 200.
2. An update's effect is stored at most once: it is taken (a committed write, shared by every
   update taken at about the same moment) before its handler starts, so a second delivery is
   skipped, and the handler's first committed write finishes it in the same transaction (the
   receipt, `storage.database.handling`; a vote's is committed with its group-commit batch).
3. Updates stored but not yet taken when the process died are handled by the next one first,
   in arrival order (per person, as always).
4. Updates being handled when the process died without an effect stored are reported at the
   next start-up (`event=inbox_interrupted`) and handled again with the waiting ones: so every
   stored update's effect is stored exactly once. What such an update had already sent (an
   answer given before its first write) may be sent again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update

from storage.inbox import InboxRepository

log = logging.getLogger("parley.telegram")

MAX_UPDATE_BYTES = 128 * 1024
"""Larger than anything Telegram sends for the updates Parley asks for: refused, not stored."""
MAX_WAITING = 1_000
"""Stored updates not yet taken; polling pauses above this (bounded disk and memory)."""
_LOGGED_IDS = 100


class Inbox:
    """Stores updates, takes them before handling (group commit) and records them finished."""

    def __init__(self, repository: InboxRepository, *, max_waiting: int = MAX_WAITING) -> None:
        self._repository = repository
        self._max_waiting = max_waiting
        self._room = asyncio.Event()
        self._room.set()
        self._takes: list[tuple[int, asyncio.Future[bool]]] = []
        self._finishes: list[int] = []
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._closing = False

    async def open(self) -> list[tuple[int, dict[str, Any]]]:
        """Report updates interrupted by a crash; return the waiting ones, oldest first."""
        await self._repository.prepare()
        interrupted, waiting = await self._repository.recover()
        if interrupted:
            log.warning(
                "event=inbox_interrupted count=%d update_ids=%s",
                len(interrupted),
                ",".join(map(str, interrupted[:_LOGGED_IDS])),
            )
        found: list[tuple[int, dict[str, Any]]] = []
        for row in waiting:
            try:
                payload = json.loads(row.payload)
            except ValueError:
                log.error("event=inbox_unreadable update_id=%d", row.update_id)
                await self._repository.settle([row.update_id], [])
                continue
            found.append((row.update_id, payload))
        if found:
            log.info("event=inbox_replay count=%d", len(found))
        return found

    async def store(
        self, updates: Sequence[dict[str, Any]], *, confirmed_below: int | None = None
    ) -> None:
        """Store fetched updates (one transaction); oversized ones are refused."""
        rows: list[tuple[int, str]] = []
        refused: list[int] = []
        for update in updates:
            update_id = update.get("update_id")
            if not isinstance(update_id, int):
                continue  # python-telegram-bot refuses the page; Telegram sends it again
            text = json.dumps(update, ensure_ascii=False, separators=(",", ":"))
            if len(text.encode()) > MAX_UPDATE_BYTES:
                log.warning("event=update_refused reason=size update_id=%d", update_id)
                refused.append(update_id)
            else:
                rows.append((update_id, text))
        if not rows and not refused and confirmed_below is None:
            return
        waiting = await self._repository.store(
            rows, refused=refused, confirmed_below=confirmed_below
        )
        if waiting >= self._max_waiting:
            self._room.clear()

    async def wait_for_room(self) -> None:
        """Return once fewer than `max_waiting` stored updates wait to be taken."""
        await self._room.wait()

    async def take(self, update_id: int) -> bool:
        """Claim `update_id` for handling; False if it was taken before (do not handle it)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._takes.append((update_id, future))
        self._kick()
        return await future

    def finish(self, update_id: int) -> None:
        """Record that `update_id` was handled (written with the next batch)."""
        self._finishes.append(update_id)
        self._kick()

    async def close(self) -> None:
        """Write what is queued, then let the writer end."""
        self._closing = True
        self._wake.set()
        if self._writer is not None:
            await self._writer
            self._writer = None

    def _kick(self) -> None:
        self._wake.set()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._run(), name="parley-telegram-inbox")

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._takes or self._finishes:
                await self._write()
            if self._closing:
                return

    async def _write(self) -> None:
        takes, self._takes = self._takes, []
        finishes, self._finishes = self._finishes, []
        try:
            skip = await self._repository.settle([update_id for update_id, _ in takes], finishes)
        except Exception as error:
            log.error("event=inbox_write_failed takes=%d error=%r", len(takes), error)
            for _, future in takes:
                if not future.done():
                    future.set_exception(error)
            return
        for update_id, future in takes:
            if not future.done():
                future.set_result(update_id not in skip)
            skip.add(update_id)  # a second copy in the same batch (a channel post has no lock)
        if takes:
            self._room.set()


class StoringQueue(asyncio.Queue[object]):
    """The update queue in webhook mode: the webhook answers Telegram only after `put` returns.

    python-telegram-bot's webhook handler awaits `put` before its HTTP 200, so storing here
    means Telegram is told "received" only for stored updates; a failure answers 500 and
    Telegram sends the update again.
    """

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self._inbox = inbox

    async def put(self, item: object) -> None:
        """Store an update, then queue it for handling."""
        if isinstance(item, Update):
            await self._inbox.wait_for_room()
            await asyncio.shield(self._inbox.store([item.to_dict()]))
        await super().put(item)
