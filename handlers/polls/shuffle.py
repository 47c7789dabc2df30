"""Each voter's own option order on a `--shuffle` poll, derived from a secret, never stored.

The order is the options sorted by an HMAC, under the poll master key, of the poll, the voter
and the option. It is the same on every press (nothing to remember), differs between voters and
polls, keeps its relative order when an option is added, and, because nothing about it is
stored, tells nobody holding the database anything about an anonymous poll's voters.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence


def voter_order(
    master_key: bytes, poll_id: int, voter: str, options: Sequence[int]
) -> tuple[int, ...]:
    """The positions `options` in the order voter `voter` (`platform:user_id`) sees them."""

    def rank(position: int) -> bytes:
        message = f"shuffle:{poll_id}:{voter}:{position}".encode()
        return hmac.new(master_key, message, hashlib.sha256).digest()

    return tuple(sorted(options, key=rank))
