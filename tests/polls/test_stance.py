import pytest

from handlers.polls.model import Ballot
from handlers.polls.stance import StanceShift, stance_shift

YES, NO, UNSURE = 0, 1, 2


def keyed(**choices: int) -> dict[str, Ballot]:
    return {key: Ballot((choice,)) for key, choice in choices.items()}


def test_matrix_counts_moves_without_names():
    before = keyed(a=YES, b=YES, c=NO, d=UNSURE, e=UNSURE, gone=NO)
    after = keyed(a=YES, b=NO, c=NO, d=YES, e=NO, new=YES)
    shift = stance_shift(3, before, after)
    assert shift == StanceShift(
        matrix=((1, 1, 0), (0, 1, 0), (1, 1, 0)),
        only_before=1,
        only_after=1,
    )
    assert shift.answered_both == 5
    assert shift.changed == 3
    assert shift.moves() == [(YES, NO, 1), (UNSURE, YES, 1), (UNSURE, NO, 1)]
    assert shift.net_change() == (0, 2, -2)


def test_result_holds_no_voter_key():
    before = keyed(k3y_one=YES, k3y_two=NO)
    shift = stance_shift(2, before, keyed(k3y_one=NO, k3y_two=NO))
    assert "k3y" not in repr(shift)
    assert shift.moves() == [(YES, NO, 1)]


def test_nobody_moved():
    shift = stance_shift(2, keyed(a=YES, b=NO), keyed(a=YES, b=NO))
    assert (shift.changed, shift.moves(), shift.net_change()) == (0, [], (0, 0))


@pytest.mark.parametrize("bad", [Ballot((0, 1)), Ballot(()), Ballot((3,))])
def test_only_single_choice_ballots(bad):
    with pytest.raises(ValueError):
        stance_shift(2, {"a": bad}, {})
    with pytest.raises(ValueError):
        stance_shift(2, {}, {"a": bad})
