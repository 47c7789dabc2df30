import asyncio

from bot.reply import Quote
from handlers.debate.actions import ArgApprove, ArgQueue, ArgReject, ArgUpvote
from tests.debate.driving import MOD, all_buttons, assert_fits, find_button, press, run, shown
from tests.support import make_actor, make_command, make_press

BOB = make_actor("bob")
CAROL = make_actor("carol")
DAN = make_actor("dan")

LABS_TEXTS = [
    "Creating thousands of fake accounts to get around a sales ban is fraud, whatever the method.",
    "The terms every API customer accepts forbid training a competing model on the outputs.",
    "Copying a model's reasoning traces at scale skips years of costly research and safety work.",
    "Distilled copies usually lose the refusal behaviour, so dangerous help becomes easy to get.",
    "Resellers hid the real customers, which shows the labs knew the access was not allowed.",
    "If output harvesting is free, nobody will fund frontier research others clone cheaply.",
]
CRITICS_TEXTS = [
    "Model outputs are not copyrighted, so learning from them cannot be called theft at all.",
    "Anthropic trained Claude on pirated books and paid a settlement, so it is no neutral judge.",
    "No logs or account lists were published, so outsiders cannot check any number in the report.",
    "Every lab distills from others; American startups built whole products on GPT-4 answers.",
    "Export-control politics explain the timing better than any real harm to Anthropic's business.",
    "Breaking a contract is a civil matter between two parties, not a crime against the public.",
]


def long_version(text):
    """The text repeated to the 500-character limit (distinct texts stay distinct)."""
    return ((text + " ") * 10)[:500].strip()


async def rows(app, sql, params=()):
    return [tuple(r) for r in await app.services.storage.database.fetch_all(sql, params)]


async def submit(app, side, text, actor=BOB, chat="chat"):
    return await run(app, make_command(f"/argue {side} {text}", actor=actor, chat=chat))


async def approve_all(app, chat="chat"):
    for (argument_id,) in await rows(app, "SELECT id FROM arguments WHERE status = 'pending'"):
        await run(app, make_press(ArgApprove(argument_id=argument_id), actor=MOD, chat=chat))


async def test_submission_is_stored_pending_and_acknowledged_privately(app):
    out = await submit(app, "accusers", LABS_TEXTS[0])
    assert "Your argument #1" in out.text and out.replies[0].private
    stored = await rows(
        app,
        "SELECT id, topic, side, text, platform, chat_id, author_platform, author_id, author_name,"
        " status, decided_by FROM arguments",
    )
    assert stored == [
        (
            1,
            "distillation",
            "accusers",
            LABS_TEXTS[0],
            "test",
            "chat",
            "test",
            "bob",
            "bob",
            "pending",
            None,
        )
    ]


async def test_submission_length_limits(app):
    out = await submit(app, "labs", "Too short.")
    assert "at least 20 characters" in out.text and "/argue <side> <text…>" in out.text
    out = await submit(app, "critics", "x" * 501)
    assert "at most 500 characters" in out.text
    out = await submit(app, "nobody", LABS_TEXTS[0])
    assert "must be one of: accusers, defenders" in out.text
    assert await rows(app, "SELECT id FROM arguments") == []


async def test_submission_rate_limit_per_hour(app, clock):
    for text in LABS_TEXTS[:3]:
        assert "Your argument" in (await submit(app, "labs", text)).text
        clock.advance(minutes=10)
    refused = await submit(app, "labs", LABS_TEXTS[3])
    assert "3 arguments per hour" in refused.text and "30 min" in refused.text
    other = await submit(app, "labs", LABS_TEXTS[3], actor=CAROL)
    assert "Your argument" in other.text
    clock.advance(minutes=31)
    assert "Your argument" in (await submit(app, "critics", CRITICS_TEXTS[0])).text
    assert len(await rows(app, "SELECT id FROM arguments WHERE author_id = 'bob'")) == 4


