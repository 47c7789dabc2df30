"""The private ballot of multi and ranked polls, carried in its buttons as a string of digits.

`"031"` means options 1, 4 and 2 (0-based 0, 3, 1) in that order; `"-"` is an empty ballot.
Polls have at most 10 options, so one digit per option fits every button payload.
"""

from __future__ import annotations

EMPTY = "-"


def encode_picks(picks: tuple[int, ...]) -> str:
    """The payload word for `picks`."""
    return "".join(str(index) for index in picks) or EMPTY


def decode_picks(word: str, option_count: int) -> tuple[int, ...] | None:
    """The picks in a payload word; None when the word is not a valid ballot for the poll."""
    if word == EMPTY:
        return ()
    if not (word.isascii() and word.isdigit()) or len(set(word)) != len(word):
        return None
    picks = tuple(int(char) for char in word)
    return picks if all(index < option_count for index in picks) else None


def toggle_pick(picks: tuple[int, ...], option: int) -> tuple[int, ...]:
    """Remove `option` if picked (later picks move up), else add it at the end."""
    if option in picks:
        return tuple(index for index in picks if index != option)
    return (*picks, option)
