"""Forget-me that forgets (findings 2 and 9): no second ballot, no trace in any table or on disk.

Everything goes through the real router (and once through the real Telegram `Application`):
a person votes in named single, multi and ranked polls and an anonymous one, argues, edits a
summary, adds an article, schedules a daily post and uses their private chat with the bot;
then presses Forget. Afterwards no table (`iterdump`) and no byte of the database or its WAL
holds their id, name or words; voting again leaves exactly one ballot per person and poll;
tallies and exports agree.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.actions import Action
from bot.app import Parley
from bot.identity import Actor, ChatKind
from handlers.moderation.forgetting import SCRUB_DELAY, SCRUB_JOB
from handlers.polls.actions import PollRetract, PollSubmit, PollVote
from tests.hostile.platforms import telegram_parley
from tests.polls.helpers import ChatResponder, db_rows, press, run, vote
from tests.support import FakeClock, make_actor, make_command, make_press
from tests.telegram.builders import ALICE, make_callback_update, make_message_update

ZEB = Actor("test", "u8675309", "Zebulon Quxley", is_moderator=True)
BOB = make_actor("bob")
MOD = make_actor("mod", moderator=True)
DM = "dm-u8675309"
ARGUMENT = "Aardvark manifesto: every distilled model inherits the teacher's refusals."
EDIT = "Xylophone recap: three labs copied answers at scale, says the report."
ARTICLE = "Quokka chronicle. The harbour board met on Monday and approved the plan for spring."
DM_TEXT = "Wombat referendum in my own chat?"
TRACES = ("u8675309", "8675309", "Zebulon", "Quxley", "Aardvark", "Xylophone", "Quokka", "Wombat")

POLLS: dict[str, tuple[str, Callable[[int], Action]]] = {
    "single": ("/poll Lunch? | Pizza | Soup", lambda poll: PollVote(poll=poll, option=0)),
    "multi": (
        "/poll Toppings? | Ham | Kale | Corn --multi",
        lambda poll: PollSubmit(poll=poll, picks="02"),
    ),
    "ranked": (
        "/poll Order? | Red | Blue | Gold --ranked",
        lambda poll: PollSubmit(poll=poll, picks="210"),
    ),
    "anonymous": (
        "/poll Secret? | Yes | No --anonymous",
        lambda poll: PollVote(poll=poll, option=1),
    ),
}


async def in_dm(app: Parley, line: str, actor: Actor = ZEB) -> ChatResponder:
    """`line` in the person's private chat with the bot."""
    responder = ChatResponder(chat=DM)
    invocation = replace(make_command(line, actor=actor, chat=DM), chat_kind=ChatKind.PRIVATE)
    await app.router.dispatch(invocation, responder)
    return responder


async def forget_me(app: Parley, clock: FakeClock, actor: Actor = ZEB) -> str:
    """/forgetme and its button, pressed in the private chat; then the disk scrub runs."""
    prompt = await in_dm(app, "/forgetme", actor)
    payload = prompt.replies[0].buttons[0][0].payload
    responder = ChatResponder(chat=DM)
    pressed = replace(make_press(payload, actor=actor, chat=DM), chat_kind=ChatKind.PRIVATE)
    await app.router.dispatch(pressed, responder)
    clock.advance(seconds=SCRUB_DELAY.total_seconds() + 1)
    await app.services.scheduler.run_due()
    return responder.text


async def cast(app: Parley, kind: str, poll_id: int, actor: Actor) -> ChatResponder:
    """The kind's ballot for `actor`: a single press, or a private ballot submitted."""
    payload = POLLS[kind][1](poll_id)
    if isinstance(payload, PollSubmit):
        await vote(app, poll_id, 0, actor)  # opens the private ballot
    return await press(app, payload, actor)


