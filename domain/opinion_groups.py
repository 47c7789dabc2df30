"""Opinion groups and common ground from agree / disagree / pass votes on short statements.

The method follows the one Polis published (re-implemented from its description, not its code):
a participant × statement matrix, a sparsity-aware projection to two dimensions, many small
k-means clusters grouped into at most five opinion groups chosen by silhouette, representative
statements per group by z-tests, and group-aware consensus (the product over groups of
(agrees + 1) / (seen + 2)). Only aggregates leave this module; groups smaller than
`min_group_size` are never described. Pure numpy, deterministic, no I/O: run it off the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

MIN_GROUP_SIZE = 5
MAX_GROUPS = 5
BASE_CLUSTERS = 100
MIN_VOTES_TO_PLACE = 7
"""A participant is placed once they voted on this many statements (or on all, if fewer)."""
Z_90 = 1.2816
"""One-sided 90 % significance, as Polis uses for representative and consensus statements."""
REPRESENTATIVES_PER_GROUP = 5
_SEED = 20260201

Floats = NDArray[np.float64]
Labels = NDArray[np.int64]


class Stance(IntEnum):
    """One vote on a statement."""

    DISAGREE = -1
    PASS = 0
    AGREE = 1


@dataclass(frozen=True, slots=True)
class StatementVote:
    """Participant `participant` voted `stance` on statement `statement` (both dense indexes)."""

    participant: int
    statement: int
    stance: Stance


@dataclass(frozen=True, slots=True)
class Representative:
    """A statement that sets a group apart: how the group voted on it against everyone else."""

    statement: int
    stance: Stance
    """AGREE when the group agrees more than the rest, DISAGREE when it disagrees more."""
    share: float
    """The group's (smoothed) share voting `stance`."""
    others_share: float
    z: float
    """The two-proportion z statistic, group against the rest (significant when ≥ Z_90)."""


@dataclass(frozen=True, slots=True)
class OpinionGroup:
    """One opinion group: how many people, and what sets them apart."""

    size: int
    representatives: tuple[Representative, ...]


@dataclass(frozen=True, slots=True)
class Consensus:
    """A statement's group-aware consensus: high when every group agrees (or disagrees)."""

    statement: int
    agree: float
    disagree: float
    every_group_agrees: bool
    every_group_disagrees: bool


@dataclass(frozen=True, slots=True)
class OpinionMap:
    """What may be shown: placed participants, the groups, consensus and a nameless picture."""

    participants: int
    """Everyone who voted at all."""
    placed: int
    """Those with enough votes to be placed on the map."""
    groups: tuple[OpinionGroup, ...]
    consensus: tuple[Consensus, ...]
    """Every voted statement, best agreed first."""
    points: Floats
    """The placed participants of shown groups, in 2-D, sorted (no order that names anyone)."""
    point_groups: Labels
    """The shown group (index into `groups`) of each point."""


@dataclass(frozen=True, slots=True)
class GroupAssignment:
    """Which group each participant (by dense index) falls in; -1 when not placed."""

    labels: Labels
    projection: Floats


def vote_matrix(votes: Iterable[StatementVote], participants: int, statements: int) -> Floats:
    """The participant × statement matrix: 1 agree, −1 disagree, 0 pass, NaN not voted."""
    cast = list(votes)
    matrix = np.full((participants, statements), np.nan)
    rows = np.fromiter((vote.participant for vote in cast), np.int64, len(cast))
    columns = np.fromiter((vote.statement for vote in cast), np.int64, len(cast))
    matrix[rows, columns] = np.fromiter((vote.stance for vote in cast), np.float64, len(cast))
    return matrix


