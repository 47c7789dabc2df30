import pytest

from bot.buttons import MAX_PAYLOAD_BYTES, decode_payload, encode_payload, seal_personal
from bot.commands import ActionSpec, Registry
from bot.errors import ExpiredButtonError
from bot.params import IntParam
from bot.reply import Button, Reply
from bot.seals import ButtonSeal

SEAL = ButtonSeal(b"k" * 32)


def test_round_trip(demo_app):
    registry = demo_app.router.registry
    spec, args = decode_payload(
        encode_payload("demo.add", 3), registry, seal=SEAL, presser="test:alice"
    )
    assert spec.name == "demo.add" and args == {"amount": 3}


def test_payloads_are_capped_and_typed():
    with pytest.raises(ValueError, match="over 64 bytes"):
        encode_payload("demo.add", "x" * 40, "y" * 30)
    with pytest.raises(ValueError, match="short ASCII word"):
        encode_payload("demo.add", "a:b")
    assert len(encode_payload("demo.add", 10**9).encode()) <= MAX_PAYLOAD_BYTES


def test_unknown_payloads_expire(demo_app):
    with pytest.raises(ExpiredButtonError):
        decode_payload("v1:demo.add:abc", demo_app.router.registry, seal=SEAL, presser="x")


async def _noop(ctx, n):
    return None


def personal_registry() -> Registry:
    registry = Registry()
    number = IntParam(name="n", description=None, min_value=0)  # type: ignore[arg-type]
    registry.add_action(ActionSpec(name="me.only", handler=_noop, params=(number,), personal=True))
    registry.add_action(ActionSpec(name="anyone", handler=_noop, params=(number,)))
    return registry


def test_personal_buttons_open_only_for_the_person_they_were_sealed_for():
    registry = personal_registry()
    reply = Reply(buttons=((Button("a", "v1:me.only:7"), Button("b", "v1:anyone:7")),))
    sealed = seal_personal(reply, registry, SEAL, "tg:alice")
    mine, public = (button.payload for button in sealed.buttons[0])
    assert public == "v1:anyone:7" and mine.startswith("v1:me.only:7:") and len(mine) <= 64
    spec, args = decode_payload(mine, registry, seal=SEAL, presser="tg:alice")
    assert spec.name == "me.only" and args == {"n": 7}
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
