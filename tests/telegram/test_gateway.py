"""The gateway outside any invocation: posting to other chats, permission checks, pins, edits."""

from __future__ import annotations

from bot.identity import Actor, ChatRef, MessageRef
from bot.reply import Reply
from tests.telegram.builders import ALICE, BOB, GROUP_ID
from tests.telegram.conftest import Harness
from tests.telegram.fake_api import BOT_ID

NEWS_ID = -1009999999
NEWS = {"id": NEWS_ID, "type": "channel", "title": "News", "username": "parley_news"}


def _actor(user_id: int) -> Actor:
    return Actor("telegram", str(user_id), "Someone")


def test_targets_are_usernames_or_numeric_ids(harness: Harness) -> None:
    gateway = harness.adapter.gateway
    assert gateway.parse_target("@parley_news") == ChatRef("telegram", "@parley_news")
    assert gateway.parse_target(str(GROUP_ID)) == ChatRef("telegram", str(GROUP_ID))
    assert gateway.parse_target("#news") is None
    assert gateway.parse_target("@ab") is None


async def test_can_post_only_where_bot_and_actor_are_allowed(harness: Harness) -> None:
    gateway, api = harness.adapter.gateway, harness.api
    api.public_chats["@parley_news"] = NEWS
    news = ChatRef("telegram", "@parley_news")
    assert await gateway.check_can_post(news, _actor(ALICE)) is not None  # bot is no admin
    api.admins[NEWS_ID] = {BOT_ID, ALICE}
    assert await gateway.check_can_post(news, _actor(ALICE)) is None
    assert await gateway.check_can_post(news, _actor(BOB)) is not None  # Bob is no admin
    api.statuses[(GROUP_ID, BOT_ID)] = "left"
    group = ChatRef("telegram", str(GROUP_ID))
    reason = await gateway.check_can_post(group, _actor(ALICE))
    assert reason is not None and "not a member" in reason.en


async def test_send_pin_and_edit_by_reference(harness: Harness) -> None:
    gateway, api = harness.adapter.gateway, harness.api
    api.public_chats["@parley_news"] = NEWS
    posted = await gateway.send(ChatRef("telegram", "@parley_news"), Reply.text("Hello <all>"))
    assert posted.chat == ChatRef("telegram", str(NEWS_ID))
    await gateway.pin(posted)
    [pin] = api.of("pinChatMessage")
    assert pin.params["disable_notification"] is True
    await gateway.edit(posted, Reply.text("Updated"))
    [edit] = api.of("editMessageText")
    assert edit.params["chat_id"] == NEWS_ID and edit.params["text"] == "Updated"


async def test_edit_of_a_photo_falls_back_to_the_caption(harness: Harness) -> None:
    harness.api.fail("editMessageText", 400, "Bad Request: there is no text in the message to edit")
    message = MessageRef(ChatRef("telegram", str(GROUP_ID)), "41")
    await harness.adapter.gateway.edit(message, Reply.text("new caption"))
    [caption] = harness.api.of("editMessageCaption")
    assert caption.params["caption"] == "new caption"


async def test_forum_topics_keep_their_thread(harness: Harness) -> None:
    await harness.adapter.gateway.send(ChatRef("telegram", str(GROUP_ID), "7"), Reply.text("hi"))
    [sent] = harness.api.of("sendMessage")
    assert sent.params["message_thread_id"] == 7
