"""Typed button payloads: made, read back, refused when forged, and bound to their handlers."""

from enum import StrEnum
from typing import Annotated

import pytest

from bot.actions import MAX_PAYLOAD_BYTES, Action, MaxLength, Range, Words
from bot.authority import Guard
from bot.buttons import button, decode_payload
from bot.commands import ActionSpec, Registry, RegistryError
from bot.context import Context
from bot.errors import ExpiredButtonError
from bot.reply import Reply
from bot.seals import ButtonSeal
from tests.core.demo_feature import DemoAdd

SEAL = ButtonSeal(b"k" * 32)


class Mood(StrEnum):
    CALM = "calm"
    LOUD = "loud"


class Sample(Action, name="test.sample"):
    item: Annotated[int, Range(1, 999)]
    mood: Mood
    language: Annotated[str, Words("zh", "en")]
    word: Annotated[str, MaxLength(8)] = "-"


class Wide(Action, name="test.wide"):
    first: str
    second: str


class Other(Action, name="test.other"):
    item: int


async def on_sample(ctx: Context, press: Sample) -> Reply | None:
    return None


async def on_other(ctx: Context, press: Other) -> Reply | None:
    return None


async def on_two(ctx: Context, press: Sample, extra: int) -> Reply | None:
    return None


async def on_nothing(ctx: Context) -> Reply | None:
    return None


def sample_registry() -> Registry:
    registry = Registry()
    registry.add_action(ActionSpec(payload=Sample, handler=on_sample))
    registry.add_action(ActionSpec(payload=Other, handler=on_other))
    return registry


def test_a_press_round_trips_with_its_types():
    press = Sample(item=42, mood=Mood.LOUD, language="en", word="a-b.c")
    payload = press.encode()
    assert payload == "v1:test.sample:42:loud:en:a-b.c"
    assert Sample.decode(payload) == press and Sample.decode(payload).mood is Mood.LOUD
    assert button("Go", press).payload == payload
    spec, read = decode_payload(payload, sample_registry(), seal=SEAL, presser="t:a")
    assert spec.name == "test.sample" and spec.payload is Sample and read == press


def test_a_payload_that_cannot_fit_or_be_read_back_fails_when_made():
    with pytest.raises(ValueError, match="over 64 bytes"):
        Wide(first="x" * 30, second="y" * 30)
    assert len(Wide(first="x" * 20, second="y" * 20).encode().encode()) <= MAX_PAYLOAD_BYTES
    for bad in (
        {"item": 0},  # below its range
        {"item": "7"},  # not an int
        {"item": True},  # bool is not a number here
        {"language": "fr"},  # not one of its words
        {"word": "a:b"},  # not a short ASCII word
        {"word": "x" * 9},  # over its length
        {"mood": "calm"},  # the word, not the enum
    ):
        values = {"item": 1, "mood": Mood.CALM, "language": "zh", "word": "w"} | bad
        with pytest.raises(ValueError):
            Sample(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "payload",
    [
        "v1:test.sample:42:loud:en",  # one field missing
        "v1:test.sample:42:loud:en:w:x",  # one too many
        "v1:test.sample:0:loud:en:w",  # out of range
        "v1:test.sample:42:soft:en:w",  # not a mood
        "v1:test.sample:42:loud:en:toolongword",  # over its length
        "v1:test.sample:4²:loud:en:w",  # not an ASCII word
        "v1:test.sample::loud:en:w",  # an empty word
        "v1:test.nope:42",  # an unknown action
        "v2:test.sample:42:loud:en:w",  # another version
        "test.sample:42:loud:en:w",  # no version
        "v1",
        "",
        "v1:test.other:" + "9" * 80,  # over 64 bytes
    ],
)
def test_forged_payloads_expire(payload):
    with pytest.raises(ExpiredButtonError):
        decode_payload(payload, sample_registry(), seal=SEAL, presser="t:a")


def test_a_class_reads_only_its_own_payloads():
    with pytest.raises(ExpiredButtonError):
        Other.decode(Sample(item=1, mood=Mood.CALM, language="zh").encode())


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (on_other, r"test.sample: handler on_other must take \(ctx, press: Sample\), not press"),
        (on_two, r"handler on_two must take \(ctx, press: Sample\)"),
        (on_nothing, r"handler on_nothing must take \(ctx, press: Sample\)"),
    ],
)
def test_a_handler_must_take_exactly_its_payload_class(handler, message):
    with pytest.raises(RegistryError, match=message):
        Registry().add_action(ActionSpec(payload=Sample, handler=handler))


def test_a_guard_must_name_a_field_of_the_payload_class():
    spec = ActionSpec(payload=Sample, handler=on_sample, guards=(Guard("poll", "poll"),))
    with pytest.raises(RegistryError, match=r"guard on 'poll', which is not a field of Sample"):
        Registry().add_action(spec)
    Registry().add_action(
        ActionSpec(payload=Sample, handler=on_sample, guards=(Guard("item", "x"),))
    )


def test_bad_payload_classes_fail_when_defined():
    with pytest.raises(TypeError, match="bad action name"):

        class Shouting(Action, name="Test.Loud"):
            item: int

    with pytest.raises(TypeError, match="an int, a str word or a StrEnum"):

        class Floaty(Action, name="test.float"):
            ratio: float

    with pytest.raises(TypeError, match="Range needs an int field"):

        class Ranged(Action, name="test.ranged"):
            word: Annotated[str, Range(1)]


def test_the_demo_press_is_what_its_button_carries():
    assert DemoAdd(amount=3).encode() == "v1:demo.add:3"
