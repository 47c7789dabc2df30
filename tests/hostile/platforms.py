"""Parley on its real adapters for the hostile-input tests, and checks for what they send.

`telegram_parley` runs the real python-telegram-bot `Application` over the fake Bot API
transport (tests/telegram); `discord_parley` runs the real discord.py client against the fake
Discord on 127.0.0.1 (tests/discord). Both serve every real feature (`parley.features`), with live
poll tallies refreshed at once so no edit is left pending when a test ends.

The `*_problems` functions inspect the exact payloads sent and describe everything that real
Telegram or Discord would refuse or show wrongly: over-long text, broken HTML, embeds past
their limits, mentions that could ping, too many components.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl
from telegram import Update
from telegram.ext import ContextTypes

from bot.adapters.discord import DiscordAdapter
from bot.adapters.telegram import TelegramAdapter, create_adapter
from bot.app import FeatureFactory, Parley
from bot.services import Feature, Services
from handlers.polls.feature import PollFeature
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from parley.features import build_features
from tests.discord import builders as discord_builders
from tests.discord.conftest import Harness as DiscordHarness
from tests.discord.fake_discord import Call as DiscordCall
from tests.discord.fake_discord import FakeDiscord
from tests.support import FakeClock, make_settings
from tests.telegram.conftest import FAST
from tests.telegram.fake_api import TOKEN as TELEGRAM_TOKEN
from tests.telegram.fake_api import Call as TelegramCall
from tests.telegram.fake_api import FakeBotApi, FakeRequest

CRASH_MARKERS = ("Traceback", "something went wrong on my side", "出了点问题")
"""Text that only reaches a chat when a handler crashed (or leaked its exception)."""

GENEROUS_LIMITS = {"PARLEY_RATE_LIMIT_BURST": 1_000_000, "PARLEY_RATE_LIMIT_PER_MINUTE": 1e6}


def all_features(services: Services) -> list[Feature]:
    """Every real feature; poll tallies refresh immediately instead of once per 2 s."""
    polls = load_topic(DEFAULT_TOPIC).polls
    return [
        PollFeature(services, polls, edit_interval=0.0)
        if isinstance(feature, PollFeature)
        else feature
        for feature in build_features(services)
    ]


class ErrorLog(logging.Handler):
    """Records every ERROR (and worse) log record while installed on the root logger."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" for r in self.records]


@asynccontextmanager
async def recording_errors() -> AsyncIterator[ErrorLog]:
    recorder = ErrorLog()
    root = logging.getLogger()
    root.addHandler(recorder)
    try:
        yield recorder
    finally:
        root.removeHandler(recorder)


# --- Telegram --------------------------------------------------------------------------------


@dataclass
class TelegramRig:
    """The running Telegram adapter over the fake Bot API, and the errors it reported."""

    parley: Parley
    adapter: TelegramAdapter
    api: FakeBotApi
    errors: list[BaseException] = field(default_factory=list)

    async def feed(self, payload: dict[str, Any]) -> None:
        """Process one update as the application would, and the live edits it caused."""
        application = self.adapter.application
        await application.process_update(Update.de_json(payload, application.bot))
        await self.parley.services.background.idle()


@asynccontextmanager
async def telegram_parley(
    folder: Path,
    *,
    clock: FakeClock | None = None,
    api: FakeBotApi | None = None,
    features: FeatureFactory = all_features,
    **env: Any,
) -> AsyncIterator[TelegramRig]:
    """Parley with every feature on the real Telegram `Application` (fake transport)."""
    api = api or FakeBotApi()
    settings = make_settings(folder, TELEGRAM_TOKEN=TELEGRAM_TOKEN, **{**GENEROUS_LIMITS, **env})
    async with Parley.open(settings, clock or FakeClock(), features=features) as parley:
        adapter = create_adapter(
            settings,
            parley,
            options=FAST,
            request=FakeRequest(api),
            get_updates_request=FakeRequest(api),
        )
        rig = TelegramRig(parley, adapter, api)

        async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert context.error is not None
            rig.errors.append(context.error)

        adapter.application.add_error_handler(record)
        parley.services.outbox.register(adapter.gateway)
        await adapter.start()
        try:
            yield rig
        finally:
            await adapter.stop()


# --- Discord ---------------------------------------------------------------------------------


@dataclass
class DiscordRig:
    """The running Discord adapter against the fake Discord."""

    parley: Parley
    harness: DiscordHarness
    fake: FakeDiscord
    adapter: DiscordAdapter

    async def interact(self, payload: dict[str, Any]) -> list[DiscordCall]:
        """Dispatch an INTERACTION_CREATE; returns the calls made with its token."""
        return await self.harness.interact(payload)


