"""Buttons: a label and a typed press (`bot.actions`), and reading a press back at the router.

Payloads of personal actions carry one more word, the seal (`bot.seals`), added and checked
by the core.
"""

from __future__ import annotations

from dataclasses import replace

from bot.actions import MAX_PAYLOAD_BYTES, Action, action_name
from bot.commands import ActionSpec, Registry
from bot.errors import ExpiredButtonError
from bot.reply import Button, ButtonStyle, Reply
from bot.seals import TAG_CHARS, ButtonSeal

SEALED_PAYLOAD_BYTES = MAX_PAYLOAD_BYTES - TAG_CHARS - 1
"""How long a personal action's payload may be before its seal is added."""


def button(label: str, action: Action, *, style: ButtonStyle = ButtonStyle.SECONDARY) -> Button:
    """A button that presses `action`; making it fails for a press its payload cannot carry."""
    return Button(label=label, payload=action.encode(), style=style)


def decode_payload(
    payload: str, registry: Registry, *, seal: ButtonSeal, presser: str
) -> tuple[ActionSpec, Action]:
    """Find the action and read its typed press, or raise `ExpiredButtonError`.

    A personal action's payload must carry the seal made for `presser`.
    """
    if len(payload.encode(errors="replace")) > MAX_PAYLOAD_BYTES:
        raise ExpiredButtonError("payload too long")
    name = action_name(payload)
    if name is None:
        raise ExpiredButtonError(f"unknown payload version {payload.partition(':')[0][:8]!r}")
    spec = registry.action(name)
    if spec is None:
        raise ExpiredButtonError(f"unknown action {name[:24]!r}")
    if spec.personal:
        opened = seal.open(payload, presser)
        if opened is None:
            raise ExpiredButtonError(f"{name} sealed for someone else")
        payload = opened
    return spec, spec.payload.decode(payload)


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
