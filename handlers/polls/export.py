"""CSV export of a poll's results.

A named poll exports one row per voter, with the chat the ballot was cast in (empty when not
recorded); a voter forgotten since keeps a row with their choices only. An anonymous poll exports
counts per option only (a ranked one: ballots per distinct ranking, so its rounds can be
recounted): its rows have no voter, time or chat column at all. Cells
that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

from bot.identity import ChatRef
from domain.polls import PollKind
from handlers.polls.tally import Tally

VOTER_HEADER = ("voter", "choices", "voted_at", "chat")
COUNT_HEADER = ("option", "votes", "percent")
RANKING_HEADER = ("ranking", "ballots")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CSV_BATCH = 1_000


@dataclass(frozen=True, slots=True)
class VoterRecord:
    """One named voter's ballot as the export shows it; `chat` is None when not recorded."""

    display_name: str
    choices: tuple[int, ...]
    voted_at: datetime | None
    chat: ChatRef | None


def voter_rows(
    labels: Sequence[str], kind: PollKind, records: Iterable[VoterRecord]
) -> list[tuple[str, ...]]:
    """Return the header and one row per voter of a named poll.

    Choices are joined with `; ` (multi) or ` > ` in preference order (ranked); times are
    ISO 8601 in UTC; a chat is `platform:chat_id`.
    """
    joiner = " > " if kind is PollKind.RANKED else "; "
    rows: list[tuple[str, ...]] = [VOTER_HEADER]
    for record in records:
        choices = joiner.join(labels[index] for index in record.choices)
        voted_at = (
            record.voted_at.astimezone(UTC).isoformat(timespec="seconds")
            if record.voted_at is not None
            else ""
        )
        chat = _safe(record.chat.key) if record.chat is not None else ""
        rows.append((_safe(record.display_name), _safe(choices), voted_at, chat))
    return rows


def count_rows(tally: Tally) -> list[tuple[str, ...]]:
    """Return the header and one row per option with its votes and percent (anonymous polls)."""
    rows: list[tuple[str, ...]] = [COUNT_HEADER]
    rows.extend(
        (_safe(option.label), str(option.votes), str(option.percent)) for option in tally.options
    )
    return rows


def ranking_rows(
    labels: Sequence[str], rankings: Iterable[tuple[int, ...]]
) -> list[tuple[str, ...]]:
    """Return the header and, per distinct ranking, how many ballots gave it (anonymous ranked).

    Enough to recount every instant-runoff round; no voter, time or chat. Most common first.
    """
    counts = Counter(" > ".join(labels[index] for index in ranking) for ranking in rankings)
    rows: list[tuple[str, ...]] = [RANKING_HEADER]
    rows.extend(
        (_safe(ranking), str(count))
        for ranking, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    return rows


def to_csv(rows: Iterable[Sequence[str]]) -> str:
    """Write rows as CSV text with CRLF line ends.

    In batches: one `writerows` call holds the interpreter lock until it returns (100,000 rows
    held the event loop for a third of a second from the worker thread); between batches the
    loop gets its turn.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    remaining = iter(rows)
    while batch := list(islice(remaining, _CSV_BATCH)):
        writer.writerows(batch)
    return buffer.getvalue()


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
