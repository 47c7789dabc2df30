"""Feature tours on Discord: every feature used through the real discord.py client.

Each tour runs slash commands as the options Discord sends them, presses the buttons the bot
actually sent (as different members), and asserts on the exact REST payloads: embeds and
components, ephemeral flags, edits of the pressed message, channel posts and uploaded files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import messages
from tests.discord.fake_discord import Call
from tests.support import FakeClock
from tests.tours.discord_tour import (
    ADMIN,
    CHANNEL_MESSAGES,
    MASON,
    NOOR,
    REMY,
    UPDATE_MESSAGE,
    buttons_of,
    channel_edits,
    channel_posts,
    deferral,
    discord_tour,
    message_id_of,
    response_of,
    text_of,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
DEFERRED_UPDATE = 6


def chinese_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(bool(CJK.match(c)) for c in letters) / max(1, len(letters))


def kept_sentences(text: str) -> int:
    match = re.search(r"kept (\d+) of \d+ sentences", text)
    assert match, text[-400:]
    return int(match.group(1))


async def test_summary_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await tour.slash("summary", {"length": "short"}, subcommand="show")
        short = response_of(calls)
        text = text_of(short)
        assert "DeepSeek, Moonshot AI and MiniMax" in text
        assert "industrial-scale distillation attacks" in text
        assert "Key figures" in text and "16 million exchanges" in text
        assert {"Short", "Medium", "Long", "中文", "Full text"} <= set(buttons_of(short))

        calls = await tour.press(short, "Long")
        long = pressed_edit(calls)
        assert len(text_of(long)) > len(text) and "DeepSeek" in text_of(long)
        assert kept_sentences(text_of(long)) > kept_sentences(text)
        assert not any(call.ephemeral for call in calls)

        calls = await tour.press(long, "中文")
        chinese = pressed_edit(calls)
        assert message_id_of(chinese) == message_id_of(short)
        assert "工业级蒸馏攻击" in text_of(chinese) and "1600 万轮对话" in text_of(chinese)
        assert chinese_share(text_of(chinese)) > 0.5
        assert kept_sentences(text_of(chinese)) > 3  # still the long edition
        assert "English" in buttons_of(chinese)

        calls = await tour.slash("article", subcommand="list")
        listing = text_of(response_of(calls))
        assert "Articles" in listing and "distillation" in listing
        assert "Is Anthropic Panicking?" in listing


EDITED = "Anthropic accused three Chinese labs of distillation; the labs have not answered."


async def test_summary_edit_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A moderator corrects the summary, takes it back and restores it; lengths keep working."""
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await tour.slash("summary", {"text": EDITED}, subcommand="edit", user=ADMIN)
        assert EDITED in text_of(response_of(calls))
        assert "translation by the Parley team" not in text_of(response_of(calls))

        calls = await tour.slash("summary", {"length": "short"}, subcommand="show")
        short = response_of(calls)
        assert EDITED not in text_of(short) and kept_sentences(text_of(short)) <= 3
        assert EDITED in text_of(pressed_edit(await tour.press(short, "Edited summary")))

        calls = await tour.slash("summary", {"text": "--reset"}, subcommand="edit", user=ADMIN)
        assert "Back to the automatic summary (English)." in text_of(response_of(calls))
        calls = await tour.slash("summary", subcommand="history")
        history = response_of(calls)
        assert "(withdrawn " in text_of(history) and "Times are in UTC" in text_of(history)
        calls = await tour.press(history, "Restore v1", user=ADMIN)
        assert "Restored version 1 as version 2." in text_of(response_of(calls))


def pressed_edit(calls: list[Call]) -> Call:
    """The one call that edited the pressed message in place (nothing new was posted)."""
    edits = [c for c in calls if hasattr(c, "pressed")]
    assert len(edits) == 1, [(c.method, c.path, text_of(c)[:80]) for c in calls]
    [edit] = edits
    if edit.method == "PATCH":  # the press was acknowledged first (a deferred update)
        assert [c.payload["type"] for c in calls if deferral(c)] == [DEFERRED_UPDATE]
    else:
        assert edit.payload["type"] == UPDATE_MESSAGE
    assert channel_posts(calls) == []
    return edit