def assign_groups(
    matrix: Floats, *, max_groups: int = MAX_GROUPS, min_group_size: int = MIN_GROUP_SIZE
) -> GroupAssignment:
    """Project the placed participants and group them (labels are dense group indexes).

    Among the groupings into 2…`max_groups` groups, the best by silhouette whose every group
    has at least `min_group_size` people wins (silhouette alone splits small populations into
    many tiny groups); when none qualifies, the best of all.
    """
    seen = ~np.isnan(matrix)
    counts = seen.sum(axis=1)
    needed = min(MIN_VOTES_TO_PLACE, matrix.shape[1])
    placed = np.flatnonzero(counts >= max(needed, 1))
    labels = np.full(matrix.shape[0], -1, dtype=np.int64)
    projection = np.zeros((matrix.shape[0], 2))
    if placed.size < 2:
        return GroupAssignment(labels, projection)
    rows = matrix[placed]
    points = _project(rows, seen[placed])
    projection[placed] = points
    rng = np.random.default_rng(_SEED)
    base_centers, base_labels = _kmeans(points, min(BASE_CLUSTERS, placed.size), rng, restarts=1)
    weights = np.bincount(base_labels, minlength=len(base_centers)).astype(np.float64)
    used = weights > 0
    base_centers, weights = base_centers[used], weights[used]
    remap = np.cumsum(used) - 1
    base_labels = remap[base_labels]
    group_of_base = _best_grouping(base_centers, weights, max_groups, min_group_size, rng)
    labels[placed] = group_of_base[base_labels]
    return GroupAssignment(labels, projection)


def find_opinion_groups(
    votes: Iterable[StatementVote],
    participants: int,
    statements: int,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
) -> OpinionMap:
    """The whole analysis: groups above the minimum size, their statements, consensus, picture."""
    return map_opinions(vote_matrix(votes, participants, statements), min_group_size=min_group_size)


def map_opinions(matrix: Floats, *, min_group_size: int = MIN_GROUP_SIZE) -> OpinionMap:
    """The whole analysis of a participant × statement matrix (see `vote_matrix`)."""
    voted = int((~np.isnan(matrix)).any(axis=1).sum())
    assignment = assign_groups(matrix, min_group_size=min_group_size)
    labels = assignment.labels
    sizes = np.bincount(labels[labels >= 0], minlength=0)
    shown = [group for group, size in enumerate(sizes) if size >= min_group_size]
    shown.sort(key=lambda group: -sizes[group])
    groups = tuple(
        OpinionGroup(int(sizes[group]), _representatives(matrix, labels == group))
        for group in shown
    )
    found = [labels == group for group in range(len(sizes)) if sizes[group] > 0]
    if not found and voted >= min_group_size:
        found = [~np.isnan(matrix).all(axis=1)]  # nobody placed yet: everyone is one group
    consensus = _consensus(matrix, found) if voted >= min_group_size else ()
    in_shown = np.isin(labels, shown)
    renumber = {group: index for index, group in enumerate(shown)}
    point_groups = np.array([renumber[label] for label in labels[in_shown]], dtype=np.int64)
    points = assignment.projection[in_shown].reshape(-1, 2)
    order = np.lexsort((points[:, 1], points[:, 0], point_groups))
    return OpinionMap(
        participants=voted,
        placed=int((labels >= 0).sum()),
        groups=groups,
        consensus=consensus,
        points=points[order],
        point_groups=point_groups[order],
    )


def _project(rows: Floats, seen: NDArray[np.bool_]) -> Floats:
    """Two principal components of the mean-imputed votes, scaled up for sparse voters.

    A participant who saw few statements sits near the centre only for lack of votes; scaling by
    sqrt(statements / seen) (as Polis does) puts them where their votes point.
    """
    counts = seen.sum(axis=0)
    means = np.divide(
        np.nansum(rows, axis=0), counts, out=np.zeros(rows.shape[1]), where=counts > 0
    )
    centred = np.where(seen, rows, means) - means
    covariance = centred.T @ centred
    _, vectors = np.linalg.eigh(covariance)
    components = vectors[:, ::-1][:, :2]
    if components.shape[1] < 2:
        components = np.pad(components, ((0, 0), (0, 2 - components.shape[1])))
    points = centred @ components
    scale = np.sqrt(rows.shape[1] / np.maximum(seen.sum(axis=1), 1))
    return points * scale[:, None]


