"""Exactly one process serves Telegram: the holder of the `telegram` lease in the database.

Two processes polling `getUpdates` for one bot conflict, so every process logs in and can send,
but only the lease holder receives updates. The holder renews the lease while it serves; when
it dies, the lease expires and a waiting process takes over (within `seconds` + one check);
a process started on the holder's host takes over at once when the holder's pid is gone (a
restart after a crash need not wait out the lease).
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from bot.clock import Clock
from storage.leases import Leases

LEASE_NAME = "telegram"
LEASE_SECONDS = 45.0
"""How long a lease lasts without renewal: a dead holder is replaced after at most this."""
CHECK_EVERY = 15.0
"""How often the holder renews and a waiting process tries to take over."""


class ServingLease:
    """One process's claim to the Telegram lease."""

    def __init__(
        self,
        leases: Leases,
        clock: Clock,
        *,
        seconds: float = LEASE_SECONDS,
        owner: str | None = None,
    ) -> None:
        self._leases = leases
        self._clock = clock
        self._length = timedelta(seconds=seconds)
        self._host = socket.gethostname()
        self.owner = owner or f"{self._host}:{os.getpid()}:{secrets.token_hex(4)}"
        """Who this process is in the lease row: host, pid and a token of this adapter."""
        self._confirmed_until = clock.now()

    async def acquire(self) -> bool:
        """Take the lease unless another live process holds it."""
        now = self._clock.now()
        taken = await self._leases.acquire(LEASE_NAME, self.owner, now + self._length, now=now)
        if not taken:
            holder = await self._leases.holder(LEASE_NAME)
            if holder is not None and self._gone(holder.owner):
                taken = await self._leases.replace(
                    LEASE_NAME, holder.owner, self.owner, now + self._length
                )
        if taken:
            self._confirmed_until = now + self._length
        return taken

    async def renew(self) -> bool:
        """Extend the lease; False when another process has taken it."""
        now = self._clock.now()
        renewed = await self._leases.renew(LEASE_NAME, self.owner, now + self._length)
        if renewed:
            self._confirmed_until = now + self._length
        return renewed

    def lapsed(self) -> bool:
        """Whether the last lease this process confirmed has run out (by this process's clock)."""
        return self._clock.now() >= self._confirmed_until

    async def release(self) -> None:
        """Give the lease up so that a waiting process can take over at once."""
        await self._leases.release(LEASE_NAME, self.owner)
        self._confirmed_until = self._clock.now()

    def _gone(self, owner: str) -> bool:
        """Whether `owner` names a process on this host that no longer runs."""
        host, _, rest = owner.partition(":")
        pid = rest.partition(":")[0]
        if host != self._host or not pid.isdigit():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except OSError:  # it runs, as another user
            return False
        return False

    async def holder(self) -> str | None:
        """The owner stored in the lease row (another process's host:pid:token), if any."""
        lease = await self._leases.holder(LEASE_NAME)
        return lease.owner if lease is not None else None