LABS = "Open: Illicit extraction (the accusers' case)"
DEFENDERS = "Open: Legitimate learning, not theft (the defenders' case)"
LABS_ARGUMENT = "Fake accounts at this scale are deception, not ordinary use of an API."
CRITICS_ARGUMENT = "Every lab learns from published outputs; calling it theft is selective."


async def test_debate_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await tour.slash("debate", subcommand="show")
        overview = response_of(calls)
        text = text_of(overview)
        assert "Both sides: the distillation debate" in text
        assert "Illicit extraction (the accusers' case)" in text
        assert "Legitimate learning, not theft (the defenders' case)" in text
        assert {LABS, DEFENDERS, "Claim L6", "Claim C7"} <= set(buttons_of(overview))

        calls = await tour.press(overview, LABS, user=NOOR)
        side = pressed_edit(calls)
        assert text_of(side).startswith("Side: Illicit extraction (the accusers' case)")
        assert "L6 · " in text_of(side)
        assert "Other side: Legitimate learning, not theft (the defenders' case)" in buttons_of(
            side
        )

        calls = await tour.slash("debate", {"claim_id": "L1"}, subcommand="claim")
        claim = response_of(calls)
        assert text_of(claim).startswith("Claim L1 · Illicit extraction (the accusers' case)")
        links = re.findall(r"\]\((https?://[^)\s]+)\)", claim.text)  # markdown links in the embed
        assert (
            "https://www.anthropic.com/news/detecting-and-preventing-distillation-attacks" in links
        )
        assert len(links) >= 3

        for user, side_name, argument in (
            (NOOR, "labs", LABS_ARGUMENT),
            (REMY, "critics", CRITICS_ARGUMENT),
        ):
            calls = await tour.slash(
                "argue", {"side": side_name, "text": argument}, subcommand="submit", user=user
            )
            ack = response_of(calls, ephemeral=True)
            assert text_of(ack).startswith("Thanks! Your argument #")
            assert "waits for a moderator" in text_of(ack)
            assert [c for c in calls if not c.ephemeral and not deferral(c)] == []

        calls = await tour.slash("argue", subcommand="queue", user=ADMIN)
        queue = response_of(calls, ephemeral=True)  # pending texts and authors: only Ada sees
        assert [c for c in calls if not c.ephemeral] == []
        assert "Arguments awaiting review (2)" in text_of(queue)
        assert LABS_ARGUMENT in text_of(queue) and CRITICS_ARGUMENT in text_of(queue)
        assert {"✓ Approve #1", "✓ Approve #2"} <= set(buttons_of(queue))

        calls = await tour.press(queue, "✓ Approve #1", user=NOOR)  # a member may not
        refusal = response_of(calls, ephemeral=True)
        assert text_of(refusal) == messages.MODERATORS_ONLY_BUTTON.render("en")
        assert [c for c in calls if not c.ephemeral] == []

        calls = await tour.press(queue, "✓ Approve #1", user=ADMIN)
        edited = pressed_edit(calls)
        assert "Arguments awaiting review (1)" in text_of(edited)
        assert text_of(response_of(calls, ephemeral=True)) == "Approved argument #1."
        calls = await tour.press(edited, "✓ Approve #2", user=ADMIN)
        assert text_of(response_of(calls, ephemeral=True)) == "Approved argument #2."
        assert "No arguments are waiting for review." in text_of(pressed_edit(calls))

        calls = await tour.slash("debate", subcommand="community", user=REMY)
        community = text_of(response_of(calls))
        assert community.startswith("Community arguments")
        assert LABS_ARGUMENT in community and CRITICS_ARGUMENT in community


