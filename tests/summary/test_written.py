"""Written summaries through the router, against a loopback chat-completions server.

Every test sends a real /summary (or presses a real button) and reads the reply, the later edit
of the posted message (the recording gateway's), the requests the server received and the rows
stored.
"""

import asyncio
import re
from contextlib import AsyncExitStack
from datetime import UTC

import pytest

from bot.adapters.discord.render import render_single
from bot.adapters.telegram.render import render_html
from bot.app import Parley
from bot.identity import ChatRef, MessageRef
from bot.reply import BulletList
from handlers.summary.actions import AUTOMATIC, SummaryView
from parley.features import build_features
from tests.summary import fake_model as fm
from tests.support import (
    RecordingGateway,
    RecordingResponder,
    make_actor,
    make_command,
    make_press,
    make_settings,
)

MOD = make_actor("mod", moderator=True)
ZH = make_actor("li", locale="zh")
SENTENCES = (
    "The port authority approved a 300 million dollar expansion of the Harbour on Monday.",
    "The plan adds four berths for container ships and a rail link to the city.",
    "Critics say the plan ignores the fishing fleet, which employs 1,200 people.",
    "Mayor Lena Ortiz said the fleet keeps its berths and gains a new market hall.",
    "Construction starts in spring and lasts two years.",
    "The authority expects 40 percent more cargo by 2030.",
    "Environmental groups asked for a study of the harbour seals first.",
    "A public hearing is planned for next month.",
)
ARTICLE = (
    "# Harbour Plan\n\n"
    + " ".join(SENTENCES[:4])
    + "\n\n## Next steps\n\n"
    + " ".join(SENTENCES[4:])
)
WRITTEN = "Written by test-model via Loopback from the article's sentences "
BEING_WRITTEN = "test-model via Loopback is writing a summary"


@pytest.fixture
async def model():
    async with fm.serving() as served:
        yield served


@pytest.fixture
async def opened(tmp_path, clock, model):
    """Open the app (again, on the same file) with the model configured: `await opened(**env)`."""
    async with AsyncExitStack() as stack:

        async def open_app(**env):
            values = {
                "PARLEY_LLM_BASE_URL": model.url,
                "PARLEY_LLM_MODEL": "test-model",
                "PARLEY_LLM_PROVIDER": "Loopback",
                "PARLEY_LLM_API_KEY": "sk-secret-test",
                "PARLEY_LLM_TIMEOUT_SECONDS": "2",
                **env,
            }
            settings = make_settings(tmp_path, **values)
            app = await stack.enter_async_context(
                Parley.open(settings, clock, features=build_features)
            )
            app.services.outbox.register(RecordingGateway())
            await run(app, f"/article add {ARTICLE}", actor=MOD)
            await run(app, "/article use 1", actor=MOD)
            return app

        yield open_app


async def run(app, line, actor=None):
    responder = RecordingResponder()
    await app.router.dispatch(make_command(line, actor=actor or make_actor()), responder)
    return responder


class NumberedResponder(RecordingResponder):
    """A responder whose posted message has the id it is given."""

    def __init__(self, message_id, chat="chat"):
        super().__init__()
        self.message = MessageRef(ChatRef("test", chat), message_id)

    async def reply(self, reply):
        await super().reply(reply)
        return self.message


async def post(app, line, message_id, chat="chat"):
    responder = NumberedResponder(message_id, chat)
    await app.router.dispatch(make_command(line, chat=chat), responder)
    return responder


async def settled(app):
    """What the posted summaries were edited into, once the background work is done."""
    await app.services.background.idle()
    return [reply for _, reply in app.services.outbox.gateway("test").edits]


def bullets(reply):
    return next(block.items for block in reply.blocks if isinstance(block, BulletList))


def positions(body):
    """The article positions of the sentences a request offered, by their prompt numbers."""
    return {n: SENTENCES.index(text) + 1 for n, text in fm.numbered(body)}


async def test_a_grounded_answer_replaces_the_extract_with_a_labelled_summary(opened, model):
    app = await opened()
    out = await run(app, "/summary short")
    first = out.replies[0]
    assert BEING_WRITTEN in first.plain_text() and len(bullets(first)) >= 1
    model.script = [fm.answer(lambda body: fm.copied_bullets(body, 2))]
    edited = (await settled(app))[-1]
    body = model.bodies[0]
    assert body["model"] == "test-model"
    assert model.headers[0]["Authorization"] == "Bearer sk-secret-test"
    offered = fm.numbered(body)
    place = positions(body)  # the ranker's sentences, numbered in the article's order
    assert len(offered) >= 6 and list(place.values()) == sorted(place.values())
    assert bullets(edited) == tuple(text for _, text in offered[:2])
    assert f"{WRITTEN}{place[1]}, {place[2]}." in edited.plain_text()
    assert BEING_WRITTEN not in edited.plain_text()
    assert edited.title == first.title and edited.buttons == first.buttons


