"""Migration 020: arguments stored under the old side keywords follow the renamed sides."""

import sqlite3
from importlib import resources

from storage.database import Database

RENAMED = 20


async def test_migration_020_moves_stored_arguments_to_the_new_side_ids(tmp_path):
    path = tmp_path / "old.db"
    folder = resources.files("storage") / "migrations"
    with sqlite3.connect(path) as connection:
        for number in range(1, RENAMED):
            [script] = [f for f in folder.iterdir() if f.name.startswith(f"{number:03d}_")]
            connection.executescript(script.read_text(encoding="utf-8"))
        connection.execute(f"PRAGMA user_version = {RENAMED - 1}")
        connection.executemany(
            "INSERT INTO arguments (id, topic, side, text, platform, chat_id, author_platform,"
            " author_id, author_name, created_at) VALUES (?, ?, ?, 'text', 'tg', '-1', 'tg', '1',"
            " 'Bob', '2026-03-01T12:00:00.000000Z')",
            [
                (1, "distillation", "labs"),
                (2, "distillation", "critics"),
                (3, "other-topic", "labs"),
            ],
        )
    async with Database.open(path) as database:
        rows = await database.fetch_all("SELECT id, side FROM arguments ORDER BY id")
    assert [tuple(row) for row in rows] == [(1, "accusers"), (2, "defenders"), (3, "labs")]
