"""A loopback server speaking the OpenAI chat-completions protocol, answering from a script.

Each request takes the next step of `script` (an answer to send, a status, endless output, a
stall, broken JSON); with the script used up it answers with grounded bullets. `bodies` holds
every request's JSON and `headers` its headers, so tests see exactly what the bot sent.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from aiohttp import web

Step = Callable[[web.Request, dict], Awaitable[web.StreamResponse]]
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


def numbered(body: dict) -> list[tuple[int, str]]:
    """The numbered sentences a request offered the model."""
    return [(int(n), text) for n, text in _NUMBERED.findall(body["messages"][-1]["content"])]


def copied_bullets(body: dict, count: int = 3) -> str:
    """An answer that is grounded by construction: offered sentences, each citing itself."""
    return "\n".join(f"- {text} [{n}]" for n, text in numbered(body)[:count])


def completion(content: str) -> web.Response:
    payload = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
    return web.json_response(payload)


def answer(write: Callable[[dict], str]) -> Step:
    """A step answering with `write(request body)`."""

    async def step(_: web.Request, body: dict) -> web.StreamResponse:
        return completion(write(body))

    return step


def status(code: int, headers: dict[str, str] | None = None) -> Step:
    async def step(_: web.Request, __: dict) -> web.StreamResponse:
        return web.json_response({"error": {"message": "scripted"}}, status=code, headers=headers)

    return step


async def endless(request: web.Request, _: dict) -> web.StreamResponse:
    """A 200 whose body streams on (4 MiB at most: the server stops by itself)."""
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    await response.write(b'{"choices": [{"message": {"content": "')
    for _ in range(64):
        await response.write(b"x" * 65536)
    return response


async def broken_json(_: web.Request, __: dict) -> web.StreamResponse:
    return web.Response(text='{"choices": [{"message": ', content_type="application/json")


def stall(release: asyncio.Event, then: Step | None = None) -> Step:
    """A step that waits for `release` (10 s at most) before answering."""

    async def step(request: web.Request, body: dict) -> web.StreamResponse:
        with suppress(TimeoutError):
            await asyncio.wait_for(release.wait(), 10)
        return await (then or answer(copied_bullets))(request, body)

    return step


@dataclass
class FakeModel:
    """The server's script and what it received."""

    url: str = ""
    script: list[Step] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    received: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once the first request has arrived."""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = json.loads(await request.read())
        self.bodies.append(body)
        self.headers.append(dict(request.headers))
        self.received.set()
        step = self.script.pop(0) if self.script else answer(copied_bullets)
        return await step(request, body)


@asynccontextmanager
async def serving() -> AsyncIterator[FakeModel]:
    """A `FakeModel` listening on 127.0.0.1; its `url` is the API base (`…/v1`)."""
    model = FakeModel()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", model.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    model.url = f"http://127.0.0.1:{port}/v1"
    try:
        yield model
    finally:
        await runner.cleanup()
