"""The fingerprint of the poll master key, and how many polls still depend on that key.

Checked while the features are built at start-up, before anything is served. Feature
constructors are not coroutines, so the composition root reads the state first (`load`), the
poll feature checks the key against it (`state`, `remember`), and the root then stores a new
fingerprint (`save`), all through the database of either engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database

_STATE = (
    "SELECT (SELECT fingerprint FROM poll_key WHERE id = 1),"
    " (SELECT count(*) FROM polls WHERE salt IS NOT NULL)"
)
_REMEMBER = (
    "INSERT INTO poll_key (id, fingerprint) VALUES (1, ?)"
    " ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint"
)


@dataclass(frozen=True, slots=True)
class PollKeyState:
    """What the database says about the poll key."""

    fingerprint: str | None
    """The stored fingerprint; None in a database from before fingerprints."""
    salted_polls: int
    """Polls that still hold a salt: open anonymous polls and unfinished stance before-polls."""


class PollKeyRepository:
    """The `poll_key` row and the count of salted polls, read once at start-up."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._state: PollKeyState | None = None
        self._new: str | None = None

    async def load(self) -> PollKeyState:
        """Read the stored fingerprint and the number of polls holding a salt."""
        row = await self._db.fetch_one(_STATE)
        self._state = PollKeyState(row[0], int(row[1])) if row else PollKeyState(None, 0)
        return self._state

    def state(self) -> PollKeyState:
        """The state `load` read (`RuntimeError` before it)."""
        if self._state is None:
            raise RuntimeError("PollKeyRepository.load() must run before the features are built")
        return self._state

    def remember(self, fingerprint: str) -> None:
        """Keep `fingerprint` as the key's, replacing any earlier one, at the next `save`."""
        self._new = fingerprint

    async def save(self) -> None:
        """Store the fingerprint `remember` was given, if any."""
        if self._new is None:
            return
        await self._db.execute(_REMEMBER, (self._new,))
        self._state = PollKeyState(self._new, self.state().salted_polls)
        self._new = None