async def test_the_same_request_is_answered_from_the_cache_even_after_a_restart(opened, model):
    app = await opened()
    await run(app, "/summary short")
    await settled(app)
    again = await run(app, "/summary short")
    assert WRITTEN in again.text and BEING_WRITTEN not in again.text
    chinese = await run(app, "/summary short en", actor=ZH)  # the label speaks the reader's
    assert "本摘要由 test-model（经 Loopback）根据文章第 " in chinese.text
    assert len(model.bodies) == 1
    rows = await app.services.storage.database.fetch_all(
        "SELECT model, length, language, kind FROM written_summaries"
    )
    assert [tuple(row) for row in rows] == [("test-model", "short", "en", "summary")]
    await app.services.background.idle()
    await run(app, "/article remove 1", actor=MOD)  # what was written from it goes with it
    database = app.services.storage.database
    assert await database.fetch_all("SELECT model FROM written_summaries") == []


async def test_simultaneous_requests_make_one_call(opened, model):
    app = await opened()
    release = asyncio.Event()
    model.script = [fm.stall(release)]
    await asyncio.gather(*(post(app, "/summary medium", str(n)) for n in range(3)))
    await asyncio.sleep(0)
    release.set()
    edits = await settled(app)
    assert len(model.bodies) == 1 and len(edits) == 3
    assert all(WRITTEN in reply.plain_text() for reply in edits)


async def test_views_waiting_for_one_request_leave_the_lane_to_another(opened, model):
    app = await opened()
    release, second = asyncio.Event(), asyncio.Event()

    async def arrives(request, body):
        second.set()
        return await fm.stall(release)(request, body)

    model.script = [fm.stall(release), arrives]
    await asyncio.gather(*(post(app, "/summary medium", str(n)) for n in range(3)))
    await post(app, "/summary long", "4")
    await second.wait()  # the long summary's request went out beside the medium one
    assert app.services.outbox.gateway("test").edits == []  # both still held by the provider
    release.set()
    edits = await settled(app)
    assert len(model.bodies) == 2 and len(edits) == 4
    assert all(WRITTEN in reply.plain_text() for reply in edits)


async def test_a_chat_waiting_on_another_chats_request_is_not_told_its_budget_is_used(
    opened, model, clock
):
    app = await opened(PARLEY_LLM_DAILY_BUDGET="2")
    for line in (f"/article add {ARTICLE}", "/article use 2"):
        await app.router.dispatch(make_command(line, actor=MOD, chat="other"), RecordingResponder())
    release, both = asyncio.Event(), asyncio.Event()

    async def second(request, body):
        both.set()
        return await fm.stall(release)(request, body)

    model.script = [fm.stall(release), second]  # a third chat's two requests fill the lane
    await post(app, "/summary short", "1", chat="third")
    await post(app, "/summary medium", "2", chat="third")
    await both.wait()
    await post(app, "/summary medium", "3")  # planned within chat's budget, and queued
    await post(app, "/summary medium", "4", chat="other")  # waits on chat's request
    usage = app.services.storage.written_summaries
    for _ in range(2):  # chat's budget runs out before its request's turn comes
        await usage.take(ChatRef("test", "chat"), clock.now().astimezone(UTC).date(), 2)
    release.set()
    await settled(app)
    edits = app.services.outbox.gateway("test").edits
    shown = {ref.chat.chat_id + ref.message_id: reply.plain_text() for ref, reply in edits}
    assert "This chat has used today's 2 requests" in shown["chat3"]
    assert WRITTEN in shown["other4"] and len(model.bodies) == 3


async def test_invented_figures_names_and_quotes_are_dropped(opened, model):
    app = await opened()

    def partly_invented(body):
        (n1, s1), (n2, s2), (n3, _), *_ = fm.numbered(body)
        return "\n".join(
            (
                f"- {s1} [{n1}]",
                f"- {s2} [{n2}]",
                f"- The expansion will cost 999 million dollars. [{n2}]",
                f"- Governor Smith opposed the plan. [{n3}]",
                f'- The authority called it "a triumph for everyone". [{n1}]',
            )
        )

    model.script = [fm.answer(partly_invented)]
    await run(app, "/summary short")
    edited = (await settled(app))[-1]
    text = edited.plain_text()
    assert len(bullets(edited)) == 2 and WRITTEN in text  # two of the three asked: enough
    assert "999" not in text and "Smith" not in text and "triumph" not in text


