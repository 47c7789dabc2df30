"""Poll ballots: the batched vote write path (group commit) and every read of ballots.

One ballot per `(poll, voter_key)` is the table's primary key. The voter key is
`platform:user_id` for named polls and a keyed hash for anonymous ones; anonymous ballots carry
no name and no time. A ballot records the number of the chat it was cast in (see
`storage.poll_chats`; NULL when unknown). `apply_votes` runs a whole batch of votes in one
`BEGIN IMMEDIATE` transaction, in order, with each vote seeing the ones before it, and checks
inside that transaction that each poll is still open, and that the voter was not forgotten
while their ballot was in it (a has-voted marker, see `voted_marker`).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, TypeVar

from bot.identity import ChatRef
from domain.polls import ChatTally, VoteOp, VoteResult, VoteStatus, vote_outcome
from storage.database import Database, Receipt, Row, receipts_written
from storage.dialect import Dialect, value_pairs
from storage.poll_chats import PollChats
from storage.timestamps import from_db, to_db
from storage.units import Unit, execute_many, fetch_all

FORGOTTEN_PREFIX = "forgotten:"
"""The start of the random key a forgotten person's ballot in a closed poll is kept under."""
_IN_CHUNK = 500
_KEY_CHUNK = 1024
_MARKER_CONTEXT = b"parley/has-voted-marker/v1\x00"
_Item = TypeVar("_Item")


class VoteCommand(NamedTuple):
    """One vote to apply; `voter_name` is stored for named polls only.

    `chat_no` is the number of the chat the vote was cast in (see `PollChats.numbers`), or
    None when unknown; a vote with an unknown chat keeps the chat its ballot already had.
    A named tuple: the vote path creates one per press.
    """

    poll_id: int
    voter_key: str
    op: VoteOp
    choices: tuple[int, ...] = ()
    voter_name: str | None = None
    chat_no: int | None = None
    receipt: Receipt | None = None
    """The receipt of the update that cast the vote, committed with the vote's batch."""


@dataclass(frozen=True, slots=True)
class NamedBallot:
    """A named poll's ballot, for the export; `chat` is None when not recorded.

    A ballot whose voter asked to be forgotten still counts, with no name and no time.
    """

    voter_name: str | None
    voted_at: datetime | None
    choices: tuple[int, ...]
    chat: ChatRef | None


