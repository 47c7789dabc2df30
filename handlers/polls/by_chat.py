"""The per-chat breakdown of a poll shown in several chats (`/poll results ID bychat`).

Every message of a shared poll shows the same global tally; the breakdown says how the ballots
cast in each chat were split. For anonymous polls a small chat could give a voter away (one
voter in a chat and their choice is plain), so chats with fewer than `SMALL_GROUP` voters are
never shown apart: they are counted together. Because the global tally is public, whatever is
not shown apart can be worked out by subtraction; so the pooled rest is kept either empty or
at least `SMALL_GROUP` voters, pooling the smallest shown chat too when needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Locale
from bot.identity import ChatRef
from bot.reply import BulletList, Paragraph, Reply
from domain.polls import ChatTally, PollKind
from handlers.polls import texts
from storage.polls import PollRecord

SMALL_GROUP = 3
_MENTIONS = {"discord": "<#{id}>", "console": "#{id}"}
"""Platforms whose messages show a chat mention as the chat's name."""


@dataclass(frozen=True, slots=True)
class ChatBreakdown:
    """The chats shown apart, and the rest counted together (None when there is no rest)."""

    shown: tuple[ChatTally, ...]
    pooled: ChatTally | None


def break_down(tallies: Sequence[ChatTally], *, anonymous: bool) -> ChatBreakdown:
    """Split per-chat tallies into those shown apart and a pooled rest.

    Named polls show every known chat apart and pool only ballots whose chat is unknown.
    Anonymous polls also pool every chat under `SMALL_GROUP` voters, and keep the pool empty
    or at least `SMALL_GROUP` voters strong.
    """
    shown = [
        tally
        for tally in tallies
        if tally.chat is not None and (not anonymous or tally.voters >= SMALL_GROUP)
    ]
    rest = [tally for tally in tallies if tally not in shown]
    if anonymous and shown and 0 < sum(tally.voters for tally in rest) < SMALL_GROUP:
        smallest = min(shown, key=lambda tally: tally.voters)
        shown.remove(smallest)
        rest.append(smallest)
    return ChatBreakdown(tuple(shown), _merge(rest))


def by_chat_view(
    poll: PollRecord, breakdown: ChatBreakdown, here: ChatRef, lang: Locale, *, private: bool
) -> Reply:
    """The breakdown as a reply: per chat its voters and votes per option, then the pool."""
    blocks: list[Paragraph | BulletList] = [Paragraph(poll.question)]
    unnamed: dict[ChatRef, int] = {}
    for tally in breakdown.shown:
        assert tally.chat is not None
        name = chat_name(tally.chat, here, lang, unnamed)
        voters = texts.voters(tally.voters, lang)
        blocks.append(Paragraph(texts.BY_CHAT_LINE.render(lang, chat=name, voters=voters)))
        blocks.append(_votes(poll, tally, lang))
    if breakdown.pooled is not None:
        pooled = texts.BY_CHAT_POOLED if poll.anonymous else texts.BY_CHAT_UNRECORDED
        line = pooled.render(
            lang, voters=texts.voters(breakdown.pooled.voters, lang), k=SMALL_GROUP
        )
        blocks.append(Paragraph(line))
        blocks.append(_votes(poll, breakdown.pooled, lang))
    if not breakdown.shown and breakdown.pooled is None:
        blocks.append(Paragraph(texts.BY_CHAT_NO_VOTES.render(lang)))
    note = texts.BY_CHAT_RANKED_NOTE if poll.kind is PollKind.RANKED else None
    return Reply(
        title=texts.BY_CHAT_TITLE.render(lang, id=poll.id),
        blocks=tuple(blocks),
        footer=note.render(lang) if note is not None else None,
        private=private,
    )


def _votes(poll: PollRecord, tally: ChatTally, lang: Locale) -> BulletList:
    return BulletList(
        tuple(
            texts.BY_CHAT_OPTION.render(
                lang, option=poll.options[index], votes=tally.votes.get(index, 0)
            )
            for index in poll.live_options
        )
    )


def chat_name(chat: ChatRef, here: ChatRef, lang: Locale, unnamed: dict[ChatRef, int]) -> str:
    """How a reply in `here` names `chat`, never by a raw id.

    "this chat", a mention the platform shows as the chat's name (Discord `<#id>`, the
    console's `#name`, a Telegram `@username`), else "Telegram chat 2", numbered in `unnamed`
    in the order they are named.
    """
    if (chat.platform, chat.chat_id) == (here.platform, here.chat_id):
        return texts.THIS_CHAT.render(lang)
    if chat.platform in _MENTIONS:
        return _MENTIONS[chat.platform].format(id=chat.chat_id)
    if chat.chat_id.startswith("@"):
        return chat.chat_id
    number = unnamed.setdefault(chat, len(unnamed) + 1)
    return texts.OTHER_CHAT.render(lang, platform=chat.platform.capitalize(), number=number)


def _merge(tallies: Sequence[ChatTally]) -> ChatTally | None:
    if not tallies:
        return None
    votes: dict[int, int] = {}
    for tally in tallies:
        for option, count in tally.votes.items():
            votes[option] = votes.get(option, 0) + count
    return ChatTally(None, sum(tally.voters for tally in tallies), votes)
