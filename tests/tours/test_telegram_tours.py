"""Feature tours on Telegram: every feature used through the real `Application`.

Each tour speaks as group members and administrators, presses the buttons the bot actually
sent, and asserts on the exact Bot API calls: the text a user reads, where it went (the group,
a private chat, a callback answer), the buttons, edits in place and uploaded files.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot import messages
from tests.support import FakeClock
from tests.tours.telegram_tour import (
    ALICE,
    BOB,
    CAROL,
    GROUP_ID,
    buttons_of,
    message_id_of,
    one,
    telegram_tour,
    text_of,
)

CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(bool(CJK.match(c)) for c in letters) / max(1, len(letters))


async def test_summary_tour(tmp_path: Path) -> None:
    async with telegram_tour(tmp_path) as tour:
        calls = await tour.say("/summary short", user=BOB)
        short = one(calls, "sendMessage", GROUP_ID)
        text = text_of(short)
        assert "DeepSeek, Moonshot AI and MiniMax" in text
        assert "industrial-scale distillation attacks" in text
        assert "Key figures" in text and "16 million exchanges" in text
        assert "24,000 fake accounts" in text
        assert {"Short", "Medium", "Long", "中文", "Full text"} <= set(buttons_of(short))

        calls = await tour.press(short, "Long", user=BOB)
        long = one(calls, "editMessageText", GROUP_ID)
        assert int(long.params["message_id"]) == message_id_of(short)
        assert [c.method for c in calls] == ["editMessageText", "answerCallbackQuery"]
        assert len(text_of(long)) > len(text) and "DeepSeek" in text_of(long)
        assert kept_sentences(text_of(long)) > kept_sentences(text)

        calls = await tour.press(long, "中文", user=BOB)
        chinese = one(calls, "editMessageText", GROUP_ID)
        assert int(chinese.params["message_id"]) == message_id_of(short)
        assert "工业级蒸馏攻击" in text_of(chinese) and "1600 万轮对话" in text_of(chinese)
        assert chinese_share(text_of(chinese)) > 0.5, text_of(chinese)[:300]
        assert kept_sentences(text_of(chinese)) > 3  # still the long edition
        assert "English" in buttons_of(chinese)

        calls = await tour.say("/article list", user=BOB)
        listing = text_of(one(calls, "sendMessage", GROUP_ID))
        assert "Articles" in listing and "distillation" in listing
        assert "Is Anthropic Panicking?" in listing


EDITED = "Anthropic accused three Chinese labs of distillation; the labs have not answered."


async def test_summary_edit_tour(tmp_path: Path) -> None:
    """A moderator corrects the summary, takes it back and restores it; lengths keep working."""
    async with telegram_tour(tmp_path) as tour:
        calls = await tour.say(f"/summary edit {EDITED}", user=ALICE)
        edited = text_of(one(calls, "sendMessage", GROUP_ID))
        assert EDITED in edited and "translation by the Parley team" not in edited

        calls = await tour.say("/summary short", user=BOB)
        short = one(calls, "sendMessage", GROUP_ID)
        assert EDITED not in text_of(short) and kept_sentences(text_of(short)) <= 3
        calls = await tour.press(short, "Edited summary", user=BOB)
        assert EDITED in text_of(one(calls, "editMessageText", GROUP_ID))

        calls = await tour.say("/summary edit x", user=ALICE)
        assert any("at least 20 characters" in text_of(call) for call in calls)
        calls = await tour.say("/summary edit --reset", user=ALICE)
        reset = text_of(one(calls, "sendMessage", GROUP_ID))
        assert "Back to the automatic summary (English)." in reset
        calls = await tour.say("/summary", user=BOB)
        assert EDITED not in text_of(one(calls, "sendMessage", GROUP_ID))

        calls = await tour.say("/summary history", user=BOB)
        history = one(calls, "sendMessage", GROUP_ID)
        assert "Times are in UTC, this chat's time zone." in text_of(history)
        assert "English summary" in text_of(history) and "(withdrawn " in text_of(history)
        calls = await tour.press(history, "Restore v1", user=BOB)
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        calls = await tour.press(history, "Restore v1", user=ALICE)
        restored = text_of(one(calls, "sendMessage", GROUP_ID))
        assert "Restored version 1 as version 2." in restored and EDITED in restored


async def test_article_upkeep_tour(tmp_path: Path) -> None:
    """An English-only article: asked in Chinese it says so; twice it is refused; removed."""
    async with telegram_tour(tmp_path) as tour:
        article = "# Harbour Plan\n\n" + "The port approved a 300 million dollar plan. " * 3
        calls = await tour.say(f"/article add {article}", user=ALICE)
        assert "Added article 1: “Harbour Plan” (English," in text_of(one(calls, "sendMessage"))
        calls = await tour.say(f"/article add {article}", user=ALICE)
        assert "That is already article 1" in text_of(one(calls, "sendMessage"))
        await tour.say("/article use 1", user=ALICE)
        calls = await tour.say("/summary zh", user=BOB, language="zh")
        chinese = text_of(one(calls, "sendMessage", GROUP_ID))
        assert "这篇文章没有中文版，以下是英文原文的摘要。" in chinese
        calls = await tour.say("/article remove 1", user=BOB)
        assert "Only moderators" in text_of(one(calls, "sendMessage"))
        calls = await tour.say("/article remove 1", user=ALICE)
        assert "Removed article 1: “Harbour Plan”" in text_of(one(calls, "sendMessage"))


def kept_sentences(text: str) -> int:
    match = re.search(r"kept (\d+) of \d+ sentences", text)
    assert match, text[-400:]
    return int(match.group(1))


LABS = "Open: Illicit extraction (the accusers' case)"
DEFENDERS = "Open: Legitimate learning, not theft (the defenders' case)"
LABS_ARGUMENT = "Fake accounts at this scale are deception, not ordinary use of an API."
CRITICS_ARGUMENT = "Every lab learns from published outputs; calling it theft is selective."


async def test_debate_tour(tmp_path: Path) -> None:
    async with telegram_tour(tmp_path) as tour:
        calls = await tour.say("/debate", user=BOB, name="Bob")
        overview = one(calls, "sendMessage", GROUP_ID)
        text = text_of(overview)
        assert "Both sides: the distillation debate" in text
        assert "Illicit extraction (the accusers' case)" in text
        assert "Legitimate learning, not theft (the defenders' case)" in text
        assert {LABS, DEFENDERS, "Claim L6", "Claim C7"} <= set(buttons_of(overview))

        calls = await tour.press(overview, LABS, user=BOB)
        side = one(calls, "editMessageText", GROUP_ID)
        assert int(side.params["message_id"]) == message_id_of(overview)
        assert text_of(side).startswith("Side: Illicit extraction (the accusers' case)")
        assert "L6 · " in text_of(side)
        assert "Other side: Legitimate learning, not theft (the defenders' case)" in buttons_of(
            side
        )

        calls = await tour.say("/debate claim L1", user=BOB, name="Bob")
        claim = one(calls, "sendMessage", GROUP_ID)
        assert text_of(claim).startswith("Claim L1 · Illicit extraction (the accusers' case)")
        assert "Evidence" in text_of(claim)
        html = str(claim.params["text"])
        assert (
            '<a href="https://www.anthropic.com/news/detecting-and-preventing-distillation-attacks">'
            in html
        )
        assert html.count("<a href=") >= 3

        # Members argue; the acknowledgement is private (a message in their own chat).
        for user, name, side_name, argument in (
            (BOB, "Bob", "labs", LABS_ARGUMENT),
            (CAROL, "Carol", "critics", CRITICS_ARGUMENT),
        ):
            calls = await tour.say(f"/argue {side_name} {argument}", user=user, name=name)
            ack = one(calls, "sendMessage")
            assert int(ack.params["chat_id"]) == user
            assert text_of(ack).startswith("Thanks! Your argument #")
            assert "waits for a moderator" in text_of(ack)

        # The queue (pending texts, authors) goes to the moderator's private chat; the group
        # reads only that it was sent.
        calls = await tour.say("/argue queue", user=ALICE)
        queue = one(calls, "sendMessage", ALICE)
        assert "Arguments awaiting review (2)" in text_of(queue)
        assert LABS_ARGUMENT in text_of(queue) and CRITICS_ARGUMENT in text_of(queue)
        assert {"✓ Approve #1", "✓ Approve #2"} <= set(buttons_of(queue))
        note = one(calls, "sendMessage", GROUP_ID)
        assert text_of(note) == "I sent it to you in a private chat."
        assert LABS_ARGUMENT not in str(note.params)

        # Its buttons act on the group's queue: only the group's moderators may press them.
        calls = await tour.press(queue, "✓ Approve #1", user=BOB)
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert calls[0].params["text"] == messages.MODERATORS_ONLY_BUTTON.render("en")

        calls = await tour.press(queue, "✓ Approve #1", user=ALICE)
        edited = one(calls, "editMessageText", ALICE)
        assert "Arguments awaiting review (1)" in text_of(edited)
        answer = one(calls, "answerCallbackQuery")
        assert answer.params["text"] == "Approved argument #1."
        calls = await tour.press(edited, "✓ Approve #2", user=ALICE)
        assert one(calls, "answerCallbackQuery").params["text"] == "Approved argument #2."
        assert "No arguments are waiting for review." in text_of(one(calls, "editMessageText"))

        calls = await tour.say("/debate community", user=CAROL, name="Carol")
        community = text_of(one(calls, "sendMessage", GROUP_ID))
        assert community.startswith("Community arguments")
        assert LABS_ARGUMENT in community and CRITICS_ARGUMENT in community


async def test_poll_tour(tmp_path: Path) -> None:
    async with telegram_tour(tmp_path) as tour:
        calls = await tour.say("/poll Lunch? | Pizza | Sushi", user=BOB, name="Bob")
        poll = one(calls, "sendMessage", GROUP_ID)
        assert text_of(poll).startswith("Poll #1\n\nLunch?")
        assert "Total voters: 0" in text_of(poll)
        assert list(buttons_of(poll)) == ["1. Pizza", "2. Sushi"]

        for user, label, choice in ((BOB, "1. Pizza", "Pizza"), (CAROL, "2. Sushi", "Sushi")):
            calls = await tour.press(poll, label, user=user)
            answer = one(calls, "answerCallbackQuery")  # only the voter sees it
            assert answer.params["text"] == f"Your vote in poll #1 is in: {choice}."
            assert [c.method for c in calls if c.method == "sendMessage"] == []
        tally = one(calls, "editMessageText", GROUP_ID)
        assert int(tally.params["message_id"]) == message_id_of(poll)
        assert "Total voters: 2" in text_of(tally)
        assert "50% (1)" in text_of(tally)

        calls = await tour.say("/poll results 1", user=CAROL, name="Carol")
        photo = one(calls, "sendPhoto", GROUP_ID)
        assert photo.files["photo"].startswith(b"\x89PNG\r\n\x1a\n")
        assert "Results of poll #1" in text_of(photo) and "Total voters: 2" in text_of(photo)

        # A ranked poll: the ballot is filled in privately, in the voter's chat with the bot.
        calls = await tour.say("/poll Rank the options? | A | B | C --ranked", user=BOB)
        ranked = one(calls, "sendMessage", GROUP_ID)
        assert "ranked (instant-runoff)" in text_of(ranked)
        calls = await tour.press(ranked, "2. B", user=CAROL)
        ballot = one(calls, "sendMessage")
        assert int(ballot.params["chat_id"]) == CAROL
        assert text_of(ballot).startswith("Your ballot — poll #2")
        assert one(calls, "answerCallbackQuery").params.get("text") is None
        assert {"① B", "A", "Submit"} <= set(buttons_of(ballot))

        calls = await tour.press(ballot, "A", user=CAROL)
        picked = one(calls, "editMessageText", CAROL)
        assert int(picked.params["message_id"]) == message_id_of(ballot)
        assert {"① B", "② A"} <= set(buttons_of(picked))

        calls = await tour.press(picked, "Submit", user=CAROL)
        assert one(calls, "answerCallbackQuery").params["text"] == (
            "Your vote in poll #2 is in: B > A."
        )
        tally = one(calls, "editMessageText", GROUP_ID)
        assert int(tally.params["message_id"]) == message_id_of(ranked)
        assert "Total voters: 1" in text_of(tally)

        # Its results: the rounds and winner, as text and as the chart's caption.
        calls = await tour.say("/poll results 2", user=CAROL, name="Carol")
        photo = one(calls, "sendPhoto", GROUP_ID)
        assert photo.files["photo"].startswith(b"\x89PNG\r\n\x1a\n")
        assert "Round 1: A 0 · B 1 · C 0" in text_of(photo) and "Winner: B" in text_of(photo)

        # Times are shown in the chat's zone, labelled; /poll list says so too.
        await tour.say("/settings timezone Asia/Shanghai", user=ALICE)
        calls = await tour.say("/poll Dinner? | Noodles | Rice --for 2h", user=BOB, name="Bob")
        assert "Asia/Shanghai" in text_of(one(calls, "sendMessage", GROUP_ID))
        calls = await tour.say("/poll list", user=BOB, name="Bob")
        listing = text_of(one(calls, "sendMessage", GROUP_ID))
        assert "#3 Dinner? — open, 0 voters, closes" in listing and "Asia/Shanghai" in listing
        assert "#1 Lunch? — open, 2 voters" in listing


async def test_moderation_tour(tmp_path: Path) -> None:
    clock = FakeClock()
    async with telegram_tour(tmp_path, clock) as tour:
        # A member cannot change settings; the refusal goes to them privately.
        calls = await tour.say("/settings language zh", user=BOB, name="Bob")
        refusal = one(calls, "sendMessage")
        assert int(refusal.params["chat_id"]) == BOB
        assert "Only moderators" in text_of(refusal)

        # Moderator panels and confirmations go to the moderator's private chat; the group
        # reads a short note in the moderator's language.
        calls = await tour.say("/settings language zh", user=ALICE)
        assert text_of(one(calls, "sendMessage", ALICE)) == "这里现在使用简体中文。"
        assert text_of(one(calls, "sendMessage", GROUP_ID)) == "I sent it to you in a private chat."

        calls = await tour.say("/help", user=BOB, name="Bob")  # an English-speaking member
        assert text_of(one(calls, "sendMessage", GROUP_ID)).startswith("Parley 命令")

        calls = await tour.say("/post debate", user=ALICE)
        posted = [c for c in calls if c.method == "sendMessage"]
        debate = one(posted, "sendMessage", GROUP_ID)
        assert text_of(debate).startswith("双方观点：蒸馏之争")
        assert "reply_parameters" not in debate.params  # a post, not a reply to the command
        assert any(label.startswith("查看：") for label in buttons_of(debate))
        ack = one(posted, "sendMessage", ALICE)  # the confirmation is private
        assert text_of(ack) == "已将辩论卡片发布到这里。"

        calls = await tour.say("/schedule summary in 1h", user=ALICE)
        scheduled = text_of(one(calls, "sendMessage", ALICE))
        assert scheduled.startswith("已安排 #1：摘要 → 这里")
        assert "2026-03-01 13:00" in scheduled

        start = len(tour.api.calls)
        clock.advance(minutes=59)
        assert await tour.rig.parley.services.scheduler.run_due() == 0
        clock.advance(minutes=2)
        assert await tour.rig.parley.services.scheduler.run_due() == 1
        summary = one(tour.api.calls[start:], "sendMessage", GROUP_ID)
        assert "工业级蒸馏攻击" in text_of(summary)
        assert {"中文", "English"} & set(buttons_of(summary))

        calls = await tour.say("/audit", user=ALICE)
        audit = text_of(one(calls, "sendMessage", ALICE))
        assert audit.startswith("最近的管理操作")
        lines = audit.splitlines()
        for action in ("/settings language zh", "/post debate", "/schedule summary in 1h"):
            assert any(line.endswith(f"· Alice Liddell · {action}") for line in lines), audit

        # Chinese words in any order; a post that stops is told to Alice alone.
        calls = await tour.say("/schedule 每天 09:00 摘要", user=ALICE)
        scheduled = text_of(one(calls, "sendMessage", ALICE))
        assert scheduled.startswith("已安排 #2：摘要 → 这里，每天 09:00，首次于 2026-03-02 09:00")
        await tour.say("/settings 功能 摘要 关", user=ALICE)
        start = len(tour.api.calls)
        clock.advance(days=1)
        assert await tour.rig.parley.services.scheduler.run_due() == 1
        sent = [c for c in tour.api.calls[start:] if c.method == "sendMessage"]
        notice = one(sent, "sendMessage", ALICE)
        assert "安排的发布 #2（摘要 → 这里）已停止" in text_of(notice)
        assert [c for c in sent if int(c.params["chat_id"]) == GROUP_ID] == []

        # When the bot cannot write to her privately, the panel is not shown in the group either.
        tour.api.fail("sendMessage", 403, "Forbidden: bot can't initiate conversation with a user")
        calls = await tour.say("/audit", user=ALICE)
        note = one(calls, "sendMessage", GROUP_ID)
        assert text_of(note).startswith("I show this only in a private chat, and I can't write")
        assert "@parley_bot, press Start" in text_of(note)
        in_group = [call for call in calls if int(call.params.get("chat_id", 0)) == GROUP_ID]
        assert in_group == [note] and "Alice Liddell · /" not in text_of(note)


async def test_chinese_user_gets_chinese_help(tmp_path: Path) -> None:
    async with telegram_tour(tmp_path) as tour:
        calls = await tour.say("/help", user=CAROL, chat="private", language="zh-hans")
        private = text_of(one(calls, "sendMessage", CAROL))
        assert private.startswith("Parley 命令") and "• /debate — " in private

        calls = await tour.say("/help", user=CAROL, language="zh")
        assert text_of(one(calls, "sendMessage", GROUP_ID)).startswith("Parley 命令")

        calls = await tour.say("/help", user=BOB, language="en")  # others keep English
        assert text_of(one(calls, "sendMessage", GROUP_ID)).startswith("Parley commands")


async def test_a_ballot_never_lands_in_the_group_when_the_voter_has_no_private_chat(
    tmp_path: Path,
) -> None:
    """Telegram lets a bot write privately only to users who started it. A ballot of an
    anonymous ranked poll used to fall back to the group, where everyone read it (and could
    press its Submit); now the presser is told how to open the private chat."""
    async with telegram_tour(tmp_path) as tour:
        calls = await tour.say("/poll Rank? | A | B | C --ranked --anonymous", user=ALICE)
        poll = one(calls, "sendMessage", GROUP_ID)
        tour.api.fail("sendMessage", 403, "Forbidden: bot can't initiate conversation with a user")
        calls = await tour.press(poll, "2. B", user=BOB, language="zh-hans")
        assert [(c.method, c.params.get("chat_id")) for c in calls] == [
            ("sendMessage", BOB),  # refused by Telegram
            ("answerCallbackQuery", None),
        ]
        assert calls[-1].params["text"] == (
            "我还无法私信你：请先打开与 @parley_bot 的对话并点击“开始”，然后再按一次按钮。"
        )

        calls = await tour.press(poll, "2. B", user=BOB)  # after Bob started the bot
        ballot = one(calls, "sendMessage", BOB)
        assert text_of(ballot).startswith("Your ballot — poll #1")
        assert [c for c in calls if c.params.get("chat_id") == GROUP_ID] == []


async def test_common_ground_tour(tmp_path: Path) -> None:
    async with telegram_tour(tmp_path) as tour:
        await tour.say("/ground add Both camps want rules that bind every lab alike.", user=ALICE)
        # The card goes to Bob's private chat; a vote edits it into the next statement.
        calls = await tour.say("/ground", user=BOB, name="Bob")
        card = one(calls, "sendMessage", BOB)
        assert "Common ground · 1 of" in text_of(card)
        assert {"Agree", "Disagree", "Pass / unsure"} == set(buttons_of(card))
        assert not [
            c for c in calls if c.method == "sendMessage" and c.params["chat_id"] == GROUP_ID
        ]
        calls = await tour.press(card, "Agree", user=BOB)
        edited = one(calls, "editMessageText", BOB)
        assert "Common ground · 2 of" in text_of(edited)
        # Carol cannot vote on Bob's card (it is sealed for him).
        calls = await tour.press(edited, "Disagree", user=CAROL)
        assert not [c for c in calls if c.method == "editMessageText"]
        # Results in Chinese: too few people yet, said in Chinese.
        calls = await tour.say("/ground 结果", user=CAROL, language="zh-hans", name="Carol")
        assert "至少 5 人表态后" in text_of(one(calls, "sendMessage", GROUP_ID))
