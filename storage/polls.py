"""Polls, their options, chats, ballots and messages; votes are applied in batches (group commit).

One ballot per `(poll, voter_key)` is the table's primary key. The voter key is
`platform:user_id` for named polls and a keyed hash for anonymous ones; anonymous ballots carry
no name and no time. Each chat a poll is shown in has a small number (0: the chat it was created
in), and a ballot records the number of the chat it was cast in (NULL when unknown).
`apply_votes` runs a whole batch of votes in one `BEGIN IMMEDIATE` transaction, in order, with
each vote seeing the ones before it, and checks inside that transaction that each poll is
still open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, TypeVar

from bot.i18n import Locale
from bot.identity import ChatRef, MessageRef
from handlers.polls.model import PollKind, ResultsVisibility
from storage.database import Database, Row, Transaction
from storage.timestamps import from_db, to_db

_POLL_COLUMNS = (
    "id, platform, chat_id, creator, question, kind, max_choices, anonymous, visibility,"
    " allowed_role, locale, stance, stance_before, salt, created_at, closes_at, closed_at,"
    " announced_at"
)
_IN_CHUNK = 500
_KEY_CHUNK = 1000
BALLOT_CACHE_LIMIT = 200_000
FORGOTTEN_PREFIX = "forgotten:"
_Item = TypeVar("_Item")


class StancePhase(StrEnum):
    """Which poll of a stance pair a poll is."""

    BEFORE = "before"
    AFTER = "after"


@dataclass(frozen=True, slots=True)
class NewPoll:
    """A validated poll about to be stored."""

    chat: ChatRef
    creator: str
    question: str
    options: tuple[str, ...]
    kind: PollKind
    max_choices: int | None
    anonymous: bool
    visibility: ResultsVisibility
    allowed_role: str | None
    locale: Locale
    salt: bytes | None
    created_at: datetime
    closes_at: datetime | None
    stance: StancePhase | None = None
    stance_before: int | None = None


@dataclass(frozen=True, slots=True)
class PollRecord:
    """A stored poll; `salt` is None for named polls and for closed anonymous ones."""

    id: int
    chat: ChatRef
    creator: str
    question: str
    options: tuple[str, ...]
    kind: PollKind
    max_choices: int | None
    anonymous: bool
    visibility: ResultsVisibility
    allowed_role: str | None
    locale: Locale
    stance: StancePhase | None
    stance_before: int | None
    salt: bytes | None
    created_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None
    announced_at: datetime | None

    def is_open(self, now: datetime) -> bool:
        """Whether votes are accepted at `now` (a passed deadline closes it even before the job)."""
        return _is_open(self.closes_at, self.closed_at, now)

    @property
    def choice_limit(self) -> int:
        """How many options one ballot may hold (every option unless a multi poll caps it)."""
        return self.max_choices or len(self.options)


@dataclass(frozen=True, slots=True)
class PollSummary:
    """A line of `/poll list`."""

    id: int
    question: str
    closes_at: datetime | None
    closed_at: datetime | None
    voters: int

    def is_open(self, now: datetime) -> bool:
        """Whether the poll accepts votes at `now`."""
        return _is_open(self.closes_at, self.closed_at, now)


@dataclass(frozen=True, slots=True)
class PollMessage:
    """A message showing a poll, and the language it is shown in."""

    message: MessageRef
    locale: Locale


@dataclass(frozen=True, slots=True)
class ChatTally:
    """The ballots cast in one chat: voters, and votes per option index.

    `chat` is None for ballots whose chat is not known (cast before chats were recorded, or
    on a private ballot opened where the chat could not be told).
    """

    chat: ChatRef | None
    voters: int
    votes: dict[int, int]


class VoteOp(StrEnum):
    """What a vote does to the voter's ballot."""

    TOGGLE = "toggle"
    """Single choice: choose the option, or withdraw it when it is already the choice."""
    SET = "set"
    """Replace the ballot with `choices` (multi and ranked)."""
    RETRACT = "retract"
    """Withdraw the ballot."""


