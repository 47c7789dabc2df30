"""Updates run concurrently across people, but in arrival order for each person.

Votes by different people share group commits only if many updates are in flight at once; yet
two quick presses by one person must be handled in the order they were made, or the last
acknowledgement the person sees could differ from the ballot that was stored last.

A person is the update's sender: a user, or the chat a message was sent as (an anonymous
administrator writes as the group, a channel post as the channel). Telegram names every
anonymous administrator, in every group, the same user (GroupAnonymousBot): ordered by that,
all of them would wait for one another.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerPersonOrderedProcessor(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` at once; one at a time, in order, per person."""

    __slots__ = ("_locks", "_users")

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run `coroutine` after the same sender's earlier updates."""
        sender = update.effective_sender if isinstance(update, Update) else None
        if sender is None:
            await coroutine
            return
        key = sender.id  # users' ids are positive, groups' and channels' negative
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
