"""Property-based fuzzing of the router with every real feature: random and adversarial command
lines and button payloads never crash a handler and always get a well-formed reply."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Parley
from bot.buttons import MAX_PAYLOAD_BYTES
from bot.commands import Registry
from bot.reply import Reply
from parley.features import build_features
from tests.support import (
    FakeClock,
    RecordingGateway,
    RecordingResponder,
    make_actor,
    make_command,
    make_press,
    make_settings,
)

NASTY = [
    "\u202e",
    "\u200b",
    "\u2066",
    "\x00",
    "\x1b[2J",
    "\r\n",
    "@everyone",
    "@here",
    "<@&1>",
    "<b>",
    "</i>",
    "&amp;",
    "*_~`|",
    '"',
    "“",
    "「",
    "\\",
    "|",
    "｜",
    "--",
    "#",
    "💥",
    "𝕏",
    "٣",
    "ﷺ",
    "\ud7ff",
    "A" * 500,
    "中" * 400,
]


def _names() -> list[str]:
    async def collect() -> list[str]:
        with tempfile.TemporaryDirectory() as folder:
            async with Parley.open(
                make_settings(Path(folder)), FakeClock(), features=build_features
            ) as app:
                registry: Registry = app.router.registry
                return sorted({spec.path for spec in registry.commands()})

    return asyncio.run(collect())


COMMAND_PATHS = _names()
words = st.one_of(
    st.sampled_from(NASTY),
    st.text(min_size=0, max_size=30),
    st.integers(-5, 10**12).map(str),
    st.sampled_from(
        [
            "short",
            "long",
            "zh",
            "en",
            "1",
            "0",
            "labs",
            "critics",
            "in",
            "2h",
            "daily",
            "09:00",
            "pin",
            "#news",
            "on",
            "off",
            "--multi",
            "2",
        ]
    ),
)
lines = st.builds(
    lambda path, args: f"/{path} " + " ".join(args),
    st.sampled_from([*COMMAND_PATHS, "nosuch", "help help"]),
    st.lists(words, max_size=8),
)
payloads = st.one_of(
    st.text(max_size=80),
    st.builds(lambda a, b: f"v1:{a}:{b}", st.text(max_size=20), st.text(max_size=20)),
    st.builds(lambda n: f"v1:privacy.forget{n}", st.sampled_from(["", ":1", ":x:y"])),
)
steps = st.lists(
    st.tuples(st.sampled_from(["alice", "mod", "zhuser"]), st.one_of(lines, payloads)),
    min_size=1,
    max_size=12,
)


def check_reply(reply: Reply) -> None:
    assert isinstance(reply, Reply)
    text = reply.plain_text()
    assert text.strip(), "empty reply"
    assert "Traceback" not in text and "incident" not in text, text
    for row in reply.buttons:
        for button in row:
            assert len(button.payload.encode()) <= MAX_PAYLOAD_BYTES


ACTORS = {
    "alice": make_actor("alice"),
    "mod": make_actor("mod", moderator=True),
    "zhuser": make_actor("zhuser", locale="zh-CN"),
}


async def play(script: list[tuple[str, str]], folder: Path) -> None:
    async with Parley.open(make_settings(folder), FakeClock(), features=build_features) as app:
        gateway = RecordingGateway()
        app.services.outbox.register(gateway)
        for who, text in script:
            actor = ACTORS[who]
            is_line = text.startswith("/") and len(text) > 1 and text[1:2].isalpha()
            try:
                invocation = make_command(text, actor=actor) if is_line else None
            except AssertionError:
                invocation = None
            if invocation is None:
                invocation = make_press(text, actor=actor)
            responder = RecordingResponder()
            await app.router.dispatch(invocation, responder)
            for reply in responder.replies + responder.updates:
                check_reply(reply)
        for _, reply in gateway.sent + [(m.chat, r) for m, r in gateway.edits]:
            check_reply(reply)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=steps)
def test_random_commands_and_payloads_never_crash(script):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(play(script, Path(folder)))
