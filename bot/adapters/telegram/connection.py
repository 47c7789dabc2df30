"""Building the python-telegram-bot `Application` from Parley's settings.

The Bot API base URL is configurable for a self-hosted Bot API server; every transport is
wrapped so that a `401 Unauthorized` after start-up (a revoked token) ends the adapter.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import TYPE_CHECKING

from telegram.ext import Application
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from .ordering import PerPersonOrderedProcessor

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

DEFAULT_NONE = BaseRequest.DEFAULT_NONE

DEFAULT_API_URL = "https://api.telegram.org"
CONNECTION_POOL_SIZE = 32
CONCURRENT_UPDATES = 64  # enough in flight for votes to share commits (benchmarks/telegram_e2e)


class TokenWatch:
    """Raised flag for a token that Telegram stopped accepting (`401 Unauthorized`)."""

    def __init__(self) -> None:
        self.rejected = asyncio.Event()


class WatchedRequest(BaseRequest):
    """A transport that delegates to another and reports `401 Unauthorized` answers."""

    def __init__(self, inner: BaseRequest, watch: TokenWatch) -> None:
        self._inner = inner
        self._watch = watch

    @property
    def read_timeout(self) -> float | None:
        """The inner transport's read timeout."""
        return self._inner.read_timeout

    async def initialize(self) -> None:
        """Initialize the inner transport."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Shut the inner transport down."""
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the request through the inner transport."""
        code, payload = await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout,
            write_timeout,
            connect_timeout,
            pool_timeout,
        )
        if code == HTTPStatus.UNAUTHORIZED:
            self._watch.rejected.set()
        return code, payload


def api_urls(base: str | None) -> tuple[str, str]:
    """The Bot API and file download base URLs (the token is appended to each).

    Accepts `http://host:8081/bot` (as in `.env.example`) or just `http://host:8081`.
    """
    root = (base or DEFAULT_API_URL).rstrip("/")
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    token: str,
    api_base_url: str | None,
    watch: TokenWatch,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:
    """The real `Application`: no job queue, no rate limiter, many people's updates at once."""
    base_url, base_file_url = api_urls(api_base_url)
    request = request or HTTPXRequest(connection_pool_size=CONNECTION_POOL_SIZE)
    get_updates_request = get_updates_request or HTTPXRequest(connection_pool_size=1)
    return (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(WatchedRequest(request, watch))
        .get_updates_request(WatchedRequest(get_updates_request, watch))
        .concurrent_updates(PerPersonOrderedProcessor(CONCURRENT_UPDATES))
        .job_queue(None)
        .build()
    )
