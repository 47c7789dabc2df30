"""Who moderates a Telegram group: its administrators and creator, cached briefly."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from telegram import Bot
from telegram.error import TelegramError

log = logging.getLogger("parley.telegram")

DEFAULT_TTL_SECONDS = 60.0
MAX_GROUPS = 10_000
"""Groups whose administrators are kept at once (the oldest lookups go first)."""


class ModeratorCache:
    """Each group's administrator ids from `getChatAdministrators`, kept for `ttl` seconds.

    Membership updates (`chat_member`, `my_chat_member`) drop a chat's entry so the next
    check asks again. A failed lookup counts nobody as a moderator and is not cached.
    """

    def __init__(
        self,
        bot: Bot,
        *,
        ttl: float = DEFAULT_TTL_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot
        self._ttl = ttl
        self._now = now
        self._admins: dict[int, tuple[float, frozenset[int]]] = {}
        self._lookups: dict[int, asyncio.Future[frozenset[int]]] = {}
        """Per chat with a lookup under way, that lookup (its callers share it; then removed)."""

    async def is_moderator(self, chat_id: int, user_id: int) -> bool:
        """Whether `user_id` administers group `chat_id`."""
        return user_id in await self.administrators(chat_id)

    async def administrators(self, chat_id: int) -> frozenset[int]:
        """The ids of the group's administrators (and creator)."""
        cached = self._fresh(chat_id)
        if cached is not None:
            return cached
        lookup = self._lookups.get(chat_id)
        if lookup is None:
            lookup = self._lookups[chat_id] = asyncio.ensure_future(self._look_up(chat_id))
            lookup.add_done_callback(lambda _: self._lookups.pop(chat_id, None))
        return await asyncio.shield(lookup)  # one caller's cancellation keeps the others'

    async def _look_up(self, chat_id: int) -> frozenset[int]:
        """Ask Telegram for the group's administrators and keep them `ttl` seconds."""
        try:
            members = await self._bot.get_chat_administrators(chat_id)
        except TelegramError as error:
            log.warning("event=admin_lookup_failed chat=%s error=%s", chat_id, type(error).__name__)
            return frozenset()
        ids = frozenset(member.user.id for member in members)
        self._admins.pop(chat_id, None)
        self._admins[chat_id] = (self._now() + self._ttl, ids)
        while len(self._admins) > MAX_GROUPS:
            del self._admins[next(iter(self._admins))]
        return ids

    def forget(self, chat_id: int) -> None:
        """Drop what is known about `chat_id` (its members or their rights changed)."""
        self._admins.pop(chat_id, None)

    def _fresh(self, chat_id: int) -> frozenset[int] | None:
        entry = self._admins.get(chat_id)
        if entry is None:
            return None
        if entry[0] <= self._now():
            del self._admins[chat_id]
            return None
        return entry[1]
