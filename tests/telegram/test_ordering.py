"""The update processor: concurrent across people, in arrival order for each person."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.adapters.telegram.ordering import PerPersonOrderedProcessor
from handlers.polls.actions import PollVote
from tests.telegram.builders import make_callback_update, make_message_update


def press(user_id: int, update_id: int) -> Update:
    payload = make_callback_update(PollVote(poll=1, option=0).encode(), user_id=user_id)
    payload["update_id"] = update_id
    return Update.de_json(payload, None)


async def test_one_persons_updates_run_in_order_while_others_run_alongside():
    processor = PerPersonOrderedProcessor(16)
    log: list[tuple[str, int]] = []
    release_first = asyncio.Event()

    async def handle(update: Update, wait: asyncio.Event | None = None) -> None:
        log.append(("start", update.update_id))
        if wait is not None:
            await wait.wait()
        log.append(("end", update.update_id))

    first = asyncio.create_task(
        processor.process_update(press(1, 1), handle(press(1, 1), release_first))
    )
    second = asyncio.create_task(processor.process_update(press(1, 2), handle(press(1, 2))))
    other = asyncio.create_task(processor.process_update(press(2, 3), handle(press(2, 3))))
    await asyncio.wait_for(other, 1)
    assert ("end", 3) in log and ("start", 2) not in log  # another person is not held up
    release_first.set()
    await asyncio.wait_for(asyncio.gather(first, second), 1)
    assert log.index(("end", 1)) < log.index(("start", 2))
    assert not processor._locks  # no lock kept for people with nothing in flight


async def test_anonymous_administrators_of_two_groups_do_not_wait_for_each_other():
    """adapters.md D9: Telegram sends both as GroupAnonymousBot; each writes as its group."""
    processor = PerPersonOrderedProcessor(16)
    groups = [{"id": -1001111111111 - n, "type": "supergroup", "title": f"{n}"} for n in (0, 1)]
    first, second = (
        Update.de_json(make_message_update("/help", chat=group, sender_chat=group), None)
        for group in groups
    )
    release_first = asyncio.Event()
    done: list[Update] = []

    async def handle(update: Update, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(update)

    held = asyncio.create_task(processor.process_update(first, handle(first, release_first)))
    await asyncio.wait_for(processor.process_update(second, handle(second)), 1)
    assert done == [second]  # not held up by the other group's anonymous administrator
    release_first.set()
    await asyncio.wait_for(held, 1)
