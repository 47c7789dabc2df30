"""Personal buttons: a short keyed tag binds a button to the one person it was made for.

A private ballot (its picks, Submit, Withdraw) is opened for one person. The core seals the
payload of every button of a personal action with `HMAC(key, payload, person)` on its way out,
and accepts a press only when the tag matches the presser. Handlers never see the tag.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

TAG_CHARS = 10
"""Ten base32 characters: 50 bits, enough that guessing a tag is hopeless, short for payloads."""


class ButtonSeal:
    """Seals payloads for one person and opens them again."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the seal key is too short")
        self._key = key

    def seal(self, payload: str, person: str) -> str:
        """`payload` with the tag for `person` appended as its last argument."""
        return f"{payload}:{self._tag(payload, person)}"

    def open(self, sealed: str, person: str) -> str | None:
        """The payload without its tag when the tag is `person`'s; None when it is not."""
        payload, _, tag = sealed.rpartition(":")
        expected = self._tag(payload, person).encode()
        if not payload or not hmac.compare_digest(tag.encode(errors="replace"), expected):
            return None
        return payload

    def _tag(self, payload: str, person: str) -> str:
        message = f"{payload}\x00{person}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.b32encode(digest).decode()[:TAG_CHARS].lower()
