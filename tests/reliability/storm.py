"""A storm of vote presses and `/argue` submissions on Telegram, and what was acknowledged.

Each press and submission is a real Telegram update (tests/telegram/builders.py); the
acknowledgements are read back from the fake Bot API's record of what the bot sent, which is
what a user would have seen before the bot died.
"""

from __future__ import annotations

import random
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from tests.telegram.builders import make_callback_update, make_message_update
from tests.telegram.fake_api import FakeBotApi

SIDES = ("labs", "critics")
_WORDS = (
    "audit",
    "logs",
    "model",
    "weights",
    "benchmark",
    "licence",
    "scraping",
    "outputs",
    "teacher",
    "student",
    "tokens",
    "evidence",
    "budget",
    "export",
    "chips",
    "cluster",
    "training",
    "inference",
    "rumour",
    "report",
    "lab",
    "critic",
    "policy",
    "terms",
    "service",
    "reverse",
    "engineering",
    "reasoning",
    "traces",
    "dataset",
    "leak",
    "claim",
    "proof",
    "timeline",
    "source",
    "compute",
    "cost",
    "open",
    "closed",
    "access",
    "api",
    "rate",
    "distillation",
    "copy",
    "fair",
    "market",
    "price",
    "users",
    "safety",
    "review",
    "appeal",
    "quote",
    "expert",
    "paper",
    "preprint",
    "replication",
)
_VOTE_ACK = re.compile(r"Your vote in poll #(\d+) is (?:in|now): (.+)\.$")
_ARGUE_ACK = re.compile(r"Your argument #(\d+) for")


class PagedBotApi(FakeBotApi):
    """The fake Bot API, answering `getUpdates` with at most `limit` updates as Telegram does.

    (python-telegram-bot asks for 100; the shared fake hands out everything at once.)
    """

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        updates = await super()._get_updates(params)
        return updates[: int(params.get("limit") or 100)]

    @property
    def pending_updates(self) -> int:
        return len(self._updates)


@dataclass(frozen=True)
class Poll:
    poll_id: int
    message_id: int
    options: tuple[str, ...]
    payloads: tuple[str, ...]


@dataclass(frozen=True)
class Press:
    query_id: str
    user_id: int
    poll: Poll
    option: int


@dataclass(frozen=True)
class Submission:
    user_id: int
    side: str
    text: str


@dataclass
class Storm:
    """Everything sent so far, by the id the acknowledgement will carry."""

    presses: dict[str, Press] = field(default_factory=dict)
    submissions: dict[int, Submission] = field(default_factory=dict)  # by user id
    next_user: int = 5_000_000

    def queue_run(
        self, api: FakeBotApi, polls: list[Poll], rng: random.Random, voters: int, arguers: int
    ) -> int:
        """Queue one run's updates (fresh users; half the voters change their vote later)."""
        updates: list[dict[str, Any]] = []
        changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for _ in range(voters):
            user = self._new_user()
            poll = rng.choice(polls)
            first, second = rng.sample(range(len(poll.options)), 2)
            updates.append(self._press(user, poll, first))
            if rng.random() < 0.5:  # a change of mind, a little later in the storm
                changes.append((updates[-1], self._press(user, poll, second)))
        for _ in range(arguers):
            user = self._new_user()
            words = " ".join(rng.choice(_WORDS) for _ in range(14))
            submission = Submission(user, rng.choice(SIDES), f"Point {user}: {words}.")
            self.submissions[user] = submission
            update = make_message_update(
                f"/argue {submission.side} {submission.text}",
                chat_type="supergroup",
                user_id=user,
                first_name=f"Arguer{user}",
            )
            updates.insert(rng.randrange(len(updates) + 1), update)
        for first_press, change in changes:
            after = next(i for i, u in enumerate(updates) if u is first_press) + 1
            updates.insert(rng.randrange(after, min(after + 40, len(updates)) + 1), change)
        for update in updates:
            api.queue_update(update)
        return len(updates)

    def _new_user(self) -> int:
        self.next_user += 1
        return self.next_user

    def _press(self, user: int, poll: Poll, option: int) -> dict[str, Any]:
        update = make_callback_update(
            poll.payloads[option], message_id=poll.message_id, chat_type="supergroup", user_id=user
        )
        query_id = update["callback_query"]["id"]
        self.presses[query_id] = Press(query_id, user, poll, option)
        return update


@dataclass
class Acknowledged:
    """What the bot told users before it died, in the order the platform received it."""

    votes: list[tuple[Press, str]] = field(default_factory=list)  # (press, choice named)
    arguments: dict[int, tuple[int, Submission]] = field(default_factory=dict)  # user -> (id, …)

    @property
    def count(self) -> int:
        return len(self.votes) + len(self.arguments)


def acknowledged(api: FakeBotApi, storm: Storm) -> Acknowledged:
    found = Acknowledged()
    for call in list(api.calls):
        text = str(call.params.get("text") or "")
        if call.method == "answerCallbackQuery" and (match := _VOTE_ACK.search(text)):
            press = storm.presses[str(call.params["callback_query_id"])]
            assert int(match.group(1)) == press.poll.poll_id, text
            found.votes.append((press, match.group(2)))
        elif call.method == "sendMessage" and (match := _ARGUE_ACK.search(text)):
            user = int(call.params["chat_id"])
            found.arguments[user] = (int(match.group(1)), storm.submissions[user])
    return found


def check_database(path: str, storm: Storm, acks: Acknowledged) -> None:
    """Every acknowledged vote and submission is stored; the file is intact."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {
            (poll_id, key): option
            for poll_id, key, option in db.execute(
                "SELECT poll_id, voter_key, option FROM poll_choices"
            )
        }
        arguments = {
            row[0]: row[1:] for row in db.execute("SELECT id, author_id, text FROM arguments")
        }
    last_ack: dict[tuple[int, int], str] = {}
    for press, choice in acks.votes:
        last_ack[(press.poll.poll_id, press.user_id)] = choice
    unacked: dict[tuple[int, int], set[str]] = {}
    acked_ids = {press.query_id for press, _ in acks.votes}
    for press in storm.presses.values():
        if press.query_id not in acked_ids:
            key = (press.poll.poll_id, press.user_id)
            unacked.setdefault(key, set()).add(press.poll.options[press.option])
    for (poll_id, user), choice in last_ack.items():
        option = stored.get((poll_id, f"telegram:{user}"))
        assert option is not None, f"acknowledged vote of {user} in poll {poll_id} is missing"
        stored_choice = next(p for p in storm.presses.values() if p.poll.poll_id == poll_id).poll
        label = stored_choice.options[option]
        allowed = {choice} | unacked.get((poll_id, user), set())
        assert label in allowed, f"voter {user} poll {poll_id}: stored {label}, acked {choice}"
    for user, (argument_id, submission) in acks.arguments.items():
        assert arguments.get(argument_id) == (str(user), submission.text), argument_id
