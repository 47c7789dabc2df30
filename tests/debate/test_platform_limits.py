"""Every debate page renders as one Telegram message and one Discord message."""

import warnings

import pytest

with warnings.catch_warnings():  # discord.py imports the deprecated `audioop` (for voice)
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord  # noqa: F401

from bot.adapters.discord.render import EMBED_TOTAL_LIMIT
from bot.adapters.discord.render import render_reply as render_discord
from bot.adapters.telegram.render import TEXT_LIMIT, telegram_length
from bot.adapters.telegram.render import render_reply as render_telegram
from handlers.debate.community_views import community_pages, queue_pages
from handlers.debate.views import (
    claim_pages,
    factcheck_pages,
    glossary_pages,
    overview,
    side_pages,
    timeline_pages,
)
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from storage.arguments import Argument, ArgumentStatus
from tests.support import FakeClock

TOPIC = load_topic(DEFAULT_TOPIC)
DEBATE = TOPIC.debate_map


def long_argument(number, side):
    text = (f"Argument {number}: *[x]* _y_ `z` #1 - 2. " * 30)[:500]
    return Argument(
        number,
        "distillation",
        side,
        text,
        "test",
        f"u{number}",
        "Name " * 6,
        ArgumentStatus.APPROVED,
        FakeClock().now(),
        votes=number * 1000,
    )


def every_page(locale):
    yield overview(DEBATE, DEBATE.sides, locale)
    for side in DEBATE.sides:
        yield from side_pages(DEBATE, side, locale)
        for claim in side.claims:
            yield from claim_pages(DEBATE, claim, locale)
    yield from factcheck_pages(DEBATE, TOPIC.default_article.title, locale)
    yield from timeline_pages(DEBATE, locale)
    yield from glossary_pages(DEBATE, locale)
    labs = [long_argument(n, "accusers") for n in range(1, 6)]
    critics = [long_argument(n, "defenders") for n in range(6, 11)]
    yield from community_pages(DEBATE.sides, (labs, critics), locale)
    yield from queue_pages(labs + critics, 10, DEBATE.sides, locale)


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_each_page_is_one_message_on_each_platform(locale):
    for page in every_page(locale):
        telegram = render_telegram(page)
        assert len(telegram.texts) == 1, page.title
        assert telegram_length(telegram.texts[0]) <= TEXT_LIMIT
        discord_messages = render_discord(page)
        assert len(discord_messages) == 1, page.title
        (message,) = discord_messages
        assert sum(len(embed) for embed in message.embeds) <= EMBED_TOTAL_LIMIT
        assert len(message.rows) == len(page.buttons) <= 5


def test_a_section_too_big_for_any_page_fails_loudly():
    from bot.reply import Paragraph, Reply
    from handlers.debate.paging import Section, paginate

    def build(sections, page, count):
        return Reply(blocks=tuple(b for s in sections for b in s.blocks))

    with pytest.raises(ValueError, match="does not fit"):
        paginate([Section((Paragraph("x" * 4000),))], build)
    assert len(paginate([Section((Paragraph("x" * 1000),))] * 7, build)) == 3
