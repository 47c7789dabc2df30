"""Anonymous polls leave no voter identity in the database file or the export; forgetting a
person keeps their counts; the master key lives outside the database."""

import os
import stat

from handlers.polls.actions import PollSubmit
from handlers.polls.master_key import key_file_path
from tests.polls.helpers import MOD, db_rows, run, vote
from tests.support import make_actor

VOTERS = [make_actor(name) for name in ("alice", "bob", "carol", "dave", "erin")]


async def test_database_file_and_export_hold_no_voter_identity(polls_app, settings):
    await run(polls_app, "/poll Secret? | Yes | No --anonymous", VOTERS[0])
    for index, voter in enumerate(VOTERS):
        await vote(polls_app, 1, index % 2, voter)
    await vote(polls_app, 1, 1, VOTERS[0])  # a change
    await vote(polls_app, 1, 1, VOTERS[1])  # a withdrawal
    [(salt,)] = db_rows(polls_app, "SELECT salt FROM polls")
    assert salt is not None and len(salt) == 32
    export = (await run(polls_app, "/poll export 1")).replies[0].attachment.data
    await run(polls_app, "/poll close 1", MOD)
    await polls_app.services.scheduler.run_due()  # the WAL is emptied by a job, off the request
    assert db_rows(polls_app, "SELECT salt FROM polls") == [(None,)]
    rows = db_rows(polls_app, "SELECT voter_key, voter_name, voted_at FROM poll_ballots")
    assert len(rows) == 4
    assert all(name is None and at is None and len(key) == 64 for key, name, at in rows)
    raw = b"".join(
        path.read_bytes()
        for path in settings.database_path.parent.iterdir()
        if path.name.startswith(settings.database_path.name) and not path.name.endswith("pollkey")
    )
    final = (await run(polls_app, "/poll export 1")).replies[0].attachment.data
    for voter in VOTERS[1:]:  # alice created the poll: creators are recorded, voters are not
        for needle in (voter.user_id, voter.display_name, voter.key):
            assert needle.encode() not in raw
            assert needle.encode() not in export + final
    assert salt not in raw
    assert b"voter" not in export


async def test_named_ballots_keep_names_and_times_for_the_export(polls_app):
    await run(polls_app, "/poll Open? | Yes | No", VOTERS[0])
    await vote(polls_app, 1, 0, VOTERS[1])
    assert db_rows(polls_app, "SELECT voter_key, voter_name, voted_at FROM poll_ballots") == [
        ("test:bob", "bob", "2026-03-01T12:00:00.000000Z")
    ]


async def test_forget_user_withdraws_named_ballots_from_open_polls(polls_app):
    await run(polls_app, "/poll Open? | Yes | No", VOTERS[0])
    await run(polls_app, "/poll Two? | Yes | No | Maybe --multi", VOTERS[1])
    await vote(polls_app, 1, 0, VOTERS[1])
    await vote(polls_app, 1, 1, VOTERS[2])
    await run(polls_app, "/poll Anon? | Yes | No --anonymous", VOTERS[0])
    await vote(polls_app, 3, 0, VOTERS[1])
    from tests.polls.helpers import press

    await press(polls_app, PollSubmit(poll=2, picks="02"), VOTERS[1])
    changed = await polls_app.services.features.forget_user("test", "bob")
    assert changed >= 3  # two ballots withdrawn (the polls are open) and one poll creator
    keys = [key for (key,) in db_rows(polls_app, "SELECT voter_key FROM poll_ballots")]
    assert not any("bob" in key for key in keys) and "test:carol" in keys
    assert db_rows(polls_app, "SELECT count(*) FROM poll_ballots WHERE voter_name = 'bob'") == [
        (0,)
    ]
    text = (await run(polls_app, "/poll results 1")).text
    assert "Yes\n░░░░░░░░░░ 0% (0)" in text and "Total voters: 1" in text
    assert (await run(polls_app, "/poll results 2")).text.count("(1)") == 0
    assert db_rows(polls_app, "SELECT creator FROM polls ORDER BY id") == [
        ("test:alice",),
        ("-",),
        ("test:alice",),
    ]


async def test_master_key_file_is_private_and_outside_the_database(polls_app, settings):
    path = key_file_path(settings)
    assert path.exists() and path.parent == settings.database_path.parent
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key = path.read_text().strip()
    assert len(bytes.fromhex(key)) == 32
    assert key.encode() not in settings.database_path.read_bytes()
