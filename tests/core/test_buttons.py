import pytest

from bot.buttons import MAX_PAYLOAD_BYTES, decode_payload, encode_payload
from bot.errors import ExpiredButtonError


def test_round_trip(demo_app):
    spec, args = decode_payload(encode_payload("demo.add", 3), demo_app.router.registry)
    assert spec.name == "demo.add" and args == {"amount": 3}


def test_payloads_are_capped_and_typed():
    with pytest.raises(ValueError, match="over 64 bytes"):
        encode_payload("demo.add", "x" * 40, "y" * 30)
    with pytest.raises(ValueError, match="short ASCII word"):
        encode_payload("demo.add", "a:b")
    assert len(encode_payload("demo.add", 10**9).encode()) <= MAX_PAYLOAD_BYTES


def test_unknown_payloads_expire(demo_app):
    with pytest.raises(ExpiredButtonError):
        decode_payload("v1:demo.add:abc", demo_app.router.registry)
