"""Buttons are not commands: building a ballot or switching a view never hits the command limit.

With the default limits (burst 8, 20 a minute) a member ranks 9 of 10 options and submits, or
turns a summary through its views a dozen times, without "You're going a bit fast".
"""

from __future__ import annotations

from bot import messages
from bot.app import Parley
from bot.identity import Actor
from bot.reply import Reply
from tests.support import RecordingResponder, make_actor, make_command, make_press

BOB = make_actor("bob")
TOO_FAST = messages.RATE_LIMITED.en.split(".")[0]


def buttons_of(reply: Reply) -> dict[str, str]:
    return {button.label: button.payload for row in reply.buttons for button in row}


async def press(app: Parley, reply: Reply, label: str, actor: Actor) -> RecordingResponder:
    out = RecordingResponder()
    await app.router.dispatch(make_press(buttons_of(reply)[label], actor=actor), out)
    assert TOO_FAST not in out.text, (label, out.text)
    return out


async def test_ranking_nine_of_ten_options_and_submitting_stays_within_the_limits(app) -> None:
    options = " | ".join("ABCDEFGHIJ")
    created = RecordingResponder()
    await app.router.dispatch(make_command(f"/poll Best? | {options} --ranked", actor=BOB), created)
    poll = created.replies[0]

    out = await press(app, poll, "1. A", BOB)
    ballot = out.replies[0]
    for letter in "BCDEFGHI":
        out = await press(app, ballot, letter, BOB)
        ballot = out.updates[0]
    out = await press(app, ballot, "Submit", BOB)
    assert "Your vote in poll #1 is in: A > B > C > D > E > F > G > H > I." in out.text


async def test_switching_a_summary_through_its_views_stays_within_the_limits(app) -> None:
    shown = RecordingResponder()
    await app.router.dispatch(make_command("/summary short", actor=BOB), shown)
    view = shown.replies[0]
    for label in ("Medium", "Long", "Short", "中文", "English") * 3:
        view = (await press(app, view, label, BOB)).updates[0]
    assert "Reduced by" in view.plain_text()
