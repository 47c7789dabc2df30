"""The command menu (`setMyCommands`) derived from the registry, in English and Chinese.

Members see member commands everywhere; group administrators and private chats (where the
person moderates their own chat) also see moderator commands. Telegram lists root names only:
subcommands are typed as text (`/poll results 3`).
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)
from telegram.constants import BotCommandLimit
from telegram.error import TelegramError

from bot.commands import CommandSpec, Registry
from bot.i18n import Locale
from bot.sanitize import clipped

log = logging.getLogger("parley.telegram")

DESCRIPTION_LIMIT: int = BotCommandLimit.MAX_DESCRIPTION  # 256
MENU_LOCALES: tuple[tuple[Locale, str | None], ...] = (("en", None), ("zh", "zh"))


def menu_commands(registry: Registry, locale: Locale, *, moderator: bool) -> list[BotCommand]:
    """One entry per root command name the viewer may run, described in `locale`."""
    by_name: dict[str, list[CommandSpec]] = {}
    for spec in registry.visible_to(moderator):
        by_name.setdefault(spec.name, []).append(spec)
    commands = []
    for name, specs in sorted(by_name.items()):
        root = next((spec for spec in specs if spec.subcommand is None), specs[0])
        description = root.description.render(locale)
        commands.append(BotCommand(name, clipped(description, DESCRIPTION_LIMIT)))
    return commands


def menu_scopes() -> list[tuple[BotCommandScope, bool]]:
    """Each scope with whether it shows moderator commands."""
    return [
        (BotCommandScopeDefault(), False),
        (BotCommandScopeAllPrivateChats(), True),
        (BotCommandScopeAllChatAdministrators(), True),
    ]


async def publish_menu(bot: Bot, registry: Registry) -> bool:
    """Call `setMyCommands` for every scope and language; failures are logged, not raised."""
    complete = True
    for scope, moderator in menu_scopes():
        for locale, language_code in MENU_LOCALES:
            commands = menu_commands(registry, locale, moderator=moderator)
            try:
                await bot.set_my_commands(commands, scope=scope, language_code=language_code)
            except TelegramError as error:
                complete = False
                log.warning(
                    "event=set_commands_failed scope=%s language=%s error=%s",
                    scope.type,
                    language_code or "default",
                    type(error).__name__,
                )
    return complete
