"""Who may start polls in a chat: everyone, or only its moderators (`/settings polls`)."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from handlers.polls import manage_texts

MODERATORS_ONLY = "moderators"


async def check_may_start(ctx: Context) -> None:
    """Refuse a member who may not start polls in this chat (moderators always may)."""
    if ctx.settings.poll_creators == MODERATORS_ONLY and not await ctx.moderates():
        raise UserError(manage_texts.CREATE_MODERATORS_ONLY)
