"""The poll buttons' presses: an option under the poll, the private ballot, and By chat."""

from __future__ import annotations

from typing import Annotated

from bot.actions import Action, MaxLength, Range
from handlers.polls.rules import MAX_OPTIONS

PollId = Annotated[int, Range(1)]
Option = Annotated[int, Range(0, MAX_OPTIONS - 1)]
Picks = Annotated[str, MaxLength(MAX_OPTIONS)]
"""The picks so far, one digit per option in order (`handlers.polls.ballots.encode_picks`)."""


class PollVote(Action, name="poll.vote"):
    """An option under the poll: vote (single choice) or open the private ballot."""

    poll: PollId
    option: Option


class PollBallot(Action, name="poll.ballot"):
    """Vote under a `--shuffle` poll: open my private ballot, options in my own order."""

    poll: PollId


class PollPick(Action, name="poll.pick"):
    """A toggle on the private ballot."""

    poll: PollId
    picks: Picks
    option: Option


class PollSubmit(Action, name="poll.submit"):
    """Cast the private ballot."""

    poll: PollId
    picks: Picks


class PollRetract(Action, name="poll.retract"):
    """Withdraw my ballot."""

    poll: PollId


class PollByChat(Action, name="poll.bychat"):
    """The per-chat breakdown under a shared poll's results."""

    poll: PollId