def _kmeans(
    points: Floats,
    k: int,
    rng: np.random.Generator,
    *,
    weights: Floats | None = None,
    restarts: int = 4,
    iterations: int = 60,
) -> tuple[Floats, Labels]:
    """Weighted k-means with k-means++ starts; the best of `restarts` by inertia."""
    weights = np.ones(len(points)) if weights is None else weights
    best: tuple[float, Floats, Labels] | None = None
    for _ in range(restarts):
        centers = _plus_plus(points, k, weights, rng)
        labels = np.zeros(len(points), dtype=np.int64)
        for _ in range(iterations):
            distances = _squared_distances(points, centers)
            labels = distances.argmin(axis=1)
            totals = np.zeros_like(centers)
            np.add.at(totals, labels, points * weights[:, None])
            mass = np.bincount(labels, weights=weights, minlength=k)
            moved = np.where(mass[:, None] > 0, totals / np.maximum(mass, 1e-12)[:, None], centers)
            if np.allclose(moved, centers):
                break
            centers = moved
        inertia = float((weights * _squared_distances(points, centers).min(axis=1)).sum())
        if best is None or inertia < best[0]:
            best = (inertia, centers, labels)
    assert best is not None
    return best[1], best[2]


def _plus_plus(points: Floats, k: int, weights: Floats, rng: np.random.Generator) -> Floats:
    """k-means++ seeding: each next centre drawn in proportion to weighted squared distance."""
    first = rng.choice(len(points), p=weights / weights.sum())
    centers = [points[first]]
    nearest = _squared_distances(points, np.array(centers))[:, 0]
    for _ in range(1, k):
        mass = nearest * weights
        total = mass.sum()
        index = rng.choice(len(points), p=mass / total) if total > 0 else rng.integers(len(points))
        centers.append(points[index])
        nearest = np.minimum(nearest, ((points - points[index]) ** 2).sum(axis=1))
    return np.array(centers)


def _squared_distances(points: Floats, centers: Floats) -> Floats:
    return (
        (points**2).sum(axis=1)[:, None]
        - 2 * points @ centers.T
        + (centers**2).sum(axis=1)[None, :]
    ).clip(min=0)


def _best_grouping(
    centers: Floats,
    weights: Floats,
    max_groups: int,
    min_group_size: int,
    rng: np.random.Generator,
) -> Labels:
    """Group the base clusters into 2…max_groups groups by weighted silhouette (see above)."""
    if len(centers) < 3:
        return np.arange(len(centers), dtype=np.int64)
    best: tuple[bool, float, Labels] | None = None
    for k in range(2, min(max_groups, len(centers) - 1) + 1):
        _, labels = _kmeans(centers, k, rng, weights=weights)
        sizes = np.bincount(labels, weights=weights)
        large = bool(sizes[sizes > 0].min() >= min_group_size)
        score = _silhouette(centers, labels, weights)
        if best is None or (large, score) > (best[0], best[1] + 1e-9):
            best = (large, score, labels)
    assert best is not None
    _, dense = np.unique(best[2], return_inverse=True)
    return dense.astype(np.int64)