def traces_in(path: Path, traces: tuple[str, ...] = TRACES) -> dict[str, list[str]]:
    """Which traces the dump of every table, the database file and its WAL still hold."""
    found: dict[str, list[str]] = {}
    with sqlite3.connect(path) as connection:
        dump = "\n".join(connection.iterdump())
    found["iterdump"] = [t for t in traces if t in dump]
    for name in (path, Path(f"{path}-wal")):
        if name.exists():
            data = name.read_bytes()
            found[name.name] = [t for t in traces if t.encode() in data]
    return {where: hits for where, hits in found.items() if hits}


def voters(app: Parley, poll_id: int) -> int:
    return db_rows(app, "SELECT count(*) FROM poll_ballots WHERE poll_id = ?", (poll_id,))[0][0]


async def tally_and_export_agree(app: Parley, poll_id: int) -> None:
    results = (await run(app, f"/poll results {poll_id}", MOD)).text
    if "Total voters: " in results:
        total = int(results.split("Total voters: ")[1].split()[0])
    else:  # ranked: the first round counts every ballot once
        first_round = results.split("Round 1: ")[1].splitlines()[0]
        total = sum(int(part.split()[-1]) for part in first_round.split(" · "))
    export = await run(app, f"/poll export {poll_id}", MOD)
    rows = list(csv.reader(io.StringIO(export.replies[0].attachment.data.decode())))
    if rows[0][0] == "voter":
        assert len(rows) - 1 == total == voters(app, poll_id)
    else:  # anonymous: counts per option, from the same tally
        votes = {label: int(count) for label, count, _ in rows[1:]}
        for label, count in votes.items():
            assert f"{label}\n" in results and f"({count})" in results
        assert total == voters(app, poll_id)


async def test_after_forget_me_no_table_and_no_byte_on_disk_names_the_person(app, clock):
    for kind in POLLS:
        await run(app, POLLS[kind][0], MOD)
    for poll_id, kind in enumerate(POLLS, start=1):
        await vote(app, poll_id, 1, ZEB)  # a first vote, changed below: deleted bytes
        await press(app, PollRetract(poll=poll_id), ZEB)
        await cast(app, kind, poll_id, ZEB)
        await cast(app, kind, poll_id, BOB)
    assert "Your argument" in (await run(app, f"/argue labs {ARGUMENT}", ZEB)).text
    await run(app, f"/summary edit {EDIT}", ZEB)
    assert "Added article" in (await run(app, f"/article add {ARTICLE}", ZEB)).text
    assert "Scheduled" in (await run(app, "/schedule summary daily 09:00", ZEB)).text
    await in_dm(app, "/settings language zh")
    await in_dm(app, f"/poll {DM_TEXT} | Yes | No")
    await in_dm(app, f"/argue critics {ARGUMENT} Again, from my own chat.")
    assert traces_in(app.services.settings.database_path)  # the scan does see them

    done = await forget_me(app, clock)

    assert "records about you were removed" in done or "条关于你的记录" in done
    assert traces_in(app.services.settings.database_path) == {}
    ((job_id,),) = db_rows(app, "SELECT id FROM jobs WHERE kind = 'moderation.post'")
    job = await app.services.storage.jobs.get(job_id)  # the daily post: stopped, scrubbed
    assert job is not None and job.status == "cancelled" and job.payload == {}
    audit = (await run(app, "/audit 50", MOD)).text
    assert "a forgotten member" in audit and "Zebulon" not in audit
    for poll_id in range(1, len(POLLS) + 1):
        await tally_and_export_agree(app, poll_id)


@pytest.mark.parametrize("kind", list(POLLS))
async def test_five_rounds_of_vote_and_forget_leave_one_ballot(app, clock, kind):
    await run(app, POLLS[kind][0], MOD)
    await cast(app, kind, 1, BOB)
    replies = []
    for _ in range(5):
        replies.append((await cast(app, kind, 1, ZEB)).text)
        await forget_me(app, clock)
    replies.append((await cast(app, kind, 1, ZEB)).text)
    assert voters(app, 1) == 2  # Bob and Zebulon, once
    await tally_and_export_agree(app, 1)
    if kind == "anonymous":  # the first ballot stays counted; the marker refuses the rest
        assert "already voted in poll #1 before asking Parley to forget you" in replies[1]
        assert all("still counts" in reply for reply in replies[1:])
    else:  # a named ballot is withdrawn, so each new vote is the only one
        assert all("Parley to forget you" not in reply for reply in replies)


