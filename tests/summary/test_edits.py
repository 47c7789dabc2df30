"""Edited summaries a moderator can correct: lengths, reset, restore, history, languages."""

from bot.identity import ChatRef
from bot.posting import PostRequest
from bot.reply import BulletList
from handlers.summary.actions import SummaryRestore
from tests.support import RecordingResponder, make_actor, make_command, make_press

MOD = make_actor("mod", moderator=True)
MEMBER = make_actor("alice")
EDIT_EN = "Anthropic accused three Chinese labs of distillation; critics doubt it."
EDIT_EN_2 = "Anthropic says three labs ran 16 million exchanges; the labs have not answered."
EDIT_ZH = "Anthropic 指控三家中国实验室蒸馏其模型，批评者质疑证据是否充分。"
ENGLISH_ONLY = (
    "# Harbour Plan\n\nThe port authority approved a 300 million dollar expansion on Monday. "
    "Critics say the plan ignores the fishing fleet. But the authority said the fleet keeps its "
    "berths.\n\n## Next steps\n\nConstruction starts in spring and lasts two years."
)


async def run(app, line, actor=MOD, chat="chat"):
    responder = RecordingResponder()
    await app.router.dispatch(make_command(line, actor=actor, chat=chat), responder)
    return responder


async def press(app, payload, actor=MOD, chat="chat"):
    responder = RecordingResponder()
    await app.router.dispatch(make_press(payload, actor=actor, chat=chat), responder)
    return responder


def labels(reply):
    return [b.label for row in reply.buttons for b in row]


def payload(reply, label):
    return next(b.payload for row in reply.buttons for b in row if b.label == label)


async def stored(app):
    rows = await app.services.storage.database.fetch_all(
        "SELECT language, text, withdrawn_at IS NOT NULL FROM summary_edits ORDER BY id"
    )
    return [tuple(row) for row in rows]


async def test_a_length_still_shows_that_summary_and_the_edit_is_one_button_away(app):
    await run(app, f"/summary edit {EDIT_EN}")
    for line in ("/summary short", "/summary 短", "/summary short en"):
        out = await run(app, line, actor=MEMBER)
        reply = out.replies[0]
        items = next(block.items for block in reply.blocks if isinstance(block, BulletList))
        assert 1 <= len(items) <= 3 and "Reduced by" in out.text, line
        assert EDIT_EN not in out.text and "Edited summary" in labels(reply), line
    edited = await press(app, payload(reply, "Edited summary"), actor=MEMBER)
    assert EDIT_EN in edited.updates[0].plain_text()
    plain = await run(app, "/summary", actor=MEMBER)
    assert EDIT_EN in plain.text and "Edited summary by mod" in plain.text


async def test_moderator_text_is_not_labelled_as_the_teams_translation(app):
    out = await run(app, f"/summary edit {EDIT_EN}")
    assert EDIT_EN in out.text and "translation by the Parley team" not in out.text
    automatic = await run(app, "/summary short en")
    assert "translation by the Parley team" in automatic.text  # the automatic one is


async def test_reset_goes_back_to_the_automatic_summary_and_is_never_stored(app):
    await run(app, f"/summary edit {EDIT_EN}")
    await run(app, f"/summary edit {EDIT_ZH}")
    out = await run(app, "/summary edit --reset")
    assert "Back to the automatic summary (Chinese (Simplified), English)" in out.text
    assert "Reduced by" in out.text and out.replies[0].title.startswith("Is Anthropic")
    assert await stored(app) == [("en", EDIT_EN, 1), ("zh-Hans", EDIT_ZH, 1)]
    for line in ("/summary", "/summary zh"):
        shown = await run(app, line, actor=MEMBER)
        assert "Edited summary" not in shown.text and "Reduced by" in shown.text, line
    again = await run(app, "/summary edit --reset")
    assert "There is no edited summary to take back" in again.text


async def test_reset_of_one_language_keeps_the_other(app):
    await run(app, f"/summary edit {EDIT_EN}")
    await run(app, f"/summary edit {EDIT_ZH}")
    out = await run(app, "/summary edit —reset 中文")  # a phone's dash, a Chinese language word
    assert "(Chinese (Simplified))" in out.text
    assert await stored(app) == [("en", EDIT_EN, 0), ("zh-Hans", EDIT_ZH, 1)]
    assert EDIT_EN in (await run(app, "/summary en")).text


async def test_options_and_too_short_edits_are_refused_and_nothing_is_stored(app):
    for line, expected in (
        ("/summary edit x", "at least 20 characters; this one has 1"),
        ("/summary edit --undo", "“--undo” is not an option of /summary edit"),
        ("/summary edit --reset zh en", "/summary edit --reset zh (or en)"),
        ("/summary edit --reset fr", "must be one of"),
    ):
        out = await run(app, line)
        assert expected in out.text, line
    assert await stored(app) == []
    zh = await run(app, "/summary edit 太短", actor=make_actor("mod", moderator=True, locale="zh"))
    assert "编辑后的摘要至少需要 20 个字符，这段只有 2 个。" in zh.text


async def test_chinese_refusals_of_reset_name_the_chinese_language_words(app):
    chinese_mod = make_actor("mod", moderator=True, locale="zh")
    for line, expected in (
        ("/summary edit --撤销", "可再加“中文”或“英文”"),
        ("/summary edit --reset 中文 英文", "/summary edit --reset 中文（或英文）"),
    ):
        out = await run(app, line, actor=chinese_mod)
        assert expected in out.text and "zh" not in out.text, line
    nothing = await run(app, "/summary edit --reset 英文", actor=chinese_mod)
    assert "没有可撤回的编辑摘要" in nothing.text  # the Chinese word the refusals name is read
    assert await stored(app) == []


