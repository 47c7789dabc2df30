"""Who voted in a chat's previous poll but not (yet) in this one: named ballots only.

Part of the poll aggregate (`PollRepository.turnout`). Anonymous ballots carry no name and
forgotten people's kept ballots none either; neither is ever listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.identity import ChatRef
from storage.database import Database
from storage.poll_ballots import FORGOTTEN_PREFIX


@dataclass(frozen=True, slots=True)
class EarlierPoll:
    """The poll started in a chat just before another one."""

    id: int
    creator: str
    anonymous: bool


class PollTurnout:
    """Reads which named voters of one poll have no ballot in another."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def previous(self, chat: ChatRef, before_id: int) -> EarlierPoll | None:
        """The poll started in `chat` just before poll `before_id`, if any."""
        row = await self._db.fetch_one(
            "SELECT id, creator, anonymous FROM polls WHERE platform = ? AND chat_id = ?"
            " AND id < ? ORDER BY id DESC LIMIT 1",
            (chat.platform, chat.chat_id, before_id),
        )
        return EarlierPoll(int(row[0]), str(row[1]), bool(row[2])) if row else None

    async def missing(self, earlier_id: int, poll_id: int, limit: int) -> tuple[list[str], int]:
        """Up to `limit` names (sorted) of `earlier_id`'s voters without a ballot in `poll_id`.

        Also returns how many there are in all.
        """
        absent = (
            " FROM poll_ballots b WHERE b.poll_id = ? AND b.voter_name IS NOT NULL"
            " AND b.voter_key NOT LIKE ? AND NOT EXISTS (SELECT 1 FROM poll_ballots c"
            " WHERE c.poll_id = ? AND c.voter_key = b.voter_key)"
        )
        params = (earlier_id, FORGOTTEN_PREFIX + "%", poll_id)
        rows = await self._db.fetch_all(
            f"SELECT b.voter_name{absent} ORDER BY b.voter_name LIMIT ?", (*params, limit)
        )
        count = await self._db.fetch_one(f"SELECT count(*){absent}", params)
        return [str(row[0]) for row in rows], int(count[0]) if count else 0
