"""Operator requests: a command-line action queued for the running bot, and its result."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from storage.database import Database
from storage.jobs import JobRepository
from storage.timestamps import to_db

JOB_KIND = "operator.request"


class OperatorRequestRepository:
    """Reads and writes `operator_requests`; each request has a job that makes the bot run it."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def submit(self, command: str, arguments: dict[str, Any], now: datetime) -> int:
        """Store a request and its job (due now) in one transaction; returns the request id."""
        async with self._db.transaction() as tx:
            request_id = await tx.insert(
                "INSERT INTO operator_requests (command, arguments, created_at)"
                " VALUES (?, ?, ?) RETURNING id",
                (command, json.dumps(arguments, ensure_ascii=False), to_db(now)),
            )
            await JobRepository(self._db).add(
                JOB_KIND, now, {"request": request_id}, now=now, within=tx
            )
        return request_id

    async def arguments(self, request_id: int) -> tuple[str, dict[str, Any]] | None:
        """The command and arguments of a request not yet answered, or None."""
        row = await self._db.fetch_one(
            "SELECT command, arguments FROM operator_requests WHERE id = ? AND result IS NULL",
            (request_id,),
        )
        return (str(row[0]), json.loads(row[1])) if row else None

    async def answer(self, request_id: int, result: dict[str, Any], now: datetime) -> None:
        """Store the result; the arguments (they may name a person) are cleared."""
        await self._db.execute(
            "UPDATE operator_requests SET result = ?, arguments = '{}', finished_at = ?"
            " WHERE id = ?",
            (json.dumps(result, ensure_ascii=False), to_db(now), request_id),
        )

    async def take_result(self, request_id: int) -> dict[str, Any] | None:
        """The result once the bot stored it (the row is then deleted), else None."""
        row = await self._db.fetch_one(
            "SELECT result FROM operator_requests WHERE id = ?", (request_id,)
        )
        if row is None or row[0] is None:
            return None
        await self._db.execute("DELETE FROM operator_requests WHERE id = ?", (request_id,))
        return dict(json.loads(row[0]))