async def test_near_duplicates_are_refused_with_the_similar_id(app):
    await submit(app, "critics", CRITICS_TEXTS[0])
    out = await submit(
        app,
        "critics",
        "model outputs are NOT copyrighted - so learning from them can't be called theft",
        actor=CAROL,
    )
    assert "very close to argument #1" in out.text and out.replies[0].private
    assert len(await rows(app, "SELECT id FROM arguments")) == 1
    zh = make_actor("li", locale="zh")
    await submit(app, "critics", "模型的输出不受版权保护，所以从中学习根本谈不上偷窃。", actor=zh)
    out = await submit(
        app, "critics", "模型输出不受版权保护，所以从中学习根本谈不上是偷窃！", actor=DAN
    )
    assert "#2" in out.text


async def test_rejected_and_withdrawn_arguments_do_not_block_resubmission(app):
    await submit(app, "labs", LABS_TEXTS[0])
    await run(app, make_press(ArgReject(argument_id=1), actor=MOD))
    assert "Your argument #2" in (await submit(app, "labs", LABS_TEXTS[0], actor=CAROL)).text


async def test_members_cannot_see_the_queue_or_press_moderation_buttons(app):
    await submit(app, "labs", LABS_TEXTS[0])
    out = await run(app, make_command("/argue queue", actor=CAROL))
    assert "Only moderators can use /argue queue" in out.text
    for pressed in (ArgApprove(argument_id=1), ArgReject(argument_id=1)):
        out = await run(app, make_press(pressed, actor=CAROL))
        assert "Only moderators can press" in out.text
    out = await run(app, make_press(ArgQueue(page=1), actor=CAROL))
    assert "Only moderators can press" in out.text
    assert await rows(app, "SELECT status FROM arguments") == [("pending",)]


async def test_moderators_approve_and_reject_from_the_queue(app):
    await submit(app, "labs", LABS_TEXTS[0])
    await submit(app, "critics", CRITICS_TEXTS[0], actor=CAROL)
    queue = shown(await run(app, make_command("/argue queue", actor=MOD)))
    assert "Arguments awaiting review (2)" in queue.plain_text()
    assert LABS_TEXTS[0] in queue.plain_text() and "by bob" in queue.plain_text()
    out = await press(app, queue, "Approve #1", actor=MOD)
    assert "Approved argument #1." in out.text and out.replies[0].private
    refreshed = shown(out)
    assert "(1)" in refreshed.title and LABS_TEXTS[0] not in refreshed.plain_text()
    out = await press(app, refreshed, "Reject #2", actor=MOD)
    assert "Rejected argument #2." in out.text
    assert "No arguments are waiting" in shown(out).plain_text()
    again = await run(app, make_press(ArgApprove(argument_id=2), actor=MOD))
    assert "no longer pending" in again.text
    assert await rows(app, "SELECT id, status, decided_by FROM arguments ORDER BY id") == [
        (1, "approved", "test:mod"),
        (2, "rejected", "test:mod"),
    ]
    audit = await rows(app, "SELECT action, outcome FROM audit_log")
    assert ("button arg.ok", "ok") in audit


async def test_queue_pages_fit_and_are_per_chat(app):
    for index, text in enumerate(LABS_TEXTS + CRITICS_TEXTS):
        author = make_actor(f"user{index}")
        side = "labs" if index < len(LABS_TEXTS) else "critics"
        await submit(app, side, long_version(text), actor=author)
    queue = shown(await run(app, make_command("/argue queue", actor=MOD)))
    assert "(12)" in queue.title and queue.footer == "Page 1/3"
    assert_fits(queue)
    last = shown(await press(app, queue, "2 ▶", actor=MOD))
    assert_fits(last)
    elsewhere = shown(await run(app, make_command("/argue queue", actor=MOD, chat="other")))
    assert "No arguments are waiting" in elsewhere.plain_text()


async def test_withdrawal_by_the_author_only(app):
    await submit(app, "labs", LABS_TEXTS[0])
    out = await run(app, make_command("/argue withdraw 1", actor=CAROL))
    assert "Only the author of argument #1" in out.text
    out = await run(app, make_command("/argue withdraw 1", actor=BOB))
    assert "You withdrew argument #1." in out.text
    assert await rows(app, "SELECT status, decided_by FROM arguments") == [
        ("withdrawn", "test:bob")
    ]
    out = await run(app, make_command("/argue withdraw 1", actor=BOB))
    assert "is withdrawn; it can no longer be withdrawn" in out.text
    out = await run(app, make_command("/argue withdraw 99", actor=BOB))
    assert "There is no argument #99" in out.text
    queue = shown(await run(app, make_command("/argue queue", actor=MOD)))
    assert "No arguments are waiting" in queue.plain_text()


