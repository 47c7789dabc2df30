"""Per-person rate limiting with token buckets, one bucket per person and budget.

Every person is limited everywhere, private chats included; moderators get larger buckets,
not none. A use takes one token from each bucket its budget names: a costly command (article
import, posting, scheduling, creating a poll) takes one from the ordinary bucket and one from
the much smaller costly bucket. Light presses (building a private ballot, turning a page of a
view already shown) have their own large bucket, so ranking ten options or paging through the
debate map never runs out of ordinary tokens.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum

from bot.clock import Clock

MODERATOR_FACTOR = 3.0
"""How much larger a moderator's buckets are."""
COSTLY_PER_MINUTE = 2.0
COSTLY_BURST = 6
LIGHT_PER_MINUTE = 120.0
LIGHT_BURST = 40
MAX_BUCKETS = 50_000
"""Buckets kept in memory at most; the least recently used go first (a new bucket starts full).

A bucket that has refilled is forgotten too: it is just like a new one."""


class Budget(StrEnum):
    """Which buckets a command or press takes its tokens from."""

    COMMAND = "command"
    COSTLY = "costly"
    LIGHT = "light"


@dataclass(frozen=True, slots=True)
class Allowance:
    """One bucket: its name, average rate and burst."""

    bucket: str
    per_minute: float
    burst: float


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    full_at: float
    """When it has refilled to its burst: from then on it is a new bucket, so it may go."""


class RateLimiter:
    """Allows `burst` uses at once and `per_minute` on average, per person and budget."""

    def __init__(self, clock: Clock, *, per_minute: float, burst: int) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("rate limits must be positive")
        self._clock = clock
        self._per_minute = per_minute
        self._burst = float(burst)
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        """How many buckets are kept: those used and not yet refilled, at most `MAX_BUCKETS`."""
        return len(self._buckets)

    def allowances(
        self, budget: Budget, *, is_moderator: bool, chat_per_minute: float | None = None
    ) -> tuple[Allowance, ...]:
        """The buckets a use of `budget` draws on; a chat's own rate applies to its members."""
        factor = MODERATOR_FACTOR if is_moderator else 1.0
        if budget is Budget.LIGHT:
            return (Allowance("light", LIGHT_PER_MINUTE * factor, LIGHT_BURST * factor),)
        per_minute, burst = self._per_minute, self._burst
        if chat_per_minute and not is_moderator:
            per_minute, burst = chat_per_minute, min(burst, max(1.0, chat_per_minute))
        ordinary = Allowance("command", per_minute * factor, burst * factor)
        if budget is Budget.COSTLY:
            return (
                ordinary,
                Allowance("costly", COSTLY_PER_MINUTE * factor, COSTLY_BURST * factor),
            )
        return (ordinary,)

    def reserve(self, budget: Budget) -> tuple[Allowance, ...]:
        """The extra buckets of a moderator known only on asking (Telegram's administrators).

        They draw on them once their member buckets run dry; at the default rate the two hold
        what `allowances(budget, is_moderator=True)` does.
        """
        extra = MODERATOR_FACTOR - 1.0
        return tuple(
            Allowance(
                f"{allowance.bucket}.reserve", allowance.per_minute * extra, allowance.burst * extra
            )
            for allowance in self.allowances(budget, is_moderator=False)
        )

    def acquire(self, person: str, allowances: tuple[Allowance, ...]) -> float:
        """Take one token from each bucket; 0 when allowed, else seconds until allowed.

        Nothing is taken unless every bucket has a token.
        """
        now = self._clock.now().timestamp()
        self._forget_full(now)
        buckets = [(allowance, self._refilled(person, allowance, now)) for allowance in allowances]
        waits = [
            (1.0 - bucket.tokens) * 60.0 / allowance.per_minute
            for allowance, bucket in buckets
            if bucket.tokens < 1.0
        ]
        for allowance, bucket in buckets:
            if not waits:
                bucket.tokens -= 1.0
            bucket.full_at = now + (allowance.burst - bucket.tokens) * 60.0 / allowance.per_minute
        return max(waits, default=0.0)

    def _forget_full(self, now: float) -> None:
        """Forget the least recently used buckets while they have refilled."""
        while self._buckets:
            key, bucket = next(iter(self._buckets.items()))
            if bucket.full_at > now:
                return
            del self._buckets[key]

    def _refilled(self, person: str, allowance: Allowance, now: float) -> _Bucket:
        key = f"{person}/{allowance.bucket}"
        bucket = self._buckets.pop(key, None) or _Bucket(allowance.burst, now, now)
        self._buckets[key] = bucket
        while len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
        rate = allowance.per_minute / 60.0
        bucket.tokens = min(allowance.burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        return bucket
