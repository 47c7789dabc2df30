"""Fetch a web page safely: public addresses only, a size cap, a time limit, checked redirects.

Every hop resolves its host once, refuses private, loopback, link-local, multicast, reserved,
unspecified and cloud-metadata addresses, and then connects to the vetted address itself (the
Host header and TLS server name keep the real host), so DNS cannot answer differently between
the check and the connection. Redirects are followed by hand, each hop checked again.

The page is asked for uncompressed; a site that compresses anyway may use one layer of gzip or
deflate, undone in bounded steps (`decoding`), and the size cap counts decoded bytes as they come.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from bot.errors import UserError
from bot.i18n import Localized

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

MAX_BYTES = 2 * 1024 * 1024
TIME_LIMIT_SECONDS = 15.0
MAX_REDIRECTS = 5
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
_METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")

BAD_URL = Localized(
    "That is not a web address I can fetch: use http:// or https:// and a host name.",
    "这不是可以获取的网址：请使用 http:// 或 https:// 开头并带有主机名的地址。",
)
PRIVATE_ADDRESS = Localized(
    "I do not fetch pages from private, local or internal addresses ({host}).",
    "出于安全考虑，不获取私有、本地或内部地址的网页（{host}）。",
)
UNKNOWN_HOST = Localized("The host {host} could not be found.", "找不到主机 {host}。")
TIMED_OUT = Localized(
    "The page took longer than {seconds} seconds to load; try again later.",
    "网页加载超过 {seconds} 秒，请稍后再试。",
)
TOO_LARGE = Localized(
    "The page is larger than {limit} MB; I only import smaller pages.",
    "网页超过 {limit} MB，只能导入更小的网页。",
)
WRONG_TYPE = Localized(
    "The address serves {media_type}, not a web page or text.",
    "该地址返回的是 {media_type}，不是网页或文本。",
)
HTTP_FAILED = Localized("The site answered with status {status}.", "网站返回了状态码 {status}。")
UNREACHABLE = Localized("I could not connect to {host}.", "无法连接到 {host}。")
TOO_MANY_REDIRECTS = Localized(
    "The address redirects more than {limit} times.", "该地址重定向超过 {limit} 次。"
)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched page: its final address, media type, charset (if given) and body."""

    url: str
    media_type: str
    charset: str | None
    body: bytes


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (asyncio's getaddrinfo; no blocking)."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def is_forbidden(address: IPAddress, *, allow_loopback: bool = False) -> bool:
    """Whether connecting to `address` could reach something internal.

    An IPv6 address that carries an IPv4 one (IPv4-mapped, 6to4, NAT64) is judged by the IPv4
    address a gateway would forward it to, so `2002:7f00:1::` counts as 127.0.0.1.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local or address in _NAT64_LOCAL_USE:
            return True
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            address = embedded
    if address in _METADATA:
        return True
    if allow_loopback and address.is_loopback:
        return False
    return not address.is_global or address.is_multicast or address.is_reserved


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or well-known NAT64 (RFC 6052) address leads to."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True, slots=True)
class PageFetcher:
    """Fetches pages under the limits; `allow_loopback` is for tests against a local server."""

    allow_loopback: bool = False
    time_limit: float = TIME_LIMIT_SECONDS
    max_bytes: int = MAX_BYTES
    resolver: Resolver | None = None
    """How host names are resolved; None means `resolve_host`."""

    async def fetch(self, url: str) -> FetchedPage:
        """Fetch `url`, or raise a `UserError` that says what went wrong."""
        # httpx, with the modules it brings (about 4 MiB resident), loads with the first fetch.
        from handlers.articles.transfer import fetch_page

        try:
            async with asyncio.timeout(self.time_limit):
                return await fetch_page(self, url)
        except TimeoutError:
            raise UserError(TIMED_OUT, seconds=round(self.time_limit)) from None

    async def vetted_address(self, url: str) -> tuple[SplitResult, IPAddress]:
        """`url`'s parts and the address to connect to, or the `UserError` that refuses it.

        Every address the host resolves to must be public (see `is_forbidden`).
        """
        parts = _parse(url)
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                addresses = await (self.resolver or resolve_host)(host, port)
            except OSError:
                raise UserError(UNKNOWN_HOST, host=host[:80]) from None
        if not addresses:
            raise UserError(UNKNOWN_HOST, host=host[:80])
        if any(is_forbidden(a, allow_loopback=self.allow_loopback) for a in addresses):
            raise UserError(PRIVATE_ADDRESS, host=host[:80])
        return parts, addresses[0]


def _parse(url: str) -> SplitResult:
    """Check that `url` is an absolute http(s) address with a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UserError(BAD_URL) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        raise UserError(BAD_URL)
    if port is not None and not 0 < port < 65536:
        raise UserError(BAD_URL)
    return parts
