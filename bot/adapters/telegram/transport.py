"""Wrappers around python-telegram-bot's HTTP transport.

`WatchedRequest` reports `401 Unauthorized` answers (a revoked token ends the adapter);
`InboxRequest` is the `getUpdates` transport that stores every page in the inbox before handing
it on, so python-telegram-bot cannot confirm an update (with its next `getUpdates`) that is not
stored: it only learns of an update once this transport returned.
"""

from __future__ import annotations

import asyncio
import json
import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from telegram.request import BaseRequest, RequestData

from .inbox import Inbox

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

    from .connection import TokenWatch

DEFAULT_NONE = BaseRequest.DEFAULT_NONE

log = logging.getLogger("parley.telegram")


class DelegatingRequest(BaseRequest):
    """A transport that passes every request to another one."""

    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner

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
        return await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout,
            write_timeout,
            connect_timeout,
            pool_timeout,
        )


class WatchedRequest(DelegatingRequest):
    """Raises the token watch's flag on a `401 Unauthorized` answer."""

    def __init__(self, inner: BaseRequest, watch: TokenWatch) -> None:
        super().__init__(inner)
        self._watch = watch

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
        """Make the request; note a rejected token."""
        code, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if code == HTTPStatus.UNAUTHORIZED:
            self._watch.rejected.set()
        return code, payload


class InboxRequest(DelegatingRequest):
    """The `getUpdates` transport: each page is stored before python-telegram-bot sees it.

    A long poll waits while the inbox is full (bounded work). A failure to store raises, which
    python-telegram-bot reports as a network error and retries: Telegram, not having been
    told, sends the same updates again.
    """

    def __init__(self, inner: BaseRequest, inbox: Inbox) -> None:
        super().__init__(inner)
        self._inbox = inbox

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
        """Fetch a page of updates and store it."""
        params = request_data.parameters if request_data is not None else {}
        if _number(params.get("timeout")) > 0:  # not the final, confirming call at shutdown
            await self._inbox.wait_for_room()
        code, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if code == HTTPStatus.OK:
            updates = _updates_in(payload)
            if updates is not None:
                offset = int(_number(params.get("offset")))
                # Shielded: stopping cancels the polling task, and a write cut in half would
                # leave the shared connection inside a transaction.
                await asyncio.shield(self._inbox.store(updates, confirmed_below=offset or None))
        return code, payload


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _updates_in(payload: bytes) -> list[dict[str, Any]] | None:
    """The updates in a `getUpdates` answer; None when it is not one (the library says why)."""
    try:
        body = json.loads(payload)
    except ValueError:
        return None
    result = body.get("result") if isinstance(body, dict) and body.get("ok") else None
    if not isinstance(result, list):
        return None
    return [update for update in result if isinstance(update, dict)]
