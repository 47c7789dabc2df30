"""A poll feature's own shapes: drafts and ballots (the shared vocabulary is `domain.polls`)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.polls import PollKind, ResultsVisibility


@dataclass(frozen=True, slots=True)
class PollDraft:
    """A poll as its creator asked for it, before it is validated and stored.

    `max_choices` only applies to multi polls (None: up to every option). At most one of
    `duration` and `deadline` is set; neither means the poll stays open until closed by hand.
    `deadline` must be timezone-aware. `allowed_role` is a platform role id (Discord), None
    for everyone. `open_options`: members may add options; `shuffle`: each voter's ballot
    lists the options in an order of their own; `remind_before`: the poll's chats are
    reminded that long before the deadline.
    """

    question: str
    options: tuple[str, ...]
    kind: PollKind = PollKind.SINGLE
    max_choices: int | None = None
    anonymous: bool = False
    visibility: ResultsVisibility = ResultsVisibility.LIVE
    duration: timedelta | None = None
    deadline: datetime | None = None
    allowed_role: str | None = None
    open_options: bool = False
    shuffle: bool = False
    remind_before: timedelta | None = None


@dataclass(frozen=True, slots=True)
class Ballot:
    """One voter's choices as 0-based option indexes; for ranked polls, most preferred first."""

    choices: tuple[int, ...]
