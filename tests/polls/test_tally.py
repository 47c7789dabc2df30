import pytest

from handlers.polls.model import Ballot
from handlers.polls.tally import (
    OptionResult,
    Tally,
    count_ballots,
    render_bar,
    render_tally,
    rounded_percents,
)


def ballots(*choices: tuple[int, ...]) -> list[Ballot]:
    return [Ballot(choice) for choice in choices]


def test_single_choice_counts_and_percentages():
    tally = count_ballots(["Pizza", "Sushi", "Tacos"], ballots((0,), (0,), (1,), (0,)))
    assert tally == Tally(
        options=(
            OptionResult("Pizza", 3, 75),
            OptionResult("Sushi", 1, 25),
            OptionResult("Tacos", 0, 0),
        ),
        voters=4,
    )


def test_percentages_round_half_up_and_equal_votes_show_equal_percentages():
    assert rounded_percents([1, 1, 1], 3) == [33, 33, 33]
    assert rounded_percents([2, 2, 3], 7) == [29, 29, 43]
    assert rounded_percents([1, 7], 8) == [13, 88]  # 12.5 and 87.5 round up


def test_multi_choice_percentages_are_of_voters():
    tally = count_ballots(["A", "B", "C"], ballots((0, 1), (0,), (0, 2), (1, 2)))
    assert [(o.votes, o.percent) for o in tally.options] == [(3, 75), (2, 50), (2, 50)]
    assert tally.voters == 4


def test_no_votes():
    tally = count_ballots(["A", "B"], [])
    assert [o.percent for o in tally.options] == [0, 0]
    assert tally.voters == 0


@pytest.mark.parametrize(
    ("percent", "width", "bar"),
    [
        (0, 10, "░░░░░░░░░░"),
        (52, 10, "█████░░░░░"),
        (55, 10, "██████░░░░"),
        (100, 10, "██████████"),
        (33, 20, "███████░░░░░░░░░░░░░"),
        (50, 1, "█"),
    ],
)
def test_bar(percent, width, bar):
    assert render_bar(percent, width) == bar
    assert len(render_bar(percent, width)) == width


def test_render_tally():
    tally = Tally((OptionResult("Pizza", 13, 52), OptionResult("寿司", 12, 48)), voters=25)
    assert render_tally(tally, "en") == (
        "Pizza\n█████░░░░░ 52% (13)\n寿司\n█████░░░░░ 48% (12)\nTotal voters: 25"
    )
    assert render_tally(tally, "zh", width=4).endswith("██░░ 48% (12)\n投票人数：25")
