"""Undo a page's Content-Encoding in small steps: one layer at most, output bounded per step.

A few kilobytes of gzip can expand to gigabytes, so nothing here inflates a whole chunk at once:
each step yields at most `STEP_BYTES`, and the caller stops asking as soon as its own cap on the
decoded size is reached. The work per fetch is then bounded by that cap, not by the compression
ratio, and stays small enough to run on the event loop.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

from bot.errors import UserError
from bot.i18n import Localized

STEP_BYTES = 64 * 1024
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}

STACKED_ENCODINGS = Localized(
    "The site compressed the page more than once ({encodings}); I do not read such pages.",
    "网站对该网页做了多重压缩（{encodings}），无法读取这样的网页。",
)
UNKNOWN_ENCODING = Localized(
    "The site compressed the page as “{encoding}”, which I cannot read.",
    "网站使用“{encoding}”压缩该网页，无法读取。",
)
DAMAGED = Localized("The site sent a damaged compressed page.", "网站发送的压缩网页已损坏。")


class BodyDecoder:
    """Undoes a response's content encoding: none, or one layer of gzip or deflate."""

    def __init__(self, content_encodings: Sequence[str]) -> None:
        """Check the `Content-Encoding` values; stacked or unknown encodings are refused."""
        layers = [value.strip().lower() for value in content_encodings]
        layers = [layer for layer in layers if layer not in ("", "identity")]
        if len(layers) > 1:
            raise UserError(STACKED_ENCODINGS, encodings=", ".join(layers)[:60])
        if layers and layers[0] not in _WBITS:
            raise UserError(UNKNOWN_ENCODING, encoding=layers[0][:40])
        self._inflater = zlib.decompressobj(_WBITS[layers[0]]) if layers else None

    def decode(self, chunk: bytes) -> Iterator[bytes]:
        """The decoded bytes of `chunk`, at most `STEP_BYTES` a piece; trailing data is dropped."""
        inflater = self._inflater
        if inflater is None:
            yield chunk
            return
        data = chunk
        while not inflater.eof:
            try:
                piece = inflater.decompress(data, STEP_BYTES)
            except zlib.error:
                raise UserError(DAMAGED) from None
            data = inflater.unconsumed_tail
            if piece:
                yield piece
            if not data and len(piece) < STEP_BYTES:
                return
