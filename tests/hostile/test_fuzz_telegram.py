"""Property-based fuzzing through the real Telegram `Application` with every real feature.

Random and adversarial command lines and button presses (forged, replayed from another chat,
mutated) from a member, an administrator and a private chat go through `process_update`; every
Bot API call the bot makes must be well-formed (text within 4,096 UTF-16 units, valid HTML from
Telegram's tag set, callback data within 64 bytes), nothing may crash, and no traceback or
apology for a crash may reach a chat. One application serves all examples (state accumulates,
as in a real chat), so the fuzzer also meets the polls and arguments earlier examples made.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.platforms import (
    TelegramRig,
    recording_errors,
    telegram_parley,
    telegram_problems,
)
from tests.hostile.strategies import resolve_replay, steps_input
from tests.telegram.builders import (
    ALICE,
    BOB,
    GROUP_ID,
    make_callback_update,
    make_message_update,
)

OTHER_GROUP = GROUP_ID - 77
"""A second group whose polls, arguments and articles the fuzzer tries to reach."""

PLACES = {
    "member": (ALICE, "supergroup", GROUP_ID),
    "admin": (BOB, "supergroup", GROUP_ID),
    "private": (ALICE, "private", ALICE),
    "other-member": (ALICE, "supergroup", OTHER_GROUP),
}

SEED = [
    ("admin", OTHER_GROUP, "/poll Lunch? | Pizza | Sushi"),
    ("admin", OTHER_GROUP, "/poll Ranked? | A | B | C --ranked"),
    ("admin", OTHER_GROUP, "/poll Secret? | Yes | No --anonymous --results after-close"),
    ("member", OTHER_GROUP, "/argue labs Open weights let anyone audit what a model does."),
    ("admin", OTHER_GROUP, "/article add A short article. It has two sentences at least."),
    ("admin", OTHER_GROUP, "/argue queue"),
    ("admin", OTHER_GROUP, "/stance"),
    ("admin", GROUP_ID, "/poll Here? | One | Two --multi 2"),
    ("member", GROUP_ID, "/debate"),
    ("member", GROUP_ID, "/summary"),
]

steps = st.lists(
    st.tuples(
        st.sampled_from(sorted(PLACES)),
        steps_input,
    ),
    min_size=1,
    max_size=10,
)


def _message(who: str, text: str, chat_id: int | None = None) -> dict[str, Any]:
    user_id, chat_type, default_chat = PLACES[who]
    update = make_message_update(text, chat_type=chat_type, user_id=user_id, first_name=who)
    update["message"]["chat"]["id"] = chat_id or default_chat
    return update


def _press(who: str, payload: str) -> dict[str, Any]:
    user_id, chat_type, chat_id = PLACES[who]
    update = make_callback_update(payload, chat_type=chat_type, user_id=user_id)
    update["callback_query"]["message"]["chat"]["id"] = chat_id
    return update


def _collect_payloads(rig: TelegramRig, pool: list[str]) -> None:
    for call in rig.api.calls:
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if isinstance(data, str) and data not in pool:
                    pool.append(data)


async def _check(rig: TelegramRig, pool: list[str], errors: Any, what: object) -> None:
    _collect_payloads(rig, pool)
    problems = telegram_problems(rig.api.calls)
    problems += [f"handler error: {error!r}" for error in rig.errors]
    problems += [f"logged: {line}" for line in errors.lines()]
    problems += [f"unknown Bot API method {m}" for m in rig.api.unknown]
    assert problems == [], (what, problems)
    rig.api.calls.clear()


@pytest.mark.slow
def test_random_updates_through_the_real_application_are_answered_well_formed() -> None:
    pool: list[str] = []
    with tempfile.TemporaryDirectory() as folder, asyncio.Runner() as runner:
        manager = telegram_parley(Path(folder))
        rig = runner.run(manager.__aenter__())
        recorder = recording_errors()
        errors = runner.run(recorder.__aenter__())
        try:
            rig.api.admins = {GROUP_ID: {BOB}, OTHER_GROUP: {BOB}}

            async def seed() -> None:
                for who, chat_id, line in SEED:
                    await rig.feed(_message(who, line, chat_id))
                    await _check(rig, pool, errors, line)

            runner.run(seed())
            assert len(pool) >= 10, pool

            async def play(script: list[tuple[str, object]]) -> None:
                for who, step in script:
                    if isinstance(step, tuple):
                        _, index, mutation = step
                        update = _press(who, resolve_replay(pool, index, mutation))
                    elif isinstance(step, str) and step.startswith("/"):
                        update = _message(who, step)
                    else:
                        update = _press(who, str(step))
                    await rig.feed(update)
                    await _check(rig, pool, errors, (who, step))

            @settings(
                max_examples=1000,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(script=steps)
            def fuzz(script: list[tuple[str, object]]) -> None:
                runner.run(play(script))

            fuzz()
        finally:
            runner.run(recorder.__aexit__(None, None, None))
            runner.run(manager.__aexit__(None, None, None))
