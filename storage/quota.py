"""Caps on how many rows one person or one chat may hold at once, checked where they are written.

A repository counts inside the transaction that would add the row, so two concurrent commands
cannot both see room for one more. When a cap is reached it raises `QuotaReachedError` and
writes nothing; the caller turns that into a reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    """Whose cap was reached."""

    PERSON = "person"
    CHAT = "chat"


@dataclass(frozen=True, slots=True)
class Quota:
    """At most `per_person` rows for one person and `per_chat` for one chat (None: no cap)."""

    per_person: int | None = None
    per_chat: int | None = None

    def check(self, *, person: int = 0, chat: int = 0) -> None:
        """Raise `QuotaReachedError` when `person` or `chat` rows leave no room for one more."""
        if self.per_person is not None and person >= self.per_person:
            raise QuotaReachedError(Scope.PERSON, self.per_person)
        if self.per_chat is not None and chat >= self.per_chat:
            raise QuotaReachedError(Scope.CHAT, self.per_chat)


class QuotaReachedError(Exception):
    """One more row would pass the cap of `scope`, which is `limit`; nothing was written."""

    def __init__(self, scope: Scope, limit: int) -> None:
        super().__init__(f"{scope} quota of {limit} reached")
        self.scope = scope
        self.limit = limit
