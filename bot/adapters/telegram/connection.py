"""Building the python-telegram-bot `Application` from Parley's settings.

The Bot API base URL is configurable for a self-hosted Bot API server; every transport is
wrapped so that a `401 Unauthorized` after start-up (a revoked token) ends the adapter, and
every update is stored in the inbox before Telegram can consider it delivered.
"""

from __future__ import annotations

import asyncio

from telegram.ext import Application
from telegram.request import BaseRequest, HTTPXRequest

from .inbox import Inbox, StoringQueue
from .ordering import PerPersonOrderedProcessor
from .transport import InboxRequest, WatchedRequest

DEFAULT_API_URL = "https://api.telegram.org"
CONNECTION_POOL_SIZE = 32
CONCURRENT_UPDATES = 64  # enough in flight for votes to share commits (benchmarks/telegram_e2e)


class TokenWatch:
    """Raised flag for a token that Telegram stopped accepting (`401 Unauthorized`)."""

    def __init__(self) -> None:
        self.rejected = asyncio.Event()


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
    inbox: Inbox,
    *,
    webhook: bool = False,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:
    """The real `Application`: no job queue, no rate limiter, many people's updates at once.

    Updates reach the inbox through the `getUpdates` transport (polling) or the update queue
    (`webhook`, where the library's web server awaits the queue before answering Telegram).
    """
    base_url, base_file_url = api_urls(api_base_url)
    request = request or HTTPXRequest(connection_pool_size=CONNECTION_POOL_SIZE)
    get_updates_request = get_updates_request or HTTPXRequest(connection_pool_size=1)
    builder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(WatchedRequest(request, watch))
        .concurrent_updates(PerPersonOrderedProcessor(CONCURRENT_UPDATES))
        .job_queue(None)
    )
    if webhook:
        builder = builder.update_queue(StoringQueue(inbox))
        builder = builder.get_updates_request(WatchedRequest(get_updates_request, watch))
    else:
        watched = WatchedRequest(get_updates_request, watch)
        builder = builder.get_updates_request(InboxRequest(watched, inbox))
    return builder.build()
