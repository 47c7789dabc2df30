"""The shared adapter scenarios on the real `Application` over the fake Bot API transport."""

from __future__ import annotations

import re

import pytest

from bot.adapters.telegram.render import TEXT_LIMIT
from tests.telegram.builders import (
    ALICE,
    BOB,
    GROUP_ID,
    make_callback_update,
    make_document,
    make_member_update,
    make_message_update,
)
from tests.telegram.conftest import SLEEPS, Harness
from tests.telegram.feature import Quiet, Tap


async def test_help_in_english(harness: Harness) -> None:
    await harness.feed(make_message_update("/help"))
    [text] = harness.texts()
    assert text.startswith("<b>Parley commands</b>")
    assert "/greet &lt;times&gt;" in text
    [call] = harness.api.of("sendMessage")
    assert call.params["chat_id"] == ALICE
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}


async def test_help_in_chinese_from_language_code(harness: Harness) -> None:
    await harness.feed(make_message_update("/help", language_code="zh-hans"))
    [text] = harness.texts()
    assert "Parley 命令" in text
    assert "列出命令或说明某个命令" in text


async def test_command_with_arguments(harness: Harness) -> None:
    await harness.feed(make_message_update("/greet 2 Bob & <Carol>"))
    assert harness.texts() == ["Hello Bob &amp; &lt;Carol&gt;! Hello Bob &amp; &lt;Carol&gt;!"]


async def test_command_addressed_to_this_bot_in_a_group(harness: Harness) -> None:
    await harness.feed(make_message_update("/greet@parley_bot 1 Ann", chat_type="supergroup"))
    [call] = harness.api.of("sendMessage")
    assert call.params["text"] == "Hello Ann!"
    assert call.params["chat_id"] == GROUP_ID
    assert call.params["reply_parameters"]["allow_sending_without_reply"] is True


async def test_usage_error_explains_the_command(harness: Harness) -> None:
    await harness.feed(make_message_update("/greet lots Bob"))
    [text] = harness.texts()
    assert "must be a whole number" in text
    assert "/greet &lt;times&gt; &lt;name…&gt;" in text


async def test_commands_for_other_bots_and_unknown_group_commands_are_ignored(
    harness: Harness,
) -> None:
    await harness.feed(make_message_update("/help@otherbot", chat_type="supergroup"))
    await harness.feed(make_message_update("/help@otherbot"))
    await harness.feed(make_message_update("/nosuch", chat_type="supergroup"))
    await harness.feed(make_message_update("just chatting", chat_type="supergroup"))
    await harness.feed(make_message_update("/help", chat_type="supergroup", from_bot=True))
    assert harness.api.of("sendMessage") == []


async def test_unknown_command_is_answered_in_private_and_when_addressed(
    harness: Harness,
) -> None:
    await harness.feed(make_message_update("/nosuch"))
    await harness.feed(make_message_update("/nosuch@Parley_Bot", chat_type="supergroup"))
    texts = harness.texts()
    assert len(texts) == 2
    assert all("I don't know the command /nosuch" in text for text in texts)


async def test_button_press_runs_the_action_and_edits_the_message(harness: Harness) -> None:
    await harness.feed(make_message_update("/counter"))
    [sent] = harness.api.of("sendMessage")
    keyboard = sent.params["reply_markup"]["inline_keyboard"]
    assert keyboard[0][0] == {"text": "+1", "callback_data": Tap(amount=1).encode()}
    await harness.feed(make_callback_update(Tap(amount=1).encode(), message_id=77))
    assert harness.feature.taps == [(str(ALICE), 1)]
    [edit] = harness.api.of("editMessageText")
    assert edit.params["message_id"] == 77
    assert edit.params["text"] == "<b>Counter</b>\n\n1"
    assert [c.params.get("text") for c in harness.api.of("answerCallbackQuery")] == [None]


async def test_button_on_a_photo_edits_the_caption(harness: Harness) -> None:
    await harness.feed(make_callback_update(Tap(amount=1).encode(), message_text=None))
    assert harness.api.of("editMessageText") == []
    [edit] = harness.api.of("editMessageCaption")
    assert edit.params["caption"] == "<b>Counter</b>\n\n1"


async def test_callback_is_answered_even_when_the_handler_sends_nothing(
    harness: Harness,
) -> None:
    await harness.feed(make_callback_update(Quiet().encode()))
    assert len(harness.api.of("answerCallbackQuery")) == 1
    assert harness.feature.taps == [(str(ALICE), 0)]


async def test_unchanged_edit_is_not_an_error(harness: Harness) -> None:
    harness.api.fail("editMessageText", 400, "Bad Request: message is not modified")
    await harness.feed(make_callback_update(Tap(amount=1).encode()))
    assert len(harness.api.of("answerCallbackQuery")) == 1
    assert harness.api.of("sendMessage") == []


async def test_stale_or_forged_buttons_expire_politely(harness: Harness) -> None:
    for payload in ("v1:tg.tap:99", "v0:old:1", "v1:nosuch", "garbage", "v1:tg.tap:1:2"):
        await harness.feed(make_callback_update(payload))
    answers = [call.params.get("text") for call in harness.api.of("answerCallbackQuery")]
    assert len(answers) == 5
    assert all(answer and "This button has expired" in answer for answer in answers)
    assert harness.feature.taps == []


