"""Group commit: concurrent votes share transactions, and each is acknowledged after commit."""

import asyncio
from datetime import UTC, datetime

import pytest

from bot.identity import ChatRef
from domain.polls import PollKind, ResultsVisibility, VoteOp, VoteStatus
from handlers.polls.master_key import MasterKeyError, load_master_key
from handlers.polls.voting import VoteWriter
from storage.database import Database
from storage.poll_ballots import PollBallots, VoteCommand
from storage.polls import NewPoll, PollRepository
from tests.support import FakeClock, make_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
A_OR_B = NewPoll(
    ChatRef("test", "chat"),
    "test:owner",
    "Q?",
    ("A", "B"),
    PollKind.SINGLE,
    None,
    False,
    ResultsVisibility.LIVE,
    None,
    "en",
    None,
    NOW,
    None,
)


class CountingBallots(PollBallots):
    def __init__(self, database, chats):
        super().__init__(database, chats)
        self.batches: list[int] = []

    async def apply_votes(self, votes, now):
        results = await super().apply_votes(votes, now)
        self.batches.append(len(votes))
        return results


async def test_concurrent_votes_share_transactions_and_are_durable_when_acked(any_database_url):
    async with (
        Database.open(any_database_url) as database,
        Database.open(any_database_url) as other,
    ):
        polls = PollRepository(database)
        ballots = CountingBallots(database, polls.chats)
        poll_id = await polls.create(A_OR_B)
        writer = VoteWriter(ballots, FakeClock(NOW))

        async def cast(number: int) -> VoteStatus:
            vote = VoteCommand(poll_id, f"test:{number}", VoteOp.TOGGLE, (number % 2,), "x")
            result = await writer.submit(vote)
            stored = await other.fetch_one(  # committed: visible to another connection
                "SELECT count(*) FROM poll_ballots WHERE voter_key = ?", (f"test:{number}",)
            )
            assert stored is not None and stored[0] == 1
            return result.status

        statuses = await asyncio.gather(*(cast(n) for n in range(300)))
        assert set(statuses) == {VoteStatus.RECORDED}
        assert sum(ballots.batches) == 300 and len(ballots.batches) <= 5


def test_master_key_from_the_environment_must_be_long_hex(tmp_path):
    good = make_settings(tmp_path, PARLEY_POLL_KEY="ab" * 32)
    assert load_master_key(good) == bytes.fromhex("ab" * 32)
    for bad in ("zz" * 32, "ab" * 8):
        with pytest.raises(MasterKeyError) as error:
            load_master_key(make_settings(tmp_path, PARLEY_POLL_KEY=bad))
        assert bad not in str(error.value)
    assert "ab" * 32 in good.secrets()


class Halt(BaseException):
    """Not an `Exception` (as `SystemExit`): it ended the writer's task past its error handling."""


class HaltingOnce(PollBallots):
    async def apply_votes(self, votes, now):
        if not getattr(self, "halted", False):
            self.halted = True
            raise Halt
        return await super().apply_votes(votes, now)


async def test_a_batch_ended_by_a_base_exception_leaves_no_voter_waiting_forever(tmp_path):
    async with Database.open(tmp_path / "votes.db") as database:
        polls = PollRepository(database)
        poll_id = await polls.create(A_OR_B)
        writer = VoteWriter(HaltingOnce(database, polls.chats), FakeClock(NOW))
        with pytest.raises(Halt):  # a guard, not a timing: the voter used to wait forever
            await asyncio.wait_for(
                writer.submit(VoteCommand(poll_id, "test:1", VoteOp.TOGGLE, (0,), "x")), 30
            )
        result = await writer.submit(VoteCommand(poll_id, "test:2", VoteOp.TOGGLE, (1,), "y"))
        assert result.status is VoteStatus.RECORDED  # a new writer task serves the next vote
