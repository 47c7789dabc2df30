"""Injection: user text with mentions, Telegram HTML and Markdown is shown literally, pings nobody.

Hostile text goes in through the real commands that echo user text (`/poll` question and
options, `/argue` shown in the moderation queue, `/article add`, `/summary edit`) on the real
Telegram `Application` and the real discord.py client. The exact payloads sent are inspected:
on Telegram valid HTML whose visible text is the user's text and whose `@` never starts a
mention; on Discord `allowed_mentions` that ping nobody, Markdown control characters escaped,
and no mention syntax left intact.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.discord import builders as discord_builders
from tests.hostile.platforms import (
    discord_parley,
    discord_problems,
    discord_visible,
    html_problems,
    message_calls,
    recording_errors,
    telegram_parley,
    telegram_problems,
    telegram_visible,
)
from tests.hostile.strategies import SPECS, slash_path
from tests.telegram.builders import make_message_update

MENTIONS = "@everyone @here <@&123> <@123> @alice"
HTML = '<a href="https://evil.example">click</a> <b>bold</b> & &amp; </i>'
MARKDOWN = "*star* _under_ ~~strike~~ `tick` ||spoiler|| > quote"
ARGUMENT = f"Labs matter because {MENTIONS} {HTML} {MARKDOWN} end."
ARTICLE = f"Title {MENTIONS} {MARKDOWN}. {HTML} The body has two sentences. Second one here."
EDITED = f"Edited {MENTIONS} {HTML} {MARKDOWN} summary."
QUESTION = f"Q {MENTIONS} {MARKDOWN.replace('|', '/')}?"
OPTIONS = (f"A {HTML}", f"B {MENTIONS}", "C *_~`>")

FRAGMENTS = [MENTIONS, HTML, MARKDOWN, QUESTION, *OPTIONS]
_MARKDOWN_CHARS = "*_~`|\\"


def _scenario() -> list[tuple[str, dict[str, str]]]:
    """(command path, options) in order; the Telegram line is built from the same values."""
    return [
        ("poll", {"poll": " | ".join((QUESTION, *OPTIONS))}),
        ("argue", {"side": "labs", "text": ARGUMENT}),
        ("argue queue", {}),
        ("article add", {"source": ARTICLE}),
        ("summary edit", {"text": EDITED}),
    ]


def _line(path: str, options: dict[str, str]) -> str:
    return " ".join([f"/{path}", *options.values()])


# --- Telegram --------------------------------------------------------------------------------


async def test_telegram_shows_hostile_text_literally_and_mentions_nobody(tmp_path: Path) -> None:
    async with recording_errors() as errors, telegram_parley(tmp_path) as rig:
        for path, options in _scenario():
            await rig.feed(make_message_update(_line(path, options)))
        calls = rig.api.calls
        assert telegram_problems(calls) == []
        assert errors.lines() == [] and rig.errors == []
        texts = [str(c.params["text"]) for c in calls if "text" in c.params]
        labels = [
            button["text"]
            for call in calls
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]
    visible = "\n".join(telegram_visible(text) for text in texts)
    for fragment in (QUESTION, *OPTIONS, ARGUMENT, EDITED):
        assert fragment in visible or fragment in labels, fragment
    assert any(label.endswith(OPTIONS[0]) for label in labels), labels
    for text in texts:
        assert html_problems(text) == [], text
        assert not re.search(r"@(?=\w)", text), f"a live @mention in {text!r}"
        assert 'evil.example">' not in text and "<b>bold" not in text


# --- Discord ---------------------------------------------------------------------------------


def _escaped_pattern(fragment: str) -> re.Pattern[str]:
    """The fragment as Discord markdown must carry it: control characters escaped."""
    parts = []
    for char in fragment:
        if char in _MARKDOWN_CHARS:
            parts.append(re.escape("\\" + char))
        elif char in "@<":
            parts.append(re.escape(char) + "\u200b?")
        elif char in ">#-":
            parts.append(r"\\?" + re.escape(char))
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts))


@pytest.mark.parametrize("place", ["dm", "guild moderator"])
async def test_discord_shows_hostile_text_literally_and_pings_nobody(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str
) -> None:
    where = {"dm": True} if place == "dm" else {"permissions": discord_builders.MANAGE_MESSAGES}
    async with recording_errors() as errors, discord_parley(tmp_path, monkeypatch) as rig:
        for path, options in _scenario():
            name, subcommand = slash_path(SPECS[path])
            await rig.interact(
                discord_builders.slash(name, options, subcommand=subcommand, **where)
            )
        calls = message_calls(rig.fake)
        assert discord_problems(calls) == []
        assert errors.lines() == [] and rig.harness.tree_errors == []
    raw = "\n".join(call.text for call in calls)
    labels = [
        button.get("label", "")
        for call in calls
        for row in call.message.get("components") or []
        for button in row.get("components") or []
    ]
    for fragment in (QUESTION, OPTIONS[1], OPTIONS[2], ARGUMENT, EDITED):
        assert fragment in discord_visible(raw) or any(fragment in x for x in labels), fragment
    for fragment in (QUESTION, ARGUMENT, EDITED):
        assert _escaped_pattern(fragment).search(raw), fragment
    assert not re.search(r"@(everyone|here)|<@&?\d", re.sub(r"```.*?```", "", raw, flags=re.S))
    for call in calls:
        assert call.message["allowed_mentions"] == {"parse": []}
