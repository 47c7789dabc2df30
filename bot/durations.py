"""Durations as users type them: `90s`, `30m`, `2h`, `1d`, `1h30m`."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d{1,6})\s*([smhdw])", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_LONGEST = timedelta.max // timedelta(seconds=1)


def parse_duration(text: str) -> timedelta | None:
    """Parse `text` as a duration; None when it is not one.

    A sum too large for `timedelta` (`999999w` repeated) saturates at the longest one, so a
    caller's range check reports it as too long instead of the parse overflowing.
    """
    compact = text.strip().lower().replace(" ", "")
    if not compact:
        return None
    position = 0
    seconds = 0
    for match in _PART.finditer(compact):
        if match.start() != position:
            return None
        seconds += int(match.group(1)) * _UNITS[match.group(2).lower()]
        position = match.end()
    if position != len(compact):
        return None
    return timedelta(seconds=min(seconds, _LONGEST))


def format_duration(value: timedelta) -> str:
    """Format a duration compactly, e.g. `1d2h`, `30m`, `45s`."""
    remaining = int(value.total_seconds())
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, remaining = divmod(remaining, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0s"
