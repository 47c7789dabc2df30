"""Voter keys for anonymous polls: one ballot per person, without storing who the person is.

An anonymous ballot is stored under `voter_key(...)` instead of the platform user id. The key is
HMAC-SHA256 over `platform:user_id` with a per-poll key, itself HMAC-SHA256 of the poll's random
salt under a master key. So:

- the same voter gets the same key within a poll (the database keeps one ballot per key), and
  unrelated keys in different polls (no linking of one person's votes across polls);
- the master key lives outside the database (settings from the environment or a key file), so
  someone who reads the database, the salts included, cannot test candidate user ids: user ids
  are few and guessable, so a salt alone (stored beside the ballots) would not protect them;
- the salt (`new_poll_salt()`, stored with the poll) should be deleted once the poll is closed
  and its final tally stored: after that, not even a holder of the master key can recompute
  whose ballot is whose. The two polls of a stance check share one salt, so that a voter's
  before and after ballots match, and it is deleted when the second one closes.
"""

import hashlib
import hmac
import secrets

MASTER_KEY_BYTES = 32
POLL_SALT_BYTES = 32
_POLL_KEY_CONTEXT = b"parley/poll-voter-key/v1\x00"


def new_poll_salt() -> bytes:
    """Return a fresh random salt for one anonymous poll (or one stance pair)."""
    return secrets.token_bytes(POLL_SALT_BYTES)


def voter_key(master_key: bytes, poll_salt: bytes, platform: str, user_id: str) -> str:
    """Return the hex key an anonymous ballot is stored under for this voter in this poll."""
    if len(master_key) < MASTER_KEY_BYTES:
        raise ValueError(f"the master key must be at least {MASTER_KEY_BYTES} bytes")
    if len(poll_salt) != POLL_SALT_BYTES:
        raise ValueError(f"a poll salt is {POLL_SALT_BYTES} bytes")
    if not platform or ":" in platform:
        raise ValueError("a platform name is non-empty and has no colon")
    poll_key = hmac.digest(master_key, _POLL_KEY_CONTEXT + poll_salt, hashlib.sha256)
    voter = f"{platform}:{user_id}".encode()
    return hmac.new(poll_key, voter, hashlib.sha256).hexdigest()
