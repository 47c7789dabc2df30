"""The moderation feature's button presses."""

from __future__ import annotations

from bot.actions import Action


class ForgetMe(Action, name="privacy.forget"):
    """Confirm `/forgetme`: forget the person who presses (it carries nothing else)."""