async def test_poll_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await tour.slash("poll", {"poll": "Lunch? | Pizza | Sushi"}, subcommand="create")
        poll = response_of(calls)
        assert text_of(poll).startswith("Poll #1\nLunch?")
        assert "Total voters: 0" in text_of(poll)
        assert list(buttons_of(poll)) == ["1. Pizza", "2. Sushi"]

        for user, label, choice in ((NOOR, "1. Pizza", "Pizza"), (REMY, "2. Sushi", "Sushi")):
            calls = await tour.press(poll, label, user=user)
            ack = response_of(calls, ephemeral=True)  # only the voter sees it
            assert text_of(ack) == f"Your vote in poll #1 is in: {choice}."
            assert channel_posts(calls) == []
        [tally] = channel_edits(calls)
        assert tally.path == f"{CHANNEL_MESSAGES}/{message_id_of(poll)}"
        assert "Total voters: 2" in text_of(tally) and "50% (1)" in text_of(tally)
        assert list(buttons_of(tally)) == ["1. Pizza", "2. Sushi"]

        calls = await tour.slash("poll", {"poll_id": 1}, subcommand="results", user=REMY)
        results = response_of(calls)
        [(filename, data)] = results.files
        assert filename == "poll-1.png" and data.startswith(b"\x89PNG\r\n\x1a\n")
        assert "Results of poll #1" in text_of(results) and "Total voters: 2" in text_of(results)

        # A ranked poll: an ephemeral ballot with buttons, then Submit.
        poll_text = "Rank the options? | A | B | C --ranked"
        calls = await tour.slash("poll", {"poll": poll_text}, subcommand="create", user=MASON)
        ranked = response_of(calls)
        assert "ranked (instant-runoff)" in text_of(ranked)
        calls = await tour.press(ranked, "2. B", user=NOOR)
        ballot = response_of(calls, ephemeral=True)
        assert text_of(ballot).startswith("Your ballot — poll #2")
        assert {"① B", "A", "Submit"} <= set(buttons_of(ballot))
        assert [c for c in calls if not c.ephemeral] == []

        calls = await tour.press(ballot, "A", user=NOOR)
        picked = pressed_edit(calls)
        assert message_id_of(picked) == message_id_of(ballot)
        assert {"① B", "② A"} <= set(buttons_of(picked))

        calls = await tour.press(picked, "Submit", user=NOOR)
        ack = response_of(calls, ephemeral=True)
        assert text_of(ack) == "Your vote in poll #2 is in: B > A."
        [tally] = channel_edits(calls)
        assert tally.path == f"{CHANNEL_MESSAGES}/{message_id_of(ranked)}"
        assert "Total voters: 1" in text_of(tally)

        # Its results: the rounds and the winner, and a chart of the count.
        calls = await tour.slash("poll", {"poll_id": 2}, subcommand="results", user=REMY)
        results = response_of(calls)
        [(filename, data)] = results.files
        assert filename == "poll-2.png" and data.startswith(b"\x89PNG\r\n\x1a\n")
        assert "Winner: B" in text_of(results)

        # /poll list: one voter, not "voter(s)".
        calls = await tour.slash("poll", subcommand="list", user=REMY)
        listing = text_of(response_of(calls))
        assert "#2 Rank the options? — open, 1 voter" in listing
        assert "#1 " in listing and "voter(s)" not in listing


