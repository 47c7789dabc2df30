"""The `parley` command line: run the bot, the console chat, or database tools."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.app import Adapter, FatalAdapterError, Parley
from bot.config import Settings
from bot.logs import configure_logging
from handlers.polls.master_key import MasterKeyError
from storage.database import Database, MigrationError

log = logging.getLogger("parley.cli")

_DATABASE_ERRORS = (sqlite3.DatabaseError, OSError, MigrationError)
"""What opening or copying a database file raises for a wrong path or a foreign file."""


class DatabaseFileError(Exception):
    """The database (or a backup target) cannot be used; the message is shown to the operator."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `parley`."""
    parser = argparse.ArgumentParser(
        prog="parley",
        description="Parley: summaries, both sides and polls for Discord, Telegram, the console.",
    )
    commands = parser.add_subparsers(dest="mode")
    commands.add_parser("run", help="serve the platforms whose tokens are set, else the console")
    console = commands.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument(
        "-c",
        "--command",
        action="append",
        dest="commands",
        metavar="LINE",
        help="run this line (repeatable), print the replies and exit",
    )
    database = commands.add_parser("db", help="database tools")
    db_commands = database.add_subparsers(dest="db_command", required=True)
    backup = db_commands.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("path", type=Path)
    forget = commands.add_parser("forget-user", help="remove what Parley stores about a person")
    forget.add_argument("platform", choices=("console", "discord", "telegram"))
    forget.add_argument("user_id")
    article = commands.add_parser("article", help="manage the articles Parley summarizes")
    article_commands = article.add_subparsers(dest="article_command", required=True)
    add_article = article_commands.add_parser("add", help="add an article from a file or URL")
    add_article.add_argument("source", help="a .txt or .md file, or an http(s) URL")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `parley` script."""
    arguments = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"parley: invalid settings:\n{_settings_problems(error)}", file=sys.stderr)
        return 2
    level = settings.log_level
    console = arguments.mode == "console" or not (settings.discord_token or settings.telegram_token)
    if (
        console
        and arguments.mode in (None, "console")
        and "log_level" not in settings.model_fields_set
    ):
        level = "WARNING"  # keep the console chat readable unless asked otherwise
    configure_logging(level, settings.secrets())
    try:
        return asyncio.run(_run(arguments, settings))
    except (FatalAdapterError, DatabaseFileError, MasterKeyError) as error:
        print(f"parley: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


async def _run(arguments: argparse.Namespace, settings: Settings) -> int:
    if arguments.mode == "db":
        return await _backup(settings.database_path, arguments.path)
    async with contextlib.AsyncExitStack() as stack:
        try:
            app = await stack.enter_async_context(Parley.open(settings))
        except _DATABASE_ERRORS as error:
            raise _unusable(settings.database_path, error) from error
        if arguments.mode == "forget-user":
            from handlers.moderation.feature import forget_user

            count = await forget_user(app.services, arguments.platform, arguments.user_id)
            print(
                f"Removed or anonymized {count} records of {arguments.platform}:{arguments.user_id}"
            )
            return 0
        if arguments.mode == "article":
            from handlers.articles.operator import add_article_from_command_line

            return await add_article_from_command_line(app.services, arguments.source)
        adapters = _choose_adapters(arguments, settings, app)
        await app.serve(adapters)
    return 0


async def _backup(source: Path, destination: Path) -> int:
    """`parley db backup PATH`: a consistent copy of the database, never onto itself."""
    if _same_file(source, destination):
        raise DatabaseFileError(f"{destination} is the database itself; choose another path.")
    async with contextlib.AsyncExitStack() as stack:
        try:
            database = await stack.enter_async_context(Database.open(source))
        except _DATABASE_ERRORS as error:
            raise _unusable(source, error) from error
        try:
            await database.backup(destination)
        except _DATABASE_ERRORS as error:
            raise DatabaseFileError(
                f"Cannot write the backup to {destination}: {error}."
            ) from error
    print(f"Backed up {source} to {destination}")
    return 0


def _same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file (also through links and relative parts)."""
    return first.resolve() == second.resolve()


def _unusable(path: Path, error: BaseException) -> DatabaseFileError:
    """The operator-facing error for a database file that cannot be opened."""
    log.debug("event=database_open_failed path=%s", path, exc_info=error)
    return DatabaseFileError(f"Cannot open the database {path} (PARLEY_DB): {error}.")


def _choose_adapters(
    arguments: argparse.Namespace, settings: Settings, app: Parley
) -> list[Adapter]:
    if arguments.mode == "console" or not (settings.discord_token or settings.telegram_token):
        return [_console(arguments, settings, app)]
    adapters: list[Adapter] = []
    if settings.telegram_token:
        from bot.adapters import telegram

        adapters.append(telegram.create_adapter(settings, app))
    if settings.discord_token:
        from bot.adapters import discord

        adapters.append(discord.create_adapter(settings, app))
    return adapters


def _console(arguments: argparse.Namespace, settings: Settings, app: Parley) -> Adapter:
    from bot.adapters.console.adapter import ConsoleAdapter

    commands = getattr(arguments, "commands", None)
    script: list[str] | None = list(commands) if commands else None
    if script is None and not sys.stdin.isatty():
        script = sys.stdin.read().splitlines()
    files_dir = settings.console_files_dir or Path(tempfile.gettempdir()) / "parley-files"
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return ConsoleAdapter(
        app.router,
        output=sys.stdout,
        operator_name=settings.operator_name,
        files_dir=files_dir,
        colour=colour,
        script=script,
        locale_tag=settings.locale,
    )


def _settings_problems(error: ValidationError) -> str:
    """Which setting is wrong and why, without echoing its value."""
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        lines.append(f"  {name}: {problem['msg']}")
    return "\n".join(lines)
