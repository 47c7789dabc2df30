"""A client for the OpenAI chat-completions protocol (DeepSeek, Kimi, MiniMax, Ollama, llama.cpp).

One `complete` is one POST to `{base}/chat/completions`, bounded: a timeout per attempt, at most
`MAX_BYTES` of answer read, and at most `MAX_ATTEMPTS` attempts, retrying only a 429 (after its
Retry-After, capped at `MAX_RETRY_AFTER` seconds) or a 5xx (after a doubling back-off). Other
statuses, a timeout, a broken or oversized answer fail at once as `ProviderError`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("parley.summary.llm")

MAX_ATTEMPTS = 3
MAX_BYTES = 256 * 1024
"""The longest answer read; a provider streaming endless output is cut here."""
MAX_RETRY_AFTER = 30.0
FIRST_BACKOFF = 1.0
MAX_TOKENS = 1200

Sleep = Callable[[float], Awaitable[None]]


class ProviderError(Exception):
    """The provider gave no usable answer; `reason` is a short word for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message of a request."""

    role: str
    content: str


@dataclass(frozen=True, slots=True)
class ChatProvider:
    """The configured provider: where it is, which model, how long to wait."""

    base_url: str
    model: str
    name: str
    api_key: str | None = None
    timeout: float = 60.0
    sleep: Sleep = field(default=asyncio.sleep, repr=False)
    """How back-off waits (tests pass one that records instead of waiting)."""

    async def complete(self, messages: Sequence[Message]) -> str:
        """The model's answer to `messages` (its message content), or `ProviderError`."""
        body = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": 0.2,
            "max_tokens": MAX_TOKENS,
            "stream": False,
        }
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = f"{self.base_url.rstrip('/')}/chat/completions"
        import httpx  # with the first written summary, not at start-up (about 4 MiB resident)

        async with httpx.AsyncClient(
            trust_env=False, timeout=httpx.Timeout(self.timeout)
        ) as client:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                status, retry_after, payload = await self._attempt(client, url, headers, body)
                if status == httpx.codes.OK:
                    return _content(payload)
                retryable = status == httpx.codes.TOO_MANY_REQUESTS or status >= 500
                log.warning(
                    "event=llm_status status=%d attempt=%d model=%s", status, attempt, self.model
                )
                if not retryable or attempt == MAX_ATTEMPTS:
                    raise ProviderError(f"http_{status}")
                backoff = FIRST_BACKOFF * 2 ** (attempt - 1)
                await self.sleep(retry_after if retry_after is not None else backoff)
        raise ProviderError("no_attempt")  # pragma: no cover - the loop always returns or raises

    async def _attempt(
        self, client: httpx.AsyncClient, url: str, headers: dict[str, str], body: object
    ) -> tuple[int, float | None, bytes]:
        """One POST: its status, the Retry-After it asked for, and its body (capped)."""
        import httpx  # loaded by `complete` already

        try:
            async with asyncio.timeout(self.timeout):
                async with client.stream("POST", url, headers=headers, json=body) as response:
                    retry_after = _retry_after(response.headers.get("retry-after"))
                    if response.status_code != httpx.codes.OK:
                        return response.status_code, retry_after, b""
                    return response.status_code, retry_after, await _capped(response)
        except TimeoutError:
            raise ProviderError("timeout") from None
        except httpx.HTTPError as error:
            raise ProviderError(f"unreachable_{type(error).__name__}") from None


async def _capped(response: httpx.Response) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body.extend(chunk)
        if len(body) > MAX_BYTES:
            raise ProviderError("too_large")
    return bytes(body)


def _retry_after(value: str | None) -> float | None:
    """Seconds a 429 asks to wait (a number or an HTTP date), at most `MAX_RETRY_AFTER`."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - datetime.now(UTC)).total_seconds() if when.tzinfo else 0.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _content(payload: bytes) -> str:
    """The first choice's message content of a chat-completions answer."""
    try:
        answer = json.loads(payload)
        content = answer["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):  # `[[[…` nested deep
        raise ProviderError("broken_answer") from None
    if not isinstance(content, str):
        raise ProviderError("broken_answer")
    return content


def display_name(base_url: str) -> str:
    """A provider's name when none is configured: the host of its base URL."""
    return urlsplit(base_url).hostname or base_url
