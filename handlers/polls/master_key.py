"""The master key of anonymous polls: from the environment, or a key file beside the database.

The key never enters the database, so a copy of the database alone cannot link an anonymous
ballot to a person. The key file is created once, readable by its owner only (0600), and never
overwritten. The database keeps the key's fingerprint: while a poll holds a salt, start-up
refuses a missing or different key, since with another key everyone could vote again.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from bot.config import Settings
from handlers.polls.anonymity import MASTER_KEY_BYTES
from storage.poll_key import PollKeyRepository, PollKeyState

log = logging.getLogger("parley.polls")

_FINGERPRINT_CONTEXT = b"parley poll key fingerprint"
_FINGERPRINT_BYTES = 16


class MasterKeyError(RuntimeError):
    """The configured master key cannot be used (the message never contains the key)."""


def key_file_path(settings: Settings) -> Path:
    """Where the key file is: `PARLEY_POLL_KEY_FILE`, else the database path plus `.pollkey`.

    On PostgreSQL (no database file) the default is `parley.pollkey` in the working directory;
    every process sharing the server needs the same key (`PARLEY_POLL_KEY` or that file).
    """
    if settings.poll_key_file is not None:
        return settings.poll_key_file
    database = settings.database_path or Path("parley")
    return database.with_name(database.name + ".pollkey")


def fingerprint(key: bytes) -> str:
    """A keyed digest that identifies `key` without revealing it (32 hex characters)."""
    digest = hmac.digest(key, _FINGERPRINT_CONTEXT, hashlib.sha256)
    return digest[:_FINGERPRINT_BYTES].hex()


def open_master_key(settings: Settings, known: PollKeyRepository) -> bytes:
    """The master key, checked against the database's fingerprint; the fingerprint is kept.

    Raises `MasterKeyError` (before creating any key file) when the key is missing or different
    while a poll holds a salt. Without salted polls a new key may replace the old one.
    """
    state = known.state()
    key = _configured_key(settings)
    if key is None and state.fingerprint is not None and state.salted_polls:
        raise MasterKeyError(_missing(settings, state))
    key = key or load_master_key(settings)
    current = fingerprint(key)
    if state.fingerprint == current:
        return key
    if state.fingerprint is not None:
        if state.salted_polls:
            raise MasterKeyError(_different(settings, state))
        log.warning(
            "event=poll_key_replaced key_file=%s (no poll holds a salt: nothing depended on the"
            " old key)",
            key_file_path(settings),
        )
    known.remember(current)
    return key


def load_master_key(settings: Settings) -> bytes:
    """Read the master key, creating the key file with a fresh random key on first start."""
    key = _configured_key(settings)
    if key is None:
        _create_key_file(key_file_path(settings))
        key = _configured_key(settings)
    assert key is not None  # the file exists now
    return key


def _configured_key(settings: Settings) -> bytes | None:
    """`PARLEY_POLL_KEY`, else the key file's key; None when there is no key file yet."""
    if settings.poll_key is not None:
        return _decode(settings.poll_key.get_secret_value(), "PARLEY_POLL_KEY")
    path = key_file_path(settings)
    if not path.exists():
        return None
    return _decode(path.read_text(encoding="ascii").strip(), str(path))


def _create_key_file(path: Path) -> None:
    """Write a new key beside `path`, then link it into place: the file appears whole.

    Two processes starting together in one folder race here; the first link wins and the
    other reads that key (it never sees an empty or half-written file).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(MASTER_KEY_BYTES) + "\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process created it first
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def _decode(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise MasterKeyError(f"the poll master key in {where} is not hexadecimal") from None
    if len(key) < MASTER_KEY_BYTES:
        raise MasterKeyError(
            f"the poll master key in {where} must be at least {MASTER_KEY_BYTES * 2} hex characters"
        )
    return key


def _missing(settings: Settings, state: PollKeyState) -> str:
    path = key_file_path(settings)
    return (
        f"The poll master key is missing: there is no key file at {path}, but the database"
        f" {settings.database_url} was used with a key, and {_salted(state)}. A new key would"
        " let everyone vote again, so Parley does not make one. Copy the key file kept"
        f" with this database (or its backup) to {path}, readable by the bot's user only"
        " (chmod 600), or point PARLEY_POLL_KEY_FILE at it, then start again."
    )


def _different(settings: Settings, state: PollKeyState) -> str:
    path = key_file_path(settings)
    where = "PARLEY_POLL_KEY" if settings.poll_key is not None else f"the key file {path}"
    return (
        f"The poll master key in {where} is not the key the database {settings.database_url}"
        f" was used with, and {_salted(state)}. With another key everyone could vote again,"
        " so Parley does not start. Restore the key file kept with this database (or its"
        f" backup) to {path}, or set PARLEY_POLL_KEY or PARLEY_POLL_KEY_FILE to that key, then"
        " start again."
    )


def _salted(state: PollKeyState) -> str:
    count = state.salted_polls
    polls = (
        "1 anonymous poll still depends" if count == 1 else f"{count} anonymous polls still depend"
    )
    return f"{polls} on it (open, or the before-poll of an unfinished stance check)"
