"""Group commit: concurrent votes share transactions, and each is acknowledged after commit."""

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.identity import ChatRef
from handlers.polls.master_key import MasterKeyError, load_master_key
from handlers.polls.model import PollKind, ResultsVisibility
from handlers.polls.voting import VoteWriter
from storage.database import Database
from storage.polls import NewPoll, PollRepository, VoteCommand, VoteOp, VoteStatus
from tests.support import FakeClock, make_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class CountingRepository(PollRepository):
    def __init__(self, database, path):
        super().__init__(database)
        self.batches: list[int] = []
        self.path = path

    async def apply_votes(self, votes, now):
        results = await super().apply_votes(votes, now)
        self.batches.append(len(votes))
        return results


async def test_concurrent_votes_share_transactions_and_are_durable_when_acked(tmp_path):
    path = tmp_path / "votes.db"
    async with Database.open(path) as database:
        polls = CountingRepository(database, path)
        poll_id = await polls.create(
            NewPoll(
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
        )
        writer = VoteWriter(polls, FakeClock(NOW))

        async def cast(number: int) -> VoteStatus:
            vote = VoteCommand(poll_id, f"test:{number}", VoteOp.TOGGLE, (number % 2,), "x")
            result = await writer.submit(vote)
            with sqlite3.connect(path) as other:  # committed: visible to another connection
                stored = other.execute(
                    "SELECT count(*) FROM poll_ballots WHERE voter_key = ?", (f"test:{number}",)
                ).fetchone()
            assert stored == (1,)
            return result.status

        statuses = await asyncio.gather(*(cast(n) for n in range(300)))
        assert set(statuses) == {VoteStatus.RECORDED}
        assert sum(polls.batches) == 300 and len(polls.batches) <= 5


def test_master_key_from_the_environment_must_be_long_hex(tmp_path):
    good = make_settings(tmp_path, PARLEY_POLL_KEY="ab" * 32)
    assert load_master_key(good) == bytes.fromhex("ab" * 32)
    for bad in ("zz" * 32, "ab" * 8):
        with pytest.raises(MasterKeyError) as error:
            load_master_key(make_settings(tmp_path, PARLEY_POLL_KEY=bad))
        assert bad not in str(error.value)
    assert "ab" * 32 in good.secrets()
