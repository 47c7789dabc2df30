"""Counting single- and multi-choice ballots and drawing the tally as text bars."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.i18n import Locale
from handlers.polls import texts
from handlers.polls.model import Ballot

FULL_BLOCK = "█"
LIGHT_SHADE = "░"


@dataclass(frozen=True, slots=True)
class OptionResult:
    """One option's line in a tally: its votes and its rounded share of voters in percent."""

    label: str
    votes: int
    percent: int


@dataclass(frozen=True, slots=True)
class Tally:
    """Votes per option in option order, and how many people voted.

    Percentages are of voters, so in a multi-choice poll they may add up to more than 100.
    """

    options: tuple[OptionResult, ...]
    voters: int


def count_ballots(labels: Sequence[str], ballots: Iterable[Ballot]) -> Tally:
    """Count single- or multi-choice ballots (one per voter) against the option labels."""
    votes = [0] * len(labels)
    voters = 0
    for ballot in ballots:
        voters += 1
        for index in set(ballot.choices):
            votes[index] += 1
    percents = rounded_percents(votes, voters)
    return Tally(
        options=tuple(
            OptionResult(label, count, percent)
            for label, count, percent in zip(labels, votes, percents, strict=True)
        ),
        voters=voters,
    )


def rounded_percents(votes: Sequence[int], voters: int) -> list[int]:
    """Return each count as a whole percentage of voters, rounded half up.

    Equal counts always show equal percentages, so single-choice shares may add up to 99 or 101.
    """
    if voters == 0:
        return [0] * len(votes)
    return [(200 * count + voters) // (2 * voters) for count in votes]


def render_bar(percent: int, width: int = 10) -> str:
    """Draw a percentage as `width` cells of full and light blocks, rounded half up."""
    filled = min(width, (percent * width * 2 + 100) // 200)
    return FULL_BLOCK * filled + LIGHT_SHADE * (width - filled)


def render_tally(tally: Tally, lang: Locale, width: int = 10) -> str:
    """Render a tally as monospace-friendly text: each label, then `bar pct% (votes)`."""
    lines: list[str] = []
    for option in tally.options:
        lines.append(option.label)
        lines.append(f"{render_bar(option.percent, width)} {option.percent}% ({option.votes})")
    lines.append(texts.TOTAL_VOTERS.render(lang, voters=tally.voters))
    return "\n".join(lines)
