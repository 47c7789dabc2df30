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
from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from bot.errors import UserError
from bot.i18n import Localized
from handlers.articles.decoding import BodyDecoder

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
_USER_AGENT = "ParleyBot/0.1 (+article import; a discussion bot)"

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
        try:
            async with asyncio.timeout(self.time_limit):
                return await self._fetch(url)
        except TimeoutError:
            raise UserError(TIMED_OUT, seconds=round(self.time_limit)) from None

    async def _fetch(self, url: str) -> FetchedPage:
        limits = httpx.Timeout(self.time_limit)
        async with httpx.AsyncClient(trust_env=False, timeout=limits) as client:
            for _ in range(MAX_REDIRECTS + 1):
                request = await self._vetted_request(client, url)
                response = await self._send(client, request, url)
                try:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    return await self._read(response, url)
                finally:
                    await response.aclose()
        raise UserError(TOO_MANY_REDIRECTS, limit=MAX_REDIRECTS)

    async def _vetted_request(self, client: httpx.AsyncClient, url: str) -> httpx.Request:
        """A request to the vetted address of `url`'s host, keeping the host for HTTP and TLS."""
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
        target = httpx.URL(url).copy_with(host=str(addresses[0]), port=port)
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        return client.build_request(
            "GET",
            target,
            headers={
                "Host": host_header,
                "User-Agent": _USER_AGENT,
                "Accept": "text/html,text/plain,text/markdown;q=0.9,*/*;q=0.1",
                "Accept-Encoding": "identity",
            },
            extensions=extensions,
        )

    async def _send(
        self, client: httpx.AsyncClient, request: httpx.Request, url: str
    ) -> httpx.Response:
        try:
            return await client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException:
            raise UserError(TIMED_OUT, seconds=round(self.time_limit)) from None
        except httpx.HTTPError:
            raise UserError(UNREACHABLE, host=(urlsplit(url).hostname or "?")[:80]) from None

    async def _read(self, response: httpx.Response, url: str) -> FetchedPage:
        if response.status_code != httpx.codes.OK:
            raise UserError(HTTP_FAILED, status=response.status_code)
        content_type = response.headers.get("content-type", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type not in ACCEPTED_TYPES:
            raise UserError(WRONG_TYPE, media_type=(media_type or "unknown")[:60])
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise UserError(TOO_LARGE, limit=self.max_bytes // (1024 * 1024))
        decoder = BodyDecoder(response.headers.get_list("content-encoding", split_commas=True))
        received, body = 0, bytearray()
        try:
            async for chunk in response.aiter_raw():
                received += len(chunk)
                if received > self.max_bytes:
                    raise UserError(TOO_LARGE, limit=self.max_bytes // (1024 * 1024))
                for piece in decoder.decode(chunk):
                    body.extend(piece)
                    if len(body) > self.max_bytes:
                        raise UserError(TOO_LARGE, limit=self.max_bytes // (1024 * 1024))
        except httpx.HTTPError:
            raise UserError(UNREACHABLE, host=(urlsplit(url).hostname or "?")[:80]) from None
        return FetchedPage(url, media_type, response.charset_encoding, bytes(body))


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
