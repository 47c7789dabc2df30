"""A small feature that exercises every kind of declaration, for core and adapter tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Annotated

from bot.actions import Action, Range
from bot.buttons import button
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Localized
from bot.params import ChoiceParam, DurationParam, IntParam, TextParam
from bot.posting import Postable, PostRequest
from bot.reply import Paragraph, Reply
from bot.services import BaseFeature, Feature, Services
from handlers.general import GeneralFeature
from handlers.moderation.feature import ModerationFeature


def _l(text: str) -> Localized:
    return Localized(text, f"中文：{text}")


class DemoAdd(Action, name="demo.add"):
    """Add `amount` to the counter."""

    amount: Annotated[int, Range(0, 10)]


class DemoReset(Action, name="demo.reset"):
    """Reset the counter."""


class DemoFeature(BaseFeature):
    """Commands with typed arguments, buttons, a moderator command and a failing one."""

    def __init__(self, services: Services) -> None:
        self.presses: list[tuple[str, int]] = []
        self.services = services

    def commands(self) -> Iterable[CommandSpec]:
        return (
            CommandSpec(
                name="echo",
                description=_l("Repeat text"),
                feature="demo",
                handler=self.echo,
                params=(
                    IntParam(name="times", description=_l("how often"), min_value=1, max_value=3),
                    ChoiceParam(
                        name="tone",
                        description=_l("tone"),
                        choices=("calm", "loud"),
                        aliases={"平静": "calm", "大声": "loud", "shout": "loud"},
                        required=False,
                        default="calm",
                    ),
                    TextParam(name="text", description=_l("what to say"), max_length=50, rest=True),
                ),
            ),
            CommandSpec(
                name="wait",
                description=_l("Parse a duration"),
                handler=self.wait,
                params=(
                    DurationParam(
                        name="duration",
                        description=_l("how long"),
                        minimum=timedelta(minutes=1),
                        maximum=timedelta(days=30),
                    ),
                ),
            ),
            CommandSpec(name="counter", description=_l("Show a counter"), handler=self.counter),
            CommandSpec(
                name="counter",
                subcommand="peek",
                aliases=("看看",),
                description=_l("Show the counter again"),
                handler=self.counter,
            ),
            CommandSpec(
                name="wipe",
                description=_l("Moderators only"),
                handler=self.wipe,
                role=Role.MODERATOR,
            ),
            CommandSpec(name="boom", description=_l("Always fails"), handler=self.boom),
            CommandSpec(name="refuse", description=_l("User error"), handler=self.refuse),
        )

    def switches(self) -> Iterable[tuple[str, Localized]]:
        """The demo commands."""
        return (("demo", _l("demo")),)

    def postables(self) -> Iterable[Postable]:
        return (
            Postable(
                name="note",
                description=_l("A short note"),
                usage="note [text]",
                build=self._build_note,
            ),
        )

    async def _build_note(self, request: PostRequest) -> Reply:
        return Reply(title="Note", blocks=(Paragraph(request.options or "(empty)"),))

    async def forget_user(self, platform: str, user_id: str) -> int:
        before = len(self.presses)
        self.presses = [p for p in self.presses if p[0] != user_id]
        return before - len(self.presses)

    def actions(self) -> Iterable[ActionSpec]:
        return (
            ActionSpec(payload=DemoAdd, handler=self.add),
            ActionSpec(payload=DemoReset, handler=self.reset, role=Role.MODERATOR),
        )

    async def echo(self, ctx: Context, times: int, tone: str, text: str) -> Reply:
        said = " ".join([text.upper() if tone == "loud" else text] * times)
        return Reply.text(said)

    async def wait(self, ctx: Context, duration: timedelta) -> Reply:
        return Reply.text(f"waiting {int(duration.total_seconds())}s")

    async def counter(self, ctx: Context) -> Reply:
        return self._counter(0)

    @staticmethod
    def _counter(total: int) -> Reply:
        return Reply(
            title="Counter",
            blocks=(Paragraph(str(total)),),
            buttons=((button("+1", DemoAdd(amount=1)), button("reset", DemoReset())),),
        )

    async def add(self, ctx: Context, press: DemoAdd) -> None:
        self.presses.append((ctx.actor.user_id, press.amount))
        total = sum(a for _, a in self.presses)
        await ctx.update_source(self._counter(total))

    async def reset(self, ctx: Context, press: DemoReset) -> Reply:
        self.presses.clear()
        return Reply.text("reset", private=True)

    async def wipe(self, ctx: Context) -> Reply:
        return Reply.text("wiped")

    async def boom(self, ctx: Context) -> Reply:
        raise RuntimeError("secret internal detail")

    async def refuse(self, ctx: Context) -> Reply:
        raise UserError(
            Localized("Not today, {name}.", "今天不行，{name}。"), name=ctx.actor.display_name
        )


def demo_features(services: Services) -> list[Feature]:
    """The general and moderation features plus the demo feature."""
    return [GeneralFeature(services), DemoFeature(services), ModerationFeature(services)]
