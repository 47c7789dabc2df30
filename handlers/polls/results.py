"""A poll's current results from storage: the tally, and instant-runoff rounds when ranked.

Live views (the poll message while it is open, acknowledgements) need only the tally: a ranked
poll's first preferences are counted by the database. The instant-runoff count loads every
ballot and is computed off the event loop, only where the rounds are shown: `/poll results`,
and the views of a closed poll (its last edit and the announcement).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import Locale
from domain.polls import PollKind, ResultsVisibility
from handlers.polls.irv import IrvResult, instant_runoff, render_rounds
from handlers.polls.model import Ballot
from handlers.polls.tally import OptionResult, Tally, count_ballots, render_tally, rounded_percents
from storage.poll_ballots import PollBallots
from storage.polls import PollRecord


@dataclass(frozen=True, slots=True)
class PollResults:
    """The tally (first preferences for ranked polls) and, when asked for, the IRV count."""

    tally: Tally
    runoff: IrvResult | None = None

    def text(self, labels: Sequence[str], lang: Locale) -> str:
        """The tally as text bars, or the instant-runoff rounds when they were counted."""
        if self.runoff is not None:
            return render_rounds(self.runoff, labels, lang)
        return render_tally(self.tally, lang)


async def load_results(ballots: PollBallots, poll: PollRecord, *, runoff: bool) -> PollResults:
    """Count the poll's ballots as stored now; a ranked poll's rounds too when `runoff`."""
    if poll.kind is PollKind.RANKED and runoff:
        stored = await ballots.by_voter_key(poll.id)
        return await asyncio.to_thread(_ranked_results, poll, list(stored.values()))
    counts = await ballots.option_counts(poll.id, first_choice_only=poll.kind is PollKind.RANKED)
    tally = tally_from_counts(poll.options, counts, await ballots.voter_count(poll.id))
    return PollResults(_on_offer(tally, poll.removed))


def _ranked_results(poll: PollRecord, stored: list[tuple[int, ...]]) -> PollResults:
    """First preferences and the instant-runoff count of one read of the ballots.

    Removed options are out of the race from the start (their ballots no longer name them).
    """
    ranked = [Ballot(choices) for choices in stored]
    firsts = [Ballot(ballot.choices[:1]) for ballot in ranked]
    runoff = instant_runoff(len(poll.options), ranked, excluded=poll.removed)
    return PollResults(_on_offer(count_ballots(poll.options, firsts), poll.removed), runoff)


def _on_offer(tally: Tally, removed: frozenset[int]) -> Tally:
    """The tally without the lines of removed options."""
    if not removed:
        return tally
    kept = tuple(line for index, line in enumerate(tally.options) if index not in removed)
    return Tally(kept, tally.voters)


def tally_from_counts(labels: Sequence[str], counts: Mapping[int, int], voters: int) -> Tally:
    """Build a tally from votes per option index and the number of voters."""
    votes = [counts.get(index, 0) for index in range(len(labels))]
    percents = rounded_percents(votes, voters)
    return Tally(
        tuple(OptionResult(*row) for row in zip(labels, votes, percents, strict=True)), voters
    )


def results_public(poll: PollRecord, now: datetime) -> bool:
    """Whether everyone may see the results now (live polls, and every poll once closed)."""
    return poll.visibility is ResultsVisibility.LIVE or not poll.is_open(now)
