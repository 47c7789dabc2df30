"""How `/post` and `/schedule` read their words: item, target, options and pin, in any order.

Each word is the first of these it can be: `pin` (`置顶`); the item's name (or a Chinese form)
while no item is known; a chat (`#news`, `platform:chat_id`, the platform's own forms, read by
`bot.targets`); otherwise one of the item's options, kept in the order typed.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.context import Outbox
from bot.errors import UserError
from bot.i18n import Localized
from bot.identity import ChatRef
from bot.params import ChoiceParam
from bot.posting import Postable
from bot.targets import read_target

from . import texts
from .posting import PostPlan

PIN_WORDS = frozenset({"pin", "置顶"})
_NONE = Localized("-", "-")


def item_choice(items: Mapping[str, Postable]) -> ChoiceParam:
    """The `item` parameter: the postable names and their other words.

    Optional, so that the item may come after the target or the options: the handler finds
    it among the words when it is not the first (`/post #news summary`).
    """
    names = tuple(sorted(items))
    aliases = {alias: item.name for item in items.values() for alias in item.aliases}
    shown = ChoiceParam(name="item", description=_NONE, choices=names, aliases=aliases).listing()
    return ChoiceParam(
        name="item",
        description=Localized(
            f"what to post: {shown.en or '-'}"[:100], f"要发布的内容：{shown.zh or '-'}"[:100]
        ),
        choices=names,
        labels={name: item.label for name, item in items.items() if item.label is not None},
        aliases=aliases,
        required=False,
    )


def read_plan(
    words: str, item: str | None, param: ChoiceParam, outbox: Outbox, origin: ChatRef
) -> PostPlan:
    """The plan the words describe; a `UserError` names the first word that cannot fit."""
    pin = False
    target: ChatRef | None = None
    label = ""
    options: list[str] = []
    for word in words.split():
        if word.lower() in PIN_WORDS:
            pin = True
            continue
        if item is None and param.accepts(word):
            item = str(param.convert(word))
            continue
        chat = read_target(outbox, origin, word)
        if chat is None:
            options.append(word)
        elif target is not None:
            raise UserError(texts.TWO_TARGETS, first=label, second=word[:60])
        else:
            target, label = chat, word[:60]
    if item is None and options:
        raise UserError(texts.UNKNOWN_ITEM, item=options[0][:40], items=param.listing())
    if item is None:
        raise UserError(texts.NO_ITEM, items=param.listing())
    return PostPlan(item, " ".join(options), target or origin, label, pin)
