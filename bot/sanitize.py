"""Making user text safe to echo: no control characters, no bidirectional overrides, a length."""

from __future__ import annotations

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def visible(text: str) -> str:
    """`text` without control characters (tabs and newlines stay) or bidi overrides."""
    return "".join(
        char
        for char in text
        if char in "\n\t"
        or (ord(char) >= 32 and not 127 <= ord(char) < 160 and char not in _BIDI_CONTROLS)
    )


def clipped(text: str, limit: int) -> str:
    """`text` if it has at most `limit` characters, else its first `limit - 1` and `…`."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
