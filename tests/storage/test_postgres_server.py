"""The session's throwaway PostgreSQL server: real SQL, one fresh database per test."""

from __future__ import annotations

import asyncpg

from tests.postgres import ThrowawayPostgres


async def test_a_test_database_stores_and_returns_rows(postgres_url: str) -> None:
    connection = await asyncpg.connect(postgres_url)
    try:
        await connection.execute(
            "CREATE TABLE polls (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " question TEXT NOT NULL, salt BYTEA)"
        )
        ids = [
            await connection.fetchval(
                "INSERT INTO polls (question, salt) VALUES ($1, $2) RETURNING id", question, salt
            )
            for question, salt in [("Tea or coffee?", b"\x00\xff"), ("午饭吃什么？", None)]
        ]
        rows = await connection.fetch("SELECT id, question, salt FROM polls ORDER BY id")
    finally:
        await connection.close()
    assert ids == [1, 2]
    assert [tuple(row) for row in rows] == [
        (1, "Tea or coffee?", b"\x00\xff"),
        (2, "午饭吃什么？", None),
    ]


async def test_each_test_gets_an_empty_database_of_its_own(postgres_url: str) -> None:
    connection = await asyncpg.connect(postgres_url)
    try:
        name = await connection.fetchval("SELECT current_database()")
        tables = await connection.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        version = await connection.fetchval("SHOW server_version_num")
    finally:
        await connection.close()
    assert name.startswith("test_")
    assert tables == 0
    assert int(version) >= 180000


async def test_a_dropped_database_takes_its_open_connections_with_it(
    postgres_server: ThrowawayPostgres,
) -> None:
    name = await postgres_server.create_database()
    left_open = await asyncpg.connect(postgres_server.url(name))
    await postgres_server.drop_database(name)
    admin = await asyncpg.connect(postgres_server.url())
    try:
        remaining = await admin.fetchval(
            "SELECT count(*) FROM pg_database WHERE datname = $1", name
        )
    finally:
        await admin.close()
    assert remaining == 0
    assert left_open.is_closed()


async def test_text_sorts_by_code_point_as_in_sqlite(postgres_url: str) -> None:
    words = ["b", "B", "_", "a", "A", "-1", "1", "é", "中"]
    connection = await asyncpg.connect(postgres_url)
    try:
        ordered = await connection.fetchval(
            "SELECT array_agg(word ORDER BY word) FROM unnest($1::text[]) AS word", words
        )
        lowered = await connection.fetchval("SELECT lower($1)", "ÉA中")
    finally:
        await connection.close()
    assert ordered == sorted(words)
    assert lowered == "éa中"
