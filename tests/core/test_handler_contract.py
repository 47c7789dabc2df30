"""One handler contract: handlers return what to send; the core sends it and reports back."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest

from bot.actions import Action
from bot.app import Parley
from bot.commands import ActionSpec, CommandSpec
from bot.context import Context
from bot.i18n import Localized
from bot.identity import ChatRef, MessageRef
from bot.reply import Posted, Replace, Reply
from bot.services import BaseFeature, Feature, Services
from tests.core.test_router import run
from tests.support import FakeClock, make_command, make_press, make_settings

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"


class Flip(Action, name="contract.flip"):
    """Replace the pressed message and say so."""


class ContractFeature(BaseFeature):
    """A command whose posted message comes back to it, and a press that replaces its message."""

    def __init__(self) -> None:
        self.posted: list[MessageRef | None] = []

    def commands(self) -> Iterable[CommandSpec]:
        text = Localized("Post and track", "发布并记录")
        return (CommandSpec(name="track", description=text, handler=self.track),)

    def actions(self) -> Iterable[ActionSpec]:
        return (ActionSpec(payload=Flip, handler=self.flip),)

    async def track(self, ctx: Context) -> Posted:
        async def remember(message: MessageRef | None) -> None:
            self.posted.append(message)

        return Posted(Reply.text("a live view"), remember)

    async def flip(self, ctx: Context, press: Flip) -> Replace:
        return Replace(Reply.text("flipped"), Reply.text("done", private=True))


@pytest.fixture
async def contract(
    tmp_path: Path, clock: FakeClock
) -> AsyncIterator[tuple[Parley, ContractFeature]]:
    feature = ContractFeature()

    def features(services: Services) -> list[Feature]:
        return [feature]

    async with Parley.open(make_settings(tmp_path), clock, features=features) as parley:
        yield parley, feature


async def test_a_posted_answer_hands_its_message_back(contract) -> None:
    app, feature = contract
    out = await run(app, make_command("/track"))
    assert [reply.plain_text() for reply in out.replies] == ["a live view"]
    assert feature.posted == [MessageRef(ChatRef("test", "chat"), "1")]


async def test_a_replacement_updates_the_pressed_message_then_notices(contract) -> None:
    app, _ = contract
    out = await run(app, make_press(Flip()))
    assert [reply.plain_text() for reply in out.updates] == ["flipped"]
    assert [(reply.plain_text(), reply.private) for reply in out.replies] == [("done", True)]


def test_no_shipped_handler_answers_by_itself() -> None:
    calls = re.compile(r"\bctx\.(reply|update_source)\(")
    offenders = [
        str(path.relative_to(HANDLERS))
        for path in sorted(HANDLERS.rglob("*.py"))
        if calls.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
