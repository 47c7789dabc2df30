import pytest

from bot.identity import ChatRef
from bot.posting import PostRequest
from bot.reply import Fields, Link, Reply
from handlers.debate.actions import DebateView, View
from handlers.debate.order import ordered_sides
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from tests.debate.driving import MOD, all_buttons, assert_fits, find_button, press, run, shown
from tests.support import make_actor, make_command, make_press

DEBATE = load_topic(DEFAULT_TOPIC).debate_map
LABS, CRITICS = DEBATE.sides
ZH = make_actor("li", locale="zh-CN")


def first_side_label(reply):
    fields = next(b for b in reply.blocks if isinstance(b, Fields))
    return fields.pairs[0][0]


async def test_overview_shows_question_both_sides_and_all_buttons(app, clock):
    reply = shown(await run(app, make_command("/debate")))
    text = reply.plain_text()
    assert DEBATE.question.en in text and DEBATE.background.en in text
    for side in DEBATE.sides:
        assert side.label.en in text
        for claim in side.strongest_claims:
            assert claim.statement.en in text
            find_button(reply, f"Claim {claim.id}")
        find_button(reply, f"Open: {side.label.en}")
    for label in ("Fact-checks", "Timeline", "Glossary", "Community"):
        find_button(reply, label)
    assert_fits(reply)
    first, _ = ordered_sides(DEBATE.sides, "test:chat", clock.now().date())
    assert first_side_label(reply) == first.label.en


async def test_first_side_alternates_per_day_and_differs_between_chats(app, clock):
    firsts = []
    for _ in range(4):
        firsts.append(first_side_label(shown(await run(app, make_command("/debate", actor=MOD)))))
        clock.advance(days=1)
    assert firsts[0] != firsts[1] and firsts[1] != firsts[2] and firsts[0] == firsts[2]
    per_chat = set()
    for n in range(12):
        reply = shown(await run(app, make_command("/debate", actor=MOD, chat=f"room{n}")))
        per_chat.add(first_side_label(reply))
    assert per_chat == {LABS.label.en, CRITICS.label.en}


async def test_overview_in_chinese(app):
    reply = shown(await run(app, make_command("/debate", actor=ZH)))
    assert reply.title == "双方观点：蒸馏之争"
    assert DEBATE.question.zh in reply.plain_text()
    find_button(reply, "事实核查")


async def test_side_command_lists_claims_and_links_the_other_side(app):
    out = await run(app, make_command("/debate side critics"))
    reply = shown(out)
    assert CRITICS.summary.en in reply.plain_text()
    assert "C1 · " in reply.plain_text()
    other = await press(app, reply, "Other side:")
    assert LABS.summary.en in shown(other).plain_text()
    assert other.updates, "a button press updates the message in place"


async def test_side_command_rejects_unknown_side(app):
    out = await run(app, make_command("/debate side neutral"))
    assert "must be one of: accusers, defenders" in out.text


async def test_claim_view_has_status_sources_with_markers_and_rebuttal_buttons(app):
    claim = DEBATE.claim("L1")
    reply = shown(await run(app, make_command("/debate claim l1")))
    text = reply.plain_text()
    assert claim.statement.en in text and claim.explanation.en in text
    assert "Alleged, not established" in text and claim.status_note.en in text
    links = [b for b in reply.blocks if isinstance(b, Link)]
    assert [link.url for link in links] == [s.url for s in claim.sources]
    assert all(link.label.startswith("[") for link in links)
    assert "[primary source] Detecting and preventing distillation attacks — Anthropic" in text
    assert "[secondary reporting]" in text
    for rebuttal_id in claim.rebutted_by:
        rebuttal = DEBATE.claim(rebuttal_id)
        assert rebuttal.statement.en in text
        opened = await press(app, reply, f"Claim {rebuttal_id}", actor=MOD)
        assert shown(opened).title == f"Claim {rebuttal_id} · {CRITICS.label.en}"


async def test_claim_view_in_chinese_uses_chinese_markers(app):
    reply = shown(await run(app, make_command("/debate claim C3", actor=ZH)))
    text = reply.plain_text()
    assert DEBATE.claim("C3").statement.zh in text
    assert "【二手报道】" in text and "Bartz v. Anthropic" in text and "——" in text
    find_button(reply, "另一方：")


async def test_unknown_claim_is_explained(app):
    out = await run(app, make_command("/debate claim Z9"))
    assert "There is no claim “Z9”" in out.text and "L1–L14" in out.text
    assert out.replies[0].private


async def test_every_side_and_claim_view_has_one_press_to_the_other_side(app, clock):
    async def read(line: str, actor) -> Reply:
        clock.advance(seconds=5)  # a reader's pace: moderators are rate limited too
        return shown(await run(app, make_command(line, actor=actor)))

    for locale_actor, label in (
        (MOD, "Other side:"),
        (make_actor("m", moderator=True, locale="zh"), "另一方："),
    ):
        for side in DEBATE.sides:
            other = DEBATE.other_side(side.id)
            views = [await read(f"/debate side {side.id}", locale_actor)]
            views += [await read(f"/debate claim {c.id}", locale_actor) for c in side.claims]
            for view in views:
                button = find_button(view, label)
                opened = shown(await run(app, make_press(button.payload, actor=locale_actor)))
                assert other.summary.render("zh" if "另" in label else "en") in opened.plain_text()


