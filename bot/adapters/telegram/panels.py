"""Moderator panels sent privately: which group each one belongs to, for presses on its buttons.

A panel (`/argue queue`, `/audit` …) asked for in a group goes to the moderator's private chat.
A press on its buttons arrives from that private chat, but acts on the group the panel shows:
the adapter reads the press as made in that group, where the core checks the presser's rights.
Kept in memory, bounded: after a restart a panel's buttons expire (run the command again).
"""

from __future__ import annotations

from collections import OrderedDict

from bot.identity import ChatRef

MAX_PANELS = 10_000
"""Panels remembered at most; the oldest are forgotten first."""


class PanelOrigins:
    """The group of each panel message the bot sent to someone's private chat."""

    def __init__(self, limit: int = MAX_PANELS) -> None:
        self._limit = limit
        self._origins: OrderedDict[tuple[int, int], ChatRef] = OrderedDict()

    def remember(self, private_chat_id: int, message_id: int, group: ChatRef) -> None:
        """The panel message `message_id` in `private_chat_id` shows `group`."""
        self._origins[(private_chat_id, message_id)] = group
        self._origins.move_to_end((private_chat_id, message_id))
        while len(self._origins) > self._limit:
            self._origins.popitem(last=False)

    def group_of(self, private_chat_id: int, message_id: int) -> ChatRef | None:
        """The group a panel message shows; None for any other message."""
        return self._origins.get((private_chat_id, message_id))
