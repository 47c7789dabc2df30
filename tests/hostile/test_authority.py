"""Authority, table-driven: objects of one chat cannot be seen, used or changed from another.

Issue 11's "done when", and the reproductions of findings 1, 3, 5 and 14 of the security
review (shared/reviews/security.md). Every scenario runs on the console-like router, on
Telegram (the real `Application` over the fake Bot API) and on Discord (the real discord.py
client against the fake Discord), in one world (`authority_worlds`): a home group where Bob
made polls, an argument, an article and a scheduled post live; another community; and each
person's private chat with the bot.

The tables come from the registry: every command and button that names a stored object by
id must appear in them (a new one fails `test_the_tables_cover_the_registry` until added).
A command naming another chat's object must answer exactly like the same command with an id
that does not exist, and change no row of any table. A forged press (every action, random
ids, another chat's ids, another chat's message, someone else's private ballot) must change
nothing and answer "this button has expired" or the not-found reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from bot import messages
from bot.params import Param
from handlers.polls.actions import PollVote
from tests.hostile.authority_worlds import (
    ALICE,
    BOB,
    MALLORY,
    MARVIN,
    OLGA,
    PLATFORMS,
    Person,
    Place,
    Seen,
    World,
    dump,
    newest,
    open_world,
    query,
    row_changes,
)
from tests.hostile.platforms import CRASH_MARKERS
from tests.hostile.strategies import ACTIONS, COMMANDS

MISSING = 999
"""An id no object has in these tests."""
EXPIRED = messages.BUTTON_EXPIRED.render("en")
RATE_LIMITED_START = messages.RATE_LIMITED.en.split("{")[0]
MULTI_QUESTION, SECRET_OPTION = "Which vendor?", "Acme (secret bid)"
ARGUMENT_TEXT = "Copying a model's reasoning traces at scale skips years of costly research."
ARTICLE_TEXT = (
    "Parley keeps a small library of articles. Each community adds its own texts to it."
    " Moderators choose one article for the chat. Members then read a summary of it."
)

# --- the tables ------------------------------------------------------------------------------

COMMAND_TABLE: list[tuple[str, str]] = [
    ("poll results", "/poll results {poll}"),
    ("poll results", "/poll results {poll} bychat"),
    ("poll close", "/poll close {poll}"),
    ("poll export", "/poll export {poll}"),
    ("poll share", "/poll share {poll} {target}"),
    ("poll add", "/poll add {poll} Forged option"),
    ("poll remove", "/poll remove {poll} 3"),
    ("poll deadline", "/poll deadline {poll} 2h"),
    ("poll reopen", "/poll reopen {poll}"),
    ("poll clone", "/poll clone {poll}"),
    ("poll nonvoters", "/poll nonvoters {poll}"),
    ("stance after", "/stance after {stance}"),
    ("stance results", "/stance results {stance}"),
    ("post", "/post poll {poll}"),
    ("schedule", "/schedule poll in 1m {poll}"),
    ("article show", "/article show {article}"),
    ("article use", "/article use {article}"),
    ("article remove", "/article remove {article}"),
    ("argue withdraw", "/argue withdraw {argument}"),
    ("schedule cancel", "/schedule cancel {job}"),
]
"""Every command that names a stored object, with the object it names (one per line)."""

NOT_OBJECTS = {"debate claim"}
"""Commands whose id names a claim of the shipped debate topic, not something a chat stored."""

ACTION_TABLE: list[tuple[str, str]] = [
    ("poll.vote", "v1:poll.vote:{poll}:0"),
    ("poll.vote", "v1:poll.vote:{multi}:0"),
    ("poll.pick", "v1:poll.pick:{multi}:-:0"),
    ("poll.submit", "v1:poll.submit:{multi}:0"),
    ("poll.retract", "v1:poll.retract:{poll}"),
    ("poll.ballot", "v1:poll.ballot:{poll}"),
    ("poll.bychat", "v1:poll.bychat:{poll}"),
    ("arg.up", "v1:arg.up:{argument}"),
    ("arg.ok", "v1:arg.ok:{argument}"),
    ("arg.no", "v1:arg.no:{argument}"),
    ("article.use", "v1:article.use:{article}"),
    ("summary.view", "v1:summary.view:{article}:short:en:e"),
    ("summary.original", "v1:summary.original:{article}:en"),
    ("summary.restore", "v1:summary.restore:distillation:{edit}"),
    ("ground.vote", "v1:ground.vote:{statement}:agree"),
    ("ground.decide", "v1:ground.decide:{proposal}:approve"),
]
"""A forged press of every action that names a stored object."""

NO_OBJECT_ACTIONS = {"privacy.forget", "debate.view", "arg.queue"}
"""Actions that name no stored object (the presser's own data, the shipped topic, a page)."""

ATTACKERS: list[tuple[str, Person, Place]] = [
    ("member of another group", MALLORY, Place.OTHER),
    ("user in a private chat", MALLORY, Place.DM),
    ("moderator of another community", MARVIN, Place.OTHER),
]

SHOWN_IN_MODERATOR_TABLE = [
    "/poll export {shared}",
    "/poll share {shared} {target}",
    "/post poll {shared}",
    "/schedule poll in 1m {shared}",
    "/poll close {shared}",
    "/poll deadline {shared} 2h",
    "/poll reopen {shared}",
    "/poll remove {shared} 3",
    "/poll nonvoters {shared}",
    "/stance after {shared_stance}",
]
"""What needs the home chat's moderator (or the creator), tried by the showing chat's moderator."""

RANDOM_IDS = ["0", "-1", "998", str(2**31), "9" * 19]
BALLOT_ACTIONS = ("poll.pick", "poll.submit", "poll.retract")


def _names_an_object(param: Param, *, button: bool = False) -> bool:
    """Whether a parameter names a stored object (so do buttons' `poll`, `ref`, `statement`)."""
    return (
        param.name == "id"
        or param.name.endswith("_id")
        or (button and param.name in {"poll", "ref", "statement"})
    )


def test_the_tables_cover_the_registry() -> None:
    """Every command and action with an id-like parameter is in a table (or named as exempt)."""
    naming = {spec.path for spec in COMMANDS if any(map(_names_an_object, spec.params))}
    assert naming - NOT_OBJECTS <= {path for path, _ in COMMAND_TABLE}
    actions = {
        spec.name
        for spec in ACTIONS
        if any(_names_an_object(p, button=True) for _, p, _ in spec.payload.payload_fields)
    }
    assert actions <= {name for name, _ in ACTION_TABLE}
    assert {spec.name for spec in ACTIONS} <= {name for name, _ in ACTION_TABLE} | NO_OBJECT_ACTIONS


# --- the world's objects ---------------------------------------------------------------------


@dataclass(frozen=True)
class Objects:
    """The ids of what the home group stored, and of polls whose messages others press on."""

    poll: int
    """Bob's named poll at home; Alice voted in it."""
    multi: int
    """Bob's named multi-choice poll at home, with a secret option."""
    stance: int
    """Olga's stance before-poll at home."""
    shared: int
    """Bob's poll at home that Olga shared into the other community."""
    shared_stance: int
    """Bob's stance before-poll at home that Olga shared into the other community."""
    argument: int
    """Bob's approved argument at home."""
    article: int
    """The article Olga added at home."""
    job: int
    """Olga's scheduled summary post at home."""
    dm_poll: int
    """Mallory's own poll in her private chat (a bot message there to press on)."""
    other_poll: int
    """Mallory's poll in the other community (a bot message there to press on)."""
    edit: int
    """Olga's edited summary of the shipped article at home (a version to restore)."""
    statement: int
    """Olga's common-ground statement at home."""
    proposal: int
    """Bob's proposed common-ground statement at home, waiting for review."""

    def ids(self, *, target: str = "", missing: str | None = None) -> dict[str, str]:
        """Format values: every object's id, or `missing` for all of them."""
        names = (
            "poll",
            "multi",
            "stance",
            "shared",
            "shared_stance",
            "argument",
            "article",
            "job",
            "edit",
            "statement",
            "proposal",
        )
        return {
            "target": target,
            **{name: missing or str(getattr(self, name)) for name in names},
        }


async def build(world: World) -> Objects:
    """Make the world's objects through commands and presses, as people would."""
    db = world.database
    made = await world.command(BOB, Place.HOME, "/poll Lunch today? | Pizza | Soup")
    poll = newest(db, "polls")
    message, buttons = made.message_with("poll.vote")
    await world.press(ALICE, Place.HOME, buttons[0], message)
    assert _ballots(world, poll) == 1, "Alice's vote was not counted"

    await world.command(
        BOB, Place.HOME, f"/poll {MULTI_QUESTION} | {SECRET_OPTION} | Bolt --multi 2"
    )
    multi = newest(db, "polls")
    await world.command(OLGA, Place.HOME, "/stance")
    stance = newest(db, "polls")

    await world.command(BOB, Place.HOME, "/poll Shared question? | Yes | No")
    shared = newest(db, "polls")
    await world.command(BOB, Place.HOME, "/stance")
    shared_stance = newest(db, "polls")
    for poll_id in (shared, shared_stance):
        await world.command(OLGA, Place.HOME, f"/poll share {poll_id} {world.target(Place.OTHER)}")
        assert world.messages_of(poll_id, Place.OTHER), f"poll {poll_id} was not shared"

    await world.command(BOB, Place.HOME, f"/argue labs {ARGUMENT_TEXT}")
    argument = newest(db, "arguments")
    queue = await world.command(OLGA, Place.HOME, "/argue queue")
    message, buttons = queue.message_with("arg.ok")
    [approve] = [payload for payload in buttons if f":arg.ok:{argument}" in payload]
    await world.press(OLGA, Place.HOME, approve, message)
    assert query(db, "SELECT status FROM arguments WHERE id = ?", (argument,)) == [("approved",)]

    await world.command(OLGA, Place.HOME, f"/article add {ARTICLE_TEXT}")
    article = newest(db, "articles")
    await world.command(OLGA, Place.HOME, "/schedule summary in 1h")
    [(job,)] = query(db, "SELECT max(id) FROM jobs WHERE kind = 'moderation.post'")
    assert job is not None, "the summary post was not scheduled"
    await world.command(OLGA, Place.HOME, f"/summary edit {ARTICLE_TEXT[:200]}")
    edit = newest(db, "summary_edits")

    await world.command(MALLORY, Place.DM, "/poll Mine? | A | B")
    dm_poll = newest(db, "polls")
    await world.command(MALLORY, Place.OTHER, "/poll Theirs? | A | B")
    other_poll = newest(db, "polls")
    assert world.messages_of(dm_poll, Place.DM) and world.messages_of(other_poll, Place.OTHER)
    await world.command(OLGA, Place.HOME, "/ground add Both sides want rules that apply to all.")
    statement = newest(db, "ground_statements")
    await world.command(
        BOB, Place.HOME, "/ground propose Copying outputs is how this field learns."
    )
    proposal = newest(db, "ground_statements")
    return Objects(
        poll,
        multi,
        stance,
        shared,
        shared_stance,
        argument,
        article,
        job,
        dm_poll,
        other_poll,
        edit,
        statement,
        proposal,
    )


def _ballots(world: World, poll_id: int) -> int:
    [(count,)] = query(
        world.database, "SELECT count(*) FROM poll_ballots WHERE poll_id = ?", (poll_id,)
    )
    return int(count)


def pressable(world: World, objects: Objects, who: Person, where: Place) -> str:
    """A bot message in `where` (a DM or the other community) to press forged buttons on."""
    poll_id = objects.dm_poll if where is Place.DM else objects.other_poll
    return world.messages_of(poll_id, where, who)[0]


# --- checks ----------------------------------------------------------------------------------


def assert_no_crash(seen: Seen) -> None:
    for marker in CRASH_MARKERS:
        assert marker not in seen.text, seen.shape()


def assert_answers_like_missing(foreign: Seen, missing: Seen, object_id: str) -> None:
    """Same events, same places, same text once the missing id reads as the foreign one."""
    assert foreign.shape() == missing.shape((str(MISSING), object_id))
    assert foreign.changes == []
    assert_no_crash(foreign)


def assert_refused_press(seen: Seen, missing: Seen, object_id: str) -> None:
    """Nothing posted or edited; the answer is "expired" or the not-found one."""
    assert seen.changes == [], seen.shape()
    assert_no_crash(seen)
    texts = [event.text.strip() for event in seen.answers]
    if texts == [EXPIRED]:
        return
    assert seen.shape() == missing.shape((str(MISSING), object_id)), seen.shape()


def _object_id(template: str, values: dict[str, str]) -> str:
    """The id a template line names (its one object placeholder)."""
    for name, value in values.items():
        if name != "target" and "{" + name + "}" in template:
            return value
    raise AssertionError(template)


# --- commands naming another chat's object ---------------------------------------------------


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_commands_naming_another_chats_object_answer_like_a_missing_id(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subtests
) -> None:
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        for label, who, where in ATTACKERS:
            elsewhere = Place.OTHER if where is Place.DM else Place.DM
            target = world.target(elsewhere, who)
            for path, template in COMMAND_TABLE:
                values = objects.ids(target=target)
                object_id = _object_id(template, values)
                before = dump(world.database)
                foreign = await world.command(who, where, template.format(**values))
                changes = row_changes(before, dump(world.database))
                missing_values = objects.ids(target=target, missing=str(MISSING))
                missing = await world.command(who, where, template.format(**missing_values))
                with subtests.test(msg=f"{label}: {template}: answers like a missing id"):
                    assert_answers_like_missing(foreign, missing, object_id)
                with subtests.test(msg=f"{label}: {template}: changes no row"):
                    assert changes == [], f"{path} changed rows"


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_the_showing_chats_moderator_cannot_act_for_the_home_chat(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subtests
) -> None:
    """A poll shared into the other community: Marvin moderates there, not at home."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        shown = await world.command(MARVIN, Place.OTHER, f"/poll results {objects.shared}")
        assert "Shared question?" in shown.text, "the shared poll is not shown there"
        there = world.messages_of(objects.shared, Place.OTHER)[0]
        await world.press(
            MALLORY, Place.OTHER, PollVote(poll=objects.shared, option=0).encode(), there
        )
        assert _ballots(world, objects.shared) == 1, "a vote where the poll is shown must count"
        for template in SHOWN_IN_MODERATOR_TABLE:
            values = objects.ids(target=world.target(Place.DM, MARVIN))
            with subtests.test(msg=template):
                before = dump(world.database)
                seen = await world.command(MARVIN, Place.OTHER, template.format(**values))
                assert row_changes(before, dump(world.database)) == []
                assert seen.changes == [], seen.shape()
                assert len(seen.answers) == 1, seen.shape()
                assert not any(event.has_file for event in seen.events)
                assert "Mallory" not in seen.text  # the voter's name stays at home
                assert_no_crash(seen)


# --- forged presses --------------------------------------------------------------------------


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_forged_presses_from_other_chats_change_nothing(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subtests
) -> None:
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        contexts = [
            (label, who, where, pressable(world, objects, who, where))
            for label, who, where in ATTACKERS
        ]
        # The home poll's real message id, claimed from the DM (an id of another chat's message).
        home_message = world.messages_of(objects.poll, Place.HOME)[0]
        contexts.append(("private chat naming the home message", MALLORY, Place.DM, home_message))
        for label, who, where, message in contexts:
            for name, template in ACTION_TABLE:
                values = objects.ids()
                object_id = _object_id(template, values)
                before = dump(world.database)
                seen = await world.press(who, where, template.format(**values), message)
                changes = row_changes(before, dump(world.database))
                missing_payload = template.format(**objects.ids(missing=str(MISSING)))
                missing = await world.press(who, where, missing_payload, message)
                with subtests.test(msg=f"{label}: {template}: refused"):
                    assert MULTI_QUESTION not in seen.text and SECRET_OPTION not in seen.text
                    assert_refused_press(seen, missing, object_id)
                with subtests.test(msg=f"{label}: {template}: changes no row"):
                    assert changes == [], f"{name} changed rows"


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_forged_presses_with_random_ids_change_nothing(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subtests
) -> None:
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        message = pressable(world, objects, MALLORY, Place.DM)
        for name, template in ACTION_TABLE:
            missing = await world.press(
                MALLORY, Place.DM, template.format(**objects.ids(missing=str(MISSING))), message
            )
            for number in RANDOM_IDS:
                payload = template.format(**objects.ids(missing=number))
                before = dump(world.database)
                seen = await world.press(MALLORY, Place.DM, payload, message)
                changes = row_changes(before, dump(world.database))
                with subtests.test(msg=f"{payload}: refused"):
                    assert_refused_press(seen, missing, number)
                with subtests.test(msg=f"{payload}: changes no row"):
                    assert changes == [], f"{name} changed rows"


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_a_vote_counts_only_on_the_polls_own_message(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alice, at home, presses poll 1's option on the message of another poll there."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        wrong = world.messages_of(objects.multi, Place.HOME)[0]
        before = dump(world.database)
        seen = await world.press(
            ALICE, Place.HOME, PollVote(poll=objects.poll, option=1).encode(), wrong
        )
        assert row_changes(before, dump(world.database)) == []
        missing = await world.press(
            ALICE, Place.HOME, PollVote(poll=MISSING, option=1).encode(), wrong
        )
        assert_refused_press(seen, missing, str(objects.poll))


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_private_ballot_buttons_work_only_for_whom_they_were_opened(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subtests
) -> None:
    """Bob's ballot, replayed by Alice; ballot buttons the bot never opened for Alice; Bob's own."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        home_message = world.messages_of(objects.multi, Place.HOME)[0]
        opened = await world.press(
            BOB, Place.HOME, PollVote(poll=objects.multi, option=0).encode(), home_message
        )
        ballot, buttons = opened.message_with("poll.submit")
        bobs = [p for p in buttons if any(f":{a}:" in p for a in BALLOT_ACTIONS)]
        alice_dm = await world.command(ALICE, Place.DM, "/poll Alice's own? | A | B")
        dm_message, _ = alice_dm.message_with("poll.vote")
        forged = [
            f"v1:poll.pick:{objects.multi}:-:1",
            f"v1:poll.submit:{objects.multi}:1",
            f"v1:poll.submit:{objects.multi}:01",
            f"v1:poll.retract:{objects.multi}",
        ]
        for where, message in ((Place.HOME, home_message), (Place.DM, dm_message)):
            for payload in [*bobs, *forged]:
                with subtests.test(msg=f"Alice in {where}: {payload}"):
                    before = dump(world.database)
                    seen = await world.press(ALICE, where, payload, message)
                    assert row_changes(before, dump(world.database)) == []
                    assert MULTI_QUESTION not in seen.text and SECRET_OPTION not in seen.text
                    elsewhere = payload.replace(f":{objects.multi}", f":{MISSING}", 1)
                    missing = await world.press(ALICE, where, elsewhere, message)
                    assert_refused_press(seen, missing, str(objects.multi))
        with subtests.test(msg="Bob submits his own ballot"):
            [submit] = [p for p in bobs if ":poll.submit:" in p]
            await world.press(BOB, world.private_place(Place.HOME), submit, ballot)
            assert _ballots(world, objects.multi) == 1


# --- the review's reproductions --------------------------------------------------------------


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_finding_1_a_private_chat_cannot_take_over_a_poll(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mallory, in her DM: `/post poll 1`, then `/poll export 1` and `/poll close 1`."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        poll = objects.poll
        before = dump(world.database)
        export = await world.command(MALLORY, Place.DM, f"/poll export {poll}")
        posted = await world.command(MALLORY, Place.DM, f"/post poll {poll}")
        assert world.messages_of(poll, Place.DM) == [], "the group's poll was posted in the DM"
        export_after = await world.command(MALLORY, Place.DM, f"/poll export {poll}")
        assert "Alice" not in export_after.text, "the DM got the group's voters"
        close = await world.command(MALLORY, Place.DM, f"/poll close {poll}")
        closed = query(world.database, "SELECT closed_at FROM polls WHERE id = ?", (poll,))
        assert closed == [(None,)], "the DM closed the group's poll"
        for seen in (export, posted, export_after, close):
            assert seen.changes == [], seen.shape()
            assert not any(event.has_file for event in seen.events)
        assert export_after.shape() == export.shape()
        assert row_changes(before, dump(world.database)) == []


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_finding_1_a_poll_scheduled_from_a_private_chat_is_not_pulled_there(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/schedule poll in 1m 1` from a DM, then the job runs, then `/poll export 1`."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        poll = objects.poll
        jobs = query(world.database, "SELECT count(*) FROM jobs")
        await world.command(MALLORY, Place.DM, f"/schedule poll in 1m {poll}")
        world.clock.advance(minutes=2)
        await world.run_due_jobs()
        assert query(world.database, "SELECT count(*) FROM jobs") == jobs
        assert world.messages_of(poll, Place.DM) == []
        posts = query(
            world.database,
            "SELECT count(*) FROM posts WHERE chat_id = ?",
            (world.chat_id(Place.DM, MALLORY),),
        )
        assert posts == [(0,)]
        export = await world.command(MALLORY, Place.DM, f"/poll export {poll}")
        assert not any(event.has_file for event in export.events)
        assert "Alice" not in export.text


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_finding_3_a_forged_vote_from_a_private_chat_is_not_counted(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mallory presses `v1:poll.vote:1:0` on a bot message in her DM."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        message = pressable(world, objects, MALLORY, Place.DM)
        before = dump(world.database)
        seen = await world.press(
            MALLORY, Place.DM, PollVote(poll=objects.poll, option=0).encode(), message
        )
        assert row_changes(before, dump(world.database)) == []
        assert _ballots(world, objects.poll) == 1
        assert seen.changes == [], seen.shape()  # the group's poll message is not edited
        assert "Your vote" not in seen.text


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_finding_3_a_forged_multi_press_does_not_send_the_ballot(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`v1:poll.vote:2:0` on a multi poll would DM Mallory the group's question and options."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        objects = await build(world)
        message = pressable(world, objects, MALLORY, Place.DM)
        seen = await world.press(
            MALLORY, Place.DM, PollVote(poll=objects.multi, option=0).encode(), message
        )
        assert MULTI_QUESTION not in seen.text and SECRET_OPTION not in seen.text, seen.shape()
        assert seen.buttons() == []


DEFAULT_LIMITS = {"PARLEY_RATE_LIMIT_BURST": 8, "PARLEY_RATE_LIMIT_PER_MINUTE": 20}
FLOOD = 300
BURST = timedelta(0)


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_finding_5_a_flood_in_a_private_chat_is_rate_limited(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 `/poll` in a burst from a DM: most are refused (moderators get more, not all)."""
    async with open_world(platform, tmp_path, monkeypatch, pace=BURST, **DEFAULT_LIMITS) as world:
        refused = 0
        for number in range(FLOOD):
            seen = await world.command(MALLORY, Place.DM, f"/poll Flood {number}? | A | B")
            refused += any(event.text.startswith(RATE_LIMITED_START) for event in seen.answers)
        [(polls,)] = query(world.database, "SELECT count(*) FROM polls")
        assert polls <= FLOOD // 2 and refused >= FLOOD // 2, (polls, refused)


async def test_finding_5_a_moderator_flood_in_a_group_is_rate_limited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moderators get a larger bucket, not none (console router)."""
    async with open_world("console", tmp_path, monkeypatch, pace=BURST, **DEFAULT_LIMITS) as world:
        for number in range(FLOOD):
            await world.command(OLGA, Place.HOME, f"/poll Flood {number}? | A | B")
        [(polls,)] = query(world.database, "SELECT count(*) FROM polls")
        assert polls <= FLOOD // 2, polls


async def _audit_text(world: World) -> str:
    return (await world.command(OLGA, Place.HOME, "/audit 50")).text


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_finding_14_closing_someone_elses_poll_is_audited_at_home(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Olga closes Bob's poll and runs `/stance after` on Bob's stance check: both audited."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        await world.command(BOB, Place.HOME, "/poll Close it early? | Yes | No")
        poll = newest(world.database, "polls")
        await world.command(BOB, Place.HOME, "/stance")
        stance = newest(world.database, "polls")
        await world.command(OLGA, Place.HOME, f"/poll close {poll}")
        await world.command(OLGA, Place.HOME, f"/stance after {stance}")
        closed = query(world.database, "SELECT id FROM polls WHERE closed_at IS NOT NULL")
        assert {poll, stance} <= {row[0] for row in closed}
        audit = await _audit_text(world)
        assert "/poll close" in audit and "/stance after" in audit, audit
        assert "Olga" in audit


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_finding_14_an_action_from_a_sharing_chat_is_audited_at_home(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bob closes his own poll from the chat Olga shared it into: home's `/audit` shows it."""
    async with open_world(platform, tmp_path, monkeypatch) as world:
        await world.command(BOB, Place.HOME, "/poll Shared and closed? | Yes | No")
        poll = newest(world.database, "polls")
        await world.command(OLGA, Place.HOME, f"/poll share {poll} {world.target(Place.OTHER)}")
        assert world.messages_of(poll, Place.OTHER), "the poll was not shared"
        before = await _audit_text(world)
        await world.command(BOB, Place.OTHER, f"/poll close {poll}")
        assert query(
            world.database, "SELECT closed_at IS NOT NULL FROM polls WHERE id = ?", (poll,)
        ) == [(1,)]
        audit = await _audit_text(world)
        assert audit != before and "/poll close" in audit and "Bob" in audit, audit
