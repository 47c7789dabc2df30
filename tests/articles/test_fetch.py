"""The page fetcher against a real local server: limits, types, redirects and SSRF refusals."""

import ipaddress

import pytest

from bot.errors import UserError
from handlers.articles import fetch
from handlers.articles.extract import readable_text
from handlers.articles.fetch import PageFetcher, is_forbidden
from tests.articles.conftest import ARTICLE_HTML

LOCAL = PageFetcher(allow_loopback=True, time_limit=2.0)


async def refused(fetcher, url):
    with pytest.raises(UserError) as caught:
        await fetcher.fetch(url)
    return caught.value.render("en")


async def test_html_page_is_fetched_and_its_main_text_extracted(server):
    page = await LOCAL.fetch(f"{server}/article.html")
    assert page.media_type == "text/html"
    readable = readable_text(page)
    assert readable.title == "Council Passes Budget"
    assert "Critics say the plan cuts too deeply" in readable.markdown
    assert "Sport" not in readable.markdown and "All rights reserved" not in readable.markdown


async def test_plain_text_and_a_followed_redirect(server):
    page = await LOCAL.fetch(f"{server}/plain.txt")
    assert readable_text(page).title == "Plain Notes"
    page = await LOCAL.fetch(f"{server}/to-article")
    assert page.url.endswith("/article.html")


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
async def test_oversized_pages_are_refused(server, path):
    assert "larger than 2 MB" in await refused(LOCAL, f"{server}{path}")


async def test_slow_page_times_out(server):
    fetcher = PageFetcher(allow_loopback=True, time_limit=0.5)
    assert "longer than" in await refused(fetcher, f"{server}/slow")


async def test_wrong_type_missing_page_and_redirect_loop(server):
    assert "image/png" in await refused(LOCAL, f"{server}/image.png")
    assert "status 404" in await refused(LOCAL, f"{server}/missing")
    assert "redirects more than 5" in await refused(LOCAL, f"{server}/loop")


@pytest.mark.parametrize("path", ["/to-metadata", "/to-private"])
async def test_redirects_to_internal_addresses_are_refused(server, path):
    assert "private, local or internal" in await refused(LOCAL, f"{server}{path}")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.1:8080/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
    ],
)
async def test_internal_addresses_are_refused_when_not_allowed(url):
    assert "private, local or internal" in await refused(PageFetcher(), url)


async def test_metadata_stays_refused_even_when_loopback_is_allowed():
    assert "internal" in await refused(LOCAL, "http://169.254.169.254/")
    assert "internal" in await refused(LOCAL, "http://10.0.0.1/")


async def test_a_name_resolving_to_an_internal_address_is_refused(monkeypatch):
    async def rebinding(host, port):
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(fetch, "resolve_host", rebinding)
    assert "internal" in await refused(PageFetcher(), "https://news.example/story")


async def test_the_connection_goes_to_the_vetted_address(server, monkeypatch):
    port = server.rsplit(":", 1)[1]

    async def resolver(host, port):
        assert host == "news.example"
        return [ipaddress.ip_address("127.0.0.1")]

    fetcher = PageFetcher(allow_loopback=True, time_limit=2.0, resolver=resolver)
    page = await fetcher.fetch(f"http://news.example:{port}/plain.txt")
    assert page.url == f"http://news.example:{port}/plain.txt" and b"Plain Notes" in page.body


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "http://", "file:///etc/passwd", "http://user@host/", "nope"]
)
async def test_bad_addresses_are_refused(url):
    assert "not a web address" in await refused(PageFetcher(), url)


def test_public_addresses_are_allowed():
    assert not is_forbidden(ipaddress.ip_address("93.184.216.34"))
    assert not is_forbidden(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946"))


@pytest.mark.parametrize(
    "address",
    [
        "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
        "2002:a00:5::1",  # 6to4 wrapping 10.0.0.5
        "2002:a9fe:a9fe::",  # 6to4 wrapping the metadata address
        "64:ff9b::a00:5",  # NAT64 wrapping 10.0.0.5
        "64:ff9b::a9fe:a9fe",  # NAT64 wrapping the metadata address
        "64:ff9b:1::1",  # a local-use NAT64 translator
        "fec0::1",  # deprecated site-local
    ],
)
def test_ipv6_addresses_that_lead_to_internal_ones_are_refused(address):
    assert is_forbidden(ipaddress.ip_address(address))


def test_ipv6_wrappers_of_public_ipv4_addresses_are_allowed():
    for address in ("2002:5db8:d822::", "64:ff9b::5db8:d822", "::ffff:93.184.216.34"):
        assert not is_forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("media_type", "body"),
    [
        ("text/html", ARTICLE_HTML.replace("dollar budget", "dollar budget für")),
        ("text/plain", "Die Stadt hat gewählt. Der Rat tagt morgen wieder."),
    ],
)
def test_an_unknown_declared_charset_is_read_as_utf8(media_type, body):
    page = fetch.FetchedPage("https://news.example/a", media_type, "x-no-such", body.encode())
    markdown = readable_text(page).markdown
    assert "für" in markdown or "gewählt" in markdown