async def test_moderator_command_refused_for_a_member_accepted_for_an_admin(
    harness: Harness,
) -> None:
    harness.api.admins[GROUP_ID] = {BOB}
    harness.api.fail("sendMessage", 403, "Forbidden: bot can't initiate conversation with a user")
    await harness.feed(make_message_update("/secret", chat_type="supergroup", user_id=ALICE))
    refusal = harness.api.of("sendMessage")
    # The refusal is private: a private message was tried first, then the group got it.
    assert [call.params["chat_id"] for call in refusal] == [ALICE, GROUP_ID]
    assert "Only moderators can use /secret" in refusal[-1].params["text"]
    harness.clear()
    await harness.feed(
        make_message_update("/secret", chat_type="supergroup", user_id=BOB, first_name="Bob")
    )
    assert harness.texts() == ["the secret is 42"]
    assert len(harness.api.of("getChatAdministrators")) == 0  # cached for a while


async def test_member_updates_refresh_the_administrator_cache(harness: Harness) -> None:
    await harness.feed(make_message_update("/secret", chat_type="supergroup", user_id=BOB))
    assert "Only moderators" in harness.texts()[-1]
    harness.api.admins[GROUP_ID] = {BOB}
    await harness.feed(make_member_update())
    harness.clear()
    await harness.feed(make_message_update("/secret", chat_type="supergroup", user_id=BOB))
    assert harness.texts() == ["the secret is 42"]
    assert len(harness.api.of("getChatAdministrators")) == 1


async def test_anonymous_admin_and_private_chat_owner_are_moderators(harness: Harness) -> None:
    group_as_sender = {"id": GROUP_ID, "type": "supergroup", "title": "Parley Test"}
    await harness.feed(
        make_message_update("/secret", chat_type="supergroup", sender_chat=group_as_sender)
    )
    await harness.feed(make_message_update("/secret"))
    assert harness.texts() == ["the secret is 42", "the secret is 42"]
    assert harness.api.of("getChatAdministrators") == []


async def test_private_reply_in_a_group_goes_to_a_private_chat(harness: Harness) -> None:
    await harness.feed(make_message_update("/whisper", chat_type="supergroup"))
    [call] = harness.api.of("sendMessage")
    assert call.params["chat_id"] == ALICE
    assert call.params["text"] == "only for you"


async def test_handler_exception_gets_a_friendly_reply_and_the_bot_keeps_serving(
    harness: Harness,
) -> None:
    await harness.feed(make_message_update("/crash"))
    [apology] = harness.texts()
    assert re.search(r"incident [0-9a-f]{8}", apology)
    assert "secret internal detail" not in apology and "Traceback" not in apology
    await harness.feed(make_message_update("/greet 1 again"))
    assert harness.texts()[-1] == "Hello again!"
    assert not any("Traceback" in text for text in harness.api.sent_texts())


async def test_hostile_text_is_escaped_everywhere(harness: Harness) -> None:
    hostile = "<b>bold</b> & @everyone @alice <a href='x'>"
    await harness.feed(make_message_update(f"/shout {hostile}"))
    [text] = harness.texts()
    assert "<b>bold</b>" not in text and "<a href='x'>" not in text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; @\u2060everyone @\u2060alice" in text
    assert '<a href="https://example.org/?q=&lt;b&gt;' in text
    assert "javascript:" not in text.split("href=")[-1].split(">")[0]
    tags = re.findall(r"</?([a-z]+)", text)
    assert set(tags) <= {"b", "i", "a", "pre", "blockquote"}
    for tag in set(tags):
        assert len(re.findall(rf"<{tag}[ >]", text)) == text.count(f"</{tag}>")


async def test_long_reply_is_split_under_the_limit_with_buttons_last(harness: Harness) -> None:
    await harness.feed(make_message_update("/long"))
    calls = harness.api.of("sendMessage")
    assert len(calls) >= 5
    assert all(len(call.params["text"]) <= TEXT_LIMIT for call in calls)
    assert [("reply_markup" in call.params) for call in calls] == [False] * (len(calls) - 1) + [
        True
    ]
    joined = "\n".join(call.params["text"] for call in calls)
    assert "item 0:" in joined and "item 399:" in joined and joined.endswith("end")
    for call in calls:
        text = call.params["text"]
        assert text.count("<pre>") == text.count("</pre>")


async def test_photo_with_long_text_gets_a_short_caption_and_separate_text(
    harness: Harness,
) -> None:
    await harness.feed(make_message_update("/chart"))
    [photo] = harness.api.of("sendPhoto")
    assert photo.params["caption"] == "<b>Chart</b>"
    assert "photo" in photo.files
    [text] = harness.api.of("sendMessage")
    assert "reply_markup" in text.params and "reply_markup" not in photo.params


async def test_slow_command_shows_typing(harness: Harness) -> None:
    await harness.feed(make_message_update("/slow"))
    [action] = harness.api.of("sendChatAction")
    assert action.params["action"] == "typing"
    assert harness.texts() == ["done slowly"]


async def test_text_document_is_downloaded_for_commands_that_take_one(harness: Harness) -> None:
    harness.api.files["documents/doc1"] = b"# Notes\nhello"
    document = make_document("doc1", "notes.md", 13, "text/markdown")
    await harness.feed(make_message_update("/load", document=document))
    assert harness.feature.files == [("notes.md", b"# Notes\nhello")]
    pdf = make_document("doc2", "paper.pdf", 13, "application/pdf")
    await harness.feed(make_message_update("/load", document=pdf))
    assert harness.texts()[-1] == "loaded no file"


async def test_flood_wait_and_network_faults_are_retried(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns when building RetryAfter unless opted in to timedelta periods.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    SLEEPS.clear()
    harness.api.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    harness.api.fail("sendMessage", 502, "Bad Gateway")
    await harness.feed(make_message_update("/greet 1 Zoe"))
    assert [c.params["text"] for c in harness.api.of("sendMessage")][-1] == "Hello Zoe!"
    assert len(harness.api.of("sendMessage")) == 3
    assert SLEEPS == [3.0, 0.5]