class PollBallots:
    """Reads and writes `poll_ballots` and `poll_choices` (part of `PollRepository`)."""

    def __init__(self, database: Database, chats: PollChats) -> None:
        self._db = database
        self._chats = chats

    async def apply_votes(self, votes: Sequence[VoteCommand], now: datetime) -> list[VoteResult]:
        """Apply `votes` in order in one transaction; returns one result per vote.

        Each vote starts from the ballot the database holds (read in the transaction, one
        query per chunk of voters), never from a copy in memory that another writer outdated.
        A vote naming an option removed meanwhile (`/poll remove`) is refused as stale. The
        batch is one unit of work (`_voted`): on SQLite one hop to the connection's thread.
        """
        results = await self._db.run(_voted(votes, now, self._db.dialect))
        for vote in votes:
            if vote.receipt is not None:
                vote.receipt.spent = True
        return results

    async def choices_of(self, poll_id: int, voter_key: str) -> tuple[int, ...]:
        """The voter's current choices (empty when they have not voted)."""
        rows = await self._db.fetch_all(
            "SELECT option FROM poll_choices WHERE poll_id = ? AND voter_key = ? ORDER BY rank",
            (poll_id, voter_key),
        )
        return tuple(int(row[0]) for row in rows)

    async def option_counts(
        self, poll_id: int, *, first_choice_only: bool = False
    ) -> dict[int, int]:
        """Votes per option index (options nobody chose are missing).

        With `first_choice_only` (ranked polls) a ballot counts for its first choice only.
        """
        rows = await self._db.fetch_all(
            "SELECT option, count(*) FROM poll_choices WHERE poll_id = ? AND (rank = 0 OR ? = 0)"
            " GROUP BY option",
            (poll_id, int(first_choice_only)),
        )
        return {int(row[0]): int(row[1]) for row in rows}

    async def chat_tallies(self, poll_id: int, *, first_choice_only: bool) -> list[ChatTally]:
        """Voters and votes per option in each chat the poll's ballots were cast in.

        Chats come in their number order, the unknown chat (None) last; chats without
        ballots are left out. With `first_choice_only` (ranked polls) a ballot counts for its
        first choice only.
        """
        rows = await self._db.fetch_all(
            "SELECT b.chat_no, count(*), NULL FROM poll_ballots b WHERE b.poll_id = ?"
            " GROUP BY b.chat_no"
            " UNION ALL SELECT b.chat_no, count(*), c.option FROM poll_ballots b"
            " JOIN poll_choices c ON c.poll_id = b.poll_id AND c.voter_key = b.voter_key"
            " WHERE b.poll_id = ? AND (c.rank = 0 OR ? = 0) GROUP BY b.chat_no, c.option",
            (poll_id, poll_id, int(first_choice_only)),
        )
        names = {number: chat for chat, number in (await self._chats.numbers(poll_id)).items()}
        voters: dict[int | None, int] = {}
        votes: dict[int | None, dict[int, int]] = {}
        for chat_no, count, option in rows:
            if option is None:
                voters[chat_no] = int(count)
            else:
                votes.setdefault(chat_no, {})[int(option)] = int(count)
        order = sorted(voters, key=lambda number: (number is None, number or 0))
        return [
            ChatTally(
                names.get(number) if number is not None else None,
                voters[number],
                votes.get(number, {}),
            )
            for number in order
        ]

    async def voter_count(self, poll_id: int) -> int:
        """How many ballots the poll has."""
        row = await self._db.fetch_one(
            "SELECT count(*) FROM poll_ballots WHERE poll_id = ?", (poll_id,)
        )
        return int(row[0]) if row else 0

    async def by_voter_key(self, poll_id: int) -> dict[str, tuple[int, ...]]:
        """Every ballot's ordered choices by voter key (for counting, never for display)."""
        rows = await self._db.fetch_all(
            "SELECT voter_key, option FROM poll_choices WHERE poll_id = ? ORDER BY voter_key, rank",
            (poll_id,),
        )
        return await asyncio.to_thread(_choices_by_voter, rows)

    async def named(self, poll_id: int) -> list[NamedBallot]:
        """A named poll's ballots with name, time and chat, oldest first.

        Then the ballots of people forgotten since (no name, no time), so that the export
        counts what the tally counts.
        """
        rows = await self._db.fetch_all(
            "SELECT b.voter_key, b.voter_name, b.voted_at, h.platform, h.chat_id, c.option"
            " FROM poll_ballots b"
            " JOIN poll_choices c ON c.poll_id = b.poll_id AND c.voter_key = b.voter_key"
            " LEFT JOIN poll_chats h ON h.poll_id = b.poll_id AND h.chat_no = b.chat_no"
            " WHERE b.poll_id = ?"
            " ORDER BY CASE WHEN b.voter_name IS NULL OR b.voted_at IS NULL THEN 1 ELSE 0 END,"
            " b.voted_at, b.voter_key, c.rank",
            (poll_id,),
        )
        return await asyncio.to_thread(_named_ballots, rows)


def _voted(votes: Sequence[VoteCommand], now: datetime, dialect: Dialect) -> Unit[list[VoteResult]]:
    """The unit of work of `apply_votes`: check, read, decide and write a batch of votes."""
    open_polls = yield from _open_polls({vote.poll_id for vote in votes}, now)
    marked = {poll_id for poll_id, (has_markers, _) in open_polls.items() if has_markers}
    removed = yield from _removed_options(
        [poll_id for poll_id, (_, struck) in open_polls.items() if struck]
    )
    forgotten = yield from _forgotten_voters(dialect, votes, marked)
    keys = {
        (v.poll_id, v.voter_key)
        for v in votes
        if v.poll_id in open_polls and (v.poll_id, v.voter_key) not in forgotten
    }
    before = yield from _current_ballots(keys)
    after = dict(before)
    names: dict[tuple[int, str], str | None] = {}
    chats: dict[tuple[int, str], int | None] = {}
    results: list[VoteResult] = []
    for vote in votes:
        if vote.poll_id not in open_polls:
            results.append(_CLOSED)
            continue
        key = (vote.poll_id, vote.voter_key)
        if key in forgotten:
            results.append(_FORGOTTEN)
            continue
        if not removed.get(vote.poll_id, _NONE).isdisjoint(vote.choices):
            results.append(_STALE)
            continue
        result = vote_outcome(vote.op, vote.choices, after[key])
        after[key] = result.choices or None
        names[key] = vote.voter_name
        if vote.chat_no is not None or key not in chats:
            chats[key] = vote.chat_no
        results.append(result)
    yield from _ballots_written(before, after, names, chats, now)
    yield from receipts_written(vote.receipt for vote in votes)
    return results


