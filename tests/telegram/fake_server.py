"""The fake Bot API over HTTP on 127.0.0.1, for the end-to-end tests (real polling, real HTTP)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import BodyPartReader, web

from tests.telegram.fake_api import FakeBotApi, decode_params


def _json(status: int, body: object) -> web.Response:
    return web.Response(status=status, body=json.dumps(body), content_type="application/json")


@asynccontextmanager
async def serve_fake_api(api: FakeBotApi) -> AsyncIterator[str]:
    """Serve `api`; yields the base URL to configure (`http://127.0.0.1:PORT/bot`)."""

    async def method(request: web.Request) -> web.Response:
        raw: dict[str, str] = {}
        files: dict[str, bytes] = {}
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader) or part.name is None:
                    continue
                if part.filename:
                    files[part.name] = await part.read()
                else:
                    raw[part.name] = await part.text()
        elif request.content_type == "application/json":
            raw = {k: json.dumps(v) for k, v in (await request.json()).items()}
        else:
            raw = {k: str(v) for k, v in (await request.post()).items()}
        status, body = await api.answer(
            request.match_info["method"], decode_params(raw), files, request.match_info["token"]
        )
        return _json(status, body)

    async def download(request: web.Request) -> web.Response:
        data = api.download(request.match_info["path"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", method)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/bot"
    finally:
        await runner.cleanup()
