"""Opinion groups and consensus on synthetic communities with planted camps and bridges."""

import numpy as np
import pytest

from domain.opinion_groups import (
    Stance,
    StatementVote,
    assign_groups,
    find_opinion_groups,
    vote_matrix,
)
from tests.ground.communities import adjusted_rand_index, plant


@pytest.mark.parametrize("sizes", [[30, 25], [30, 25, 20], [60, 12, 40]])
def test_planted_camps_are_found(sizes):
    community = plant(sizes)
    matrix = vote_matrix(community.votes, len(community.camp_of), community.statements)
    labels = assign_groups(matrix).labels
    assert (labels >= 0).all()
    score = adjusted_rand_index(community.camp_of, labels.tolist())
    print(f"camps {sizes}: adjusted Rand index {score:.3f}")
    assert score >= 0.8


@pytest.mark.parametrize("sizes", [[30, 25], [30, 25, 20]])
def test_planted_bridges_rank_top_of_consensus(sizes):
    community = plant(sizes)
    found = find_opinion_groups(community.votes, len(community.camp_of), community.statements)
    assert len(found.groups) == len(sizes)
    top = [c.statement for c in found.consensus[: len(community.bridges)]]
    assert sorted(top) == community.bridges
    assert all(c.every_group_agrees for c in found.consensus[: len(community.bridges)])
    assert not any(c.every_group_agrees for c in found.consensus[len(community.bridges) :])


def test_each_group_is_told_apart_by_its_own_statements():
    community = plant([30, 25])
    found = find_opinion_groups(community.votes, len(community.camp_of), community.statements)
    for group in found.groups:
        agreed = {r.statement for r in group.representatives if r.stance is Stance.AGREE}
        camps = [camp for camp, own in community.own.items() if agreed <= set(own)]
        assert agreed and len(camps) == 1
        assert all(r.z >= 1.28 for r in group.representatives)
        assert not agreed & set(community.bridges)


def test_a_camp_below_the_minimum_size_is_never_shown():
    community = plant([30, 25, 3])
    found = find_opinion_groups(community.votes, len(community.camp_of), community.statements)
    assert len(found.groups) == 2 and all(group.size >= 25 for group in found.groups)
    small_camp = set(community.own[2])
    for group in found.groups:
        agreed = {r.statement for r in group.representatives if r.stance is Stance.AGREE}
        assert not agreed & small_camp
    assert found.participants == 58 and found.placed == 58
    assert len(found.points) == sum(group.size for group in found.groups)


def test_too_few_people_show_no_group_and_no_consensus():
    votes = [StatementVote(p, s, Stance.AGREE) for p in range(4) for s in range(8)]
    found = find_opinion_groups(votes, 4, 8)
    assert found.groups == () and found.consensus == () and len(found.points) == 0


def test_sparse_voters_are_placed_only_with_enough_votes():
    community = plant([20, 20])
    few = [StatementVote(40, s, Stance.AGREE) for s in range(3)]
    matrix = vote_matrix([*community.votes, *few], 41, community.statements)
    assert assign_groups(matrix).labels[40] == -1


def test_the_result_is_deterministic_and_names_nobody():
    community = plant([30, 25])
    first = find_opinion_groups(community.votes, len(community.camp_of), community.statements)
    again = find_opinion_groups(
        list(reversed(community.votes)), len(community.camp_of), community.statements
    )
    assert first.groups == again.groups and first.consensus == again.consensus
    assert np.array_equal(first.points, again.points)
    order = np.lexsort((first.points[:, 1], first.points[:, 0], first.point_groups))
    assert np.array_equal(order, np.arange(len(order)))
