import hashlib
import hmac
import re

import pytest

from handlers.polls.anonymity import new_poll_salt, voter_key

MASTER = bytes(range(32))


def test_key_is_hex_sha256_and_stable_within_a_poll():
    salt = new_poll_salt()
    key = voter_key(MASTER, salt, "discord", "80351110224678912")
    assert re.fullmatch("[0-9a-f]{64}", key)
    assert key == voter_key(MASTER, salt, "discord", "80351110224678912")


def test_keys_differ_across_polls_voters_and_platforms():
    first, second = new_poll_salt(), new_poll_salt()
    assert first != second and len(first) == 32
    keys = {
        voter_key(MASTER, first, "discord", "42"),
        voter_key(MASTER, second, "discord", "42"),
        voter_key(MASTER, first, "discord", "43"),
        voter_key(MASTER, first, "telegram", "42"),
    }
    assert len(keys) == 4


def test_salt_alone_cannot_recompute_keys():
    # Someone reading the database has the salt and can guess user ids, but not the master key.
    salt = new_poll_salt()
    stored = voter_key(MASTER, salt, "telegram", "12345")
    guesses = {
        hmac.new(salt, b"telegram:12345", hashlib.sha256).hexdigest(),
        hashlib.sha256(salt + b"telegram:12345").hexdigest(),
        voter_key(bytes(32), salt, "telegram", "12345"),
    }
    assert stored not in guesses
    assert voter_key(bytes(range(1, 33)), salt, "telegram", "12345") != stored


def test_key_does_not_contain_the_user_id():
    key = voter_key(MASTER, new_poll_salt(), "console", "alice")
    assert "alice" not in key


@pytest.mark.parametrize(
    ("master", "salt", "platform"),
    [
        (b"short", bytes(32), "discord"),
        (MASTER, bytes(16), "discord"),
        (MASTER, bytes(32), ""),
        (MASTER, bytes(32), "disc:ord"),
    ],
)
def test_misuse_fails_loudly(master, salt, platform):
    with pytest.raises(ValueError):
        voter_key(master, salt, platform, "1")
