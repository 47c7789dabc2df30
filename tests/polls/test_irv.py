import random

from hypothesis import given
from hypothesis import strategies as st

from handlers.polls.irv import IrvResult, IrvRound, instant_runoff, render_rounds
from handlers.polls.model import Ballot


def ballots(*groups: tuple[int, tuple[int, ...]]) -> list[Ballot]:
    return [Ballot(ranking) for count, ranking in groups for _ in range(count)]


# The Tennessee capital example from the instant-runoff literature.
MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE = range(4)
TENNESSEE = ballots(
    (42, (MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE)),
    (26, (NASHVILLE, CHATTANOOGA, KNOXVILLE, MEMPHIS)),
    (15, (CHATTANOOGA, KNOXVILLE, NASHVILLE, MEMPHIS)),
    (17, (KNOXVILLE, CHATTANOOGA, NASHVILLE, MEMPHIS)),
)


def test_tennessee_capital():
    result = instant_runoff(4, TENNESSEE)
    assert result == IrvResult(
        rounds=(
            IrvRound(1, {0: 42, 1: 26, 2: 15, 3: 17}, (CHATTANOOGA,), 0),
            IrvRound(2, {0: 42, 1: 26, 3: 32}, (NASHVILLE,), 0),
            IrvRound(3, {0: 42, 3: 58}, (), 0),
        ),
        winners=(KNOXVILLE,),
    )


def test_majority_in_first_round_wins_at_once():
    result = instant_runoff(3, ballots((3, (0,)), (1, (1,)), (1, (2,))))
    assert result.winners == (0,)
    assert len(result.rounds) == 1


def test_exhausted_ballots_are_recorded_and_majority_is_of_continuing_ballots():
    # A 4, B 3, C 2 (C voters ranked nobody else), D 1 (D > C).
    result = instant_runoff(4, ballots((4, (0,)), (3, (1, 0)), (2, (2,)), (1, (3, 2))))
    assert result.rounds == (
        IrvRound(1, {0: 4, 1: 3, 2: 2, 3: 1}, (3,), 0),
        IrvRound(2, {0: 4, 1: 3, 2: 3}, (2,), 0),
        IrvRound(3, {0: 4, 1: 3}, (), 3),
    )
    assert result.winners == (0,)  # 4 of 7 continuing ballots


def test_backwards_tie_break_uses_the_latest_earlier_round():
    # Round 2 ties B and C at 4; in round 1 C had fewer, so C goes.
    result = instant_runoff(4, ballots((5, (0,)), (4, (1, 0)), (3, (2, 1)), (1, (3, 2))))
    assert [r.eliminated for r in result.rounds] == [(3,), (2,), ()]
    assert result.rounds[1].counts == {0: 5, 1: 4, 2: 4}
    assert result.winners == (1,)


def test_tie_break_by_later_preferences_when_rounds_do_not_differ():
    # B and C tie in round 1; B is ranked second on three ballots, C on none.
    result = instant_runoff(3, ballots((3, (0, 1)), (2, (1, 0)), (2, (2, 0))))
    assert result.rounds[0].eliminated == (2,)
    assert result.winners == (0,)


def test_options_level_in_every_way_are_eliminated_together():
    result = instant_runoff(3, ballots((2, (0,)), (1, (1,)), (1, (2,))))
    assert result.rounds[0].eliminated == (1, 2)
    assert result.rounds[1] == IrvRound(2, {0: 2}, (), 2)
    assert result.winners == (0,)


def test_all_remaining_level_is_a_tie():
    assert instant_runoff(3, ballots((1, (0,)), (1, (1,)), (1, (2,)))).winners == (0, 1, 2)
    result = instant_runoff(3, ballots((2, (0, 1)), (2, (1, 0)), (1, (2, 0))))
    assert result.rounds[0].eliminated == (2,)
    assert result.winners == (0,)


def test_even_final_is_a_tie():
    result = instant_runoff(2, ballots((2, (0, 1)), (2, (1, 0))))
    assert result.winners == (0, 1)


def test_no_ballots_no_winner():
    result = instant_runoff(3, [])
    assert result.winners == ()
    assert result.rounds == (IrvRound(1, {0: 0, 1: 0, 2: 0}, (), 0),)


def test_render_rounds():
    labels = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
    text = render_rounds(instant_runoff(4, TENNESSEE), labels, "en")
    assert text.splitlines() == [
        "Round 1: Memphis 42 · Nashville 26 · Chattanooga 15 · Knoxville 17"
        " — eliminated: Chattanooga",
        "Round 2: Memphis 42 · Nashville 26 · Knoxville 32 — eliminated: Nashville",
        "Round 3: Memphis 42 · Knoxville 58",
        "Winner: Knoxville",
    ]
    tie = render_rounds(instant_runoff(2, ballots((1, (0,)), (1, (1,)))), ["甲", "乙"], "zh")
    assert tie.splitlines()[-1] == "平局：甲, 乙"
    exhausted = render_rounds(instant_runoff(2, ballots((1, (0,)))), ["A", "B"], "en")
    assert exhausted.splitlines()[0] == "Round 1: A 1 · B 0"


rankings = st.integers(2, 5).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.permutations(range(n)).flatmap(lambda p: st.integers(1, n).map(lambda k: p[:k])),
            max_size=30,
        ),
    )
)


@given(rankings)
def test_every_round_accounts_for_every_ballot(case):
    option_count, raw = case
    result = instant_runoff(option_count, [Ballot(tuple(r)) for r in raw])
    remaining = set(range(option_count))
    for irv_round in result.rounds:
        assert set(irv_round.counts) == remaining
        assert sum(irv_round.counts.values()) + irv_round.exhausted == len(raw)
        assert set(irv_round.eliminated) < remaining
        remaining -= set(irv_round.eliminated)
    assert set(result.winners) <= remaining
    assert result.rounds[-1].eliminated == ()


@given(rankings, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_option_or_ballot_order(case, rng: random.Random):
    option_count, raw = case
    relabel = list(range(option_count))
    rng.shuffle(relabel)
    shuffled = [tuple(relabel[i] for i in r) for r in raw]
    rng.shuffle(shuffled)
    original = instant_runoff(option_count, [Ballot(tuple(r)) for r in raw])
    relabelled = instant_runoff(option_count, [Ballot(r) for r in shuffled])
    assert {relabel[w] for w in original.winners} == set(relabelled.winners)
    assert [{relabel[e] for e in r.eliminated} for r in original.rounds] == [
        set(r.eliminated) for r in relabelled.rounds
    ]