async def collect_pages(app, first, actor):
    pages = [first]
    while True:
        nexts = [b for b in all_buttons(pages[-1]) if b.label.endswith("▶")]
        if not nexts:
            return pages
        pages.append(shown(await run(app, make_press(nexts[0].payload, actor=actor))))


@pytest.mark.parametrize("locale", ["en", "zh"])
async def test_every_view_page_fits_platform_limits(app, locale):
    actor = make_actor("m", moderator=True, locale=locale)
    lines = ["/debate", "/debate factcheck", "/debate timeline", "/debate glossary"]
    lines += [f"/debate side {s.id}" for s in DEBATE.sides]
    lines += [f"/debate claim {c.id}" for s in DEBATE.sides for c in s.claims]
    for line in lines:
        pages = await collect_pages(
            app, shown(await run(app, make_command(line, actor=actor))), actor
        )
        for number, page in enumerate(pages, 1):
            assert_fits(page)
            if len(pages) > 1:
                assert page.footer and f"{number}/{len(pages)}" in page.footer


async def test_long_views_are_paged_and_complete(app):
    first = shown(await run(app, make_command("/debate factcheck", actor=MOD)))
    pages = await collect_pages(app, first, MOD)
    assert len(pages) > 1
    text = "\n".join(p.plain_text() for p in pages)
    for check in DEBATE.fact_checks:
        assert check.passage in text and check.finding.en in text
    back = await press(app, pages[-1], "◀", actor=MOD)
    assert shown(back).plain_text() == pages[-2].plain_text()
    timeline = await collect_pages(
        app, shown(await run(app, make_command("/debate timeline", actor=MOD))), MOD
    )
    assert all(
        event.text.en in "\n".join(p.plain_text() for p in timeline) for event in DEBATE.timeline
    )


async def test_glossary_and_navigation_buttons(app):
    home = shown(await run(app, make_command("/debate")))
    glossary = shown(await press(app, home, "Glossary"))
    assert all(entry.term.en in glossary.plain_text() for entry in DEBATE.glossary[:3])
    back = shown(await press(app, glossary, "Overview"))
    assert back.title == home.title
    facts = shown(await press(app, home, "Fact-checks"))
    article = load_topic(DEFAULT_TOPIC).default_article.title.en
    assert facts.title == f"Fact-check notes on “{article}”"  # its article, whichever the chat's
    timeline = shown(await press(app, home, "Timeline"))
    assert timeline.title == "Timeline"
    community = shown(await press(app, home, "Community"))
    assert community.title == "Community arguments"


async def test_forged_view_buttons_expire_politely(app):
    for payload in (
        DebateView(view=View.CLAIM, key="Z9"),
        DebateView(view=View.SIDE, key="nobody"),
        "v1:debate.view:nowhere:-:1",  # forged: no such view
        "v1:debate.view:side:labs:500",  # forged: past the last page there can be
    ):
        out = await run(app, make_press(payload, actor=MOD))
        assert "button has expired" in out.text, payload
    out = await run(app, make_press(DebateView(view=View.SIDE, key="labs", page=9), actor=MOD))
    assert "Page 3/3" in shown(out).plain_text()  # the old keyword still opens the side


async def test_debate_postable_builds_the_card_for_the_target_chat(app, clock):
    postable = app.services.features.postables()["debate"]
    target = ChatRef("test", "elsewhere")
    reply = await postable.build(PostRequest(target, "", "zh", MOD, ChatRef("test", "chat"), True))
    assert DEBATE.question.zh in reply.plain_text()
    first, _ = ordered_sides(DEBATE.sides, target.key, clock.now().date())
    assert first_side_label(reply) == first.label.zh
    assert_fits(reply)


async def test_debate_commands_are_declared_with_feature_tags(app):
    registry = app.router.registry
    for path in (
        "debate",
        "debate side",
        "debate claim",
        "debate factcheck",
        "debate timeline",
        "debate glossary",
    ):
        assert registry.command(path).feature == "debate"
    for path in ("debate community", "argue", "argue queue", "argue withdraw"):
        assert registry.command(path).feature == "arguments"
    assert [b.payload for b in all_buttons(shown(await run(app, make_command("/debate"))))]


async def test_the_fact_checks_say_in_both_languages_they_may_not_check_this_chats_article(app):
    for actor, words in ((MOD, "not necessarily the one this chat discusses"), (ZH, "不一定是")):
        intro = shown(await run(app, make_command("/debate factcheck", actor=actor))).plain_text()
        assert words in intro
        assert "whichever article this chat discusses" not in intro  # said the opposite


async def test_chinese_statuses_sit_in_full_width_parentheses(app):
    # The tour saw "。 (已确认)": an ASCII space and parentheses after a Chinese sentence.
    text = shown(await run(app, make_command("/debate side defenders", actor=ZH))).plain_text()
    assert "（已证实）" in text and " (" not in text
