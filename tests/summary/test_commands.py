"""/summary through the router: lengths, languages, buttons, cache, edits, posting, forgetting."""

import re

from bot.identity import ChatRef
from bot.posting import PostRequest
from bot.reply import BulletList, Fields
from handlers.summary import summarizer
from tests.support import RecordingResponder, make_actor, make_command, make_press

MOD = make_actor("mod", moderator=True)
ZH = make_actor("bob", locale="zh")


async def run(app, invocation):
    responder = RecordingResponder()
    await app.router.dispatch(invocation, responder)
    return responder


def bullets(reply):
    return next(block.items for block in reply.blocks if isinstance(block, BulletList))


def payload(reply, label):
    return next(b.payload for row in reply.buttons for b in row if b.label == label)


async def test_short_summary_in_english_with_figures_and_buttons(app):
    out = await run(app, make_command("/summary short"))
    reply = out.replies[0]
    assert reply.title.startswith("Is Anthropic Panicking?")
    assert 1 <= len(bullets(reply)) <= 3
    assert re.search(r"Reduced by \d+% in length \(kept \d of 77 sentences\)", out.text)
    figures = next(block for block in reply.blocks if isinstance(block, Fields))
    assert "24,000 fake accounts" in dict(figures.pairs)
    labels = [b.label for row in reply.buttons for b in row]
    assert labels == ["Short", "Medium", "Long", "By section", "中文", "Full text"]
    assert out.progress == 1  # computed now: the platform shows "typing"
    again = await run(app, make_command("/summary short"))
    assert again.replies[0].title == reply.title and again.progress == 0  # cached: no "typing"


async def test_language_comes_from_the_argument_else_the_chat_locale(app):
    out = await run(app, make_command("/summary short zh"))
    assert out.replies[0].title.startswith("Anthropic 急了")
    out = await run(app, make_command("/summary", actor=ZH))
    assert out.replies[0].title.startswith("Anthropic 急了") and "篇幅缩减" in out.text
    out = await run(app, make_command("/summary long en", actor=ZH))
    assert out.replies[0].title.startswith("Is Anthropic") and "篇幅缩减" in out.text


async def test_bad_arguments_explain_the_usage(app):
    out = await run(app, make_command("/summary tiny"))
    assert "must be one of" in out.text and "/summary [length] [language]" in out.text
    out = await run(app, make_command("/summary short fr"))
    assert "must be one of" in out.text


