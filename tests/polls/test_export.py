import csv
import io
from datetime import UTC, datetime, timedelta, timezone

from bot.identity import ChatRef
from domain.polls import PollKind
from handlers.polls.export import (
    COUNT_HEADER,
    VOTER_HEADER,
    VoterRecord,
    count_rows,
    to_csv,
    voter_rows,
)
from handlers.polls.model import Ballot
from handlers.polls.tally import count_ballots

LABELS = ["Pizza", "寿司", "Tacos"]
AT = datetime(2026, 3, 1, 20, 30, tzinfo=timezone(timedelta(hours=8)))


def test_named_poll_exports_one_row_per_voter():
    records = [
        VoterRecord("Alice", (0,), AT, ChatRef("telegram", "-100123")),
        VoterRecord("小明", (1, 2), AT + timedelta(minutes=1), None),
    ]
    rows = voter_rows(LABELS, PollKind.MULTI, records)
    assert rows == [
        VOTER_HEADER,
        ("Alice", "Pizza", "2026-03-01T12:30:00+00:00", "telegram:-100123"),
        ("小明", "寿司; Tacos", "2026-03-01T12:31:00+00:00", ""),
    ]


def test_ranked_choices_keep_their_order():
    rows = voter_rows(LABELS, PollKind.RANKED, [VoterRecord("Bo", (2, 0, 1), AT, None)])
    assert rows[1][1] == "Tacos > Pizza > 寿司"


def test_anonymous_poll_exports_counts_only():
    tally = count_ballots(LABELS, [Ballot((0,)), Ballot((0,)), Ballot((2,))])
    rows = count_rows(tally)
    assert rows == [COUNT_HEADER, ("Pizza", "2", "67"), ("寿司", "0", "0"), ("Tacos", "1", "33")]
    assert all(len(row) == 3 for row in rows)
    assert "voter" not in COUNT_HEADER and "chat" not in COUNT_HEADER


def test_formula_like_cells_are_neutralised():
    rows = voter_rows(["=1+1", "B"], PollKind.SINGLE, [VoterRecord("@evil", (0,), AT, None)])
    assert rows[1][:2] == ("'@evil", "'=1+1")
    assert count_rows(count_ballots(["-x", "+y"], []))[1][0] == "'-x"


def test_csv_text_round_trips_commas_quotes_and_chinese():
    rows = voter_rows(
        ['Yes, "really"', "否"],
        PollKind.SINGLE,
        [VoterRecord("A, B", (0,), AT.astimezone(UTC), ChatRef("discord", "42"))],
    )
    text = to_csv(rows)
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [list(row) for row in rows]
