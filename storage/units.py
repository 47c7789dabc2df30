"""Units of work: a write transaction's statements as one plain generator, for either engine.

A unit yields each statement as a step and is sent back its result; the helpers below make
that typed (`rows = yield from fetch_all(sql, params)`), and a unit's return value is what
`Database.run(unit)` returns:

    def closed(poll_id: int, now: str) -> Unit[bool]:
        rows = yield from fetch_all("SELECT id FROM polls WHERE id = ?", (poll_id,))
        yield from execute_many("UPDATE polls SET closed_at = ? WHERE id = ?", [(now, poll_id)])
        return bool(rows)

`Database.run` runs a unit in one write transaction: SQLite runs it whole on its
connection's thread, from `BEGIN IMMEDIATE` to `COMMIT`, in one hop from the event loop;
PostgreSQL awaits each statement in turn (`Transaction.run`). So a unit does nothing between
its statements but pure work on what it was given and what it read: no awaiting, no I/O, no
state shared with the event loop (it may run on another thread). A statement's error ends the
unit (it is not thrown into the generator): the transaction rolls back and the error is raised.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

if TYPE_CHECKING:
    from storage.database import Row

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FetchAll:
    """A query; the unit is sent all its rows (a list)."""

    sql: str
    params: Sequence[Any] = ()


@dataclass(frozen=True, slots=True)
class ExecuteMany:
    """One statement for each of `rows`; the unit is sent None."""

    sql: str
    rows: Sequence[Sequence[Any]]


Step: TypeAlias = FetchAll | ExecuteMany
Unit: TypeAlias = Generator[Step, Any, T]
"""A unit of work returning `T`."""


def fetch_all(sql: str, params: Sequence[Any] = ()) -> Unit[list[Row]]:
    """All rows of a query, as a step of a unit (`rows = yield from …`)."""
    rows: list[Row] = yield FetchAll(sql, params)
    return rows


def execute_many(sql: str, rows: Sequence[Sequence[Any]]) -> Unit[None]:
    """Run one statement for each row (nothing for no rows)."""
    if rows:
        yield ExecuteMany(sql, rows)
