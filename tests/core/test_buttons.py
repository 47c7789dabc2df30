import pytest

from bot.actions import Action
from bot.buttons import SEALED_PAYLOAD_BYTES, button, decode_payload, seal_personal
from bot.commands import ActionSpec, Registry
from bot.context import Context
from bot.errors import ExpiredButtonError
from bot.reply import Reply
from bot.seals import ButtonSeal

SEAL = ButtonSeal(b"k" * 32)


class MeOnly(Action, name="me.only"):
    n: int


class Anyone(Action, name="anyone"):
    n: int


class Long(Action, name="me.long"):
    first: str
    second: str


async def _mine(ctx: Context, press: MeOnly) -> None:
    return None


async def _anyone(ctx: Context, press: Anyone) -> None:
    return None


async def _long(ctx: Context, press: Long) -> None:
    return None


def personal_registry() -> Registry:
    registry = Registry()
    registry.add_action(ActionSpec(payload=MeOnly, handler=_mine, personal=True))
    registry.add_action(ActionSpec(payload=Anyone, handler=_anyone))
    registry.add_action(ActionSpec(payload=Long, handler=_long, personal=True))
    return registry


def test_personal_buttons_open_only_for_the_person_they_were_sealed_for():
    registry = personal_registry()
    reply = Reply(buttons=((button("a", MeOnly(n=7)), button("b", Anyone(n=7))),))
    sealed = seal_personal(reply, registry, SEAL, "tg:alice")
    mine, public = (button.payload for button in sealed.buttons[0])
    assert public == "v1:anyone:7" and mine.startswith("v1:me.only:7:") and len(mine) <= 64
    spec, press = decode_payload(mine, registry, seal=SEAL, presser="tg:alice")
    assert spec.name == "me.only" and press == MeOnly(n=7)
    for payload, presser in (
        (mine, "tg:mallory"),  # someone else's ballot
        ("v1:me.only:7", "tg:alice"),  # no seal
        (mine.replace(":7:", ":8:"), "tg:alice"),  # the arguments changed under the seal
        (mine[:-1] + ("a" if mine[-1] != "a" else "b"), "tg:alice"),  # a guessed tag
        (mine[:-1] + "²", "tg:alice"),  # not even ASCII
    ):
        with pytest.raises(ExpiredButtonError):
            decode_payload(payload, registry, seal=SEAL, presser=presser)
    other_key = ButtonSeal(b"o" * 32)
    with pytest.raises(ExpiredButtonError):
        decode_payload(mine, registry, seal=other_key, presser="tg:alice")


def test_a_personal_payload_must_leave_room_for_its_seal():
    registry = personal_registry()
    room = SEALED_PAYLOAD_BYTES - len("v1:me.long:") - len("x" * 40 + ":")
    fits = Reply(buttons=((button("a", Long(first="x" * 40, second="y" * room)),),))
    assert len(seal_personal(fits, registry, SEAL, "tg:a").buttons[0][0].payload) == 64
    over = Reply(buttons=((button("a", Long(first="x" * 40, second="y" * (room + 1))),),))
    with pytest.raises(ValueError, match="leaves no room for its seal"):
        seal_personal(over, registry, SEAL, "tg:a")
