"""A real HTTP server on 127.0.0.1 serving the pages the import tests need."""

import asyncio
import gzip

import pytest
from aiohttp import web

from bot.app import Parley
from parley.features import build_features
from tests.articles.hostile import double_gzip_bomb, gzip_bomb, wide_table_page
from tests.support import make_settings

ARTICLE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Council Passes Budget</title></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a>
<a href="/weather">Weather</a></nav>
<article><h1>Council Passes Budget</h1>
<p>The city council approved a 2.5 billion dollar budget on Tuesday after a long debate about
transport spending and schools.</p>
<p>Critics say the plan cuts too deeply into libraries, which lose 40 staff positions.</p>
<p>The mayor disagreed and said the libraries would keep their opening hours.</p>
<p>A final vote on the transport plan is expected next month.</p>
</article><footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>"""
NAV_ONLY_HTML = """<!doctype html><html><head><title>Example News</title></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<ul><li><a href="/latest">Latest news</a></li><li><a href="/contact">Contact us</a></li></ul>
</body></html>"""
PLAIN_TEXT = "# Plain Notes\n\nThe first sentence is here. The second sentence follows it.\n"
BIG = b"x" * (3 * 1024 * 1024)


def build_app() -> web.Application:
    async def html(_):
        return web.Response(text=ARTICLE_HTML, content_type="text/html")

    async def nav_only(_):
        return web.Response(text=NAV_ONLY_HTML, content_type="text/html")

    async def plain(_):
        return web.Response(text=PLAIN_TEXT, content_type="text/plain")

    async def big(_):
        return web.Response(body=BIG, content_type="text/plain")

    async def big_chunked(request):
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(48):
            await response.write(b"y" * 65536)
        return response

    async def slow(_):
        await asyncio.sleep(3)
        return web.Response(text=ARTICLE_HTML, content_type="text/html")

    async def image(_):
        return web.Response(body=b"\x89PNG....", content_type="image/png")

    async def missing(_):
        return web.Response(status=404, text="no")

    def encoded(body, encoding, content_type="text/html"):
        async def handler(_):
            headers = {"Content-Encoding": encoding}
            return web.Response(body=body(), headers=headers, content_type=content_type)

        return handler

    async def declared_charset(request):
        name, kind = request.match_info["name"], request.match_info["kind"]
        html = kind == "html"
        media_type, text = ("text/html", ARTICLE_HTML) if html else ("text/plain", PLAIN_TEXT)
        headers = {"Content-Type": f"{media_type}; charset={name}"}
        return web.Response(body=text.encode(), headers=headers)

    async def wide_table(_):
        return web.Response(body=wide_table_page(), content_type="text/html")

    def redirect(target):
        async def handler(_):
            raise web.HTTPFound(target)

        return handler

    app = web.Application()
    app.router.add_get("/article.html", html)
    app.router.add_get("/nav-only.html", nav_only)
    app.router.add_get("/plain.txt", plain)
    app.router.add_get("/big", big)
    app.router.add_get("/big-chunked", big_chunked)
    app.router.add_get("/slow", slow)
    app.router.add_get("/image.png", image)
    app.router.add_get("/missing", missing)
    app.router.add_get("/to-article", redirect("/article.html"))
    app.router.add_get("/to-metadata", redirect("http://169.254.169.254/latest/meta-data/"))
    app.router.add_get("/to-private", redirect("http://10.0.0.5/admin"))
    app.router.add_get("/loop", redirect("/loop"))
    app.router.add_get("/bomb-stacked", encoded(double_gzip_bomb, "gzip, gzip"))
    app.router.add_get("/bomb-once", encoded(double_gzip_bomb, "gzip"))
    app.router.add_get("/bomb", encoded(gzip_bomb, "gzip"))
    app.router.add_get("/gzip.html", encoded(lambda: gzip.compress(ARTICLE_HTML.encode()), "gzip"))
    app.router.add_get("/damaged-gzip", encoded(lambda: b"\x1f\x8b\x08\x00" + b"\xff" * 64, "gzip"))
    app.router.add_get("/brotli", encoded(lambda: b"\x0b\x02\x80hello\x03", "br"))
    app.router.add_get("/wide-table.html", wide_table)
    app.router.add_get("/charset/{name}.{kind}", declared_charset)
    return app


@pytest.fixture
async def server():
    """The base URL of a test server on 127.0.0.1."""
    runner = web.AppRunner(build_app(), shutdown_timeout=0.1)  # a /slow request is cut at once
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def local_app(tmp_path, clock):
    """The app with loopback addresses allowed for URL import (as tests only may)."""
    settings = make_settings(tmp_path, PARLEY_ALLOW_PRIVATE_URLS=True)
    async with Parley.open(settings, clock, features=build_features) as parley:
        yield parley
