"""The poll vocabulary storage maps rows to: kinds, visibility, stance phases, votes, tallies."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from bot.identity import ChatRef


class PollKind(StrEnum):
    """How many options a voter picks and whether their order matters."""

    SINGLE = "single"
    MULTI = "multi"
    RANKED = "ranked"


class ResultsVisibility(StrEnum):
    """When voters may see the tally."""

    LIVE = "live"
    AFTER_VOTE = "after_vote"
    AFTER_CLOSE = "after_close"


class StancePhase(StrEnum):
    """Which poll of a stance pair a poll is."""

    BEFORE = "before"
    AFTER = "after"


class VoteOp(StrEnum):
    """What a vote does to the voter's ballot."""

    TOGGLE = "toggle"
    """Single choice: choose the option, or withdraw it when it is already the choice."""
    SET = "set"
    """Replace the ballot with `choices` (multi and ranked)."""
    RETRACT = "retract"
    """Withdraw the ballot."""


class VoteStatus(StrEnum):
    """What happened to a vote."""

    RECORDED = "recorded"
    CHANGED = "changed"
    RETRACTED = "retracted"
    NO_BALLOT = "no_ballot"
    CLOSED = "closed"
    FORGOTTEN = "forgotten"
    """Refused: this voter's ballot was kept, without them, when they asked to be forgotten."""
    STALE = "stale"
    """Refused: the vote names an option removed from the poll since its button was drawn."""


class VoteResult(NamedTuple):
    """The outcome of a vote and the voter's ballot afterwards (empty when none).

    A named tuple: the vote path creates one per press.
    """

    status: VoteStatus
    choices: tuple[int, ...] = ()


_RETRACTED = VoteResult(VoteStatus.RETRACTED)
_NO_BALLOT = VoteResult(VoteStatus.NO_BALLOT)


def vote_outcome(
    op: VoteOp, choices: tuple[int, ...], current: tuple[int, ...] | None
) -> VoteResult:
    """What a vote does to a ballot that holds `current` (None: no ballot) in an open poll."""
    if op is VoteOp.RETRACT or (op is VoteOp.TOGGLE and current == choices):
        return _NO_BALLOT if current is None else _RETRACTED
    status = VoteStatus.RECORDED if current is None else VoteStatus.CHANGED
    return VoteResult(status, choices)


@dataclass(frozen=True, slots=True)
class ChatTally:
    """The ballots cast in one chat: voters, and votes per option index.

    `chat` is None for ballots whose chat is not known (cast before chats were recorded, or
    on a private ballot opened where the chat could not be told).
    """

    chat: ChatRef | None
    voters: int
    votes: dict[int, int]
