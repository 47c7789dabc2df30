"""Hostile pages: compression bombs, odd encodings; memory and event-loop stalls are measured."""

import asyncio

import pytest

from bot.errors import UserError
from bot.identity import ChatRef
from handlers.articles.extract import readable_text
from handlers.articles.fetch import FetchedPage, PageFetcher
from handlers.articles.library import ArticleLibrary
from handlers.articles.reader import PageReader
from handlers.summary.words import warm_up
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from tests.articles.conftest import ARTICLE_HTML
from tests.articles.hostile import (
    double_gzip_bomb,
    gzip_bomb,
    measured,
    wide_table_page,
    worker_processes,
)
from tests.support import RecordingResponder, make_actor, make_command

pytestmark = pytest.mark.slow  # real processes or real time: see the README

LOCAL = PageFetcher(allow_loopback=True, time_limit=10.0)
MAX_RSS_GROWTH_MB = 40
MAX_STALL_SECONDS = 0.5
MOD = make_actor("mod", moderator=True)
CHAT = ChatRef("test", "chat")


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


async def import_refusal(app, clock, url, reader):
    library = ArticleLibrary(
        app.services.storage.articles, load_topic(DEFAULT_TOPIC), reader, fetcher=LOCAL
    )
    with pytest.raises(UserError) as caught:
        await library.add_from_web(url, chat=CHAT, by=MOD, at=clock.now())
    return caught.value


async def test_a_page_that_takes_too_long_to_read_is_refused_within_the_budget(
    local_app, clock, server
):
    assert 1_600_000 < len(wide_table_page()) < 1_800_000  # about 25 s of trafilatura's time
    await asyncio.to_thread(warm_up)  # the app's jieba dictionary, loading in the background
    async with measured() as cost:
        error = await import_refusal(
            local_app, clock, f"{server}/wide-table.html", PageReader(seconds=2.0)
        )
    assert "This page took too long to read (over 2 seconds)" in error.render("en")
    assert "读取时间过长" in error.render("zh")
    assert cost.seconds < 2.0 + 2.0, cost  # the budget, plus starting the worker and the fetch
    assert cost.longest_stall < MAX_STALL_SECONDS, cost
    assert cost.peak_rss_mb < MAX_RSS_GROWTH_MB, cost
    assert worker_processes() == []  # killed and reaped
    assert await local_app.services.storage.articles.newest(CHAT, 5) == []


async def test_readers_are_limited_in_number_and_memory(local_app, clock, server):
    url = f"{server}/wide-table.html"
    one_at_a_time = PageReader(seconds=1.5, workers=1)
    first, second = await asyncio.gather(
        import_refusal(local_app, clock, url, one_at_a_time),
        import_refusal(local_app, clock, url, one_at_a_time),
    )
    assert "took too long" in first.render("en")
    assert "reading other pages right now" in second.render("en")
    assert "正在读取其他网页" in second.render("zh")
    small = PageReader(seconds=10.0, memory_bytes=40 * 1024 * 1024)
    async with measured() as cost:
        await import_refusal(local_app, clock, url, small)  # refused, whatever the reason
    assert cost.seconds < 5.0, cost  # out of memory long before its 10 s
    assert worker_processes() == []


NOT_TEXT_ENCODINGS = ["zlib_codec", "base64", "rot13", "uu", "hex", "bz2_codec", "quopri"]
NOT_CHARSETS = ["idna", "punycode", "undefined", "unicode_escape", "utf-8\x00", "no-such"]


@pytest.mark.parametrize("charset", NOT_TEXT_ENCODINGS + NOT_CHARSETS)
def test_a_charset_that_cannot_decode_a_page_falls_back_to_utf8(charset):
    html = FetchedPage("https://news.example/a", "text/html", charset, ARTICLE_HTML.encode())
    assert "Critics say the plan cuts too deeply" in readable_text(html).markdown
    plain = "Die Stadt hat gewählt. Der Rat tagt morgen wieder.".encode()
    text = FetchedPage("https://news.example/a", "text/plain", charset, plain)
    assert "gewählt" in readable_text(text).markdown


async def test_pages_declaring_bytes_codecs_are_imported_as_utf8(local_app, server):
    for path, title in [
        ("/charset/zlib_codec.html", "Council Passes Budget"),
        ("/charset/rot13.txt", "Plain Notes"),
    ]:
        responder = RecordingResponder()
        command = make_command(f"/article add {server}{path}", actor=MOD)
        await local_app.router.dispatch(command, responder)
        assert f"“{title}”" in responder.text, path


async def test_a_navigation_only_page_is_refused_not_stored(local_app, server):
    for locale, message in [
        ("en", "No article text found on that page"),
        ("zh", "在该网页上没有找到文章正文"),
    ]:
        responder = RecordingResponder()
        actor = make_actor("mod", moderator=True, locale=locale)
        await local_app.router.dispatch(
            make_command(f"/article add {server}/nav-only.html", actor=actor), responder
        )
        assert message in responder.text and "Added article" not in responder.text
    assert await local_app.services.storage.articles.newest(CHAT, 5) == []