def _choices_by_voter(rows: Sequence[Row]) -> dict[str, tuple[int, ...]]:
    """Group the rows of `by_voter_key` into ordered choices (many rows: run off the loop)."""
    ballots: dict[str, list[int]] = {}
    for row in rows:
        ballots.setdefault(str(row[0]), []).append(int(row[1]))
    return {key: tuple(choices) for key, choices in ballots.items()}


def _named_ballots(rows: Sequence[Row]) -> list[NamedBallot]:
    """Group the rows of `named` into ballots (CPU work on many rows: run off the loop).

    A forgotten voter's ballot (no name or no time) keeps neither, nor its chat.
    """
    grouped: dict[str, tuple[str | None, str | None, ChatRef | None, list[int]]] = {}
    for key, name, voted_at, platform, chat_id, option in rows:
        chat = ChatRef(platform, chat_id) if platform is not None else None
        if name is None or voted_at is None:
            name = voted_at = chat = None
        grouped.setdefault(key, (name, voted_at, chat, []))[3].append(int(option))
    return [
        NamedBallot(name, from_db(voted_at) if voted_at else None, tuple(choices), chat)
        for name, voted_at, chat, choices in grouped.values()
    ]


def _open_polls(poll_ids: Iterable[int], now: datetime) -> Unit[dict[int, tuple[bool, bool]]]:
    """The polls among `poll_ids` still open: whether each has voted markers, removed options."""
    found: dict[int, tuple[bool, bool]] = {}
    for chunk in _chunks(sorted(poll_ids)):
        rows = yield from fetch_all(
            "SELECT id, EXISTS (SELECT 1 FROM poll_voted_markers m WHERE m.poll_id = polls.id),"
            " EXISTS (SELECT 1 FROM poll_options o WHERE o.poll_id = polls.id"
            " AND o.removed_at IS NOT NULL)"
            f" FROM polls WHERE id IN ({_marks(chunk)}) AND closed_at IS NULL"
            " AND (closes_at IS NULL OR closes_at > ?)",
            (*chunk, to_db(now)),
        )
        found.update((int(row[0]), (bool(row[1]), bool(row[2]))) for row in rows)
    return found


def _removed_options(poll_ids: Sequence[int]) -> Unit[dict[int, set[int]]]:
    """The removed option positions of `poll_ids` (polls known to have some: rarely any)."""
    removed: dict[int, set[int]] = {}
    for chunk in _chunks(sorted(poll_ids)):
        rows = yield from fetch_all(
            f"SELECT poll_id, position FROM poll_options WHERE poll_id IN ({_marks(chunk)})"
            " AND removed_at IS NOT NULL",
            chunk,
        )
        for poll_id, position in rows:
            removed.setdefault(int(poll_id), set()).add(int(position))
    return removed


def voted_marker(poll_id: int, voter_key: str) -> bytes:
    """The has-voted marker of the ballot stored under `voter_key` in poll `poll_id`.

    Only anonymous ballots get markers, and their voter key is already a keyed hash (see
    `handlers.polls.anonymity`), so a plain hash of it names nobody without the master key and
    the poll's salt; and the salt is erased, like the markers, when the poll closes.
    """
    data = _MARKER_CONTEXT + str(poll_id).encode() + b"\x00" + voter_key.encode()
    return hashlib.sha256(data).digest()


def _forgotten_voters(
    dialect: Dialect, votes: Sequence[VoteCommand], marked: set[int]
) -> Unit[set[tuple[int, str]]]:
    """The (poll, voter key) pairs of the batch that a has-voted marker refuses.

    `marked`: the open polls of the batch that have markers at all.
    """
    if not marked:
        return set()
    markers = {
        (vote.poll_id, voted_marker(vote.poll_id, vote.voter_key)): (vote.poll_id, vote.voter_key)
        for vote in votes
        if vote.poll_id in marked
    }
    found: set[tuple[int, str]] = set()
    for keys in _chunks(list(markers), _KEY_CHUNK):
        size = _padded(len(keys))
        rows = yield from fetch_all(voted_markers_sql(dialect, size), _pairs(keys, size))
        found.update(markers[(int(row[0]), bytes(row[1]))] for row in rows)
    return found


@cache
def voted_markers_sql(dialect: Dialect, count: int) -> str:
    """The query of which of `count` (poll, marker) pairs are stored markers.

    The pairs are a table joined on the key, which SQLite searches; for `(a, b) IN (VALUES …)`
    it would scan the whole table.
    """
    return (
        f"WITH wanted (poll_id, marker) AS ({dialect.key_pairs(count, 'BIGINT', 'BLOB')})"
        " SELECT m.poll_id, m.marker FROM wanted"
        " JOIN poll_voted_markers m ON m.poll_id = wanted.poll_id AND m.marker = wanted.marker"
    )


