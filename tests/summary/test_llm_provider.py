"""The chat-completions client against a real loopback server: retries, limits, hostile answers."""

import asyncio

import pytest
from aiohttp import web

from handlers.summary.abstractive.provider import (
    MAX_ATTEMPTS,
    MAX_RETRY_AFTER,
    ChatProvider,
    Message,
    ProviderError,
)
from tests.summary import fake_model as fm

ASK = [Message("system", "Be brief."), Message("user", "[1] The sky is blue.")]


@pytest.fixture
async def model():
    async with fm.serving() as served:
        yield served


def provider(model, *, timeout=2.0, key="sk-loopback"):
    waited = []

    async def sleep(seconds):
        waited.append(seconds)

    client = ChatProvider(model.url, "m-1", "Loopback", api_key=key, timeout=timeout, sleep=sleep)
    return client, waited


async def test_a_request_names_the_model_and_carries_the_key(model):
    model.script = [fm.answer(lambda body: "- The sky is blue. [1]")]
    client, _ = provider(model)
    assert await client.complete(ASK) == "- The sky is blue. [1]"
    assert model.bodies[0]["model"] == "m-1" and model.bodies[0]["stream"] is False
    assert model.bodies[0]["messages"][1] == {"role": "user", "content": "[1] The sky is blue."}
    assert model.headers[0]["Authorization"] == "Bearer sk-loopback"


async def test_no_key_sends_no_authorization(model):
    client, _ = provider(model, key=None)
    await client.complete(ASK)
    assert "Authorization" not in model.headers[0]


async def test_429_waits_as_retry_after_asks_then_succeeds(model):
    model.script = [fm.status(429, {"Retry-After": "7"}), fm.answer(lambda _: "ok")]
    client, waited = provider(model)
    assert await client.complete(ASK) == "ok"
    assert waited == [7.0] and len(model.bodies) == 2


async def test_retry_after_is_capped(model):
    model.script = [fm.status(429, {"Retry-After": "86400"}), fm.answer(lambda _: "ok")]
    client, waited = provider(model)
    assert await client.complete(ASK) == "ok"
    assert waited == [MAX_RETRY_AFTER]


async def test_5xx_backs_off_doubling_then_gives_up(model):
    model.script = [fm.status(500), fm.status(503), fm.status(502), fm.answer(lambda _: "late")]
    client, waited = provider(model)
    with pytest.raises(ProviderError) as failed:
        await client.complete(ASK)
    assert failed.value.reason == "http_502"
    assert len(model.bodies) == MAX_ATTEMPTS and waited == [1.0, 2.0]


async def test_4xx_is_not_retried(model):
    model.script = [fm.status(401), fm.answer(lambda _: "never")]
    client, waited = provider(model)
    with pytest.raises(ProviderError) as failed:
        await client.complete(ASK)
    assert failed.value.reason == "http_401" and len(model.bodies) == 1 and waited == []


async def test_endless_output_is_cut_at_the_cap(model):
    model.script = [fm.endless]
    client, _ = provider(model)
    with pytest.raises(ProviderError) as failed:
        await client.complete(ASK)
    assert failed.value.reason == "too_large" and len(model.bodies) == 1


@pytest.mark.parametrize(
    "body",
    [
        '{"choices": [{"message": ',
        '{"choices": []}',
        '{"choices": [{"message": {"content": 3}}]}',
        "[" * 100_000,  # nested deeper than json.loads recurses (RecursionError, not ValueError)
    ],
)
async def test_broken_answers_fail_cleanly(model, body):
    async def send(_, __):
        return web.Response(text=body, content_type="application/json")

    model.script = [send]
    client, _ = provider(model)
    with pytest.raises(ProviderError) as failed:
        await client.complete(ASK)
    assert failed.value.reason == "broken_answer" and len(model.bodies) == 1


async def test_a_slow_provider_times_out_without_retrying(model):
    release = asyncio.Event()
    model.script = [fm.stall(release)]
    client, _ = provider(model, timeout=0.2)
    with pytest.raises(ProviderError) as failed:
        await client.complete(ASK)
    release.set()
    assert failed.value.reason == "timeout" and len(model.bodies) == 1


async def test_an_unreachable_provider_fails_cleanly():
    client = ChatProvider("http://127.0.0.1:9/v1", "m-1", "Nowhere", timeout=1.0)
    with pytest.raises(ProviderError) as failed:
        await client.complete(ASK)
    assert failed.value.reason.startswith("unreachable")