async def test_too_little_left_shows_the_extract_and_says_why(opened, model):
    app = await opened()
    model.script = [fm.answer(lambda body: "- The plan costs 5 billion dollars. [1]")]
    first = (await run(app, "/summary medium")).replies[0]
    edited = (await settled(app))[-1]
    assert bullets(edited) == bullets(first) and "5 billion" not in edited.plain_text()
    note = "What test-model wrote did not hold up against the article's sentences"
    assert note in edited.plain_text()
    again = await run(app, "/summary medium")  # the verdict is cached too: no second call
    assert note in again.text and len(model.bodies) == 1


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda body: fm.copied_bullets(body).replace("[", "(").replace("]", ")"),
            id="missing-citations",
        ),
        pytest.param(
            lambda body: "\n".join(f"- {t} [{n + 50}]" for n, t in fm.numbered(body)[:3]),
            id="citations-out-of-range",
        ),
        pytest.param(
            lambda body: "\n".join(f"- {t}" for _, t in fm.numbered(body)[:3]), id="no-citations"
        ),
        pytest.param(  # more digits than int() converts: must not fail the whole answer
            lambda body: "\n".join(f"- {t} [{'9' * 5000}]" for _, t in fm.numbered(body)[:3]),
            id="citation-of-5000-digits",
        ),
    ],
)
async def test_bullets_without_a_valid_citation_are_dropped(opened, model, write):
    app = await opened()
    model.script = [fm.answer(write)]
    first = (await run(app, "/summary short")).replies[0]
    edited = (await settled(app))[-1]
    assert bullets(edited) == bullets(first) and "did not hold up" in edited.plain_text()


async def test_reasoning_is_stripped(opened, model):
    app = await opened()

    def thinking(body):
        (n, text), (m, other), *_ = fm.numbered(body)
        thought = f"<think>Sentence [{n}] mentions 777 ships; I'll say so.</think>"
        return f"{thought}\n- {text} [{n}]\n- {other} [{m}]"

    model.script = [fm.answer(thinking)]
    await run(app, "/summary short")
    edited = (await settled(app))[-1]
    assert WRITTEN in edited.plain_text()
    assert "777" not in edited.plain_text() and "think" not in edited.plain_text()


@pytest.mark.parametrize(
    "step",
    [
        pytest.param(fm.endless, id="endless-output"),
        pytest.param(fm.broken_json, id="broken-json"),
        pytest.param(fm.status(400), id="400"),
    ],
)
async def test_a_provider_without_a_usable_answer_leaves_the_extract(opened, model, step, caplog):
    app = await opened()
    model.script = [step]
    first = (await run(app, "/summary short")).replies[0]
    edited = (await settled(app))[-1]
    assert bullets(edited) == bullets(first)
    assert "test-model via Loopback gave no usable answer" in edited.plain_text()
    assert len(model.bodies) == 1  # none of these is retried
    assert "event=llm_failed" in caplog.text and "sk-secret-test" not in caplog.text


async def test_a_429_is_retried_after_its_retry_after(opened, model):
    app = await opened()
    model.script = [fm.status(429, {"Retry-After": "0"})]
    await run(app, "/summary short")
    edited = (await settled(app))[-1]
    assert WRITTEN in edited.plain_text() and len(model.bodies) == 2


async def test_a_timeout_leaves_the_extract(opened, model):
    app = await opened(PARLEY_LLM_TIMEOUT_SECONDS="0.2")
    release = asyncio.Event()
    model.script = [fm.stall(release)]
    await run(app, "/summary short")
    edited = (await settled(app))[-1]
    release.set()
    assert "gave no usable answer" in edited.plain_text() and len(model.bodies) == 1


async def test_a_slow_provider_delays_no_other_command(opened, model):
    app = await opened()
    release = asyncio.Event()
    model.script = [fm.stall(release)]
    out = await run(app, "/summary short")
    assert BEING_WRITTEN in out.text
    await model.received.wait()  # the request is at the provider, which holds it
    other = await run(app, "/summary sections")
    poll = await run(app, "/poll create Lunch? | Pizza | Soup", actor=MOD)
    assert other.replies and poll.replies and len(app.services.background) >= 1
    assert app.services.outbox.gateway("test").edits == []  # still waiting
    release.set()
    assert any(WRITTEN in reply.plain_text() for reply in await settled(app))


async def test_the_daily_budget_is_stored_and_renews_the_next_day(opened, model, clock):
    app = await opened(PARLEY_LLM_DAILY_BUDGET="1")
    await run(app, "/summary short")
    await settled(app)
    used = await run(app, "/summary medium")
    assert "This chat has used today's 1 requests to the language model" in used.text
    assert len(model.bodies) == 1
    zh = await run(app, "/summary medium", actor=ZH)
    assert "本群今天向大模型发出的 1 次请求已经用完" in zh.text
    restarted = await opened(PARLEY_LLM_DAILY_BUDGET="1")
    assert "used today's 1 requests" in (await run(restarted, "/summary long")).text
    clock.advance(days=1)
    assert BEING_WRITTEN in (await run(restarted, "/summary long")).text
    await settled(restarted)
    assert len(model.bodies) == 2


