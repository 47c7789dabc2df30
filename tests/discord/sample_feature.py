"""A small feature exercising everything the Discord adapter must carry."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Annotated

from bot.actions import Action, Range
from bot.buttons import button
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.i18n import Localized
from bot.params import ChoiceParam, IntParam, TextParam
from bot.reply import (
    Attachment,
    BulletList,
    ButtonStyle,
    Fields,
    Heading,
    Paragraph,
    Quote,
    Reply,
)
from bot.services import BaseFeature

SECRET = "secret internal detail 42"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _t(en: str, zh: str) -> Localized:
    return Localized(en, zh)


class CounterAdd(Action, name="counter.add"):
    amount: Annotated[int, Range(1, 5)]


class CounterNoop(Action, name="counter.noop"):
    pass


class CounterSlow(Action, name="counter.slow"):
    pass


class EssayPick(Action, name="essay.pick"):
    amount: Annotated[int, Range(0, 99)]


class SampleFeature(BaseFeature):
    """Commands and one button action for the adapter tests."""

    def commands(self) -> Iterable[CommandSpec]:
        return (
            CommandSpec(
                name="order",
                description=_t("Order some food", "点餐"),
                handler=self.order,
                params=(
                    IntParam(
                        name="count",
                        description=_t("how many", "数量"),
                        min_value=1,
                        max_value=10,
                    ),
                    ChoiceParam(
                        name="size",
                        description=_t("portion size", "份量"),
                        choices=("small", "large"),
                        labels={"small": _t("Small", "小份"), "large": _t("Large", "大份")},
                    ),
                    TextParam(
                        name="note",
                        description=_t("a note for the kitchen", "给厨房的备注"),
                        required=False,
                        min_length=2,
                        max_length=20,
                    ),
                ),
            ),
            CommandSpec(
                name="vote",
                description=_t("Start a vote", "发起投票"),
                handler=self.vote_create,
                group_default="create",
                params=(TextParam(name="question", description=_t("the question", "问题")),),
            ),
            CommandSpec(
                name="vote",
                subcommand="results",
                description=_t("Show the results", "查看结果"),
                handler=self.vote_results,
            ),
            CommandSpec(
                name="counter",
                description=_t("A counter with buttons", "带按钮的计数器"),
                handler=self.counter,
            ),
            CommandSpec(
                name="purge",
                description=_t("Moderators only", "仅限管理员"),
                handler=self.purge,
                role=Role.MODERATOR,
            ),
            CommandSpec(name="boom", description=_t("Fails", "失败"), handler=self.boom),
            CommandSpec(
                name="echo",
                description=_t("Repeat text", "复述文本"),
                handler=self.echo,
                params=(
                    TextParam(
                        name="text", description=_t("text", "文本"), max_length=500, rest=True
                    ),
                ),
            ),
            CommandSpec(
                name="essay", description=_t("A very long reply", "很长的回复"), handler=self.essay
            ),
            CommandSpec(
                name="slow",
                description=_t("Takes a while", "需要一点时间"),
                handler=self.slow,
                slow=True,
            ),
            CommandSpec(
                name="upload",
                description=_t("Take a file", "接收文件"),
                handler=self.upload,
                params=(
                    TextParam(name="caption", description=_t("caption", "说明"), required=False),
                ),
                accepts_attachment=True,
            ),
            CommandSpec(
                name="whoami",
                description=_t("Who and where, as the bot sees it", "机器人眼中的你和这里"),
                handler=self.whoami,
            ),
            CommandSpec(
                name="whisper",
                description=_t("A private answer after thinking", "思考后的私密回复"),
                handler=self.whisper,
                slow=True,
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        return (
            ActionSpec(payload=CounterAdd, handler=self.add),
            ActionSpec(payload=CounterNoop, handler=self.noop),
            ActionSpec(payload=CounterSlow, handler=self.slow_press, slow=True),
            ActionSpec(payload=EssayPick, handler=self.pick),
        )

    async def order(self, ctx: Context, count: int, size: str, note: str | None) -> Reply:
        return Reply.text(f"ordered {count} {size} note={note}")

    async def vote_create(self, ctx: Context, question: str) -> Reply:
        return Reply.text(f"vote created: {question}")

    async def vote_results(self, ctx: Context) -> Reply:
        return Reply.text("vote results")

    async def counter(self, ctx: Context) -> Reply:
        return Reply(
            title="Counter",
            blocks=(Paragraph("0"),),
            buttons=(
                (
                    button("+1", CounterAdd(amount=1), style=ButtonStyle.PRIMARY),
                    button("+2", CounterAdd(amount=2)),
                    button("nothing", CounterNoop()),
                ),
            ),
        )

    async def add(self, ctx: Context, press: CounterAdd) -> None:
        await ctx.update_source(Reply.text(f"added {press.amount}", title="Counter"))

    async def pick(self, ctx: Context, press: EssayPick) -> None:
        await ctx.update_source(Reply.text(f"added {press.amount}", title="Counter"))

    async def noop(self, ctx: Context, press: CounterNoop) -> None:
        return None

    async def slow_press(self, ctx: Context, press: CounterSlow) -> None:
        await ctx.update_source(Reply.text("slowly updated"))
        await ctx.reply(Reply.text("and a private note", private=True))
        await ctx.update_source(Reply.text("updated again"))

    async def upload(self, ctx: Context, caption: str | None) -> Reply:
        read = [await attachment.read() for attachment in ctx.invocation.attachments]
        files = ", ".join(f"{f.filename} {f.media_type} {f.data.decode()}" for f in read)
        return Reply.text(f"caption={caption} files={files or '-'}")

    async def whoami(self, ctx: Context) -> Reply:
        actor, chat = ctx.actor, ctx.chat
        return Reply(
            blocks=(
                Fields(
                    (
                        ("user", f"{actor.user_id} {actor.display_name}"),
                        ("moderator", str(await ctx.moderates())),
                        ("locale", f"{actor.locale_tag} {ctx.locale}"),
                        ("roles", ",".join(sorted(actor.role_ids)) or "-"),
                        ("chat", f"{chat.key} thread={chat.thread_id}"),
                        ("kind", str(ctx.invocation.chat_kind)),
                    )
                ),
            )
        )

    async def purge(self, ctx: Context) -> Reply:
        return Reply.text("purged")

    async def boom(self, ctx: Context) -> Reply:
        raise RuntimeError(SECRET)

    async def echo(self, ctx: Context, text: str) -> Reply:
        return Reply(
            title=text,
            blocks=(
                Heading(text),
                Paragraph(text),
                BulletList((text, text)),
                Quote(text, source=text),
                Fields(((text, text),)),
            ),
            footer=text,
        )

    async def essay(self, ctx: Context) -> Reply:
        paragraphs = tuple(Paragraph(f"Paragraph {n}: " + "word " * 400) for n in range(1, 31))
        fields = Fields(tuple((f"key {n}", "value " * 60) for n in range(40)))
        rows = tuple(
            tuple(button(f"b{r}-{c}", EssayPick(amount=r * 7 + c)) for c in range(7))
            for r in range(6)
        )
        return Reply(
            title="Essay " * 80,
            blocks=(*paragraphs, fields, Paragraph("The end.")),
            buttons=rows,
            footer="f" * 3000,
            attachment=Attachment("chart 1.png", PNG, "image/png", is_image=True),
        )

    async def slow(self, ctx: Context) -> Reply:
        await asyncio.sleep(0.01)
        return Reply.text("slow answer")

    async def whisper(self, ctx: Context) -> Reply:
        return Reply.text("just for you", private=True)
