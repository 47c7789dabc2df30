"""Instant-runoff counting of ranked ballots, with every round recorded.

Each round counts every ballot for its highest-ranked option still in the race; a ballot with
none left is exhausted. An option with more than half of the ballots still counting wins. If
all remaining options have the same count, the result is a tie between them. Otherwise the
option with the fewest votes is eliminated; a tie for fewest is broken deterministically, never
by option order or chance:

1. backwards: the one with fewer votes in the latest earlier round where they differ;
2. then the one ranked first on fewer ballots, then second on fewer ballots, and so on;
3. if they are still level, all of them are eliminated together.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.i18n import Locale
from handlers.polls import texts
from handlers.polls.model import Ballot


@dataclass(frozen=True, slots=True)
class IrvRound:
    """One round: votes per remaining option index, who left, and ballots with no one left."""

    number: int
    counts: dict[int, int]
    eliminated: tuple[int, ...]
    exhausted: int


@dataclass(frozen=True, slots=True)
class IrvResult:
    """The rounds and the winner: one index, several on a tie, none if nothing was counted."""

    rounds: tuple[IrvRound, ...]
    winners: tuple[int, ...]


def instant_runoff(
    option_count: int, ballots: Iterable[Ballot], excluded: frozenset[int] = frozenset()
) -> IrvResult:
    """Count validated ranked ballots for options `0..option_count-1` by instant-runoff.

    `excluded` options (removed from the poll) are not in the race at all.
    """
    remaining = set(range(option_count)) - excluded
    if not remaining:
        raise ValueError("instant-runoff needs at least one option")
    rankings = [ballot.choices for ballot in ballots]
    positions = _position_counts(option_count, rankings)
    rounds: list[IrvRound] = []
    while True:
        counts = dict.fromkeys(sorted(remaining), 0)
        exhausted = 0
        for ranking in rankings:
            top = next((index for index in ranking if index in remaining), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        number = len(rounds) + 1
        active = len(rankings) - exhausted
        leader = max(counts, key=counts.__getitem__)
        if active == 0 or counts[leader] * 2 > active or len(set(counts.values())) == 1:
            rounds.append(IrvRound(number, counts, (), exhausted))
            if active == 0:
                return IrvResult(tuple(rounds), ())
            top_count = counts[leader]
            winners = tuple(index for index, count in counts.items() if count == top_count)
            return IrvResult(tuple(rounds), winners)
        eliminated = _pick_eliminated(counts, rounds, positions)
        rounds.append(IrvRound(number, counts, eliminated, exhausted))
        remaining -= set(eliminated)


def _position_counts(option_count: int, rankings: Sequence[tuple[int, ...]]) -> list[list[int]]:
    """For each option, how many ballots rank it 1st, 2nd, ... ."""
    positions = [[0] * option_count for _ in range(option_count)]
    for ranking in rankings:
        for place, index in enumerate(ranking):
            positions[index][place] += 1
    return positions


def _pick_eliminated(
    counts: dict[int, int], earlier: Sequence[IrvRound], positions: Sequence[list[int]]
) -> tuple[int, ...]:
    """Apply the documented tie-break to the options with the fewest votes."""
    fewest = min(counts.values())
    tied = [index for index, count in counts.items() if count == fewest]
    for past in reversed(earlier):
        if len(tied) == 1:
            break
        lowest = min(past.counts[index] for index in tied)
        tied = [index for index in tied if past.counts[index] == lowest]
    if len(tied) > 1:
        lowest_positions = min(positions[index] for index in tied)
        tied = [index for index in tied if positions[index] == lowest_positions]
    return tuple(tied)


def render_rounds(result: IrvResult, labels: Sequence[str], lang: Locale) -> str:
    """Render the rounds and the outcome as plain text lines."""
    lines: list[str] = []
    for irv_round in result.rounds:
        tallies = " · ".join(f"{labels[i]} {count}" for i, count in irv_round.counts.items())
        line = f"{texts.IRV_ROUND.render(lang, number=irv_round.number)}: {tallies}"
        if irv_round.eliminated:
            names = ", ".join(labels[index] for index in irv_round.eliminated)
            line += f" — {texts.IRV_ELIMINATED.render(lang, options=names)}"
        if irv_round.exhausted:
            exhausted = texts.IRV_EXHAUSTED.render(lang, count=irv_round.exhausted)
            line += f" — {exhausted}"
        lines.append(line)
    if not result.winners:
        lines.append(texts.IRV_NO_WINNER.render(lang))
    elif len(result.winners) == 1:
        lines.append(texts.IRV_WINNER.render(lang, option=labels[result.winners[0]]))
    else:
        names = ", ".join(labels[index] for index in result.winners)
        lines.append(texts.IRV_TIE.render(lang, options=names))
    return "\n".join(lines)