async def test_a_chat_can_switch_written_summaries_off(opened, model):
    app = await opened()
    settings = await run(app, "/settings", actor=MOD)
    assert "written summaries" in settings.text
    await run(app, "/settings feature llm off", actor=MOD)
    out = await run(app, "/summary short")
    await settled(app)
    assert BEING_WRITTEN not in out.text and model.bodies == []
    await run(app, "/settings feature 大模型摘要 on", actor=MOD)
    assert BEING_WRITTEN in (await run(app, "/summary short")).text
    await settled(app)


async def test_nothing_is_sent_when_no_model_is_configured(app, model):
    await run(app, "/summary short")
    await run(app, "/summary zh")
    await app.services.background.idle()
    assert model.bodies == [] and "written summaries" not in (await run(app, "/settings")).text


async def test_a_press_replaces_the_pending_view_and_its_edit_never_lands(opened, model):
    app = await opened()
    release = asyncio.Event()
    model.script = [fm.stall(release)]
    await run(app, "/summary short")
    view = SummaryView(ref="1", length="sections", language="en", mode=AUTOMATIC)
    await app.router.dispatch(make_press(view), RecordingResponder())
    release.set()
    assert await settled(app) == []  # message 1 now shows the sections: it is not overwritten


async def test_a_missing_edition_is_filled_by_a_labelled_machine_translation(opened, model):
    app = await opened()

    def translate(body):
        """Chinese lines that keep each sentence's figures, as a faithful translation does."""
        lines = (
            f"[{n}] 译文：{' '.join(re.findall(r'[0-9,]+', text))}。"
            for n, text in fm.numbered(body)
            if n > 0
        )
        return "\n".join(("[0] 港口计划", *lines))

    model.script = [fm.answer(translate)]
    out = await run(app, "/summary short zh", actor=ZH)
    assert "test-model（经 Loopback）正在把这份摘要译成中文" in out.text
    assert "这篇文章没有中文版，以下是英文原文的摘要。" in out.text
    edited = (await settled(app))[-1]
    text = edited.plain_text()
    assert all(item.startswith("译文") for item in bullets(edited))
    assert out.replies[0].title == "Harbour Plan" and edited.title == "港口计划"
    assert "以下是 test-model（经 Loopback）对英文原文摘要的机器翻译（原文第 " in text
    assert "这篇文章没有中文版，以下是英文原文的摘要。" not in text
    prompt = model.bodies[0]["messages"]
    assert "Translate each numbered line into Simplified Chinese" in prompt[0]["content"]
    assert prompt[1]["content"].startswith("[0] Harbour Plan\n[1] ")


async def test_a_translation_that_changes_a_figure_is_not_shown(opened, model):
    app = await opened()
    model.script = [
        fm.answer(
            lambda body: "\n".join(f"[{n}] 港口扩建耗资3亿美元。" for n, _ in fm.numbered(body))
        )
    ]
    out = await run(app, "/summary short zh", actor=ZH)
    edited = (await settled(app))[-1]
    assert bullets(edited) == bullets(out.replies[0])
    assert "与文章原句对不上" in edited.plain_text()


async def test_a_post_shows_a_written_summary_only_once_one_is_cached(opened, model):
    app = await opened()
    gateway = app.services.outbox.gateway("test")
    await run(app, "/post summary short", actor=MOD)
    await app.services.background.idle()
    plain = gateway.sent[-1][1].plain_text()
    assert WRITTEN not in plain and BEING_WRITTEN not in plain and model.bodies == []
    await run(app, "/summary short")
    await settled(app)
    await run(app, "/post summary short", actor=MOD)
    assert WRITTEN in gateway.sent[-1][1].plain_text() and len(model.bodies) == 1


async def test_a_bullet_is_escaped_like_any_untrusted_text_on_every_platform(opened, model):
    app = await opened()

    def injecting(body):
        (n, text), (m, other), *_ = fm.numbered(body)
        hostile = "<b>click</b> <a href='x'>here</a> @everyone **now** [link](http://x)"
        return f"- {text} {hostile} [{n}]\n- {other} [{m}]"

    model.script = [fm.answer(injecting)]
    await run(app, "/summary short")
    edited = (await settled(app))[-1]
    assert WRITTEN in edited.plain_text()
    html = render_html(edited)
    assert (
        "<b>click" not in html and "&lt;b&gt;click&lt;/b&gt;" in html and "<a href='x'" not in html
    )
    discord = render_single(edited).embeds[0].description or ""
    assert "@everyone" not in discord and "\\*\\*now\\*\\*" in discord
