"""Synthetic communities with planted camps and bridge statements, for the opinion-group tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain.opinion_groups import Stance, StatementVote


@dataclass(frozen=True)
class Community:
    """Votes of planted camps: each camp agrees with its own statements, all with the bridges."""

    votes: list[StatementVote]
    camp_of: list[int]
    """The planted camp of each participant (dense index)."""
    bridges: list[int]
    own: dict[int, list[int]]
    """Each camp's own statements."""
    statements: int


def plant(
    camp_sizes: list[int],
    *,
    own_per_camp: int = 6,
    bridges: int = 3,
    seen_share: float = 0.7,
    loyalty: float = 0.9,
    seed: int = 7,
) -> Community:
    """Camps of the given sizes; every participant sees `seen_share` of the statements."""
    rng = np.random.default_rng(seed)
    own = {
        camp: list(range(camp * own_per_camp, (camp + 1) * own_per_camp))
        for camp in range(len(camp_sizes))
    }
    first_bridge = len(camp_sizes) * own_per_camp
    bridge_ids = list(range(first_bridge, first_bridge + bridges))
    statements = first_bridge + bridges
    votes: list[StatementVote] = []
    camp_of: list[int] = []
    for camp, size in enumerate(camp_sizes):
        for _ in range(size):
            person = len(camp_of)
            camp_of.append(camp)
            for statement in range(statements):
                if rng.random() > seen_share:
                    continue
                mine = statement in own[camp] or statement in bridge_ids
                agree = rng.random() < (loyalty if mine else 1 - loyalty)
                stance = Stance.AGREE if agree else Stance.DISAGREE
                if rng.random() < 0.05:
                    stance = Stance.PASS
                votes.append(StatementVote(person, statement, stance))
    return Community(votes, camp_of, bridge_ids, own, statements)


def adjusted_rand_index(truth: list[int], found: list[int]) -> float:
    """The adjusted Rand index of two labelings (1 identical, about 0 random)."""
    pairs = np.zeros((max(truth) + 1, max(found) + 1))
    for a, b in zip(truth, found, strict=True):
        pairs[a, b] += 1

    def combinations(values: np.ndarray) -> float:
        return float((values * (values - 1) / 2).sum())

    index = combinations(pairs)
    rows, columns = combinations(pairs.sum(axis=1)), combinations(pairs.sum(axis=0))
    expected = rows * columns / combinations(np.array([len(truth)]))
    most = (rows + columns) / 2
    return (index - expected) / (most - expected) if most != expected else 1.0