async def test_second_request_comes_from_the_cache(app, monkeypatch):
    calls = []
    real = summarizer.summarize

    def spy(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(summarizer, "summarize", spy)
    first = await run(app, make_command("/summary long"))
    second = await run(app, make_command("/summary long"))
    assert calls == ["long"]
    assert first.replies[0] == second.replies[0]
    rows = await app.services.storage.database.fetch_all(
        "SELECT length, language, algorithm FROM summary_cache"
    )
    assert [tuple(row) for row in rows] == [("long", "en", summarizer.ALGORITHM_VERSION)]


async def test_simultaneous_requests_share_one_computation(app, monkeypatch):
    import asyncio

    calls = []
    real = summarizer.summarize

    def spy(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(summarizer, "summarize", spy)
    replies = await asyncio.gather(*(run(app, make_command("/summary medium")) for _ in range(4)))
    assert calls == ["medium"]
    assert all(r.replies[0] == replies[0].replies[0] for r in replies)


async def test_buttons_switch_length_and_language_in_place(app):
    out = await run(app, make_command("/summary short"))
    short = out.replies[0]
    pressed = await run(app, make_press(payload(short, "Long")))
    assert not pressed.replies and len(bullets(pressed.updates[0])) > len(bullets(short))
    pressed = await run(app, make_press(payload(short, "中文")))
    assert pressed.updates[0].title.startswith("Anthropic 急了")
    assert len(bullets(pressed.updates[0])) <= 3
    sections = await run(app, make_press(payload(short, "By section")))
    assert bullets(sections.updates[0])[1].startswith("The Little Trick in the Ranking: ")


async def test_original_text_comes_as_a_markdown_attachment(app):
    out = await run(app, make_command("/summary short zh"))
    original = await run(app, make_press(payload(out.replies[0], "Full text")))
    attachment = original.replies[0].attachment
    assert attachment.filename == "article-distillation-zh.md"
    assert attachment.data.decode().startswith("# Anthropic 急了？")
    assert original.replies[0].blocks[0].text == "The full text is attached."


async def test_the_english_full_text_says_it_is_a_translation(app):
    out = await run(app, make_command("/summary short en"))
    full = await run(app, make_press(payload(out.replies[0], "Full text")))
    caption = full.replies[0].blocks[0].text
    assert caption.startswith("Translation by the Parley team, attached")
    text = full.replies[0].attachment.data.decode()
    assert text.startswith("*Translator's note: English translation by the Parley team")
    assert "\n\n# Is Anthropic Panicking?" in text
    assert text.count("translated back from the Chinese article") == 3
    zh = await run(app, make_command("/summary short en", actor=make_actor("li", locale="zh")))
    assert [b.label for row in zh.replies[0].buttons for b in row][-1] == "全文"


async def test_members_cannot_edit_the_summary(app):
    out = await run(app, make_command("/summary edit My own summary."))
    assert "Only moderators" in out.text
    out = await run(app, make_command("/summary edit", actor=MOD))
    assert "`text` is missing" in out.text


async def test_edited_summary_replaces_the_automatic_one_and_keeps_history(app, clock):
    await run(app, make_command("/summary edit Anthropic accused three labs.", actor=MOD))
    clock.advance(hours=1)
    edited = await run(
        app, make_command("/summary edit Anthropic accused three labs of distillation.", actor=MOD)
    )
    assert "Edited summary by mod" in edited.text and "version 2" in edited.text
    out = await run(app, make_command("/summary"))
    assert "Anthropic accused three labs of distillation." in out.text
    assert "Edited summary by mod" in out.text
    automatic = await run(app, make_press(payload(out.replies[0], "Automatic summary")))
    assert "Reduced by" in automatic.updates[0].plain_text()
    assert "Edited summary" in [b.label for row in automatic.updates[0].buttons for b in row]
    history = await run(app, make_command("/summary history"))
    assert (
        "v2 · 2026-03-01 13:00 · mod: Anthropic accused three labs of distillation. (shown now)"
        in history.text
    )
    assert "v1 · 2026-03-01 12:00 · mod" in history.text
    zh = await run(app, make_command("/summary short zh"))
    assert "Edited summary" not in zh.text  # the edit belongs to the English edition
    empty = await run(app, make_command("/summary history zh", actor=ZH))
    assert "还没有人编辑过" in empty.text


async def test_posted_summary_carries_the_edit_and_forgetting_deletes_it(app):
    await run(app, make_command("/summary edit A moderator's own summary.", actor=MOD))
    postable = app.services.features.postables()["summary"]
    here = make_command("/x").chat
    request = PostRequest(here, "en", "en", MOD, here, True)
    posted = await postable.build(request)
    assert "A moderator's own summary." in posted.plain_text()
    assert await app.services.features.forget_user("test", "mod") >= 1
    out = await run(app, make_command("/summary history"))
    assert "Nobody has edited this summary yet" in out.text  # the words were theirs


async def test_feature_can_be_switched_off_per_chat(app, clock):
    chat = make_command("/summary").chat
    await app.services.storage.chat_settings.set_feature_enabled(
        chat, "summary", False, clock.now()
    )
    out = await run(app, make_command("/summary"))
    assert "summary" in out.text and "Reduced" not in out.text


async def test_latest_edit_is_the_newest_version_of_that_chat_and_edition(app, clock):
    articles = app.services.storage.articles
    here, elsewhere = ChatRef("console", "a"), ChatRef("console", "b")
    author = make_actor("mod", moderator=True)
    assert await articles.latest_edit(here, "distillation", "en") is None
    for number in range(1, 4):
        await articles.add_edit(here, "distillation", "en", f"v{number}", author, clock.now())
    await articles.add_edit(elsewhere, "distillation", "en", "other", author, clock.now())
    await articles.add_edit(here, "distillation", "zh-Hans", "中文", author, clock.now())
    latest = await articles.latest_edit(here, "distillation", "en")
    assert latest is not None and (latest.version, latest.text) == (3, "v3")
    history, total = await articles.edit_history(here, "distillation", "en", 10)
    assert history[-1] == latest and total == 3


async def test_chinese_sections_are_joined_with_chinese_punctuation(app):
    out = await run(app, make_command("/summary 分节 中文"))
    items = bullets(out.replies[0])
    assert items[1].startswith("排名里的小心思：15 万次调用")
    assert items[3].startswith("1600 万轮，真的很多吗？Anthropic 在推文里")  # no "？："
    assert not any(": " in item for item in items[1:])
    english = bullets((await run(app, make_command("/summary sections en"))).replies[0])
    assert english[1].startswith("The Little Trick in the Ranking: ")


async def test_a_tiny_part_of_a_long_text_is_never_reduced_by_100_percent(app):
    text = " ".join(f"Council member {n} spoke about the harbour budget." for n in range(700))
    await run(app, make_command(f"/article add {text}", actor=MOD))
    await run(app, make_command("/article use 1", actor=MOD))
    out = await run(app, make_command("/summary short"))
    assert "Reduced by 99% in length (kept " in out.text and "of 700 sentences" in out.text


async def test_a_one_sentence_article_says_sentence(app):
    await run(app, make_command("/article add The harbour vote passed by nine to four.", actor=MOD))
    await run(app, make_command("/article use 1", actor=MOD))
    out = await run(app, make_command("/summary"))
    assert "(kept 1 of 1 sentence)." in out.text
