"""Retrying Bot API calls after flood waits and network faults, a bounded number of times."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger("parley.telegram")

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to wait before giving up on a call.

    `RetryAfter` waits what Telegram asks (up to `max_flood_wait` seconds); network errors
    and timeouts wait `base_delay`, doubling each time. `BadRequest` is never retried.
    """

    attempts: int = 3
    base_delay: float = 0.5
    max_flood_wait: float = 60.0
    sleep: Sleep = field(default=asyncio.sleep)

    async def run(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        """Await `call()`, retrying transient faults; the last error is raised."""
        delay = self.base_delay
        for attempt in range(1, self.attempts + 1):
            try:
                return await call()
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                if attempt == self.attempts or seconds > self.max_flood_wait:
                    log.warning("event=send_failed call=%s reason=flood_wait", what)
                    raise
                log.info("event=flood_wait call=%s seconds=%s", what, seconds)
                await self.sleep(seconds)
            except BadRequest:
                raise
            except NetworkError as error:
                if attempt == self.attempts:
                    log.warning("event=send_failed call=%s reason=%s", what, type(error).__name__)
                    raise
                log.info(
                    "event=network_retry call=%s attempt=%d error=%s",
                    what,
                    attempt,
                    type(error).__name__,
                )
                await self.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds (without PTB's int-or-timedelta deprecation)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
