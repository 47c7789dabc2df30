"""Which side of the debate is shown first: alternating per chat and per day, never fixed."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TypeVar

T = TypeVar("T")


def first_side_index(chat_key: str, day: dt.date) -> int:
    """Return 0 or 1: the index of the side shown first in this chat on this day.

    A stable hash of the chat picks the chat's starting order; the parity of the day flips it,
    so one chat alternates from day to day and different chats differ on the same day.
    """
    chat_bit = hashlib.sha256(chat_key.encode("utf-8")).digest()[0] & 1
    return (chat_bit + day.toordinal()) % 2


def ordered_sides(sides: tuple[T, T], chat_key: str, day: dt.date) -> tuple[T, T]:
    """Return the two sides in the order to show them in this chat on this day."""
    first, second = sides
    return (first, second) if first_side_index(chat_key, day) == 0 else (second, first)
