"""Summaries of article editions, computed off the event loop and cached in SQLite.

The cache key is the text's hash, the length, the language and `ALGORITHM_VERSION`, so an edited
text or a changed algorithm never serves a stale summary.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.clock import Clock
from domain.articles import Edition, content_hash
from handlers.summary import summarizer
from handlers.summary.codec import decode_summary, encode_summary
from handlers.summary.summarizer import ALGORITHM_VERSION, Length, Summary
from storage.articles import ArticleRepository, CacheKey

log = logging.getLogger("parley.summary")


class SummaryService:
    """Summarizes editions, reading and filling the cache."""

    def __init__(self, repository: ArticleRepository, clock: Clock) -> None:
        self._repository = repository
        self._clock = clock
        self._in_flight: dict[CacheKey, asyncio.Future[Summary]] = {}

    async def summary_of(
        self, edition: Edition, length: Length, *, slow: Callable[[], Awaitable[None]] | None = None
    ) -> Summary:
        """The summary of `edition` at `length`, from the cache when it is there.

        Requests for a summary already being computed wait for that computation. `slow` is
        awaited first when the answer has to wait for one (not when the cache has it).
        """
        key = CacheKey(content_hash(edition.text), length, edition.language, ALGORITHM_VERSION)
        pending = self._in_flight.get(key)
        if pending is not None:
            if slow is not None:
                await slow()
            return await asyncio.shield(pending)
        future: asyncio.Future[Summary] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            summary = await self._compute(edition, length, key, slow)
        except Exception as error:
            future.set_exception(error)
            future.exception()  # marked retrieved: the waiters re-raise it
            raise
        except BaseException:
            future.cancel()
            raise
        finally:
            del self._in_flight[key]
        future.set_result(summary)
        return summary

    async def summary_uncached(self, edition: Edition, length: Length) -> Summary:
        """The summary computed off the event loop, read from no cache and kept in none.

        For a text nobody stored (a message); `summary_of` caches what it returns.
        """
        return await asyncio.to_thread(summarizer.summarize, edition.text, length, edition.language)

    async def _compute(
        self,
        edition: Edition,
        length: Length,
        key: CacheKey,
        slow: Callable[[], Awaitable[None]] | None,
    ) -> Summary:
        cached = await self._repository.cached_summary(key)
        if cached is not None:
            try:
                return decode_summary(cached)
            except (ValueError, KeyError, TypeError):
                log.warning("event=summary_cache_unreadable hash=%s", key.content_hash[:12])
        if slow is not None:
            await slow()
        summary = await self.summary_uncached(edition, length)
        await self._repository.cache_summary(key, encode_summary(summary), self._clock.now())
        return summary