class VoteCommand(NamedTuple):
    """One vote to apply; `voter_name` is stored for named polls only.

    `chat_no` is the number of the chat the vote was cast in (see `PollRepository.chats`), or
    None when unknown; a vote with an unknown chat keeps the chat its ballot already had.
    Votes and results are named tuples: the vote path creates one of each per press.
    """

    poll_id: int
    voter_key: str
    op: VoteOp
    choices: tuple[int, ...] = ()
    voter_name: str | None = None
    chat_no: int | None = None


class VoteStatus(StrEnum):
    """What happened to a vote."""

    RECORDED = "recorded"
    CHANGED = "changed"
    RETRACTED = "retracted"
    NO_BALLOT = "no_ballot"
    CLOSED = "closed"


class VoteResult(NamedTuple):
    """The outcome of a vote and the voter's ballot afterwards (empty when none)."""

    status: VoteStatus
    choices: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class NamedBallot:
    """A named poll's ballot, for the export."""

    voter_name: str
    voted_at: datetime
    choices: tuple[int, ...]


class PollRepository:
    """Reads and writes the poll tables."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._ballots: dict[tuple[int, str], tuple[int, ...] | None] = {}
        """Write-through cache of current ballots by (poll, voter key), filled on commit."""

    async def create(self, poll: NewPoll) -> int:
        """Store a poll with its options; returns its id."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "INSERT INTO polls (platform, chat_id, creator, question, kind, max_choices,"
                " anonymous, visibility, allowed_role, locale, stance, stance_before, salt,"
                " created_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    poll.chat.platform,
                    poll.chat.chat_id,
                    poll.creator,
                    poll.question,
                    poll.kind.value,
                    poll.max_choices,
                    int(poll.anonymous),
                    poll.visibility.value,
                    poll.allowed_role,
                    poll.locale,
                    poll.stance.value if poll.stance else None,
                    poll.stance_before,
                    poll.salt,
                    to_db(poll.created_at),
                    to_db(poll.closes_at) if poll.closes_at else None,
                ),
            )
            poll_id = int(cursor.lastrowid or 0)
            await tx.execute_many(
                "INSERT INTO poll_options (poll_id, position, label) VALUES (?, ?, ?)",
                [(poll_id, index, label) for index, label in enumerate(poll.options)],
            )
            await tx.execute(
                "INSERT INTO poll_chats (poll_id, chat_no, platform, chat_id) VALUES (?, 0, ?, ?)",
                (poll_id, poll.chat.platform, poll.chat.chat_id),
            )
        return poll_id

    async def get(self, poll_id: int) -> PollRecord | None:
        """The poll with `poll_id`."""
        row = await self._db.fetch_one(
            f"SELECT {_POLL_COLUMNS} FROM polls WHERE id = ?", (poll_id,)
        )
        if row is None:
            return None
        options = await self._db.fetch_all(
            "SELECT label FROM poll_options WHERE poll_id = ? ORDER BY position", (poll_id,)
        )
        return _poll(row, tuple(str(option[0]) for option in options))

    async def after_poll(self, before_id: int) -> int | None:
        """The id of the "after" poll of the stance pair whose "before" poll is `before_id`."""
        row = await self._db.fetch_one(
            "SELECT id FROM polls WHERE stance_before = ? ORDER BY id LIMIT 1", (before_id,)
        )
        return int(row[0]) if row else None

    async def shown_in(self, poll_id: int, chat: ChatRef) -> bool:
        """Whether the poll was created in or shared into `chat`."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM poll_chats WHERE poll_id = ? AND platform = ? AND chat_id = ?",
            (poll_id, chat.platform, chat.chat_id),
        )
        return row is not None

    async def chats(self, poll_id: int) -> dict[ChatRef, int]:
        """The number of each chat the poll is shown in (threads are not told apart)."""
        rows = await self._db.fetch_all(
            "SELECT platform, chat_id, chat_no FROM poll_chats WHERE poll_id = ? ORDER BY chat_no",
            (poll_id,),
        )
        return {ChatRef(row[0], row[1]): int(row[2]) for row in rows}

    async def in_chat(self, chat: ChatRef, limit: int = 15) -> list[PollSummary]:
        """Polls created in or shared into `chat`, newest first, with their voter counts."""
        rows = await self._db.fetch_all(
            "SELECT p.id, p.question, p.closes_at, p.closed_at,"
            " (SELECT count(*) FROM poll_ballots b WHERE b.poll_id = p.id)"
            " FROM polls p WHERE p.id IN ("
            " SELECT poll_id FROM poll_chats WHERE platform = ? AND chat_id = ?)"
            " ORDER BY p.id DESC LIMIT ?",
            (chat.platform, chat.chat_id, limit),
        )
        return [
            PollSummary(
                id=int(row[0]),
                question=row[1],
                closes_at=from_db(row[2]) if row[2] else None,
                closed_at=from_db(row[3]) if row[3] else None,
                voters=int(row[4]),
            )
            for row in rows
        ]

    async def add_message(self, poll_id: int, shown: PollMessage, at: datetime) -> None:
        """Remember a message that shows the poll (for live updates), numbering a new chat."""
        message = shown.message
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO poll_messages (poll_id, platform, chat_id, thread_id,"
                " message_id, locale, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    poll_id,
                    message.chat.platform,
                    message.chat.chat_id,
                    message.chat.thread_id,
                    message.message_id,
                    shown.locale,
                    to_db(at),
                ),
            )
            await tx.execute(
                "INSERT OR IGNORE INTO poll_chats (poll_id, chat_no, platform, chat_id)"
                " SELECT ?, coalesce(max(chat_no) + 1, 0), ?, ? FROM poll_chats WHERE poll_id = ?",
                (poll_id, message.chat.platform, message.chat.chat_id, poll_id),
            )

    async def messages(self, poll_id: int) -> list[PollMessage]:
        """Every message showing the poll, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT platform, chat_id, thread_id, message_id, locale FROM poll_messages"
            " WHERE poll_id = ? ORDER BY posted_at, platform, chat_id, message_id",
            (poll_id,),
        )
        return [
            PollMessage(MessageRef(ChatRef(row[0], row[1], row[2]), row[3]), row[4]) for row in rows
        ]

    async def apply_votes(self, votes: Sequence[VoteCommand], now: datetime) -> list[VoteResult]:
        """Apply `votes` in order in one transaction; returns one result per vote."""
        async with self._db.transaction() as tx:
            open_polls = await _open_polls(tx, {vote.poll_id for vote in votes}, now)
            keys = {(v.poll_id, v.voter_key) for v in votes if v.poll_id in open_polls}
            cached = self._ballots
            before = {key: cached[key] for key in keys if key in cached}
            before.update(await _current_ballots(tx, keys - before.keys()))
            after = dict(before)
            names: dict[tuple[int, str], str | None] = {}
            chats: dict[tuple[int, str], int | None] = {}
            results: list[VoteResult] = []
            for vote in votes:
                if vote.poll_id not in open_polls:
                    results.append(_CLOSED)
                    continue
                key = (vote.poll_id, vote.voter_key)
                result = _apply(vote, after[key])
                after[key] = result.choices or None
                names[key] = vote.voter_name
                if vote.chat_no is not None or key not in chats:
                    chats[key] = vote.chat_no
                results.append(result)
            await _write_ballots(tx, before, after, names, chats, now)
        if len(cached) + len(after) > BALLOT_CACHE_LIMIT:
            cached.clear()
        cached.update(after)
        return results

    async def ballot(self, poll_id: int, voter_key: str) -> tuple[int, ...]:
        """The voter's current choices (empty when they have not voted)."""
        rows = await self._db.fetch_all(
            "SELECT option FROM poll_choices WHERE poll_id = ? AND voter_key = ? ORDER BY rank",
            (poll_id, voter_key),
        )
        return tuple(int(row[0]) for row in rows)

    async def option_counts(self, poll_id: int) -> dict[int, int]:
        """Votes per option index (options nobody chose are missing)."""
        rows = await self._db.fetch_all(
            "SELECT option, count(*) FROM poll_choices WHERE poll_id = ? GROUP BY option",
            (poll_id,),
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
            " WHERE b.poll_id = ? AND (c.rank = 0 OR NOT ?) GROUP BY b.chat_no, c.option",
            (poll_id, poll_id, int(first_choice_only)),
        )
        names = {number: chat for chat, number in (await self.chats(poll_id)).items()}
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

    async def ballots_by_key(self, poll_id: int) -> dict[str, tuple[int, ...]]:
        """Every ballot's ordered choices by voter key (for counting, never for display)."""
        rows = await self._db.fetch_all(
            "SELECT voter_key, option FROM poll_choices WHERE poll_id = ? ORDER BY voter_key, rank",
            (poll_id,),
        )
        ballots: dict[str, list[int]] = {}
        for row in rows:
            ballots.setdefault(str(row[0]), []).append(int(row[1]))
        return {key: tuple(choices) for key, choices in ballots.items()}

    async def named_ballots(self, poll_id: int) -> list[NamedBallot]:
        """A named poll's ballots with names and times, oldest first (empty for anonymous)."""
        rows = await self._db.fetch_all(
            "SELECT b.voter_key, b.voter_name, b.voted_at, c.option FROM poll_ballots b"
            " JOIN poll_choices c ON c.poll_id = b.poll_id AND c.voter_key = b.voter_key"
            " WHERE b.poll_id = ? AND b.voter_name IS NOT NULL AND b.voted_at IS NOT NULL"
            " ORDER BY b.voted_at, b.voter_key, c.rank",
            (poll_id,),
        )
        grouped: dict[str, tuple[str, str, list[int]]] = {}
        for key, name, voted_at, option in rows:
            grouped.setdefault(key, (name, voted_at, []))[2].append(int(option))
        return [
            NamedBallot(name, from_db(voted_at), tuple(choices))
            for name, voted_at, choices in grouped.values()
        ]

    async def close(self, poll_id: int, now: datetime, *, keep_salt: bool = False) -> bool:
        """Close an open poll; an anonymous poll's salt is erased unless `keep_salt`.

        Returns False when the poll was already closed. Erased salts are overwritten on disk
        (`secure_delete`) and the write-ahead log is checkpointed so no old copy remains.
        """
        await self._db.execute("PRAGMA secure_delete = ON")
        cursor = await self._db.execute(
            "UPDATE polls SET closed_at = ?, salt = CASE WHEN ? THEN salt ELSE NULL END"
            " WHERE id = ? AND closed_at IS NULL",
            (to_db(now), int(keep_salt), poll_id),
        )
        if cursor.rowcount == 1 and not keep_salt:
            await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return cursor.rowcount == 1

    async def erase_salt(self, poll_id: int) -> None:
        """Erase a closed poll's salt (the first poll of a stance pair, once both are closed)."""
        await self._db.execute("PRAGMA secure_delete = ON")
        await self._db.execute(
            "UPDATE polls SET salt = NULL WHERE id = ? AND closed_at IS NOT NULL", (poll_id,)
        )
        await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def mark_announced(self, poll_id: int, now: datetime) -> bool:
        """Record that the final results were posted; False when they already had been."""
        cursor = await self._db.execute(
            "UPDATE polls SET announced_at = ? WHERE id = ? AND announced_at IS NULL",
            (to_db(now), poll_id),
        )
        return cursor.rowcount == 1

    async def forget_voter(self, platform: str, user_id: str) -> int:
        """Turn a person's named ballots into anonymous counts and drop them as creator.

        Each ballot moves to a fresh random key (the count is kept, the link is gone) and loses
        its name and time. Returns the rows changed.
        """
        key = f"{platform}:{user_id}"
        async with self._db.transaction() as tx:
            ballots = await tx.execute(
                "UPDATE poll_ballots SET voter_key = ? || lower(hex(randomblob(16))),"
                " voter_name = NULL, voted_at = NULL WHERE voter_key = ?",
                (FORGOTTEN_PREFIX, key),
            )
            creators = await tx.execute("UPDATE polls SET creator = '-' WHERE creator = ?", (key,))
        self._ballots.clear()  # before any other transaction can run: keys were renamed
        return ballots.rowcount + creators.rowcount


