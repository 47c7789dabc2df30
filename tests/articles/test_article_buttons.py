"""The article card's buttons: its Summary button is the summary feature's own press."""

from handlers.articles.actions import UseArticle
from handlers.summary.actions import EDITED, SummaryView
from tests.support import RecordingResponder, make_actor, make_command, make_press

MOD = make_actor("mod", moderator=True)


async def run(app, invocation):
    responder = RecordingResponder()
    await app.router.dispatch(invocation, responder)
    return responder


async def test_the_summary_button_presses_the_summary_and_use_sets_the_article(app):
    card = (await run(app, make_command("/article show distillation", actor=MOD))).replies[0]
    summary, use = (button.payload for row in card.buttons for button in row)
    assert SummaryView.decode(summary) == SummaryView(
        ref="distillation", length="short", language="en", mode=EDITED
    )
    assert use == UseArticle(article_id="distillation").encode()
    shown = await run(app, make_press(summary, actor=MOD))
    assert shown.updates[0].title.startswith("Is Anthropic Panicking?")
    assert "button has expired" not in shown.text
    member = await run(app, make_press(UseArticle(article_id="distillation")))
    assert "Only moderators can press" in member.text
    chosen = await run(app, make_press(UseArticle(article_id="distillation"), actor=MOD))
    assert "Is Anthropic Panicking?" in chosen.text
