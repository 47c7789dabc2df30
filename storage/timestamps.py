"""Timestamps as stored: fixed-width UTC ISO 8601 text, so text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_db(moment: datetime) -> str:
    """Store a timezone-aware moment as UTC text."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime(_FORMAT)


def from_db(text: str) -> datetime:
    """Read a stored timestamp back as an aware UTC datetime.

    `fromisoformat` reads the stored form (with its `Z`) about ten times faster than
    `strptime`, which matters to reads of many rows (an export of 100,000 ballots).
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"a stored timestamp without its zone: {text[:40]!r}")
    return moment.astimezone(UTC)