async def test_history_lists_every_language_in_the_chats_time_zone(app, clock):
    chat = ChatRef("test", "chat")
    settings = app.services.storage.chat_settings
    await settings.set_language(chat, "zh", clock.now())
    await settings.set_timezone(chat, "Asia/Shanghai", clock.now())
    await run(app, f"/summary edit {EDIT_EN}")  # English text: the English edition
    clock.advance(minutes=30)
    await run(app, f"/summary edit {EDIT_ZH}")
    history = await run(app, "/summary history", actor=MEMBER)
    text = history.text
    assert "时间按本群时区 Asia/Shanghai 显示。" in text
    assert "英文摘要" in text and "简体中文摘要" in text
    assert f"第 1 版 · 2026-03-01 20:00 · mod：{EDIT_EN}（当前显示）" in text
    assert "第 1 版 · 2026-03-01 20:30 · mod：" in text
    assert "zh-Hans" not in text and "UTC" not in text
    clock.advance(minutes=30)
    await run(app, "/summary edit --reset en")
    history = await run(app, "/summary history en", actor=MEMBER)
    assert "（已于 2026-03-01 21:00 撤回）" in history.text and "简体中文摘要" not in history.text


async def test_a_history_button_restores_an_older_version(app, clock):
    await run(app, f"/summary edit {EDIT_EN}")
    clock.advance(minutes=5)
    await run(app, f"/summary edit {EDIT_EN_2}")
    history = (await run(app, "/summary history")).replies[0]
    assert labels(history) == ["Restore v1"]
    refused = await press(app, payload(history, "Restore v1"), actor=MEMBER)
    assert "Only moderators" in refused.text
    restored = await press(app, payload(history, "Restore v1"))
    assert "Restored version 1 as version 3." in restored.text and EDIT_EN in restored.text
    assert EDIT_EN in (await run(app, "/summary", actor=MEMBER)).text
    history = await run(app, "/summary history")
    assert f"v3 · 2026-03-01 12:05 · mod: {EDIT_EN} (restores v1) (shown now)" in history.text
    assert labels(history.replies[0]) == ["Restore v2", "Restore v1"]


async def test_a_restore_button_names_only_this_chats_versions(app):
    await run(app, f"/summary edit {EDIT_EN}", chat="other")
    (edit_id,) = [
        row[0]
        for row in await app.services.storage.database.fetch_all("SELECT id FROM summary_edits")
    ]
    forged = await press(app, SummaryRestore(ref="distillation", edit=edit_id))
    assert "no longer exists" in forged.text
    assert len(await stored(app)) == 1


async def test_forgetting_an_author_deletes_the_restored_copies_of_their_words(app, clock):
    await run(app, f"/summary edit {EDIT_EN}", actor=make_actor("bob", moderator=True))
    await run(app, f"/summary edit {EDIT_EN_2}")
    history = (await run(app, "/summary history")).replies[0]
    await press(app, payload(history, "Restore v1"))
    assert await app.services.features.forget_user("test", "bob") >= 2
    assert await stored(app) == [("en", EDIT_EN_2, 0)]


async def test_an_english_only_article_asked_in_chinese_says_so_and_how_to_add_one(app):
    await run(app, f"/article add {ENGLISH_ONLY}")
    await run(app, "/article use 1")
    out = await run(app, "/summary zh", actor=MEMBER)
    assert out.replies[0].title == "Harbour Plan"
    assert "This article has no Chinese edition, so this is the summary of its English text." in (
        out.text
    )
    assert "/summary edit followed by the summary written in Chinese" in out.text
    zh = await run(app, "/summary 中文", actor=make_actor("bob", locale="zh"))
    assert "这篇文章没有中文版，以下是英文原文的摘要。" in zh.text
    await run(app, f"/summary edit {EDIT_ZH}")
    assert await stored(app) == [("zh", EDIT_ZH, 0)]
    assert EDIT_ZH in (await run(app, "/summary zh", actor=MEMBER)).text
    english = await run(app, "/summary en", actor=MEMBER)
    assert EDIT_ZH not in english.text and "no Chinese edition" not in english.text


async def test_chinese_words_for_lengths_and_languages_are_listed_in_chinese(app):
    out = await run(app, "/summary 很长", actor=make_actor("bob", locale="zh"))
    assert "简短（short）、中等（medium）、详细（long）、分节（sections）" in out.text
    out = await run(app, "/summary 详细 英文", actor=make_actor("bob", locale="zh"))
    assert out.replies[0].title.startswith("Is Anthropic") and "篇幅缩减" in out.text


async def test_history_shows_the_newest_ten_versions_per_language(app, clock):
    for number in range(11):
        clock.advance(minutes=1)
        await run(app, f"/summary edit Version number {number} of the edited summary.")
    history = await run(app, "/summary history")
    assert "v11 · " in history.text and "v2 · " in history.text and "v1 · " not in history.text
    assert "…and 1 older version." in history.text
    assert len(labels(history.replies[0])) == 5


async def test_a_posted_summary_follows_the_same_rule(app):
    await run(app, f"/summary edit {EDIT_EN}")
    postable = app.services.features.postables()["summary"]
    here = ChatRef("test", "chat")
    edited = await postable.build(PostRequest(here, "en", "en", MOD, here, True))
    assert EDIT_EN in edited.plain_text()
    short = await postable.build(PostRequest(here, "简短 en", "en", MOD, here, True))
    assert EDIT_EN not in short.plain_text() and "Edited summary" in labels(short)
