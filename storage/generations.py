"""Generations: how a process-local cache knows that the rows it holds may have changed.

A `Generation` has two parts. The engine's counter of other connections' commits (SQLite's
`PRAGMA data_version`, read with `Database.data_version`; another engine may count every
commit, or change it on every read to disable caching) covers every other process. A counter
per `Topic`, moved by this process's repositories after they commit a change to the topic's
rows, covers this one. A cache checks the generation before each use (`FreshCache.check`) and
starts afresh when it moved; so it never answers differently from the database as it stood
when it was asked.

Reading the engine's counter costs one round trip: concurrent checks share one read, issued
after each of them asked (a round gathers while the previous one is under way), and the checks
of one invocation (`pinned`, around the router's dispatch) share one read issued when it began:
it sees other processes' commits as they stood at one moment after it began, and its own
process's at once. The pin's read runs while the invocation goes on to its first check (the
Telegram adapter pins before taking the update from its inbox, so the two overlap).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, NamedTuple, TypeVar

_Key = TypeVar("_Key", bound=Hashable)
_Value = TypeVar("_Value")


class Topic(StrEnum):
    """Rows that a process keeps in memory, named for their writers to mark as changed."""

    POLLS = "polls"
    """`polls`, `poll_options`, `poll_chats` and `poll_messages` (not ballots)."""
    CHAT_SETTINGS = "chat_settings"
    """`chat_settings` and `chat_disabled_features`."""


class Generation(NamedTuple):
    """The state of a topic's rows as far as caches can tell; equal means unchanged.

    A named tuple: every cache check of every press makes and compares one.
    """

    others: int
    local: int


@dataclass(slots=True)
class _Pin:
    """One task's read of the engine's counter, shared by its checks within `pinned`."""

    generations: Generations
    owner: weakref.ref[asyncio.Task[object]]
    """The task that pinned (weakly: tasks it starts copy the pin, and may outlive it)."""
    reading: asyncio.Future[int] | None = None
    """The read issued when the pin was made, until its first check awaits it."""
    others: int | None = None


_pin: ContextVar[_Pin | None] = ContextVar("parley_generation_pin", default=None)


class Generations:
    """The generations of one database's topics (one per `Database`)."""

    def __init__(self, read_others: Callable[[], Awaitable[int]]) -> None:
        self._read_others = read_others
        self._local: dict[Topic, int] = {}
        self._gathering: asyncio.Future[int] | None = None
        self._reader: asyncio.Task[None] | None = None

    def touch(self, *topics: Topic) -> None:
        """Mark the topics' rows as changed; call it after the change has committed."""
        for topic in topics:
            self._local[topic] = self._local.get(topic, 0) + 1

    @asynccontextmanager
    async def pinned(self) -> AsyncIterator[None]:
        """Within the block, this task's checks share one read of other connections' commits.

        The read is issued on entry and awaited by the first check; if it failed, that check
        reads again, so that the error comes where the caller handles errors. Within a pin of
        this task, `pinned` again shares it. Tasks started within read for themselves.
        """
        if self._pin() is not None:
            yield
            return
        task = asyncio.current_task()
        assert task is not None, "pinned() runs in a task"
        token = _pin.set(_Pin(self, weakref.ref(task), reading=self._issue()))
        try:
            yield
        finally:
            _pin.reset(token)

    async def current(self, topic: Topic) -> Generation:
        """The topic's generation now (read before the rows it is to vouch for)."""
        pin = self._pin()
        if pin is None:
            others = await self._others()
        elif pin.others is None:
            reading, pin.reading = pin.reading, None
            others = pin.others = await self._first_read(reading)
        else:
            others = pin.others
        return Generation(others, self._local.get(topic, 0))

    def _pin(self) -> _Pin | None:
        """The running task's pin on these generations, if it holds one."""
        pin = _pin.get()
        if pin is None or pin.generations is not self or pin.owner() is not asyncio.current_task():
            return None
        return pin

    async def _first_read(self, reading: asyncio.Future[int] | None) -> int:
        """A pin's read, issued when it was made (or a new one, if that one failed)."""
        if reading is not None:
            with suppress(Exception):
                return await asyncio.shield(reading)
        return await self._others()

    async def _others(self) -> int:
        """The engine's counter, from a read issued after this call (shared with other calls)."""
        return await asyncio.shield(self._issue())

    def _issue(self) -> asyncio.Future[int]:
        """The next read of the engine's counter, issued after this call (shared by callers)."""
        if self._gathering is None:
            self._gathering = asyncio.get_running_loop().create_future()
            self._gathering.add_done_callback(_retrieved)  # a pin may never await it
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read_rounds(), name="parley-generations")
        return self._gathering

    async def _read_rounds(self) -> None:
        while self._gathering is not None:
            waiting, self._gathering = self._gathering, None
            try:
                waiting.set_result(await self._read_others())
            except BaseException as error:
                waiting.set_exception(error)
                if not isinstance(error, Exception):
                    raise


def _retrieved(read: asyncio.Future[int]) -> None:
    """Mark a failed read's error seen: its waiters have it, a pin that did not wait reads again."""
    if not read.cancelled():
        read.exception()


class FreshCache(Generic[_Key, _Value]):
    """A map of rows read from the database, at most `limit` (least recently used go first).

    Use: `seen = await cache.check()`, then `cache.get(key)`; on a miss, read the database and
    `cache.put(seen, key, value)`. A value read while the topic changed is not kept.
    """

    def __init__(self, generations: Generations, topic: Topic, limit: int) -> None:
        self._generations = generations
        self._topic = topic
        self._limit = limit
        self._entries: OrderedDict[_Key, _Value] = OrderedDict()
        self._seen: Generation | None = None

    def __len__(self) -> int:
        """How many values are kept."""
        return len(self._entries)

    async def check(self) -> Generation:
        """Forget everything if the topic changed since the last check; returns its generation."""
        generation = await self._generations.current(self._topic)
        if generation != self._seen:
            self._entries.clear()
            self._seen = generation
        return generation

    def get(self, key: _Key) -> _Value | None:
        """The kept value (valid as of the last `check`), or None."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, seen: Generation, key: _Key, value: _Value) -> None:
        """Keep `value`, read after the check that returned `seen`, unless the topic moved since."""
        if seen != self._seen:
            return
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self._limit:
            self._entries.popitem(last=False)