async def test_simultaneous_votes_after_forget_are_all_refused(app, clock):
    await run(app, POLLS["anonymous"][0], MOD)
    await cast(app, "anonymous", 1, ZEB)
    await forget_me(app, clock)
    answers = await asyncio.gather(*(cast(app, "anonymous", 1, ZEB) for _ in range(6)))
    assert all("before asking Parley to forget you" in a.text for a in answers)
    assert voters(app, 1) == 1
    assert db_rows(app, "SELECT count(*) FROM poll_voted_markers") == [(1,)]
    await run(app, "/poll close 1", MOD)
    assert db_rows(app, "SELECT count(*) FROM poll_voted_markers") == [(0,)]  # ends with it
    assert voters(app, 1) == 1  # the vote itself still counts in the final result


async def test_audit_rows_can_only_be_pseudonymised(app, clock):
    await run(app, f"/summary edit {EDIT}", ZEB)
    path = app.services.settings.database_path
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE audit_log SET action = 'nothing happened'")
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE audit_log SET actor_name = 'Someone Else'")
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("DELETE FROM audit_log")
    await forget_me(app, clock)
    rows = db_rows(app, "SELECT actor_id, actor_name, action, detail, outcome FROM audit_log")
    assert ("forgotten", "forgotten", "/summary edit", "", "ok") in rows
    assert not [row for row in rows if "u8675309" in row or "Zebulon Quxley" in row]


async def test_the_disk_scrub_waits_for_a_reader_without_holding_the_database(app, clock):
    await run(app, f"/argue labs {ARGUMENT}", ZEB)
    path = app.services.settings.database_path
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM arguments").fetchall()  # holds an old snapshot
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await forget_me(app, clock)
        assert loop.time() - started < 2  # the busy timeout is 5 s: it did not wait it out
        assert "parley.db-wal" in traces_in(path, ("Aardvark",))  # kept for the reader
        (job,) = [j for j in await app.services.storage.jobs.pending() if j.kind == SCRUB_JOB]
        assert job.due_at > clock.now()  # busy, so it is tried again later
    finally:
        reader.execute("COMMIT")
        reader.close()
    clock.advance(minutes=1)
    await app.services.scheduler.run_due()
    assert not [j for j in await app.services.storage.jobs.pending() if j.kind == SCRUB_JOB]
    assert traces_in(path) == {}


async def test_forget_me_through_the_real_telegram_application(tmp_path, clock):
    question = "Zanzibar marmalade or none?"
    async with telegram_parley(tmp_path, clock=clock) as rig:
        await rig.feed(make_message_update(f"/poll {question} | Yes | No"))
        app = rig.parley
        (message_id,) = db_rows(app, "SELECT message_id FROM poll_messages WHERE poll_id = 1")[0]
        vote_press = PollVote(poll=1, option=0).encode()
        await rig.feed(make_callback_update(vote_press, message_id=int(message_id)))
        assert voters(app, 1) == 1
        await rig.feed(make_message_update("/forgetme"))
        markup = rig.api.of("sendMessage")[-1].params["reply_markup"]
        markup = json.loads(markup) if isinstance(markup, str) else markup
        payload = markup["inline_keyboard"][0][0]["callback_data"]
        await rig.feed(make_callback_update(payload))
        clock.advance(seconds=SCRUB_DELAY.total_seconds() + 1)
        await app.services.scheduler.run_due()
        assert not rig.errors
        traces = (str(ALICE), "Liddell", "Zanzibar")
        assert traces_in(app.services.settings.database_path, traces) == {}
