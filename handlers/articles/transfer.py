"""The HTTP exchange behind `PageFetcher`: httpx requests to vetted addresses, bounded reads.

Kept apart from `fetch` so that httpx, and the modules it brings, load only when a bot first
fetches a page (`PageFetcher.fetch` imports this module then), not at start-up.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import httpx

from bot.errors import UserError
from handlers.articles.decoding import BodyDecoder
from handlers.articles.fetch import (
    ACCEPTED_TYPES,
    HTTP_FAILED,
    MAX_REDIRECTS,
    TIMED_OUT,
    TOO_LARGE,
    TOO_MANY_REDIRECTS,
    UNREACHABLE,
    WRONG_TYPE,
    FetchedPage,
    PageFetcher,
)

_USER_AGENT = "ParleyBot/0.1 (+article import; a discussion bot)"


async def fetch_page(fetcher: PageFetcher, url: str) -> FetchedPage:
    """Fetch `url` under `fetcher`'s limits, following redirects by hand, each hop vetted."""
    limits = httpx.Timeout(fetcher.time_limit)
    async with httpx.AsyncClient(trust_env=False, timeout=limits) as client:
        for _ in range(MAX_REDIRECTS + 1):
            request = await _vetted_request(fetcher, client, url)
            response = await _send(fetcher, client, request, url)
            try:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                return await _read(fetcher, response, url)
            finally:
                await response.aclose()
    raise UserError(TOO_MANY_REDIRECTS, limit=MAX_REDIRECTS)


async def _vetted_request(
    fetcher: PageFetcher, client: httpx.AsyncClient, url: str
) -> httpx.Request:
    """A request to the vetted address of `url`'s host, keeping the host for HTTP and TLS."""
    parts, address = await fetcher.vetted_address(url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    target = httpx.URL(url).copy_with(host=str(address), port=port)
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
    fetcher: PageFetcher, client: httpx.AsyncClient, request: httpx.Request, url: str
) -> httpx.Response:
    try:
        return await client.send(request, stream=True, follow_redirects=False)
    except httpx.TimeoutException:
        raise UserError(TIMED_OUT, seconds=round(fetcher.time_limit)) from None
    except httpx.HTTPError:
        raise UserError(UNREACHABLE, host=(urlsplit(url).hostname or "?")[:80]) from None


async def _read(fetcher: PageFetcher, response: httpx.Response, url: str) -> FetchedPage:
    if response.status_code != httpx.codes.OK:
        raise UserError(HTTP_FAILED, status=response.status_code)
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise UserError(WRONG_TYPE, media_type=(media_type or "unknown")[:60])
    limit = fetcher.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UserError(TOO_LARGE, limit=limit // (1024 * 1024))
    decoder = BodyDecoder(response.headers.get_list("content-encoding", split_commas=True))
    received, body = 0, bytearray()
    try:
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > limit:
                raise UserError(TOO_LARGE, limit=limit // (1024 * 1024))
            for piece in decoder.decode(chunk):
                body.extend(piece)
                if len(body) > limit:
                    raise UserError(TOO_LARGE, limit=limit // (1024 * 1024))
    except httpx.HTTPError:
        raise UserError(UNREACHABLE, host=(urlsplit(url).hostname or "?")[:80]) from None
    return FetchedPage(url, media_type, response.charset_encoding, bytes(body))
