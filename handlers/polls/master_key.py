"""The master key of anonymous polls: from the environment, or a key file beside the database.

The key never enters the database, so a copy of the database alone cannot link an anonymous
ballot to a person. The key file is created once, readable by its owner only (0600).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.config import Settings
from handlers.polls.anonymity import MASTER_KEY_BYTES


class MasterKeyError(RuntimeError):
    """The configured master key cannot be used (the message never contains the key)."""


def key_file_path(settings: Settings) -> Path:
    """Where the key file is: `PARLEY_POLL_KEY_FILE`, else the database path plus `.pollkey`."""
    if settings.poll_key_file is not None:
        return settings.poll_key_file
    database = settings.database_path
    return database.with_name(database.name + ".pollkey")


def load_master_key(settings: Settings) -> bytes:
    """Read the master key, creating the key file with a fresh random key on first start."""
    if settings.poll_key is not None:
        return _decode(settings.poll_key.get_secret_value(), "PARLEY_POLL_KEY")
    path = key_file_path(settings)
    if not path.exists():
        _create_key_file(path)
    return _decode(path.read_text(encoding="ascii").strip(), str(path))


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(MASTER_KEY_BYTES) + "\n")


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
