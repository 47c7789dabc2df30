"""/article through the router: list, show, use, add from text, files and URLs, and bad input."""

import pytest

from bot.identity import ChatRef
from bot.invocation import InboundFile
from bot.reply import Link
from tests.support import RecordingResponder, make_actor, make_command

MOD = make_actor("mod", moderator=True)
ARTICLE = (
    "# Harbour Plan\n\nThe port authority approved a 300 million dollar expansion on Monday. "
    "Critics say the plan ignores the fishing fleet. But the authority said the fleet keeps its "
    "berths.\n\n## Next steps\n\nConstruction starts in spring and lasts two years."
)


async def run(app, line, actor=MOD, files=()):
    responder = RecordingResponder()
    await app.router.dispatch(make_command(line, actor=actor, files=files), responder)
    return responder


async def test_list_show_and_current(app):
    out = await run(app, "/article list", actor=make_actor())
    assert (
        "distillation — Is Anthropic Panicking?" in out.text and "(this chat's article)" in out.text
    )
    out = await run(app, "/article show distillation", actor=make_actor())
    assert "shipped with Parley" in out.text and "Chinese (Simplified), English" in out.text
    assert "English translation by the Parley team" in out.text  # the edition's own note
    assert "Shipped unchanged" not in out.text  # the original's, not this edition's
    out = await run(app, "/article", actor=make_actor(locale="zh"))
    assert "本群当前文章" in out.text


async def test_unknown_ids_are_explained(app):
    for line in ("/article show 42", "/article use nope", "/article show 99999999999"):
        out = await run(app, line)
        assert "There is no article" in out.text, line


async def test_members_cannot_add_or_choose_articles(app):
    for line in ("/article add Some text here.", "/article use distillation"):
        out = await run(app, line, actor=make_actor())
        assert "Only moderators" in out.text


async def test_added_text_becomes_the_chat_article_and_is_summarized(app):
    out = await run(app, f"/article add {ARTICLE}")
    assert "Added article 1: “Harbour Plan” (English," in out.text
    out = await run(app, "/article use 1")
    assert "now discusses “Harbour Plan”" in out.text
    out = await run(app, "/summary short")
    assert out.replies[0].title == "Harbour Plan" and "300 million dollar" in out.text
    assert "中文" not in [b.label for row in out.replies[0].buttons for b in row]
    listing = await run(app, "/article list", actor=make_actor())
    assert "1 — Harbour Plan · English · added as text (this chat's article)" in listing.text
    other_chat = RecordingResponder()
    await app.router.dispatch(make_command("/summary short", chat="elsewhere"), other_chat)
    assert other_chat.replies[0].title.startswith("Is Anthropic")


async def test_attached_markdown_file(app):
    file = InboundFile("harbour.md", ARTICLE.encode(), "text/markdown")
    out = await run(app, "/article add", files=(file,))
    assert "“Harbour Plan”" in out.text
    row = await app.services.storage.database.fetch_one(
        "SELECT source_kind, added_by_name FROM articles WHERE id = 1"
    )
    assert tuple(row) == ("file", "mod")


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (InboundFile("chart.png", b"\x89PNG", "image/png"), "is not a text file"),
        (InboundFile("notes.txt", b"\xff\xfe\xfa bad", "text/plain"), "not valid UTF-8"),
        (InboundFile("huge.txt", b"a. " * 400_000, "text/plain"), "the limit is 1024 KB"),
        (InboundFile("long.txt", "长句。".encode() * 110_000, "text/plain"), "the limit is 300000"),
        (InboundFile("empty.md", b"  \n", "text/markdown"), "The article is empty"),
    ],
)
async def test_bad_files_are_refused(app, file, message):
    out = await run(app, "/article add", files=(file,))
    assert message in out.text
    assert await app.services.storage.articles.newest(ChatRef("test", "chat"), 5) == []


async def test_an_empty_file_is_named_instead_of_asked_for(app):
    out = await run(app, "/article add", files=(InboundFile("empty.md", b"  \n", "text/markdown"),))
    assert "“empty.md” has no text" in out.text
    assert "give a web address" not in out.text


async def test_bad_text_is_refused(app):
    assert "The article is empty" in (await run(app, "/article add")).text
    assert "no sentences" in (await run(app, "/article add —— ……")).text


async def test_private_and_bad_urls_are_refused(app, server):
    out = await run(app, f"/article add {server}/article.html")
    assert "private, local or internal" in out.text
    out = await run(app, "/article add ftp://example.com/file")
    assert "not a web address" in out.text


async def test_url_import_when_loopback_is_allowed(local_app, server):
    out = await run(local_app, f"/article add {server}/article.html")
    assert "Added article 1: “Council Passes Budget”" in out.text
    await run(local_app, "/article use 1")
    out = await run(local_app, "/summary short")
    links = [b for b in out.replies[0].blocks if isinstance(b, Link)]
    assert links and links[0].url == f"{server}/article.html"
    assert "Copyright 2026" not in out.text
    for path, message in [
        ("/big", "larger than 2 MB"),
        ("/image.png", "not a web page"),
        ("/to-metadata", "internal"),
    ]:
        out = await run(local_app, f"/article add {server}{path}")
        assert message in out.text, path


async def test_an_added_article_stays_in_the_chat_it_was_added_in(app):
    out = await run(app, "/article add " + "Members only. The plan is secret. " * 3)
    added = (
        out.text.split("Added article ")[1].split(":")[0] if "Added article " in out.text else "1"
    )
    elsewhere = RecordingResponder()
    other_chat = make_command(f"/article show {added}", actor=MOD, chat="other")
    await app.router.dispatch(other_chat, elsewhere)
    assert "no article" in elsewhere.text and "secret" not in elsewhere.text
    listing = RecordingResponder()
    await app.router.dispatch(make_command("/article list", actor=MOD, chat="other"), listing)
    assert "Members only" not in listing.text
    here = await run(app, f"/article show {added}")
    assert "Members only" in here.text