async def test_community_view_shows_both_sides_and_hides_no_approved_argument(app):
    for text in LABS_TEXTS[:3]:
        await submit(app, "labs", text, actor=make_actor(f"l{len(text)}"))
    empty = shown(await run(app, make_command("/debate community")))
    assert "No balanced view yet" in empty.plain_text()
    await submit(app, "critics", CRITICS_TEXTS[0], actor=CAROL)
    await approve_all(app)
    view = shown(await run(app, make_command("/debate community")))
    quotes = [b for b in view.blocks if isinstance(b, Quote)]
    assert len(quotes) == 4  # the tour: an approved argument was hidden when counts differed
    assert sum("Illicit extraction" in q.source for q in quotes) == 3
    assert "Illicit extraction (the accusers' case) 3" in view.plain_text()
    assert "has fewer approved arguments so far; none of the other side's is hidden" in (
        view.plain_text()
    )
    assert [b.label for b in all_buttons(view) if b.label.startswith("▲")] == [
        f"▲ #{q.source.split(' ')[0][1:]}" for q in quotes
    ]
    assert CRITICS_TEXTS[0] in view.plain_text() and all(
        t in view.plain_text() for t in LABS_TEXTS[:3]
    )


async def test_old_and_chinese_side_keywords_name_the_same_sides(app):
    for number, keyword in enumerate(("labs", "指控方", "critics", "辩护方", "批评方"), 1):
        text = (LABS_TEXTS + CRITICS_TEXTS)[number]
        out = await submit(app, keyword, text, actor=make_actor(f"k{number}"))
        assert f"Your argument #{number}" in out.text, out.text
    sides = [side for (side,) in await rows(app, "SELECT side FROM arguments ORDER BY id")]
    assert sides == ["accusers", "accusers", "defenders", "defenders", "defenders"]
    zh = shown(
        await run(app, make_command("/debate 阵营 指控方", actor=make_actor("z", locale="zh")))
    )
    assert zh.title == "阵营：不正当提取（指控方观点）"
    wrong = await run(app, make_command("/debate side 正方", actor=make_actor("z", locale="zh")))
    assert "指控方（accusers）、辩护方（defenders）" in wrong.text and "正方" in wrong.text


async def test_community_view_caps_at_five_per_side_and_pages_long_arguments(app):
    authors = iter(make_actor(f"u{n}") for n in range(20))
    for labs, critics in zip(LABS_TEXTS, CRITICS_TEXTS, strict=True):
        await submit(app, "labs", long_version(labs), actor=next(authors))
        await submit(app, "critics", long_version(critics), actor=next(authors))
    await approve_all(app)
    pages = [shown(await run(app, make_command("/debate community")))]
    while any(b.label.endswith("▶") for b in all_buttons(pages[-1])):
        pages.append(shown(await press(app, pages[-1], "▶")))
    quotes = [b for page in pages for b in page.blocks if isinstance(b, Quote)]
    assert len(quotes) == 10 and len(pages) > 1
    for page in pages:
        assert_fits(page)
        page_quotes = [b for b in page.blocks if isinstance(b, Quote)]
        assert sum("Illicit extraction" in q.source for q in page_quotes) * 2 == len(page_quotes)


async def test_one_upvote_per_person_and_ranking(app):
    await submit(app, "labs", LABS_TEXTS[0])
    await submit(app, "labs", LABS_TEXTS[1])
    await submit(app, "critics", CRITICS_TEXTS[0], actor=CAROL)
    await submit(app, "critics", CRITICS_TEXTS[1], actor=CAROL)
    await approve_all(app)
    view = shown(await run(app, make_command("/debate community", actor=DAN)))
    out = await press(app, view, "▲ #2", actor=DAN)
    assert "Your upvote for #2 is counted." in out.text and out.replies[0].private
    refreshed = out.updates[0]
    assert refreshed.blocks[1].text == LABS_TEXTS[1] or LABS_TEXTS[1] in refreshed.plain_text()
    assert "▲ 1" in refreshed.plain_text()
    again = await press(app, view, "▲ #2", actor=DAN)
    assert "already upvoted #2" in again.text and not again.updates
    own = await press(app, view, "▲ #1", actor=BOB)
    assert "can't upvote your own" in own.text
    assert await rows(app, "SELECT argument_id, voter_id FROM argument_votes") == [(2, "dan")]
    view = shown(await run(app, make_command("/debate community")))
    labs_quotes = [b for b in view.blocks if isinstance(b, Quote) and "Illicit" in b.source]
    assert labs_quotes[0].text == LABS_TEXTS[1]


