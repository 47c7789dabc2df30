"""Message context-menu commands ("Summarize", "Propose as argument") and forms (modals) for
/argue and /summary edit, through discord.py's real interaction objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.discord import builders
from tests.discord.fake_discord import Call
from tests.tours.discord_tour import ADMIN, MASON, DiscordTour, as_member, discord_tour, text_of

MODAL = 9
SUMMARY = (
    "The council met on Monday to discuss the new bus routes. Residents asked for more stops"
    " near the school. The council agreed to add two stops by March. The cost is shared with"
    " the province. A review follows after six months of service."
)


async def run(
    tour: DiscordTour, payload: dict[str, Any], user: str = MASON, *, handled: bool = True
) -> list[Call]:
    """Dispatch an interaction as `user`; the calls made with its token once it is handled
    (or, not `handled` by the router, e.g. a form opening, once it is answered)."""
    payload = as_member(payload, user)
    if user == ADMIN:
        payload["member"]["permissions"] = str(builders.MANAGE_GUILD)
    if handled:
        return await tour.rig.interact(payload)
    await tour.rig.fake.dispatch("INTERACTION_CREATE", payload)
    await tour.rig.fake.answered(payload["token"])
    return tour.rig.fake.calls_for(payload["token"])


def form_of(calls: list[Call]) -> dict[str, Any]:
    (call,) = [c for c in calls if c.path.endswith("/callback")]
    assert call.payload["type"] == MODAL
    return call.payload["data"]


def fields(form: dict[str, Any]) -> dict[str, Any]:
    """Each field's custom_id -> its prefilled value (text) or its options (select)."""
    found = {}
    for label in form["components"]:
        inner = label["component"]
        found[inner["custom_id"]] = inner.get("value", inner.get("options"))
    return found


async def table_count(tour: DiscordTour, table: str) -> int:
    row = await tour.rig.parley.services.storage.database.fetch_one(f"SELECT count(*) FROM {table}")
    return int(row[0])


def answer_text(calls: list[Call]) -> str:
    return "\n".join(text_of(c) for c in calls if c.method in ("POST", "PATCH"))


async def test_summarize_a_message_without_storing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        cached, articles = (
            await table_count(tour, "summary_cache"),
            await table_count(tour, "articles"),
        )
        message = builders.member_message(SUMMARY)
        calls = await run(tour, builders.message_command("Summarize", message))
        assert calls[0].payload["type"] == 5  # deferred: summarizing may take a moment
        text = answer_text(calls)
        assert "council agreed to add two stops" in text and "kept" in text
        assert all(not c.message.get("components") for c in calls)  # no buttons: nothing stored
        assert await table_count(tour, "summary_cache") == cached
        assert await table_count(tour, "articles") == articles

        bots_own = builders.member_message("", embeds=[{"title": "News", "description": SUMMARY}])
        calls = await run(tour, builders.message_command("Summarize", bots_own, locale="zh-CN"))
        assert "council agreed" in answer_text(calls)  # an embed's text counts

        empty = builders.member_message("")
        calls = await run(tour, builders.message_command("Summarize", empty), handled=False)
        (answer,) = calls
        assert answer.ephemeral and "has no text I can read" in answer.text


async def test_propose_a_message_as_an_argument_through_its_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        text = "Distillation of outputs is how every lab has learned from others for years."
        message = builders.member_message(text)
        calls = await run(
            tour,
            builders.message_command("Propose as argument", message, locale="zh-CN"),
            handled=False,
        )
        form = form_of(calls)
        assert form["custom_id"] == "parley-form:argue"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in form["title"])  # in the reader's language
        found = fields(form)
        assert found["text"] == text  # the message's text, to edit
        sides = [option["value"] for option in found["side"]]
        assert len(sides) >= 2

        submit = builders.form_submit(
            "parley-form:argue", {"side": f"select:{sides[0]}", "text": text + " Really."}
        )
        calls = await run(tour, submit)
        assert "#1" in answer_text(calls) and await table_count(tour, "arguments") == 1

        # /argue with the side but no text opens the same form, the side chosen already
        calls = await run(
            tour,
            builders.slash("argue", {"side": sides[1]}, subcommand="submit"),
            handled=False,
        )
        chosen = [o["value"] for o in fields(form_of(calls))["side"] if o.get("default")]
        assert chosen == [sides[1]]


async def test_summary_edit_in_a_form_and_forged_submits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        calls = await run(tour, builders.slash("summary", subcommand="edit"), ADMIN, handled=False)
        form = form_of(calls)
        assert form["custom_id"] == "parley-form:summary edit" and set(fields(form)) == {"text"}
        edited = "A moderator's own summary of the article, in a few plain sentences."
        calls = await run(tour, builders.form_submit(form["custom_id"], {"text": edited}), ADMIN)
        assert "plain sentences" in answer_text(calls)

        forged = builders.form_submit("parley-form:summary edit", {"text": "x" * 40})
        calls = await run(tour, forged)  # a member: refused like the command
        assert "moderators" in answer_text(calls).lower()
        calls = await run(tour, builders.form_submit("parley-form:nonsense", {"a": "b"}))
        assert "nonsense" in answer_text(calls)
        calls = await run(tour, builders.form_submit("parley-form:argue", {"bogus": "b"}))
        assert "bogus" in answer_text(calls)


@pytest.mark.slow  # the page is read by the articles' worker process
async def test_summarize_the_article_a_message_links_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_tour(tmp_path, monkeypatch, PARLEY_ALLOW_PRIVATE_URLS=True) as tour:
        page = "<html><head><title>Bus routes</title></head><body><article><h1>Bus routes</h1>"
        page += "".join(f"<p>{sentence}.</p>" for sentence in SUMMARY.split(". "))
        url = tour.rig.fake.host_file("routes.html", (page + "</article></body></html>").encode())
        message = builders.member_message(f"Worth a read: {url} (long, sorry)")
        calls = await run(tour, builders.message_command("Summarize", message))
        text = answer_text(calls)
        assert "Bus routes" in text and "council agreed to add two stops" in text
        assert "Worth a read" not in text and await table_count(tour, "articles") == 0


async def test_a_form_opens_only_for_whom_the_command_would_run_in_the_chats_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No form to fill in only to be refused: the role and feature switch come first, and
    the form speaks the chat's language like every answer there."""
    async with discord_tour(tmp_path, monkeypatch) as tour:
        edit = builders.slash("summary", subcommand="edit")
        (answer,) = await run(tour, edit, handled=False)  # a member: refused, no form
        assert answer.ephemeral and "moderators" in answer.text.lower()

        await run(
            tour, builders.slash("settings", {"language": "zh"}, subcommand="language"), ADMIN
        )
        message = builders.member_message("Open weights let anyone check the claims.")
        propose = builders.message_command("Propose as argument", message)  # an en-US reader
        form = form_of(await run(tour, propose, handled=False))
        assert any("\u4e00" <= ch <= "\u9fff" for ch in form["title"])

        switch = {"feature": "arguments", "state": "off"}
        await run(tour, builders.slash("settings", switch, subcommand="feature"), ADMIN)
        propose = builders.message_command("Propose as argument", message)
        (answer,) = await run(tour, propose, handled=False)
        assert answer.ephemeral and answer.payload["type"] != MODAL