@cache
def current_choices_sql(count: int) -> str:
    """The query of the choices of `count` (poll, voter key) pairs, in rank order per ballot.

    Joined on the key, as `voted_markers_sql`: SQLite searches the primary key for each pair.
    """
    return (
        f"WITH wanted (poll_id, voter_key) AS ({value_pairs(count, 'BIGINT', 'TEXT')})"
        " SELECT c.poll_id, c.voter_key, c.option FROM wanted"
        " JOIN poll_choices c ON c.poll_id = wanted.poll_id AND c.voter_key = wanted.voter_key"
        " ORDER BY c.poll_id, c.voter_key, c.rank"
    )


def _current_ballots(
    keys: set[tuple[int, str]],
) -> Unit[dict[tuple[int, str], tuple[int, ...] | None]]:
    """Each key's current choices (None without a ballot), read with one query per chunk."""
    found: dict[tuple[int, str], list[int]] = {}
    for chunk in _chunks(list(keys), _KEY_CHUNK):
        size = _padded(len(chunk))
        rows = yield from fetch_all(current_choices_sql(size), _pairs(chunk, size))
        for poll_id, voter_key, option in rows:
            found.setdefault((poll_id, voter_key), []).append(option)
    current: dict[tuple[int, str], tuple[int, ...] | None] = dict.fromkeys(keys)
    current.update({key: tuple(choices) for key, choices in found.items()})
    return current


_CLOSED = VoteResult(VoteStatus.CLOSED)
_FORGOTTEN = VoteResult(VoteStatus.FORGOTTEN)
_STALE = VoteResult(VoteStatus.STALE)
_NONE: frozenset[int] = frozenset()


def _ballots_written(
    before: dict[tuple[int, str], tuple[int, ...] | None],
    after: dict[tuple[int, str], tuple[int, ...] | None],
    names: dict[tuple[int, str], str | None],
    chats: dict[tuple[int, str], int | None],
    now: datetime,
) -> Unit[None]:
    """Write each voter's final ballot of the batch (only what changed)."""
    stamp = to_db(now)
    removed: list[tuple[int, str]] = []
    ballots: list[tuple[int, str, str | None, str | None, int | None]] = []
    trimmed: list[tuple[int, str, int]] = []
    choices: list[tuple[int, str, int, int]] = []
    for key, final in after.items():
        previous = before.get(key)
        if final == previous:
            continue
        if final is None:
            removed.append(key)
            continue
        name = names.get(key)
        ballots.append((*key, name, stamp if name is not None else None, chats.get(key)))
        if previous is not None and len(previous) > len(final):
            trimmed.append((*key, len(final)))
        if len(final) == 1:  # one choice: most ballots
            choices.append((*key, 0, final[0]))
        else:
            choices.extend((*key, rank, option) for rank, option in enumerate(final))
    yield from execute_many("DELETE FROM poll_ballots WHERE poll_id = ? AND voter_key = ?", removed)
    yield from execute_many(
        "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at, chat_no)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (poll_id, voter_key) DO UPDATE SET"
        " voter_name = excluded.voter_name, voted_at = excluded.voted_at,"
        " chat_no = coalesce(excluded.chat_no, poll_ballots.chat_no)",
        ballots,
    )
    yield from execute_many(
        "DELETE FROM poll_choices WHERE poll_id = ? AND voter_key = ? AND rank >= ?", trimmed
    )
    yield from execute_many(
        "INSERT INTO poll_choices (poll_id, voter_key, rank, option) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (poll_id, voter_key, rank) DO UPDATE SET option = excluded.option",
        choices,
    )


def _chunks(items: Sequence[_Item], size: int = _IN_CHUNK) -> Iterable[Sequence[_Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _padded(count: int) -> int:
    """`count` rounded up to a power of two: a few statements serve every size of batch.

    Each engine prepares a statement once and keeps it (SQLite's cache holds a few hundred);
    a statement per batch size would be prepared again and again (217 µs for 64 pairs, 31 µs
    to run it prepared).
    """
    return 1 << (count - 1).bit_length()


def _pairs(keys: Sequence[tuple[Any, Any]], size: int) -> list[Any]:
    """The parameters of `size` pairs: `keys`, then (NULL, NULL) pairs, which join nothing."""
    return [part for key in keys for part in key] + [None] * (2 * (size - len(keys)))


def _marks(items: Sized) -> str:
    return ", ".join("?" * len(items))