async def _open_polls(tx: Transaction, poll_ids: Iterable[int], now: datetime) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(sorted(poll_ids)):
        rows = await tx.fetch_all(
            f"SELECT id FROM polls WHERE id IN ({_marks(chunk)}) AND closed_at IS NULL"
            " AND (closes_at IS NULL OR closes_at > ?)",
            (*chunk, to_db(now)),
        )
        found.update(int(row[0]) for row in rows)
    return found


async def _current_ballots(
    tx: Transaction, keys: set[tuple[int, str]]
) -> dict[tuple[int, str], tuple[int, ...] | None]:
    """Each key's current choices (None without a ballot), read with one query per chunk."""
    found: dict[tuple[int, str], list[int]] = {}
    for chunk in _chunks(sorted(keys), _KEY_CHUNK):
        rows = await tx.fetch_all(
            "SELECT poll_id, voter_key, option FROM poll_choices"
            f" WHERE (poll_id, voter_key) IN (VALUES {', '.join(['(?, ?)'] * len(chunk))})"
            " ORDER BY poll_id, voter_key, rank",
            [part for key in chunk for part in key],
        )
        for poll_id, voter_key, option in rows:
            found.setdefault((poll_id, voter_key), []).append(option)
    current: dict[tuple[int, str], tuple[int, ...] | None] = dict.fromkeys(keys)
    current.update({key: tuple(choices) for key, choices in found.items()})
    return current


