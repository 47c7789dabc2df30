"""Stance check: how positions moved between a before poll and an after poll.

Both polls are single-choice with the same options, and their ballots are keyed by the same
voter keys. Only counts come out: the result never says who moved.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from handlers.polls.model import Ballot


@dataclass(frozen=True, slots=True)
class StanceShift:
    """Aggregated movement between the two polls.

    `matrix[a][b]` counts people who chose option `a` before and `b` after; the diagonal is
    people who kept their choice. People who answered only one poll are counted apart.
    """

    matrix: tuple[tuple[int, ...], ...]
    only_before: int
    only_after: int

    @property
    def answered_both(self) -> int:
        """People who answered both polls."""
        return sum(map(sum, self.matrix))

    @property
    def changed(self) -> int:
        """People who answered both polls and chose differently the second time."""
        return self.answered_both - sum(row[i] for i, row in enumerate(self.matrix))

    def moves(self) -> list[tuple[int, int, int]]:
        """Return `(from, to, count)` for every change made by someone, most common first."""
        cells = [
            (source, target, count)
            for source, row in enumerate(self.matrix)
            for target, count in enumerate(row)
            if source != target and count
        ]
        return sorted(cells, key=lambda cell: (-cell[2], cell[0], cell[1]))

    def net_change(self) -> tuple[int, ...]:
        """Per option, how many more people chose it after than before (among both)."""
        size = len(self.matrix)
        return tuple(
            sum(self.matrix[source][option] for source in range(size)) - sum(self.matrix[option])
            for option in range(size)
        )


def stance_shift(
    option_count: int, before: Mapping[str, Ballot], after: Mapping[str, Ballot]
) -> StanceShift:
    """Aggregate single-choice ballots keyed by voter key into a from→to matrix."""
    for ballot in (*before.values(), *after.values()):
        if len(ballot.choices) != 1 or not 0 <= ballot.choices[0] < option_count:
            raise ValueError("stance ballots are single choices of a valid option")
    matrix = [[0] * option_count for _ in range(option_count)]
    for key in before.keys() & after.keys():
        matrix[before[key].choices[0]][after[key].choices[0]] += 1
    both = sum(map(sum, matrix))
    return StanceShift(
        matrix=tuple(map(tuple, matrix)),
        only_before=len(before) - both,
        only_after=len(after) - both,
    )
