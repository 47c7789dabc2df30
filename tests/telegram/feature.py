"""A small feature for the Telegram scenarios: typed arguments, buttons, a moderator command,
a crash, hostile text, a very long reply, files and private answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from bot.actions import Action, Range
from bot.buttons import button
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.i18n import Localized
from bot.params import IntParam, TextParam
from bot.reply import (
    Attachment,
    BulletList,
    Fields,
    Heading,
    Link,
    Paragraph,
    Preformatted,
    Quote,
    Reply,
)
from bot.services import BaseFeature, Feature, Services
from handlers.general import GeneralFeature

LONG_ITEMS = 400


def _l(text: str) -> Localized:
    return Localized(text, f"中文：{text}")


class Tap(Action, name="tg.tap"):
    amount: Annotated[int, Range(0, 10)]


class Quiet(Action, name="tg.quiet"):
    pass


class TelegramTestFeature(BaseFeature):
    """Commands that exercise every path of the Telegram adapter."""

    def __init__(self, services: Services) -> None:
        self.taps: list[tuple[str, int]] = []
        self.files: list[tuple[str, bytes]] = []

    def commands(self) -> Iterable[CommandSpec]:
        return (
            CommandSpec(
                name="greet",
                description=_l("Greet someone a few times"),
                handler=self.greet,
                params=(
                    IntParam(name="times", description=_l("how often"), min_value=1, max_value=3),
                    TextParam(name="name", description=_l("who"), max_length=40, rest=True),
                ),
            ),
            CommandSpec(name="counter", description=_l("A counter button"), handler=self.counter),
            CommandSpec(
                name="secret",
                description=_l("Moderators only"),
                handler=self.secret,
                role=Role.MODERATOR,
            ),
            CommandSpec(name="crash", description=_l("Always fails"), handler=self.crash),
            CommandSpec(
                name="shout",
                description=_l("Echo text in every block"),
                handler=self.shout,
                params=(TextParam(name="text", description=_l("text"), rest=True),),
            ),
            CommandSpec(name="long", description=_l("A very long reply"), handler=self.long),
            CommandSpec(name="chart", description=_l("A photo and text"), handler=self.chart),
            CommandSpec(name="whisper", description=_l("A private reply"), handler=self.whisper),
            CommandSpec(
                name="slow", description=_l("A slow command"), handler=self.slow, slow=True
            ),
            CommandSpec(
                name="load",
                description=_l("Read an attached text file"),
                handler=self.load,
                accepts_attachment=True,
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        return (
            ActionSpec(payload=Tap, handler=self.tap),
            ActionSpec(payload=Quiet, handler=self.quiet),
        )

    async def greet(self, ctx: Context, times: int, name: str) -> Reply:
        return Reply.text(" ".join([f"Hello {name}!"] * times))

    async def counter(self, ctx: Context) -> Reply:
        return _counter(0)

    async def tap(self, ctx: Context, press: Tap) -> None:
        self.taps.append((ctx.actor.user_id, press.amount))
        await ctx.update_source(_counter(sum(a for _, a in self.taps)))

    async def quiet(self, ctx: Context, press: Quiet) -> None:
        self.taps.append((ctx.actor.user_id, 0))

    async def secret(self, ctx: Context) -> Reply:
        return Reply.text("the secret is 42")

    async def crash(self, ctx: Context) -> Reply:
        raise RuntimeError("Traceback: secret internal detail")

    async def shout(self, ctx: Context, text: str) -> Reply:
        return Reply(
            title=text,
            blocks=(
                Heading(text),
                Paragraph(text),
                BulletList((text, text)),
                Quote(text, source=text),
                Fields(((text, text),)),
                Preformatted(text),
                Link(text, f"https://example.org/?q={text}"),
                Link(text, "javascript:alert(1)"),
            ),
            footer=text,
        )

    async def long(self, ctx: Context) -> Reply:
        items = tuple(f"item {n}: " + "lorem & <ipsum> " * 4 for n in range(LONG_ITEMS))
        return Reply(
            title="Long",
            blocks=(BulletList(items), Preformatted("x" * 5000), Paragraph("end")),
            buttons=((button("again", Tap(amount=1)),),),
        )

    async def chart(self, ctx: Context) -> Reply:
        return Reply(
            title="Chart",
            blocks=(Paragraph("word " * 400),),
            attachment=Attachment("chart.png", b"\x89PNG fake", "image/png", is_image=True),
            buttons=((button("again", Tap(amount=2)),),),
        )

    async def whisper(self, ctx: Context) -> Reply:
        return Reply.text("only for you", private=True)

    async def slow(self, ctx: Context) -> Reply:
        return Reply.text("done slowly")

    async def load(self, ctx: Context) -> Reply:
        files = [await attachment.read() for attachment in ctx.invocation.attachments]
        self.files.extend((f.filename, f.data) for f in files)
        names = ", ".join(f"{f.filename} ({len(f.data)} bytes)" for f in files) or "no file"
        return Reply.text(f"loaded {names}")


def _counter(total: int) -> Reply:
    return Reply(
        title="Counter",
        blocks=(Paragraph(str(total)),),
        buttons=((button("+1", Tap(amount=1)), button("quiet", Quiet())),),
    )


def telegram_test_features(services: Services) -> list[Feature]:
    """The general feature (/help, /about) and the test feature."""
    return [GeneralFeature(services), TelegramTestFeature(services)]