_CLOSED = VoteResult(VoteStatus.CLOSED)
_RETRACTED = VoteResult(VoteStatus.RETRACTED)
_NO_BALLOT = VoteResult(VoteStatus.NO_BALLOT)


def _apply(vote: VoteCommand, current: tuple[int, ...] | None) -> VoteResult:
    if vote.op is VoteOp.RETRACT or (vote.op is VoteOp.TOGGLE and current == vote.choices):
        return _NO_BALLOT if current is None else _RETRACTED
    status = VoteStatus.RECORDED if current is None else VoteStatus.CHANGED
    return VoteResult(status, vote.choices)


async def _write_ballots(
    tx: Transaction,
    before: dict[tuple[int, str], tuple[int, ...] | None],
    after: dict[tuple[int, str], tuple[int, ...] | None],
    names: dict[tuple[int, str], str | None],
    chats: dict[tuple[int, str], int | None],
    now: datetime,
) -> None:
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
        choices.extend((*key, rank, option) for rank, option in enumerate(final))
    if removed:
        await tx.execute_many(
            "DELETE FROM poll_ballots WHERE poll_id = ? AND voter_key = ?", removed
        )
    if ballots:
        await tx.execute_many(
            "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at, chat_no)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (poll_id, voter_key) DO UPDATE SET"
            " voter_name = excluded.voter_name, voted_at = excluded.voted_at,"
            " chat_no = coalesce(excluded.chat_no, chat_no)",
            ballots,
        )
    if trimmed:
        await tx.execute_many(
            "DELETE FROM poll_choices WHERE poll_id = ? AND voter_key = ? AND rank >= ?", trimmed
        )
    if choices:
        await tx.execute_many(
            "INSERT INTO poll_choices (poll_id, voter_key, rank, option) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (poll_id, voter_key, rank) DO UPDATE SET option = excluded.option",
            choices,
        )


def _is_open(closes_at: datetime | None, closed_at: datetime | None, now: datetime) -> bool:
    return closed_at is None and (closes_at is None or now < closes_at)


def _chunks(items: Sequence[_Item], size: int = _IN_CHUNK) -> Iterable[Sequence[_Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(items: Sized) -> str:
    return ", ".join("?" * len(items))


def _poll(row: Row, options: tuple[str, ...]) -> PollRecord:
    return PollRecord(
        id=int(row[0]),
        chat=ChatRef(row[1], row[2]),
        creator=row[3],
        question=row[4],
        options=options,
        kind=PollKind(row[5]),
        max_choices=row[6],
        anonymous=bool(row[7]),
        visibility=ResultsVisibility(row[8]),
        allowed_role=row[9],
        locale=row[10],
        stance=StancePhase(row[11]) if row[11] else None,
        stance_before=row[12],
        salt=row[13],
        created_at=from_db(row[14]),
        closes_at=from_db(row[15]) if row[15] else None,
        closed_at=from_db(row[16]) if row[16] else None,
        announced_at=from_db(row[17]) if row[17] else None,
    )
