"""One poll, many chats: sharing within a platform and across platforms, one global tally."""

from bot.identity import Actor, ChatRef, MessageRef
from bot.invocation import Invocation
from handlers.polls.actions import PollVote
from tests.polls.helpers import MOD, ChatResponder, gateway, run, settle, vote
from tests.support import RecordingGateway, make_actor

ALICE = make_actor("alice")


async def test_share_into_another_chat_shows_the_same_tally_everywhere(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    out = await run(polls_app, "/poll share 1 #other")
    assert "Poll #1 is now also shown in #other" in out.text
    [(chat, shared)] = gateway(polls_app).sent
    assert chat == ChatRef("test", "other") and shared.title == "Poll #1"
    await vote(polls_app, 1, 0, make_actor("bob"))
    from tests.polls.helpers import press

    await press(polls_app, PollVote(poll=1, option=1), make_actor("carol"), chat="other")
    await settle(polls_app)
    latest: dict[str, str] = {}
    for ref, reply in gateway(polls_app).edits:
        latest[ref.chat.chat_id] = reply.plain_text()
    assert set(latest) == {"chat", "other"}
    for text in latest.values():
        assert "Total voters: 2" in text and "Pizza\n█████░░░░░ 50% (1)" in text
    results = await run(polls_app, "/poll results 1", make_actor("dan"), chat="other")
    assert "Total voters: 2" in results.text
    assert "already shown" in (await run(polls_app, "/poll share 1 #other")).text


async def test_share_is_for_moderators_and_checks_the_target(polls_app):
    await run(polls_app, "/poll Q | A | B", ALICE)
    assert "Only moderators" in (await run(polls_app, "/poll share 1 #other", ALICE)).text
    gateway(polls_app).forbidden.add("locked")
    refused = await run(polls_app, "/poll share 1 #locked")
    assert "I can't post poll #1 there: I lack the Send Messages permission" in refused.text
    assert "can't read “nowhere” as a chat" in (await run(polls_app, "/poll share 1 nowhere")).text
    assert "not connected to “irc”" in (await run(polls_app, "/poll share 1 irc:#x")).text
    assert "already shown in this chat" in (await run(polls_app, "/poll share 1 #chat")).text
    assert gateway(polls_app).sent == []


async def test_share_across_platforms_through_the_other_gateway(polls_app):
    other = RecordingGateway(platform="tg")
    polls_app.services.outbox.register(other)
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --anonymous", ALICE)
    out = await run(polls_app, "/poll share 1 tg:-100200", MOD)
    assert "now also shown" in out.text
    [(chat, shared)] = other.sent
    assert chat == ChatRef("tg", "-100200") and shared.buttons
    tg_voter = Actor("tg", "555", "Mei")
    press = Invocation(
        actor=tg_voter,
        chat=chat,
        payload=PollVote(poll=1, option=1).encode(),
        source=MessageRef(chat, "1"),
    )
    responder = ChatResponder()
    await polls_app.router.dispatch(press, responder)
    assert responder.replies[0].private and "Sushi" in responder.text
    await vote(polls_app, 1, 1, make_actor("bob"))
    await settle(polls_app)
    assert "Sushi\n██████████ 100% (2)" in other.edits[-1][1].plain_text()
    assert "Sushi\n██████████ 100% (2)" in gateway(polls_app).edits[-1][1].plain_text()
    await run(polls_app, "/poll close 1", ALICE)
    assert [r.title for _, r in other.sent][-1] == "Poll #1 has closed"
