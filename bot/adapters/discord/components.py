"""Neutral buttons as Discord components, handled without discord.py's view store.

Every button's `custom_id` is its payload from `bot.buttons`. Presses are not routed through
discord.py's views: the adapter reads the `custom_id` of every component interaction itself
(see `ParleyClient.on_interaction`), so a button works on any message, also one posted before a
restart. The views built here are stopped before they are sent, which keeps discord.py from
storing them (an ephemeral view would otherwise linger with a 15-minute timeout).
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.reply import Button, ButtonStyle

from .render import button_label

_STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.SUCCESS: discord.ButtonStyle.success,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


def build_view(rows: Sequence[Sequence[Button]]) -> discord.ui.View | None:
    """A view holding `rows` of buttons (already laid out by the renderer), or None."""
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for index, row in enumerate(rows):
        for button in row:
            view.add_item(
                discord.ui.Button(
                    label=button_label(button),
                    custom_id=button.payload,
                    style=_STYLES[button.style],
                    row=index,
                )
            )
    view.stop()  # serialised only: presses arrive through on_interaction
    return view
