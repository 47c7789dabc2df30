"""The `parley` command line: run the bot, the console chat, or database tools."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.app import Adapter, FatalAdapterError, FeatureFactory, Parley
from bot.clock import SystemClock
from bot.config import Settings
from bot.logs import configure_logging
from bot.services import Feature, Services
from handlers.articles.operator import add_article_from_command_line
from handlers.polls.master_key import MasterKeyError, key_file_path
from parley import cli_texts as texts
from parley.db_copy import CopyCommandError, copy_command
from parley.features import build_features
from parley.heap import settle_heap
from parley.operator_requests import (
    ANSWER_TIMEOUT,
    FORGET_USER,
    ask_running_bot,
    forget_user_now,
)
from storage.database import CorruptDatabaseError, Database, MigrationError
from storage.db_lock import DatabaseInUseError, DatabaseLock, LockHolder
from storage.errors import StorageUnavailableError
from storage.url import Engine

log = logging.getLogger("parley.cli")

_DATABASE_ERRORS = (StorageUnavailableError, OSError, MigrationError, CorruptDatabaseError)
"""What opening or copying a database file raises for a wrong path, a foreign or damaged file."""


class DatabaseFileError(Exception):
    """The database (or a backup target) cannot be used; the message is shown to the operator."""


class OperatorCommandError(Exception):
    """A command could not do its work; the message is shown to the operator."""


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
    copy = db_commands.add_parser(
        "copy", help="copy every table into a new, empty database (SQLite or PostgreSQL)"
    )
    copy.add_argument("source", help="the database to copy: a file, sqlite:///FILE, postgresql://…")
    copy.add_argument("target", help="an empty database to copy into (migrated first)")
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
    if (
        _serves_console(arguments, settings)
        and arguments.mode in (None, "console")
        and "log_level" not in settings.model_fields_set
    ):
        level = "WARNING"  # keep the console chat readable unless asked otherwise
    configure_logging(level, settings.secrets())
    try:
        return asyncio.run(_run(arguments, settings))
    except (
        FatalAdapterError,
        DatabaseFileError,
        MasterKeyError,
        OperatorCommandError,
        CopyCommandError,
    ) as error:
        print(f"parley: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


async def _run(arguments: argparse.Namespace, settings: Settings) -> int:
    if arguments.mode == "db" and arguments.db_command == "copy":
        return await copy_command(settings, arguments.source, arguments.target)
    if arguments.mode == "db":
        return await _backup(settings, arguments.path)
    if arguments.mode == "forget-user":
        return await _forget_user(settings, arguments.platform, arguments.user_id)
    if arguments.mode == "article":
        return await _add_article(settings, arguments.source)
    command = "parley console" if arguments.mode == "console" else "parley run"
    lock = _lock(settings, command, serving=True)  # held until this process ends
    try:
        async with contextlib.AsyncExitStack() as stack:
            app = await _open(stack, settings)
            adapters = _choose_adapters(arguments, settings, app)
            settle_heap()
            await app.serve(adapters)
    finally:
        if lock is not None:
            lock.release()
    return 0


async def _forget_user(settings: Settings, platform: str, user_id: str) -> int:
    """`parley forget-user`: here when no bot runs, else by the running bot (its caches too).

    On PostgreSQL, where several processes share the database and check their caches against
    it, it always runs here.
    """
    try:
        lock = _lock(settings, "parley forget-user", serving=False)
    except _BotServing as serving:
        count = await _forget_through_bot(settings, serving.holder, platform, user_id)
    else:
        try:
            async with contextlib.AsyncExitStack() as stack:
                app = await _open(stack, settings)
                count = await forget_user_now(app.services, platform, user_id)
        finally:
            if lock is not None:
                lock.release()
    print(texts.FORGOTTEN.render(settings.locale, count=count, platform=platform, user_id=user_id))
    return 0


async def _forget_through_bot(
    settings: Settings, holder: LockHolder, platform: str, user_id: str
) -> int:
    """Ask the running bot to forget the person; how many records it changed."""
    locale = settings.locale
    print(
        texts.ASKING_BOT.render(
            locale, pid=holder.pid, host=holder.host, platform=platform, user_id=user_id
        )
    )
    async with contextlib.AsyncExitStack() as stack:
        database = await _open_database(stack, settings)
        result = await ask_running_bot(
            database, FORGET_USER, {"platform": platform, "user_id": user_id}, SystemClock()
        )
    if result is None:
        raise OperatorCommandError(
            texts.BOT_SILENT.render(locale, pid=holder.pid, seconds=int(ANSWER_TIMEOUT))
        )
    if "error" in result:
        raise OperatorCommandError(texts.BOT_FAILED.render(locale, reason=result["error"]))
    return int(result["count"])


async def _add_article(settings: Settings, source: str) -> int:
    """`parley article add`: beside a running bot too, which reads articles from the database.

    No feature is built, so nothing but the article is written; the bot keeps no article in
    memory and sees the new one on its next read.
    """
    async with contextlib.AsyncExitStack() as stack:
        app = await _open(stack, settings, features=_no_features)
        return await add_article_from_command_line(app.services, source)


async def _backup(settings: Settings, destination: Path) -> int:
    """`parley db backup PATH`: a consistent private copy, never onto itself; names the key."""
    source = settings.database_path
    if settings.database_url.engine is Engine.POSTGRESQL:
        raise DatabaseFileError(
            texts.BACKUP_POSTGRES.render(settings.locale, database=settings.database_url)
        )
    if source is None:
        raise DatabaseFileError("An in-memory database (:memory:) has no file to back up.")
    if _same_file(source, destination):
        raise DatabaseFileError(f"{destination} is the database itself; choose another path.")
    async with contextlib.AsyncExitStack() as stack:
        database = await _open_database(stack, settings)
        try:
            await database.backup(destination)
        except _DATABASE_ERRORS as error:
            raise DatabaseFileError(
                f"Cannot write the backup to {destination}: {error}."
            ) from error
    print(f"Backed up {source} to {destination}")
    print(_key_note(settings))
    return 0


def _key_note(settings: Settings) -> str:
    """Where the poll key is, which the backup needs beside it."""
    if settings.poll_key is not None:
        return texts.KEEP_KEY_SETTING.render(settings.locale)
    key_file = key_file_path(settings).resolve()
    return texts.KEEP_KEY_FILE.render(settings.locale, key_file=key_file)


class _BotServing(Exception):
    """A bot serving chats holds the lock (a one-off command may ask it to do the work)."""

    def __init__(self, holder: LockHolder) -> None:
        self.holder = holder
        super().__init__(holder.describe())


def _lock(settings: Settings, command: str, *, serving: bool) -> DatabaseLock | None:
    """Take the SQLite file's lock for this process, or raise the operator-facing refusal.

    A one-off command (`serving=False`) that finds a serving bot gets `_BotServing`. On
    PostgreSQL there is no lock (None): several processes sharing the server is the point.
    """
    path = settings.database_path
    if settings.database_url.engine is Engine.POSTGRESQL:
        return None
    if path is None:  # :memory:, private to this process
        return None
    try:
        return DatabaseLock.acquire(path, command, serving=serving)
    except DatabaseInUseError as busy:
        if not serving and busy.holder is not None and busy.holder.serving:
            raise _BotServing(busy.holder) from None
        raise _in_use(settings, busy) from None
    except OSError as error:
        raise _unusable(settings, error) from error


def _in_use(settings: Settings, busy: DatabaseInUseError) -> DatabaseFileError:
    holder, database = busy.holder, settings.database_path
    if holder is None:
        return DatabaseFileError(texts.IN_USE_STARTING.render(settings.locale, database=database))
    return DatabaseFileError(
        texts.IN_USE.render(
            settings.locale,
            database=database,
            pid=holder.pid,
            host=holder.host,
            command=holder.command,
            since=holder.since,
        )
    )


async def _open(
    stack: contextlib.AsyncExitStack, settings: Settings, features: FeatureFactory = build_features
) -> Parley:
    try:
        return await stack.enter_async_context(Parley.open(settings, features=features))
    except _DATABASE_ERRORS as error:
        raise _unusable(settings, error) from error


async def _open_database(stack: contextlib.AsyncExitStack, settings: Settings) -> Database:
    try:
        return await stack.enter_async_context(Database.open(settings.database_url))
    except _DATABASE_ERRORS as error:
        raise _unusable(settings, error) from error


def _no_features(services: Services) -> list[Feature]:
    """No feature at all: the storage alone."""
    return []


def _same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file (also through links and relative parts)."""
    return first.resolve() == second.resolve()


def _unusable(settings: Settings, error: BaseException) -> DatabaseFileError:
    """The operator-facing error for a database that cannot be opened."""
    database = settings.database_url
    log.debug("event=database_open_failed database=%s", database, exc_info=error)
    return DatabaseFileError(f"Cannot open the database {database} (PARLEY_DATABASE_URL): {error}.")


def _serves_console(arguments: argparse.Namespace, settings: Settings) -> bool:
    """Whether this run chats in the terminal: asked to, or no platform token is set."""
    return arguments.mode == "console" or not (settings.discord_token or settings.telegram_token)


def _choose_adapters(
    arguments: argparse.Namespace, settings: Settings, app: Parley
) -> list[Adapter]:
    if _serves_console(arguments, settings):
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
    from bot.adapters.console.line_editing import default_history_file

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
        history_file=settings.console_history or default_history_file(os.environ),
        background=app.services.background,
    )


def _settings_problems(error: ValidationError) -> str:
    """Which setting is wrong and why, without echoing its value."""
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        lines.append(f"  {name}: {problem['msg']}")
    return "\n".join(lines)