@asynccontextmanager
async def discord_parley(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    clock: FakeClock | None = None,
    features: FeatureFactory = all_features,
    **env: Any,
) -> AsyncIterator[DiscordRig]:
    """Parley with every feature on the real discord.py client (fake Discord on 127.0.0.1)."""
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_url)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    settings = make_settings(
        folder, DISCORD_TOKEN=discord_builders.TOKEN, **{**GENEROUS_LIMITS, **env}
    )
    try:
        async with Parley.open(settings, clock or FakeClock(), features=features) as parley:
            harness = DiscordHarness(fake, parley)
            harness.track_interactions(monkeypatch)
            adapter = await harness.start()
            parley.services.outbox.register(adapter.gateway)
            try:
                yield DiscordRig(parley, harness, fake, adapter)
            finally:
                await harness.close()
    finally:
        await fake.close()


# --- Telegram payload checks -----------------------------------------------------------------

TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024
TELEGRAM_ANSWER_LIMIT = 200
CALLBACK_DATA_BYTES = 64
TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
}
_HTML_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[a-z-]+)(?P<attrs>(?:\s+[a-z]+=\"[^\"<>]*\")*)>"
    r"|&(?:lt|gt|amp|quot);"
    r"|(?P<stray>[<>&])"
)
_HREF = re.compile(r'^\s+href="(https?://[^"<>\s]+)"$')


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def html_problems(text: str) -> list[str]:
    """What a strict Telegram HTML parser would refuse in `text` (empty when it is valid)."""
    problems: list[str] = []
    stack: list[str] = []
    for match in _HTML_TOKEN.finditer(text):
        if match.group("stray"):
            problems.append(f"unescaped {match.group('stray')!r} at {match.start()}")
            continue
        tag = match.group("tag")
        if tag is None:
            continue
        if tag not in TELEGRAM_TAGS:
            problems.append(f"tag <{tag}> is not allowed")
            continue
        attrs = match.group("attrs") or ""
        if match.group("close"):
            if attrs or not stack or stack[-1] != tag:
                problems.append(f"</{tag}> does not close {stack[-1:] or 'anything'}")
            else:
                stack.pop()
            continue
        if tag == "a":
            if not _HREF.match(attrs):
                problems.append(f"<a{attrs}> needs exactly one http(s) href")
            if "a" in stack:
                problems.append("nested <a>")
        elif attrs:
            problems.append(f"<{tag}> takes no attributes")
        stack.append(tag)
    if stack:
        problems.append(f"unclosed tags {stack}")
    if not telegram_visible(text).strip():
        problems.append("no visible text")
    return problems


def telegram_visible(text: str) -> str:
    """What a Telegram user reads: tags dropped, entities decoded, word joiners removed."""
    return html.unescape(re.sub(r"<[^>]*>", "", text)).replace("\u2060", "")


def telegram_problems(calls: list[TelegramCall]) -> list[str]:
    """Every malformed payload among the Bot API calls (empty when all are well-formed)."""
    problems: list[str] = []
    for call in calls:
        params = call.params
        where = f"{call.method}"
        if call.method == "answerCallbackQuery":
            answer = params.get("text")
            if answer is not None and len(str(answer)) > TELEGRAM_ANSWER_LIMIT:
                problems.append(f"{where}: callback answer over {TELEGRAM_ANSWER_LIMIT}")
            problems += _crash_problems(where, str(answer or ""))
            continue
        for key, limit in (("text", TELEGRAM_TEXT_LIMIT), ("caption", TELEGRAM_CAPTION_LIMIT)):
            if key not in params or params[key] is None:
                continue
            text = str(params[key])
            if utf16_length(text) > limit:
                problems.append(f"{where}: {key} of {utf16_length(text)} UTF-16 units")
            if params.get("parse_mode") != "HTML":
                problems.append(f"{where}: {key} without parse_mode HTML")
            problems += [f"{where}: {p} in {text[:200]!r}" for p in html_problems(text)]
            problems += _crash_problems(where, text)
        if "entities" in params or "caption_entities" in params:
            problems.append(f"{where}: explicit entities")
        problems += [f"{where}: {p}" for p in _keyboard_problems(params.get("reply_markup"))]
    return problems


def _keyboard_problems(markup: Any) -> list[str]:
    if markup is None:
        return []
    if not isinstance(markup, dict) or set(markup) != {"inline_keyboard"}:
        return [f"unexpected reply_markup {markup!r:.200}"]
    problems: list[str] = []
    buttons = [button for row in markup["inline_keyboard"] for button in row]
    if len(buttons) > 100:
        problems.append(f"{len(buttons)} buttons")
    for button in buttons:
        data = button.get("callback_data")
        if not str(button.get("text", "")).strip():
            problems.append("a button without a label")
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= CALLBACK_DATA_BYTES:
            problems.append(f"callback_data {data!r} is not 1-64 bytes")
    return problems


def _crash_problems(where: str, text: str) -> list[str]:
    return [f"{where}: crash text {m!r} in {text[:300]!r}" for m in CRASH_MARKERS if m in text]


# --- Discord payload checks ------------------------------------------------------------------

CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_LIMITS = {"title": 256, "description": 4096}
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_EMBED = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
ROWS_PER_MESSAGE = 5
BUTTONS_PER_ROW = 5
LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100
_PINGS = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>", re.IGNORECASE)


def message_calls(fake: FakeDiscord) -> list[DiscordCall]:
    """Every REST call that created or replaced a message's content."""
    calls = []
    for call in fake.messages_sent():
        deferral = "/callback" in call.path and (call.payload or {}).get("type") not in (4, 7)
        if call.method == "POST" and deferral:
            continue  # deferrals carry no message
        calls.append(call)
    return calls


def discord_problems(calls: list[DiscordCall]) -> list[str]:
    """Every message payload Discord would refuse or that could ping someone."""
    problems: list[str] = []
    for call in calls:
        body = call.message
        where = f"{call.method} {call.path[:60]}"
        if not body:
            problems.append(f"{where}: empty message body")
            continue
        mentions = body.get("allowed_mentions")
        if (
            not isinstance(mentions, dict)
            or mentions.get("parse") != []
            or any(mentions.get(key) for key in ("users", "roles", "replied_user"))
        ):
            problems.append(f"{where}: allowed_mentions {mentions!r} may ping")
        content = body.get("content") or ""
        if len(content) > CONTENT_LIMIT:
            problems.append(f"{where}: content of {len(content)} characters")
        embeds = body.get("embeds") or []
        parts = (content, embeds, body.get("attachments"), call.files, body.get("components"))
        if not any(parts):
            problems.append(f"{where}: a message with nothing in it")
        if len(embeds) > EMBEDS_PER_MESSAGE:
            problems.append(f"{where}: {len(embeds)} embeds")
        total = 0
        for embed in embeds:
            problems += [f"{where}: {p}" for p in _embed_problems(embed)]
            total += _embed_size(embed)
        if total > EMBED_TOTAL_LIMIT:
            problems.append(f"{where}: embeds total {total} characters")
        problems += [f"{where}: {p}" for p in _component_problems(body.get("components") or [])]
        visible = "\n".join([content, call.text])
        problems += _crash_problems(where, visible)
        outside_code = re.sub(r"```.*?```", "", visible, flags=re.DOTALL)  # shown verbatim
        for ping in _PINGS.finditer(outside_code):
            problems.append(f"{where}: pingable {ping.group()!r}")
    return problems


def _embed_size(embed: dict[str, Any]) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "")
    size += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields") or [])
    return size


