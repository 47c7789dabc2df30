"""Odd input gets the command's own friendly answer, never a crash (finding 13): ids and counts
typed with characters that `str.isdigit` accepts but `int` refuses ("²", "③"), and NUL
characters, which SQLite's length checks do not count."""

import pytest

from tests.hostile.platforms import recording_errors, telegram_parley
from tests.support import RecordingResponder, make_actor, make_command
from tests.telegram.builders import ALICE, GROUP_ID, make_message_update

MOD = make_actor("mod", moderator=True)
CRASH = "something went wrong"


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("/article show ²", "There is no article “²”"),
        ("/article use ³", "There is no article “³”"),
        ("/post poll ²", "There is no poll template “"),
        ("/poll Q? | A | B --multi ²", "²"),
        ("/schedule poll in 1m ①", "There is no poll template “"),
        ("/schedule poll in 1h", "Name a poll template: distillation-theft"),
        ("/post poll", "Name a poll template: distillation-theft"),
    ],
)
async def test_odd_digits_get_the_commands_own_answer(app, line, answer):
    async with recording_errors() as errors:
        out = RecordingResponder()
        await app.router.dispatch(make_command(line, actor=MOD), out)
    assert answer in out.text and CRASH not in out.text
    assert errors.lines() == []


async def test_sharing_to_an_odd_telegram_chat_id_is_a_clear_refusal(tmp_path):
    async with recording_errors() as errors, telegram_parley(tmp_path) as rig:
        rig.api.admins = {GROUP_ID: {ALICE}}
        await rig.feed(make_message_update("/poll Lunch? | Pizza | Sushi", chat_type="supergroup"))
        rig.api.calls.clear()
        await rig.feed(make_message_update("/poll share 1 telegram:²²²²²", chat_type="supergroup"))
        answers = " ".join(rig.api.sent_texts())
    assert "post poll #1 there" in answers and CRASH not in answers.lower()
    assert errors.lines() == [] and rig.errors == []


async def test_nul_characters_are_dropped_from_typed_text(app):
    async with recording_errors() as errors:
        empty = RecordingResponder()
        await app.router.dispatch(make_command("/summary edit \x00", actor=MOD), empty)
        kept = RecordingResponder()
        await app.router.dispatch(
            make_command("/summary edit Edited\x00 text of the summary.", actor=MOD), kept
        )
    assert "`text` must be at least 1 characters" in empty.text and CRASH not in empty.text
    assert "Edited text of the summary." in kept.text
    assert errors.lines() == []