async def test_concurrent_double_press_counts_one_vote(app):
    await submit(app, "labs", LABS_TEXTS[0])
    await submit(app, "critics", CRITICS_TEXTS[0], actor=CAROL)
    await approve_all(app)
    payload = ArgUpvote(argument_id=1)
    first, second = await asyncio.gather(
        run(app, make_press(payload, actor=DAN)), run(app, make_press(payload, actor=DAN))
    )
    answers = sorted([first.replies[-1].plain_text(), second.replies[-1].plain_text()])
    assert "already upvoted" in answers[0] and "is counted" in answers[1]
    assert await rows(app, "SELECT count(*) FROM argument_votes") == [(1,)]


async def test_database_enforces_one_vote_per_person(app):
    await submit(app, "labs", LABS_TEXTS[0])
    db = app.services.storage.database
    await db.execute(
        "INSERT INTO argument_votes VALUES (1, 'test', 'dan', '2026-03-01T12:00:00.000000Z')"
    )
    try:
        await db.execute(
            "INSERT INTO argument_votes VALUES (1, 'test', 'dan', '2026-03-01T12:00:00.000000Z')"
        )
    except Exception as error:  # sqlite3.IntegrityError
        assert "UNIQUE" in str(error)
    else:
        raise AssertionError("duplicate vote accepted")


async def test_pending_and_withdrawn_arguments_cannot_be_upvoted(app):
    await submit(app, "labs", LABS_TEXTS[0])
    out = await run(app, make_press(ArgUpvote(argument_id=1), actor=DAN))
    assert "not open for votes" in out.text
    out = await run(app, make_press(ArgUpvote(argument_id=77), actor=DAN))
    assert "There is no argument #77 in this chat." in out.text
    assert await rows(app, "SELECT count(*) FROM argument_votes") == [(0,)]


async def test_forget_user_deletes_arguments_and_votes(app):
    await submit(app, "labs", LABS_TEXTS[0])
    await submit(app, "critics", CRITICS_TEXTS[0], actor=CAROL)
    await approve_all(app)
    await run(app, make_press(ArgUpvote(argument_id=2), actor=BOB))
    await run(app, make_press(ArgUpvote(argument_id=1), actor=CAROL))
    await run(app, make_press(ArgUpvote(argument_id=1), actor=DAN))
    changed = await app.services.features.forget_user("test", "bob")
    assert changed >= 4  # bob's argument, his vote, and two votes on his argument
    assert await rows(app, "SELECT id, author_id FROM arguments") == [(2, "carol")]
    assert await rows(app, "SELECT argument_id, voter_id FROM argument_votes") == []
    assert await app.services.features.forget_user("test", "mod") >= 1
    assert await rows(app, "SELECT decided_by FROM arguments") == [(None,)]


async def test_chinese_acknowledgements(app):
    li = make_actor("li", locale="zh")
    out = await submit(
        app, "critics", "模型输出不受版权保护，所以从中学习根本谈不上偷窃。", actor=li
    )
    assert "谢谢！你为" in out.text and "#1" in out.text
    view = shown(await run(app, make_command("/debate community", actor=li)))
    assert "还无法展示平衡的对比" in view.plain_text()
    find_button(view, "总览")


async def test_the_review_queue_and_its_refreshed_pages_never_show_in_the_chat(app):
    # The tour saw `/argue queue` posted for everyone, with pending texts and authors' names.
    await submit(app, "accusers", LABS_TEXTS[0])
    queue = shown(await run(app, make_command("/argue queue", actor=MOD)))
    assert queue.confidential and LABS_TEXTS[0] in queue.plain_text()
    out = await press(app, queue, "Approve #1", actor=MOD)
    assert all(reply.confidential for reply in (*out.replies, *out.updates))
