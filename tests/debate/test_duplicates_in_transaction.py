"""Inside the submission's transaction only a cheap same-words check runs, never fuzzy matching.

`/argue` looks for near-duplicates first, off the loop; an argument stored after that look is
caught inside the transaction only when it has the same words (case, punctuation and spacing
aside). The loop's own CPU time (`time.thread_time`) shows the transaction does no fuzzy work.
"""

import sqlite3
import time
from datetime import UTC, datetime, timedelta

from bot.identity import Actor, ChatRef
from storage.arguments import ArgumentRepository, Duplicate, SubmitOutcome, Submitted
from storage.database import Database
from storage.quota import Quota
from tests.support import make_actor

CHAT = ChatRef("test", "chat")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ALICE = make_actor("alice")
BOB = make_actor("bob")
TEXT = "Distillation is a standard machine learning technique, not theft of anything at all."


async def submit(repo: ArgumentRepository, author: Actor, text: str) -> SubmitOutcome:
    """Submit as if the caller's near-duplicate look had seen no argument (`checked_up_to=0`)."""
    return await repo.submit(
        CHAT,
        author,
        "topic",
        "for",
        text,
        now=NOW,
        window_start=NOW - timedelta(hours=1),
        max_in_window=3,
        pending_quota=Quota(),
        checked_up_to=0,
    )


async def test_the_same_words_submitted_meanwhile_are_a_duplicate(any_database_url):
    async with Database.open(any_database_url) as database:
        repo = ArgumentRepository(database)
        first = await submit(repo, ALICE, TEXT)
        assert isinstance(first, Submitted)
        again = await submit(
            repo,
            BOB,
            "  DISTILLATION is a standard machine-learning technique;"
            " not theft of anything at all!",
        )
        assert again == Duplicate(first.argument_id)
        other = await submit(repo, BOB, "Model outputs are not protected by copyright at all.")
        assert isinstance(other, Submitted)
        stored = await database.fetch_one("SELECT count(*) FROM arguments")
        assert stored is not None and stored[0] == 2


async def test_near_duplicates_are_not_compared_inside_the_transaction(tmp_path):
    path = tmp_path / "parley.db"
    async with Database.open(path) as database:
        with sqlite3.connect(path) as connection:
            connection.executemany(
                "INSERT INTO arguments (topic, side, text, platform, chat_id, author_platform,"
                " author_id, author_name, created_at)"
                " VALUES ('topic', 'for', ?, 'test', 'chat', 'test', ?, 'someone', ?)",
                [(f"{TEXT * 3} {n}", f"p{n}", "2026-03-01T11:00:00.000000Z") for n in range(200)],
            )
        started = time.thread_time()
        outcome = await submit(ArgumentRepository(database), BOB, f"{TEXT * 3} again")
        spent = time.thread_time() - started
    assert isinstance(outcome, Submitted)  # nearly the same words: the caller's check, not this
    assert spent < 0.05, f"the loop spent {spent:.3f} s inside the transaction"
