"""The articles feature stands alone: switched off by itself, or built without the summary."""

from bot.app import Parley
from handlers.articles.feature import ArticleFeature
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from tests.support import RecordingResponder, make_actor, make_command, make_settings

MOD = make_actor("mod", moderator=True)


async def run(app, line, actor=MOD):
    responder = RecordingResponder()
    await app.router.dispatch(make_command(line, actor=actor), responder)
    return responder


async def test_articles_switched_off_alone_say_so_and_the_summary_still_works(app):
    assert "articles" in (await run(app, "/settings feature articles off")).text
    for line in ("/article", "/article list", "/article show distillation", "/article use 1"):
        out = await run(app, line)
        assert "The articles feature is switched off in this chat" in out.text, line
    summary = await run(app, "/summary short")
    assert summary.replies[0].title.startswith("Is Anthropic Panicking?")
    zh = await run(app, "/article list", actor=make_actor("li", locale="zh"))
    assert "本群已关闭“文章”功能。管理员可以用 /settings feature articles on" in zh.text
    await run(app, "/settings feature articles on")
    assert "distillation" in (await run(app, "/article list")).text


async def test_switching_the_summary_off_leaves_the_articles_on(app):
    await run(app, "/settings feature summary off")
    assert "switched off" in (await run(app, "/summary")).text
    assert "distillation" in (await run(app, "/article list")).text


async def test_the_articles_feature_runs_without_the_summary(tmp_path, clock):
    def articles_only(services):
        return [ArticleFeature(services, load_topic(DEFAULT_TOPIC))]

    async with Parley.open(make_settings(tmp_path), clock, features=articles_only) as app:
        listing = await run(app, "/article list")
        assert "distillation" in listing.text and "Articles" in listing.replies[0].title
        added = await run(app, "/article add # Notes\n\nThe first sentence. The second one.")
        assert "Added article 1" in added.text
        assert "Notes" in (await run(app, "/article show 1")).text
        assert "summary" not in [spec.name for spec in app.services.registry.commands()]