def _silhouette(points: Floats, labels: Labels, weights: Floats) -> float:
    """The weighted mean silhouette of a clustering (−1 when it has fewer than two groups)."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    distances = np.sqrt(_squared_distances(points, points))
    mean_to = np.stack(
        [
            (distances[:, labels == g] * weights[labels == g]).sum(axis=1)
            / weights[labels == g].sum()
            for g in groups
        ],
        axis=1,
    )
    own = np.searchsorted(groups, labels)
    inside = mean_to[np.arange(len(points)), own]
    mean_to[np.arange(len(points)), own] = np.inf
    nearest = mean_to.min(axis=1)
    scores = np.where(
        np.maximum(inside, nearest) > 0, (nearest - inside) / np.maximum(inside, nearest), 0
    )
    return float((scores * weights).sum() / weights.sum())


def _tallies(matrix: Floats, mask: NDArray[np.bool_]) -> tuple[Floats, Floats, Floats]:
    """Agrees, disagrees and seen per statement among the rows in `mask`."""
    rows = matrix[mask]
    return (
        (rows == 1).sum(axis=0).astype(np.float64),
        (rows == -1).sum(axis=0).astype(np.float64),
        (~np.isnan(rows)).sum(axis=0).astype(np.float64),
    )


def _representatives(matrix: Floats, mask: NDArray[np.bool_]) -> tuple[Representative, ...]:
    """The statements that set the group apart, significant at 90 % against the rest."""
    inside, outside = _tallies(matrix, mask), _tallies(matrix, ~mask)
    found = []
    for stance, column in ((Stance.AGREE, 0), (Stance.DISAGREE, 1)):
        share = (inside[column] + 1) / (inside[2] + 2)
        others = (outside[column] + 1) / (outside[2] + 2)
        apart = _two_proportion_z(inside[column], inside[2], outside[column], outside[2])
        majority = _one_proportion_z(inside[column], inside[2])
        for statement in np.flatnonzero((apart >= Z_90) & (majority >= Z_90)):
            found.append(
                Representative(
                    statement=int(statement),
                    stance=stance,
                    share=float(share[statement]),
                    others_share=float(others[statement]),
                    z=float(apart[statement]),
                )
            )
    found.sort(key=lambda rep: (-(rep.share / rep.others_share) * rep.z, rep.statement))
    chosen: dict[int, Representative] = {}
    for rep in found:
        chosen.setdefault(rep.statement, rep)
    return tuple(list(chosen.values())[:REPRESENTATIVES_PER_GROUP])


def _two_proportion_z(hits: Floats, seen: Floats, other_hits: Floats, other_seen: Floats) -> Floats:
    """The z statistic of the group's share against the rest's (pooled, smoothed)."""
    p1 = (hits + 1) / (seen + 2)
    p2 = (other_hits + 1) / (other_seen + 2)
    pooled = (hits + other_hits + 1) / (seen + other_seen + 2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / (seen + 1) + 1 / (other_seen + 1)))
    return np.where(spread > 0, (p1 - p2) / np.maximum(spread, 1e-12), 0.0)


def _one_proportion_z(hits: Floats, seen: Floats) -> Floats:
    """The z statistic of the group's share against one half (is it a majority?)."""
    return 2 * np.sqrt(seen + 1) * ((hits + 1) / (seen + 2) - 0.5)


def _consensus(matrix: Floats, groups: list[NDArray[np.bool_]]) -> tuple[Consensus, ...]:
    """Group-aware consensus of each voted statement, best agreed first."""
    if not groups:
        return ()
    agree = np.ones(matrix.shape[1])
    disagree = np.ones(matrix.shape[1])
    all_agree = np.ones(matrix.shape[1], dtype=bool)
    all_disagree = np.ones(matrix.shape[1], dtype=bool)
    for mask in groups:
        agrees, disagrees, seen = _tallies(matrix, mask)
        agree *= (agrees + 1) / (seen + 2)
        disagree *= (disagrees + 1) / (seen + 2)
        all_agree &= agrees > seen / 2
        all_disagree &= disagrees > seen / 2
    voted = np.flatnonzero((~np.isnan(matrix)).any(axis=0))
    ranked = sorted(voted, key=lambda statement: (-agree[statement], statement))
    return tuple(
        Consensus(
            statement=int(statement),
            agree=float(agree[statement]),
            disagree=float(disagree[statement]),
            every_group_agrees=bool(all_agree[statement]),
            every_group_disagrees=bool(all_disagree[statement]),
        )
        for statement in ranked
    )
