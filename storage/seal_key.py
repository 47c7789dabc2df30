"""The key that seals personal buttons, made once and kept in `button_seal_key`."""

from __future__ import annotations

import secrets

from storage.database import Database

KEY_BYTES = 32


class SealKeyRepository:
    """Reads the seal key, creating it on first use."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def get_or_create(self) -> bytes:
        """The stored key; a new random one is stored when there is none yet."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO button_seal_key (id, secret) VALUES (1, ?) ON CONFLICT DO NOTHING",
                (secrets.token_bytes(KEY_BYTES),),
            )
            row = await tx.fetch_one("SELECT secret FROM button_seal_key WHERE id = 1")
        assert row is not None
        return bytes(row[0])
