"""Hostile pages: compression bombs, odd encodings; memory and event-loop stalls are measured."""

import pytest

from bot.errors import UserError
from handlers.articles.extract import readable_text
from handlers.articles.fetch import PageFetcher
from tests.articles.hostile import double_gzip_bomb, gzip_bomb, measured

LOCAL = PageFetcher(allow_loopback=True, time_limit=10.0)
MAX_RSS_GROWTH_MB = 40
MAX_STALL_SECONDS = 0.5


async def refusal(url, locale="en"):
    with pytest.raises(UserError) as caught:
        await LOCAL.fetch(url)
    return caught.value.render(locale)


async def test_a_double_gzip_bomb_is_refused_without_memory_or_stall(server):
    assert len(double_gzip_bomb()) < 10_000
    async with measured() as cost:
        message = await refusal(f"{server}/bomb-stacked")
    assert "compressed the page more than once (gzip, gzip)" in message
    assert "多重压缩" in await refusal(f"{server}/bomb-stacked", "zh")
    assert cost.peak_rss_mb < MAX_RSS_GROWTH_MB, cost
    assert cost.longest_stall < MAX_STALL_SECONDS, cost


async def test_a_gzip_bomb_in_one_layer_stops_at_the_decoded_size_cap(server):
    assert len(gzip_bomb()) < 1_100_000  # built before measuring: the server only sends it
    for path in ("/bomb", "/bomb-once"):  # 1 GiB of zeros; the double bomb declared as one layer
        async with measured() as cost:
            message = await refusal(f"{server}{path}")
        assert "larger than 2 MB" in message, path
        assert cost.peak_rss_mb < MAX_RSS_GROWTH_MB, (path, cost)
        assert cost.longest_stall < MAX_STALL_SECONDS, (path, cost)


async def test_one_layer_of_gzip_is_read_and_odd_encodings_are_refused(server):
    page = await LOCAL.fetch(f"{server}/gzip.html")
    assert "Critics say the plan cuts too deeply" in readable_text(page).markdown
    assert "damaged compressed page" in await refusal(f"{server}/damaged-gzip")
    assert "compressed the page as “br”" in await refusal(f"{server}/brotli")
    assert "压缩网页已损坏" in await refusal(f"{server}/damaged-gzip", "zh")
