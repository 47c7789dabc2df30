"""Per-user rate limiting with token buckets."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows `burst` invocations at once and `per_minute` on average, per key."""

    def __init__(self, clock: Clock, *, per_minute: float, burst: int) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("rate limits must be positive")
        self._clock = clock
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, key: str, per_minute: float | None = None) -> float:
        """Take one token for `key`; returns 0 when allowed, else seconds until allowed.

        `per_minute` overrides the default rate (e.g. a chat's own limit).
        """
        rate = per_minute / 60.0 if per_minute else self._rate
        burst = min(self._burst, max(1.0, per_minute)) if per_minute else self._burst
        now = self._clock.now().timestamp()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(burst, now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate
