"""Poll changes after creation on both engines: options added and struck, deadline, reopening."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from domain.polls import PollKind, VoteOp, VoteStatus
from storage.database import Database
from storage.poll_ballots import VoteCommand
from storage.polls import PollRepository
from tests.storage.test_contract import NOW, new_poll


def accept(offered: Sequence[str], used: int, mine: int) -> None:
    """Take every option (the rules live in handlers/polls/rules.py)."""


async def test_struck_option_leaves_ranked_ballots_in_order_and_empty_ones_go(any_database_url):
    async with Database.open(any_database_url) as db:
        polls = PollRepository(db)
        poll_id = await polls.create(new_poll(kind=PollKind.RANKED))
        position = await polls.changes.add_option(poll_id, "Pie", "test:bob", NOW, accept)
        assert position == 3
        ballots = {"test:a": (3, 0, 1), "test:b": (3,), "test:c": (1, 2)}
        votes = [VoteCommand(poll_id, key, VoteOp.SET, choices) for key, choices in ballots.items()]
        await polls.ballots.apply_votes(votes, NOW)
        removal = await polls.changes.remove_option(poll_id, 3, NOW)
        assert (removal.ballots_changed, removal.ballots_withdrawn) == (2, 1)
        assert await polls.ballots.by_voter_key(poll_id) == {"test:a": (0, 1), "test:c": (1, 2)}
        assert await polls.ballots.option_counts(poll_id, first_choice_only=True) == {0: 1, 1: 1}
        record = await polls.get(poll_id)
        assert record is not None and record.removed == {3} and record.added == {3}
        assert await polls.changes.remove_option(poll_id, 3, NOW) is None
        assert await polls.changes.remove_option(poll_id, 0, NOW) is None  # not an added one


async def test_added_options_are_refused_by_the_check_inside_the_transaction(any_database_url):
    async with Database.open(any_database_url) as db:
        polls = PollRepository(db)
        poll_id = await polls.create(new_poll())

        def refuse(offered: Sequence[str], used: int, mine: int) -> None:
            assert (list(offered), used, mine) == (["Soup", "Salad", "Stew"], 3, 0)
            raise ValueError("no")

        with pytest.raises(ValueError):
            await polls.changes.add_option(poll_id, "Pie", "test:bob", NOW, refuse)
        record = await polls.get(poll_id)
        assert record is not None and record.options == ("Soup", "Salad", "Stew")


async def test_deadline_and_reopening(any_database_url):
    async with Database.open(any_database_url) as db:
        polls = PollRepository(db)
        poll_id = await polls.create(new_poll())
        later = NOW + timedelta(days=2)
        assert await polls.changes.set_deadline(poll_id, later, NOW)
        assert (await polls.get(poll_id)).closes_at == later  # type: ignore[union-attr]
        assert not await polls.changes.reopen(poll_id, None, NOW)  # still open
        await polls.close(poll_id, NOW)
        await polls.mark_announced(poll_id, NOW)
        assert not await polls.changes.set_deadline(poll_id, later, NOW)
        assert await polls.changes.reopen(poll_id, None, NOW)
        record = await polls.get(poll_id)
        assert record is not None and (record.closed_at, record.announced_at) == (None, None)
        anonymous = await polls.create(new_poll(anonymous=True))
        await polls.close(anonymous, NOW)
        assert not await polls.changes.reopen(anonymous, None, NOW)


async def test_a_poll_past_its_deadline_takes_no_change_before_its_closing_job(any_database_url):
    async with Database.open(any_database_url) as db:
        polls = PollRepository(db)
        poll_id = await polls.create(new_poll())
        position = await polls.changes.add_option(poll_id, "Pie", "test:bob", NOW, accept)
        assert position == 3
        past = NOW + timedelta(days=1, minutes=1)  # its deadline passed; closed_at not yet set
        assert await polls.changes.remove_option(poll_id, 3, past) is None
        assert not await polls.changes.set_deadline(poll_id, past + timedelta(hours=2), past)
        record = await polls.get(poll_id)
        assert record is not None and record.removed == frozenset()
        assert record.closes_at == NOW + timedelta(days=1)


async def test_a_vote_naming_an_option_removed_meanwhile_is_refused_as_stale(any_database_url):
    async with Database.open(any_database_url) as db:
        polls = PollRepository(db)
        poll_id = await polls.create(new_poll(kind=PollKind.MULTI))
        await polls.changes.add_option(poll_id, "Pie", "test:bob", NOW, accept)
        await polls.changes.remove_option(poll_id, 3, NOW)
        stale = VoteCommand(poll_id, "test:a", VoteOp.SET, (0, 3))  # drawn before the removal
        fresh = VoteCommand(poll_id, "test:b", VoteOp.SET, (0, 1))
        results = await polls.ballots.apply_votes([stale, fresh], NOW)
        assert [result.status for result in results] == [VoteStatus.STALE, VoteStatus.RECORDED]
        assert await polls.ballots.by_voter_key(poll_id) == {"test:b": (0, 1)}
        assert await polls.ballots.voter_count(poll_id) == 1
