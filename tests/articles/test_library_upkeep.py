"""/article: duplicates refused, /article remove, attached file with text, one length cap, names."""

from bot.identity import ChatRef
from bot.invocation import InboundFile
from storage.articles import NewArticle
from tests.support import RecordingResponder, make_actor, make_command

MOD = make_actor("mod", moderator=True)
ZH_MOD = make_actor("mod", moderator=True, locale="zh")
ARTICLE = (
    "# Harbour Plan\n\nThe port authority approved a 300 million dollar expansion on Monday. "
    "Critics say the plan ignores the fishing fleet. But the authority said the fleet keeps its "
    "berths.\n\n## Next steps\n\nConstruction starts in spring and lasts two years."
)
HERE = ChatRef("test", "chat")


async def run(app, line, actor=MOD, chat="chat", files=()):
    responder = RecordingResponder()
    await app.router.dispatch(make_command(line, actor=actor, chat=chat, files=files), responder)
    return responder


async def article_ids(app):
    rows = await app.services.storage.database.fetch_all("SELECT id FROM articles ORDER BY id")
    return [row[0] for row in rows]


async def test_the_same_text_twice_points_to_the_first(app):
    await run(app, f"/article add {ARTICLE}")
    again = await run(app, "/article add", files=(InboundFile("h.md", ARTICLE.encode(), ""),))
    assert "That is already article 1: “Harbour Plan”. /article use 1" in again.text
    assert await article_ids(app) == [1]
    elsewhere = await run(app, f"/article add {ARTICLE}", chat="other")
    assert "Added article 2" in elsewhere.text  # another chat's library is its own


async def test_the_same_address_twice_is_refused_before_fetching(local_app, server):
    await run(local_app, f"/article add {server}/article.html")
    again = await run(local_app, f"/article add {server}/article.html")
    assert "That is already article 1: “Council Passes Budget”" in again.text
    assert await article_ids(local_app) == [1]


async def test_a_moderator_removes_an_article_added_in_their_chat(app):
    await run(app, f"/article add {ARTICLE}")
    await run(app, "/article use 1")
    await run(app, "/summary edit The port expansion was approved over the fleet's objections.")
    member = await run(app, "/article remove 1", actor=make_actor())
    assert "Only moderators" in member.text
    other = await run(app, "/article remove 1", chat="other")
    assert "There is no article “1”" in other.text
    removed = await run(app, "/article remove 1")
    assert "Removed article 1: “Harbour Plan”" in removed.text
    assert "This chat discusses “Is Anthropic Panicking?" in removed.text
    assert await article_ids(app) == []
    left = await app.services.storage.database.fetch_all(
        "SELECT 1 FROM summary_edits UNION ALL SELECT 1 FROM chat_articles"
    )
    assert left == []
    assert "There is no article “1”" in (await run(app, "/article show 1")).text


async def test_the_shipped_and_the_operators_articles_cannot_be_removed(app, clock):
    operator = make_actor("operator", moderator=True)
    cli = ChatRef("cli", "operator")
    text = NewArticle("Operator's", "en", "An operator's text.", "hash", "text")
    await app.services.storage.articles.add(text, cli, operator, clock.now())
    for line in ("/article remove distillation", "/article remove 1"):
        out = await run(app, line)
        assert "Only an article added in this chat can be removed here" in out.text, line
    zh = await run(app, "/article remove distillation", actor=ZH_MOD)
    assert "Parley 自带的文章和运营者添加的文章不能删除" in zh.text
    assert await article_ids(app) == [1]


async def test_an_attached_file_with_typed_text_says_which_is_used(app):
    file = InboundFile("harbour.md", ARTICLE.encode(), "text/markdown")
    out = await run(app, "/article add Some extra text too.", files=(file,))
    assert "“Harbour Plan”" in out.text
    assert "I used the attached file; the text typed with the command was not used." in out.text


async def test_typed_text_and_files_share_one_length_cap(app):
    long_text = "A sentence of the article. " * 1000  # 27,000 characters
    typed = await run(app, f"/article add {long_text}")
    assert "Added article 1" in typed.text
    file = InboundFile("long.txt", ("Another sentence here. " * 1200).encode(), "text/plain")
    assert "Added article 2" in (await run(app, "/article add", files=(file,))).text
    too_long = await run(app, "/article add " + "word. " * 50_001)
    assert "300000" in too_long.text and await article_ids(app) == [1, 2]


async def test_languages_are_named_not_coded_in_chinese(app):
    added = await run(app, f"/article add {ARTICLE}", actor=ZH_MOD)
    assert "（英文，251 个字符）" in added.text and "en" not in added.text.split("（")[1]
    shown = await run(app, "/article show distillation", actor=ZH_MOD)
    assert "简体中文、英文" in shown.text and "zh-Hans" not in shown.text
    listing = await run(app, "/article list", actor=ZH_MOD)
    assert "zh-Hans" not in listing.text and "zh/en" not in listing.text


async def test_the_shipped_articles_note_is_in_the_readers_language_and_edition(app):
    zh = await run(app, "/article show distillation", actor=make_actor("bob", locale="zh"))
    assert "网上流传的中文评论文章，作者未署名。" in zh.text and "opinion piece" not in zh.text
    en = await run(app, "/article show distillation", actor=make_actor("ann", locale="en"))
    assert "English translation by the Parley team" in en.text  # the English edition's own note


async def test_removal_reads_naturally_in_chinese(app):
    await run(app, f"/article add {ARTICLE}", actor=ZH_MOD)
    await run(app, "/article use 1", actor=ZH_MOD)
    out = await run(app, "/article remove 1", actor=ZH_MOD)
    assert "已删除文章 1：“Harbour Plan”，以及它的摘要和编辑后的摘要。" in out.text
    assert "。 " not in out.text and "本群当前文章已恢复为“Anthropic 急了？" in out.text
