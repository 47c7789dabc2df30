"""The real discord.py client against the fake Discord: commands, buttons, replies, lifecycle."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Any

import discord
import discord.backoff
import pytest

from bot.adapters.discord import DiscordAdapter, create_adapter
from bot.adapters.discord.render import (
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    ROWS_PER_MESSAGE,
)
from bot.app import FatalAdapterError, Parley
from bot.config import Settings
from bot.identity import ChatRef, MessageRef
from bot.reply import Reply

from . import builders
from .conftest import Harness
from .fake_discord import Call, FakeDiscord
from .sample_feature import SECRET, CounterAdd, CounterNoop, CounterSlow

NO_MENTIONS = {"parse": []}


def synced(fake: FakeDiscord) -> dict[str, dict[str, Any]]:
    (put,) = [call for call in fake.calls if call.method == "PUT"]
    return {command["name"]: command for command in put.payload}


def option(command: dict[str, Any], name: str) -> dict[str, Any]:
    return next(o for o in command["options"] if o["name"] == name)


def custom_ids(call: Call) -> list[str]:
    return [
        component["custom_id"]
        for row in call.message.get("components", [])
        for component in row["components"]
    ]


async def test_sync_registers_typed_localized_commands(harness: Harness) -> None:
    await harness.start()
    commands = synced(harness.fake)

    order = commands["order"]
    assert order["description_localizations"] == {"zh-CN": "点餐"}
    count = option(order, "count")
    assert (count["type"], count["required"], count["min_value"], count["max_value"]) == (
        4,
        True,
        1,
        10,
    )
    size = option(order, "size")
    assert [(c["value"], c["name"], c["name_localizations"]) for c in size["choices"]] == [
        ("small", "Small", {"zh-CN": "小份"}),
        ("large", "Large", {"zh-CN": "大份"}),
    ]
    note = option(order, "note")
    assert (note["required"], note["min_length"], note["max_length"]) == (False, 2, 20)
    assert note["description_localizations"] == {"zh-CN": "给厨房的备注"}

    assert str(commands["purge"]["default_member_permissions"]) == str(builders.MANAGE_MESSAGES)
    assert commands["help"]["default_member_permissions"] is None

    upload = option(commands["upload"], "file")
    assert (upload["type"], upload["required"]) == (11, False)
    assert upload["description_localizations"] == {"zh-CN": "要附上的文件"}

    vote = commands["vote"]
    subcommands = {o["name"]: o for o in vote["options"]}
    assert set(subcommands) == {"create", "results"}
    assert all(o["type"] == 1 for o in subcommands.values())
    assert option(subcommands["create"], "question")["required"] is True
    for command in commands.values():
        assert len(command["description"]) <= 100


async def test_sync_to_configured_guilds(harness: Harness) -> None:
    await harness.start(guild_ids=[int(builders.GUILD_ID)])
    puts = [call for call in harness.fake.calls if call.method == "PUT"]
    assert [call.path for call in puts] == [
        f"/applications/{builders.APPLICATION_ID}/guilds/{builders.GUILD_ID}/commands"
    ]
    payload = builders.slash("order", {"count": 2, "size": "small"})
    payload["data"]["guild_id"] = builders.GUILD_ID
    (call,) = await harness.interact(payload)
    assert "ordered 2 small" in call.text


async def test_help_in_english_and_chinese(harness: Harness) -> None:
    await harness.start()
    (english,) = await harness.interact(builders.slash("help"))
    (chinese,) = await harness.interact(builders.slash("help", locale="zh-CN"))
    assert english.payload["type"] == 4 and not english.ephemeral
    assert english.message["embeds"][0]["title"] == "Parley commands"
    assert chinese.message["embeds"][0]["title"] == "Parley 命令"
    assert "/order" in english.text and "/purge" not in english.text


async def test_command_with_options_and_group(harness: Harness) -> None:
    await harness.start()
    (order,) = await harness.interact(
        builders.slash("order", {"count": 3, "size": "large", "note": "no onions"})
    )
    (create,) = await harness.interact(
        builders.slash("vote", {"question": "Lunch?"}, subcommand="create")
    )
    (results,) = await harness.interact(builders.slash("vote", subcommand="results"))
    assert "ordered 3 large note=no onions" in order.text
    assert "vote created: Lunch?" in create.text
    assert "vote results" in results.text


async def test_uploaded_file_reaches_the_handler(harness: Harness) -> None:
    await harness.start()
    url = harness.fake.host_file("notes.md", b"# hello")
    upload = builders.attachment(url, "notes.md", 7, "text/markdown")
    defer, answer = await harness.interact(
        builders.slash("upload", {"caption": "mine"}, upload=upload)
    )
    (without,) = await harness.interact(builders.slash("upload"))
    assert defer.payload["type"] == 5  # deferred before downloading
    assert "caption=mine files=notes.md text/markdown # hello" in answer.text
    assert "caption=None files=-" in without.text


async def test_unreachable_upload_is_answered_clearly(harness: Harness) -> None:
    await harness.start()
    with socket.socket() as probe:  # a port nothing listens on: the download is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    upload = builders.attachment(f"http://127.0.0.1:{port}/x.md", "x.md", 7, "text/markdown")
    calls = await harness.interact(builders.slash("upload", upload=upload))
    assert calls[0].payload["type"] == 5
    # Read by the handler, after the gates: a clear reply replaces the placeholder.
    assert "could not fetch the attached file “x.md”" in calls[-1].text


async def test_usage_error_is_ephemeral(harness: Harness) -> None:
    await harness.start()
    (call,) = await harness.interact(
        builders.slash("order", {"count": 3, "size": "small", "note": "x"})
    )
    assert call.ephemeral
    assert "at least 2 characters" in call.text
    assert "/order" in call.text


async def test_button_works_after_restart(harness: Harness, app: Parley) -> None:
    first = await harness.start()
    (posted,) = await harness.interact(builders.slash("counter"))
    plus_one, plus_two, _ = custom_ids(posted)
    assert plus_one == CounterAdd(amount=1).encode()
    message_id = posted.response["resource"]["message"]["id"]
    await first.stop()

    await harness.start()  # a fresh client that never saw the message
    (pressed,) = await harness.interact(builders.press(plus_two, message_id))
    assert pressed.payload["type"] == 7  # UPDATE_MESSAGE: the pressed message is replaced
    assert "added 2" in pressed.text
    assert pressed.message["allowed_mentions"] == NO_MENTIONS


async def test_slow_button_press_defers_then_edits(harness: Harness) -> None:
    await harness.start()
    defer, edit, note, again = await harness.interact(
        builders.press(CounterSlow().encode(), "1234567890123456789", flags=64)
    )
    assert defer.payload["type"] == 6
    assert edit.method == "PATCH" and edit.path.endswith("/messages/@original")
    assert "slowly updated" in edit.text
    assert note.method == "POST" and note.ephemeral and "private note" in note.text
    assert again.path == edit.path and "updated again" in again.text  # works on ephemerals


async def test_silent_button_press_is_acknowledged(harness: Harness) -> None:
    await harness.start()
    (call,) = await harness.interact(builders.press(CounterNoop().encode(), "1234567890123456789"))
    assert call.payload["type"] == 6  # DEFERRED_UPDATE_MESSAGE


@pytest.mark.parametrize(
    "custom_id", ["v1:gone.action:1", "v0:counter.add:1", "forged", "v1:counter.add:99"]
)
async def test_stale_or_forged_button_expires(harness: Harness, custom_id: str) -> None:
    await harness.start()
    (call,) = await harness.interact(builders.press(custom_id, "1234567890123456789"))
    assert call.payload["type"] == 4
    assert call.ephemeral
    assert "This button has expired" in call.text


async def test_moderator_command_refused_then_accepted(harness: Harness) -> None:
    await harness.start()
    (refused,) = await harness.interact(builders.slash("purge"))
    (accepted,) = await harness.interact(
        builders.slash("purge", permissions=builders.MANAGE_MESSAGES)
    )
    (in_dm,) = await harness.interact(builders.slash("purge", dm=True))
    assert refused.ephemeral and "Only moderators" in refused.text
    assert "purged" in accepted.text and not accepted.ephemeral
    assert "purged" in in_dm.text


async def test_actor_and_chat_translation(harness: Harness) -> None:
    await harness.start()
    (guild,) = await harness.interact(
        builders.slash("whoami", locale="zh-CN", roles=(builders.MOD_ROLE_ID,))
    )
    (thread,) = await harness.interact(
        builders.slash("whoami", permissions=builders.MANAGE_GUILD, in_thread=True)
    )
    (dm,) = await harness.interact(builders.slash("whoami", dm=True))
    fields = {f["name"]: f["value"] for f in guild.embeds[0]["fields"]}
    assert fields["user"] == f"{builders.USER_ID} Mason"
    assert fields["moderator"] == "False"
    assert fields["locale"] == "zh-CN zh"
    assert fields["roles"] == builders.MOD_ROLE_ID
    assert fields["chat"] == f"discord:{builders.CHANNEL_ID} thread=None"
    assert fields["kind"] == "group"
    fields = {f["name"]: f["value"] for f in thread.embeds[0]["fields"]}
    assert fields["moderator"] == "True"
    assert fields["chat"] == f"discord:{builders.CHANNEL_ID} thread={builders.THREAD_ID}"
    fields = {f["name"]: f["value"] for f in dm.embeds[0]["fields"]}
    assert (fields["moderator"], fields["kind"]) == ("True", "private")


async def test_stale_slash_command_gets_unknown_command_reply(harness: Harness) -> None:
    await harness.start()
    (call,) = await harness.interact(builders.slash("retired"))
    assert call.ephemeral and "I don't know the command /retired" in call.text
    assert [type(e).__name__ for e in harness.tree_errors] == ["CommandNotFound"]
    harness.tree_errors.clear()


async def test_handler_exception_gets_friendly_reply(harness: Harness) -> None:
    await harness.start()
    (crashed,) = await harness.interact(builders.slash("boom"))
    assert crashed.ephemeral
    assert "incident" in crashed.text
    every_payload = repr([call.payload for call in harness.fake.calls])
    assert SECRET not in every_payload and "Traceback" not in every_payload
    (after,) = await harness.interact(builders.slash("help"))
    assert "Parley commands" in after.text


async def test_hostile_text_is_escaped_and_pings_nobody(harness: Harness) -> None:
    await harness.start()
    hostile = "@everyone <@&123> **bold** @here"
    (call,) = await harness.interact(builders.slash("echo", {"text": hostile}))
    embed = call.message["embeds"][0]
    for text in (embed["title"], embed["description"], embed["fields"][0]["value"]):
        assert "@everyone" not in text and "@here" not in text
        assert "<@&123>" not in text
        assert "\\*\\*bold\\*\\*" in text
    await harness.interact(builders.slash("counter"))
    for sent in harness.fake.messages_sent():
        if sent.message:
            assert sent.message.get("allowed_mentions") == NO_MENTIONS, sent.path


async def test_long_reply_is_split_within_limits(harness: Harness) -> None:
    await harness.start()
    calls = await harness.interact(builders.slash("essay"))
    assert calls[0].payload["type"] == 4
    assert all(call.path.startswith(f"/webhooks/{builders.APPLICATION_ID}/") for call in calls[1:])
    assert len(calls) > 3
    text_messages = [call for call in calls if call.embeds]
    for call in calls:
        embeds = call.embeds
        assert len(embeds) <= EMBEDS_PER_MESSAGE
        assert sum(_embed_size(e) for e in embeds) <= EMBED_TOTAL_LIMIT
        for embed in embeds:
            assert len(embed.get("description") or "") <= 4096
            assert len(embed.get("fields", [])) <= 25
        assert len(call.message.get("components", [])) <= ROWS_PER_MESSAGE
        assert all(len(row["components"]) <= 5 for row in call.message.get("components", []))
    assert all(not call.message.get("components") for call in text_messages[:-1])
    assert text_messages[-1].files  # the chart goes with the last text message
    assert text_messages[-1].embeds[-1]["image"]["url"] == "attachment://chart_1.png"
    pressed = [cid for call in calls for cid in custom_ids(call)]
    assert len(pressed) == len(set(pressed)) == 42
    for n in (1, 30):
        assert sum(f"Paragraph {n}:" in call.text for call in calls) == 1


async def test_slow_command_defers_then_answers(harness: Harness) -> None:
    await harness.start()
    defer, answer = await harness.interact(builders.slash("slow"))
    assert defer.payload["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert answer.method == "PATCH" and answer.path.endswith("/messages/@original")
    assert "slow answer" in answer.text


async def test_private_reply_after_public_deferral(harness: Harness) -> None:
    await harness.start()
    defer, delete, followup = await harness.interact(builders.slash("whisper"))
    assert defer.payload["type"] == 5
    assert delete.method == "DELETE"
    assert followup.method == "POST" and followup.ephemeral
    assert "just for you" in followup.text


async def test_gateway_posts_and_edits(harness: Harness) -> None:
    adapter = await harness.start()
    chat = ChatRef("discord", builders.CHANNEL_ID)
    ref = await adapter.gateway.send(chat, Reply.text("scheduled @everyone"))
    await adapter.gateway.edit(ref, Reply.text("edited"))
    post, patch = harness.fake.calls[-2:]
    assert post.path == f"/channels/{builders.CHANNEL_ID}/messages"
    assert post.message["allowed_mentions"] == NO_MENTIONS
    assert patch.path == f"/channels/{builders.CHANNEL_ID}/messages/{ref.message_id}"
    assert "edited" in patch.text
    assert ref == MessageRef(chat, ref.message_id)


async def test_wrong_token_is_fatal(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(FatalAdapterError) as caught:
        await harness.start(token="wrong-token")
    assert "DISCORD_TOKEN" in str(caught.value)
    assert "wrong-token" not in str(caught.value)
    assert "wrong-token" not in caplog.text


async def test_network_failure_at_login_is_retried(harness: Harness) -> None:
    harness.fake.disconnect_logins = 2
    await harness.start()
    logins = [call for call in harness.fake.calls if call.path == "/users/@me"]
    assert len(logins) == 3


@pytest.mark.parametrize(
    ("code", "message"), [(4014, "privileged intent"), (4004, "DISCORD_TOKEN"), (4013, "4013")]
)
async def test_gateway_refusal_is_fatal(harness: Harness, code: int, message: str) -> None:
    harness.fake.refuse_identify = code
    adapter = DiscordAdapter(harness.app.router, builders.TOKEN, guild_ready_timeout=0.01)
    harness.adapters.append(adapter)
    await adapter.start()
    with pytest.raises(FatalAdapterError, match=message):
        await asyncio.wait_for(adapter.wait(), 5)


async def test_serve_registers_the_gateway_and_ends_with_the_connection(
    harness: Harness, app: Parley
) -> None:
    adapter = DiscordAdapter(app.router, builders.TOKEN, guild_ready_timeout=0.01)
    harness.adapters.append(adapter)
    serving = asyncio.create_task(app.serve([adapter]))
    await asyncio.wait_for(harness.fake.identified.wait(), 5)
    chat = ChatRef("discord", builders.CHANNEL_ID)
    await app.services.outbox.send(chat, Reply.text("via the outbox"))
    assert "via the outbox" in harness.fake.calls[-1].text
    await adapter.client.close()  # the connection ends on its own: serve returns
    await asyncio.wait_for(serving, 5)


@pytest.mark.parametrize("unreachable_for", [0, 2], ids=["at-once", "after-outage"])
async def test_dropped_gateway_connection_resumes_and_keeps_serving(
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    library_errors: Callable[[], list[logging.LogRecord]],
    unreachable_for: int,
) -> None:
    monkeypatch.setattr(discord.client, "ExponentialBackoff", _QuickBackoff)
    adapter = await harness.start()
    waiter = asyncio.create_task(adapter.wait())
    (before,) = await harness.interact(builders.slash("order", {"count": 1, "size": "small"}))
    assert "ordered 1 small" in before.text
    sequence = harness.fake.last_sequence

    harness.fake.refuse_gateway = unreachable_for  # reconnecting fails this often first
    await harness.fake.drop_connections()
    await asyncio.wait_for(harness.fake.resumed.wait(), 5)

    retries = [r for r in library_errors() if r.getMessage().startswith("Attempting a reconnect")]
    assert len(retries) == unreachable_for  # discord.py logs each retry at ERROR: expected here
    for record in retries:
        library_errors().remove(record)

    (resume,) = harness.fake.resumes
    assert (resume["token"], resume["session_id"], resume["seq"]) == (
        builders.TOKEN,
        "fake-session",
        sequence,
    )
    assert harness.fake.identifies == 1  # resumed the session, not a fresh login
    (after,) = await harness.interact(builders.slash("order", {"count": 2, "size": "large"}))
    assert "ordered 2 large" in after.text
    assert not waiter.done() and not adapter.client.is_closed()
    await adapter.stop()
    await asyncio.wait_for(waiter, 5)


class _QuickBackoff(discord.backoff.ExponentialBackoff):  # type: ignore[type-arg]
    """discord.py's reconnect back-off without its waits of up to seconds."""

    def delay(self) -> float:
        return 0.01


async def test_clean_shutdown(harness: Harness) -> None:
    adapter = await harness.start()
    waiter = asyncio.create_task(adapter.wait())
    await adapter.stop()
    await asyncio.wait_for(waiter, 5)
    assert adapter.client.is_closed()
    await adapter.stop()  # idempotent


async def test_create_adapter_from_settings(app: Parley, settings: Settings) -> None:
    with pytest.raises(FatalAdapterError):
        create_adapter(settings, app)
    configured = settings.model_copy(update={"discord_token": "x" * 30})
    configured = Settings(
        _env_file=None,  # type: ignore[call-arg]
        DISCORD_TOKEN="token-" + "x" * 30,
        DISCORD_GUILD_IDS="1,2",
        PARLEY_DB=str(settings.database_path),
    )
    adapter = create_adapter(configured, app)
    assert isinstance(adapter, DiscordAdapter) and adapter.platform == "discord"


def _embed_size(embed: dict[str, Any]) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    return size + len((embed.get("footer") or {}).get("text", ""))