async def test_moderation_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    async with discord_tour(tmp_path, monkeypatch, clock) as tour:
        calls = await tour.slash("settings", {"language": "zh"}, subcommand="language")
        refusal = response_of(calls, ephemeral=True)  # Mason does not manage the server
        assert "Only moderators" in text_of(refusal)

        calls = await tour.slash("settings", {"language": "zh"}, subcommand="language", user=ADMIN)
        assert text_of(response_of(calls, ephemeral=True)) == "这里现在使用简体中文。"

        calls = await tour.slash("help", user=MASON)  # an English-speaking member
        assert text_of(response_of(calls)).startswith("Parley 命令")

        calls = await tour.slash("post", {"item": "debate"}, user=ADMIN)
        [debate] = channel_posts(calls)  # a post in the channel, not a reply
        assert text_of(debate).startswith("双方观点：蒸馏之争")
        assert any(label.startswith("查看：") for label in buttons_of(debate))
        assert text_of(response_of(calls, ephemeral=True)) == "已将辩论卡片发布到这里。"

        calls = await tour.slash(
            "schedule", {"item": "summary", "when": "in 1h"}, subcommand="create", user=ADMIN
        )
        scheduled = text_of(response_of(calls, ephemeral=True))
        assert scheduled.startswith("已安排 #1：摘要 → 这里")
        assert "2026-03-01 13:00" in scheduled

        scheduler = tour.rig.parley.services.scheduler
        start = len(tour.rig.fake.calls)
        clock.advance(minutes=59)
        assert await scheduler.run_due() == 0
        clock.advance(minutes=2)
        assert await scheduler.run_due() == 1
        [summary] = channel_posts(tour.since(start))
        assert "工业级蒸馏攻击" in text_of(summary)
        assert {"中文", "English"} & set(buttons_of(summary))

        calls = await tour.slash("audit", user=ADMIN)
        audit = text_of(response_of(calls, ephemeral=True))
        assert [c for c in calls if not c.ephemeral] == []
        assert audit.startswith("最近的管理操作")
        # Slash options are recorded as Discord shows them: name=value.
        assert audit.splitlines()[1:] == [
            "• 03-01 12:00 · Ada · /schedule when=in 1h item=summary",
            "• 03-01 12:00 · Ada · /post item=debate",
            "• 03-01 12:00 · Ada · /settings language language=zh",
        ]

        # Item and time in one Chinese phrase; a post that stops is told to Ada in a DM.
        calls = await tour.slash(
            "schedule", {"when": "每天 09:00 摘要"}, subcommand="create", user=ADMIN
        )
        assert text_of(response_of(calls, ephemeral=True)).startswith(
            "已安排 #2：摘要 → 这里，每天 09:00"
        )
        calls = await tour.slash(
            "settings", {"feature": "summary", "state": "off"}, subcommand="feature", user=ADMIN
        )
        start = len(tour.rig.fake.calls)
        clock.advance(days=1)
        assert await scheduler.run_due() == 1
        calls = tour.rig.fake.calls[start:]
        assert channel_posts(calls) == []
        [dm] = [c for c in calls if c.method == "POST" and c.path.endswith("/messages")]
        assert tour.rig.fake.dms[dm.path.split("/")[2]] == ADMIN
        assert "安排的发布 #2（摘要 → 这里）已停止" in text_of(dm)

        # Ada refuses DMs: the channel hears only that it stopped, and how to hear why.
        switch = {"feature": "summary"}
        await tour.slash("settings", {**switch, "state": "on"}, subcommand="feature", user=ADMIN)
        await tour.slash("schedule", {"when": "1小时后 摘要"}, subcommand="create", user=ADMIN)
        await tour.slash("settings", {**switch, "state": "off"}, subcommand="feature", user=ADMIN)
        tour.rig.fake.closed_dms.add(ADMIN)
        start = len(tour.rig.fake.calls)
        clock.advance(hours=2)
        assert await scheduler.run_due() == 1
        [notice] = channel_posts(tour.rig.fake.calls[start:])
        assert "我无法私信你" in text_of(notice) and "关闭" not in text_of(notice)


async def test_chinese_user_gets_chinese_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await tour.slash("help", user=NOOR, locale="zh-CN")
        text = text_of(response_of(calls))
        assert text.startswith("Parley 命令") and "/debate — " in text

        calls = await tour.slash("help", user=REMY, locale="en-US")  # others keep English
        assert text_of(response_of(calls)).startswith("Parley commands")


async def test_common_ground_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        text = {"text": "Both camps want rules that bind every lab alike."}
        calls = await tour.slash("ground", text, subcommand="add", user=ADMIN)
        assert "Added statement" in text_of(response_of(calls, ephemeral=True))
        # The card is ephemeral: only Mason sees it; a vote edits it into the next statement.
        calls = await tour.slash("ground", subcommand="vote")
        card = response_of(calls, ephemeral=True)
        assert "Common ground · 1 of" in text_of(card)
        assert {"Agree", "Disagree", "Pass / unsure"} == set(buttons_of(card))
        assert not channel_posts(calls)
        calls = await tour.press(card, "Agree")
        assert any("Common ground · 2 of" in text_of(call) for call in calls)
        # Noor cannot vote on Mason's card.
        calls = await tour.press(card, "Disagree", user=NOOR)
        assert not any("Common ground · " in text_of(call) for call in calls)
        calls = await tour.slash("ground", subcommand="results", user=REMY, locale="zh-CN")
        assert "至少 5 人表态后" in text_of(response_of(calls))
