"""The two kinds of error a handler may meet: ones the user should read, and bugs."""

from __future__ import annotations

from bot.i18n import Locale, Localized
from bot.sanitize import visible


class UserError(Exception):
    """A problem the user can fix; its localized message is shown as is."""

    def __init__(self, message: Localized, /, **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(self.render("en"))

    def render(self, locale: Locale) -> str:
        """The message in `locale`."""
        values = {key: _shown(value, locale) for key, value in self.values.items()}
        return self.message.render(locale, **values)


def _shown(value: object, locale: Locale) -> object:
    """A value as the message shows it: localized, and user text without control characters."""
    if isinstance(value, Localized):
        return value.render(locale)
    return visible(value) if isinstance(value, str) else value


class UsageError(UserError):
    """Arguments that do not fit a command; the reply adds the command's usage."""


class ExpiredButtonError(Exception):
    """A button payload that is unknown, malformed or no longer valid."""