def _embed_problems(embed: dict[str, Any]) -> list[str]:
    problems = [
        f"embed {key} of {len(embed[key])} characters"
        for key, limit in EMBED_LIMITS.items()
        if len(embed.get(key) or "") > limit
    ]
    fields = embed.get("fields") or []
    if len(fields) > FIELDS_PER_EMBED:
        problems.append(f"{len(fields)} fields")
    for item in fields:
        if not item["name"]:
            problems.append("a field without a name")
        if not item["value"]:
            problems.append("a field without a value")
        if len(item["name"]) > FIELD_NAME_LIMIT or len(item["value"]) > FIELD_VALUE_LIMIT:
            problems.append("a field past its limits")
    if len((embed.get("footer") or {}).get("text") or "") > FOOTER_LIMIT:
        problems.append("footer too long")
    if not (embed.get("title") or embed.get("description") or fields or embed.get("image")):
        problems.append("an empty embed")
    return problems


def _component_problems(rows: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(rows) > ROWS_PER_MESSAGE:
        problems.append(f"{len(rows)} component rows")
    seen: set[str] = set()
    count = 0
    for row in rows:
        buttons = row.get("components") or []
        count += len(buttons)
        if row.get("type") != 1 or not 1 <= len(buttons) <= BUTTONS_PER_ROW:
            problems.append(f"a row of {len(buttons)} components")
        for button in buttons:
            custom_id = button.get("custom_id") or ""
            label = button.get("label") or ""
            if not 1 <= len(custom_id) <= CUSTOM_ID_LIMIT or custom_id in seen:
                problems.append(f"custom_id {custom_id!r} empty, long or repeated")
            if not 1 <= len(label) <= LABEL_LIMIT:
                problems.append(f"button label {label!r} is not 1-80 characters")
            seen.add(custom_id)
    if count > ROWS_PER_MESSAGE * BUTTONS_PER_ROW:
        problems.append(f"{count} components")
    return problems


def discord_visible(text: str) -> str:
    """What a Discord user reads of escaped markdown: escapes and zero-width breaks removed."""
    return re.sub(r"\\(.)", r"\1", text.replace("\u200b", ""))
