"""A vote batch's reads look each voter up by key: none scans a table that grows with ballots."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.database import Database
from storage.dialect import SQLITE
from storage.poll_ballots import current_choices_sql, voted_markers_sql


@pytest.mark.parametrize(
    ("sql", "params", "table"),
    [
        (current_choices_sql(3), [1, "t:1", 2, "t:2", 3, "t:3"], "poll_choices"),
        (voted_markers_sql(SQLITE, 2), [1, b"m1", 2, b"m2"], "poll_voted_markers"),
    ],
)
async def test_each_read_of_a_vote_batch_searches_the_key(tmp_path: Path, sql, params, table):
    path = tmp_path / "plans.db"
    async with Database.open(path):
        pass
    with sqlite3.connect(path) as raw:
        plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert not [step for step in plan if step.startswith(f"SCAN {table}")], plan
    assert [step for step in plan if "USING PRIMARY KEY" in step], plan
