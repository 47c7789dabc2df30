"""Buttons: a label and a typed press (`bot.actions`), and reading a press back at the router.

Payloads of personal actions carry one more word, the seal (`bot.seals`), added and checked
by the core.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.actions import MAX_PAYLOAD_BYTES, VERSION, Action, action_name
from bot.commands import ActionSpec, Registry
from bot.errors import ExpiredButtonError, UsageError
from bot.reply import Button, ButtonStyle, Reply
from bot.seals import TAG_CHARS, ButtonSeal

SEALED_PAYLOAD_BYTES = MAX_PAYLOAD_BYTES - TAG_CHARS - 1
"""How long a personal action's payload may be before its seal is added."""
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
    label: str, action: Action | str, *args: int | str, style: ButtonStyle = ButtonStyle.SECONDARY
) -> Button:
    """A button that presses `action` (with `args`, for string actions) when pressed."""
    if isinstance(action, Action):
        return Button(label=label, payload=action.encode(), style=style)
    return Button(label=label, payload=encode_payload(action, *args), style=style)


def decode_payload(
    payload: str, registry: Registry, *, seal: ButtonSeal, presser: str
) -> tuple[ActionSpec, Action | dict[str, object]]:
    """Find the action and its typed arguments, or raise `ExpiredButtonError`.

    A personal action's payload must carry the seal made for `presser`.
    """
    if len(payload.encode(errors="replace")) > MAX_PAYLOAD_BYTES:
        raise ExpiredButtonError("payload too long")
    version, _, rest = payload.partition(":")
    if version != VERSION:
        raise ExpiredButtonError(f"unknown payload version {version[:8]!r}")
    name = rest.partition(":")[0]
    spec = registry.action(name)
    if spec is None:
        raise ExpiredButtonError(f"unknown action {name[:24]!r}")
    if spec.personal:
        opened = seal.open(payload, presser)
        if opened is None:
            raise ExpiredButtonError(f"{name} sealed for someone else")
        payload = opened
        rest = opened.partition(":")[2]
    if spec.payload is not None:
        return spec, spec.payload.decode(payload)
    _, *raw_args = rest.split(":")
    if len(raw_args) != len(spec.params) or not all(_WORD.match(a) for a in raw_args):
        raise ExpiredButtonError(f"bad arguments for {name}")
    try:
        values: dict[str, object] = {
            p.name: p.convert(raw) for p, raw in zip(spec.params, raw_args, strict=True)
        }
    except UsageError as error:
        raise ExpiredButtonError(f"bad argument for {name}") from error
    return spec, values


def seal_personal(reply: Reply, registry: Registry, seal: ButtonSeal, person: str) -> Reply:
    """`reply` with every button of a personal action sealed for `person`."""
    if not any(_is_personal(b, registry) for row in reply.buttons for b in row):
        return reply
    rows = tuple(
        tuple(
            replace(b, payload=_sealed(b.payload, seal, person)) if _is_personal(b, registry) else b
            for b in row
        )
        for row in reply.buttons
    )
    return replace(reply, buttons=rows)


def _is_personal(button: Button, registry: Registry) -> bool:
    name = action_name(button.payload)
    spec = registry.action(name) if name else None
    return spec is not None and spec.personal


def _sealed(payload: str, seal: ButtonSeal, person: str) -> str:
    if len(payload.encode()) > SEALED_PAYLOAD_BYTES:
        raise ValueError(f"personal payload {payload!r} leaves no room for its seal")
    return seal.seal(payload, person)
