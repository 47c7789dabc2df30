"""The button payload codec: typed, versioned and short enough for every platform.

A payload is `v1:action:arg:arg`. Telegram allows 64 bytes of callback data and Discord 100
characters of custom_id, so payloads are capped at 64 bytes. Arguments are integers or short
ASCII words; the action's declared parameters check them again on every press.
"""

from __future__ import annotations

import re

from bot.commands import ActionSpec, Registry
from bot.errors import ExpiredButtonError, UsageError
from bot.reply import Button, ButtonStyle

VERSION = "v1"
MAX_PAYLOAD_BYTES = 64
_WORD = re.compile(r"^[A-Za-z0-9_\-.]{1,40}$")


def encode_payload(action: str, *args: int | str) -> str:
    """Encode a press of `action` with `args`; raises ValueError for payloads that cannot fit."""
    parts = [VERSION, action]
    for arg in args:
        text = str(arg)
        if not _WORD.match(text):
            raise ValueError(f"button argument {text!r} is not a short ASCII word")
        parts.append(text)
    payload = ":".join(parts)
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"button payload {payload!r} is over {MAX_PAYLOAD_BYTES} bytes")
    return payload


def button(
    label: str, action: str, *args: int | str, style: ButtonStyle = ButtonStyle.SECONDARY
) -> Button:
    """A button that invokes `action` with `args` when pressed."""
    return Button(label=label, payload=encode_payload(action, *args), style=style)


def decode_payload(payload: str, registry: Registry) -> tuple[ActionSpec, dict[str, object]]:
    """Find the action and its typed arguments, or raise `ExpiredButtonError`."""
    if len(payload.encode(errors="replace")) > MAX_PAYLOAD_BYTES:
        raise ExpiredButtonError("payload too long")
    version, _, rest = payload.partition(":")
    if version != VERSION:
        raise ExpiredButtonError(f"unknown payload version {version[:8]!r}")
    name, *raw_args = rest.split(":")
    spec = registry.action(name)
    if spec is None:
        raise ExpiredButtonError(f"unknown action {name[:24]!r}")
    if len(raw_args) != len(spec.params) or not all(_WORD.match(a) for a in raw_args):
        raise ExpiredButtonError(f"bad arguments for {name}")
    try:
        values = {p.name: p.convert(raw) for p, raw in zip(spec.params, raw_args, strict=True)}
    except UsageError as error:
        raise ExpiredButtonError(f"bad argument for {name}") from error
    return spec, values
