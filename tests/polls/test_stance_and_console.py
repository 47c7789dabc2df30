"""`/stance` end to end, the postable items, and a console one-shot run in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.identity import ChatRef
from bot.posting import PostRequest
from tests.polls.helpers import MOD, db_rows, gateway, run, vote
from tests.support import make_actor

ROOT = Path(__file__).resolve().parents[2]
ALICE = make_actor("alice")


async def test_stance_check_reports_aggregated_moves_only(polls_app):
    out = await run(polls_app, "/stance", ALICE)
    assert "Stance check #1 — before" in out.text and "/stance after 1" in out.text
    people = [make_actor(f"p{i}") for i in range(8)]
    before = [0, 0, 0, 0, 2, 2, 1, 3]
    after = [2, 2, 2, 0, 2, 1, 1]  # p7 does not answer again
    for person, option in zip(people, before, strict=True):
        await vote(polls_app, 1, option, person)
    early = await run(polls_app, "/stance results 1", ALICE)
    assert "not finished: start its after-poll with /stance after 1" in early.text
    refused = await run(polls_app, "/stance after 1", people[0])
    assert "Only the creator of poll #1 or a moderator of the chat" in refused.text
    started = await run(polls_app, "/stance after 1", ALICE)
    assert "Stance check #1 — after (poll #2)" in started.text
    still_open = await run(polls_app, "/stance results 1", ALICE)
    assert "its after-poll, poll #2, is still open. Close it with /poll close 2." in still_open.text
    assert db_rows(polls_app, "SELECT count(*) FROM polls WHERE salt IS NOT NULL") == [(2,)]
    for person, option in zip(people, after, strict=False):
        await vote(polls_app, 2, option, person)
    await run(polls_app, "/poll close 2", ALICE)
    assert db_rows(polls_app, "SELECT count(*) FROM polls WHERE salt IS NOT NULL") == [(0,)]
    text = (await run(polls_app, "/stance results 2", make_actor("zoe"))).text
    assert "Counted among the people who answered both polls: 7, of whom 4 changed" in text
    assert "Net change among the 7 who answered both: Yes, it is theft -3; " in text
    assert "Answered only before: 1; only after: 0." in text
    assert "Yes, it is theft → No, it is a legitimate use of a standard technique: 3" in text
    assert "fewer than 3 people, not shown apart): 1" in text
    assert "p1" not in text and "alice" not in text
    assert "already has its after-poll" in (await run(polls_app, "/stance after 1", MOD)).text
    assert "not the first poll" in (await run(polls_app, "/stance after 2", MOD)).text


async def test_postables_create_and_track_polls(polls_app):
    items = polls_app.services.features.postables()
    target = ChatRef("test", "news")
    request = PostRequest(target, "terms-ban", "en", MOD, ChatRef("test", "chat"), True)
    reply = await items["poll"].build(request)
    message = await polls_app.services.outbox.send(target, reply)
    await items["poll"].posted(request, message)
    stance_request = PostRequest(target, "", "zh", MOD, ChatRef("test", "chat"), True)
    stance_reply = await items["stance"].build(stance_request)
    assert "立场测验 #2 — 阅读前" in stance_reply.plain_text()
    await vote(polls_app, 1, 0, ALICE, chat="news")
    assert gateway(polls_app).edits[-1][0] == message
    assert db_rows(polls_app, "SELECT platform, chat_id FROM polls") == [
        ("test", "news"),
        ("test", "news"),
    ]


@pytest.mark.slow
def test_console_one_shot_votes_with_numbered_buttons(tmp_path):
    env = {**os.environ, "PARLEY_DB": str(tmp_path / "cli.db"), "NO_COLOR": "1"}
    for key in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "PARLEY_LOCALE", "PARLEY_POLL_KEY"):
        env.pop(key, None)
    env["PYTHONPATH"] = str(ROOT)
    lines = ["/poll Lunch? | Pizza | Sushi", "/as bob", "/press 1"]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "parley",
            "console",
            *(arg for line in lines for arg in ("-c", line)),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "[1] 1. Pizza   [2] 2. Sushi" in result.stdout
    assert "(only bob sees this)\nYour vote in poll #1 is in: Pizza." in result.stdout
    assert "Pizza\n██████████ 100% (1)" in result.stdout
    assert (tmp_path / "cli.db.pollkey").exists()


async def test_stance_results_in_chinese_separate_options_with_full_width_semicolons(polls_app):
    zh = make_actor("li", locale="zh")
    await run(polls_app, "/stance", zh)
    for index, option in enumerate([0, 1, 2]):
        await vote(polls_app, 1, option, make_actor(f"z{index}"))
    await run(polls_app, "/stance after 1", zh)
    for index, option in enumerate([1, 1, 2]):
        await vote(polls_app, 2, option, make_actor(f"z{index}"))
    await run(polls_app, "/poll close 2", zh)
    text = (await run(polls_app, "/stance results 1", zh)).text
    assert "两次都回答的 3 人中的净变化：算，这是盗窃 -1；" in text
    assert ", " not in text.split("净变化：")[1]


async def test_stance_help_says_what_an_empty_template_does(polls_app):
    text = (await run(polls_app, "/help stance", ALICE)).text
    assert "(no template named: the first)" in text
