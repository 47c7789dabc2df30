"""`parley db copy SOURCE TARGET`: the operator's side of `storage.copy` (locks, bar, summary)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO

from bot.config import Settings
from bot.i18n import Locale, Localized
from handlers.polls.master_key import key_file_path
from parley import cli_texts as texts
from storage.copy import CopyError, CopyReport, Problem, check_places, copy_database
from storage.db_lock import DatabaseInUseError, DatabaseLock
from storage.errors import StorageUnavailableError
from storage.url import DatabaseUrl

_BAR_WIDTH = 30
_CHECKSUM_SHOWN = 16
"""Hex digits of each table's checksum in the summary."""
_TABLE_LINE = "  {table:<24} {rows:>9}  {checksum}  ✓"


class CopyCommandError(Exception):
    """The copy was refused or failed; the message is shown to the operator."""


async def copy_command(
    settings: Settings, source_text: str, target_text: str, err: TextIO = sys.stderr
) -> int:
    """Copy `source_text` into `target_text`, print the summary; raise `CopyCommandError`."""
    locale = settings.locale
    source = _parse(locale, texts.COPY_SOURCE_WORD, source_text)
    target = _parse(locale, texts.COPY_TARGET_WORD, target_text)
    progress = TableProgress(err, locale)
    try:
        check_places(source, target)
        with _locked(locale, source), _locked(locale, target):
            report = await copy_database(source, target, progress)
    except CopyError as error:
        raise CopyCommandError(_refusal(locale, error, source, target)) from error
    except (StorageUnavailableError, OSError) as error:
        raise CopyCommandError(texts.COPY_FAILED.render(locale, reason=error)) from error
    print(_summary(locale, report, source, target))
    print(_key_note(settings, source, target))
    return 0


class TableProgress:
    """A bar per table on a terminal (redrawn in place), else one plain line per table."""

    def __init__(self, stream: TextIO, locale: Locale) -> None:
        self._stream = stream
        self._locale = locale
        self._tty = stream.isatty()

    def __call__(self, table: str, done: int, total: int) -> None:
        """Show that `done` of `total` rows of `table` are copied."""
        line = texts.COPY_PROGRESS.render(self._locale, table=table, done=done, total=total)
        if self._tty:
            filled = _BAR_WIDTH * done // total if total else _BAR_WIDTH
            bar = "█" * filled + "░" * (_BAR_WIDTH - filled)
            end = "\n" if done >= total else ""
            self._stream.write(f"\r\x1b[2K{bar} {line}{end}")
        elif done >= total:
            self._stream.write(line + "\n")
        self._stream.flush()


def _parse(locale: Locale, which: Localized, text: str) -> DatabaseUrl:
    try:
        return DatabaseUrl.parse(text)
    except ValueError as error:
        raise CopyCommandError(
            texts.COPY_BAD_URL.render(locale, which=which.render(locale), reason=error)
        ) from None


@contextlib.contextmanager
def _locked(locale: Locale, url: DatabaseUrl) -> Iterator[None]:
    """Hold a SQLite file's one-process lock for the copy (a serving bot refuses it)."""
    path = url.path
    if path is None or not path.parent.is_dir():
        yield
        return
    try:
        lock = DatabaseLock.acquire(path, "parley db copy", serving=False)
    except DatabaseInUseError as busy:
        holder = busy.holder
        if holder is None:
            refusal = texts.IN_USE_STARTING.render(locale, database=path)
        else:
            refusal = texts.COPY_IN_USE.render(
                locale,
                database=path,
                pid=holder.pid,
                host=holder.host,
                command=holder.command,
                since=holder.since,
            )
        raise CopyCommandError(refusal) from None
    try:
        yield
    finally:
        lock.release()


def _refusal(locale: Locale, error: CopyError, source: DatabaseUrl, target: DatabaseUrl) -> str:
    """The operator's words for a refused or failed copy."""
    details = dict(error.details)
    match error.problem:
        case Problem.CANNOT_OPEN:
            side = details["side"]
            which = texts.COPY_SOURCE_WORD if side == "source" else texts.COPY_TARGET_WORD
            return texts.COPY_CANNOT_OPEN.render(
                locale,
                which=which.render(locale),
                database=source if side == "source" else target,
                reason=details["reason"],
            )
        case Problem.SAME_DATABASE:
            return texts.COPY_SAME_DATABASE.render(locale)
        case Problem.IN_MEMORY:
            return texts.COPY_IN_MEMORY.render(locale)
        case Problem.SOURCE_MISSING:
            return texts.COPY_SOURCE_MISSING.render(locale, **details)
        case Problem.SOURCE_EMPTY:
            return texts.COPY_SOURCE_EMPTY.render(locale, source=source)
        case Problem.SOURCE_OLDER:
            return texts.COPY_SOURCE_OLDER.render(locale, source=source, **details)
        case Problem.SOURCE_NEWER:
            return texts.COPY_SOURCE_NEWER.render(locale, source=source, **details)
        case Problem.VERSIONS_DIFFER:
            return texts.COPY_VERSIONS_DIFFER.render(locale, **details)
        case Problem.SCHEMAS_DIFFER:
            return texts.COPY_SCHEMAS_DIFFER.render(
                locale,
                only_source=", ".join(details["only_source"]) or "-",
                only_target=", ".join(details["only_target"]) or "-",
            )
        case Problem.TARGET_NOT_EMPTY:
            return texts.COPY_TARGET_NOT_EMPTY.render(
                locale, target=target, table=details["table"], count=details["rows"]
            )
        case Problem.UNSUPPORTED_VALUE:
            return texts.COPY_UNSUPPORTED_VALUE.render(locale, **details)
        case Problem.MISMATCH:
            table = details["table"]
            return texts.COPY_MISMATCH.render(
                locale,
                table=table.name,
                rows=table.rows,
                checksum=table.checksum[:_CHECKSUM_SHOWN],
                target_rows=table.target_rows,
                target_checksum=table.target_checksum[:_CHECKSUM_SHOWN],
            )


def _summary(locale: Locale, report: CopyReport, source: DatabaseUrl, target: DatabaseUrl) -> str:
    lines = [
        texts.COPY_SUMMARY.render(
            locale,
            tables=len(report.tables),
            count=report.rows,
            version=report.version,
            source=source,
            target=target,
        )
    ]
    lines.append(texts.COPY_TABLE_HEADER.render(locale))
    lines += [
        _TABLE_LINE.format(table=t.name, rows=t.rows, checksum=t.checksum[:_CHECKSUM_SHOWN])
        for t in report.tables
    ]
    lines.append(texts.COPY_VERIFIED.render(locale))
    lines.append(texts.COPY_NEXT_STEP.render(locale, target=target))
    return "\n".join(lines)


def _key_note(settings: Settings, source: DatabaseUrl, target: DatabaseUrl) -> str:
    """What the new URL needs beside the database: the same poll key."""
    if settings.poll_key is not None:
        return texts.COPY_KEEP_KEY_SETTING.render(settings.locale)
    if settings.poll_key_file is not None:
        key_file = settings.poll_key_file.resolve()
        return texts.COPY_KEEP_KEY_FILE_SETTING.render(settings.locale, key_file=key_file)
    source_key = key_file_path(settings.model_copy(update={"database": source.target}))
    target_key = key_file_path(settings.model_copy(update={"database": target.target}))
    return texts.COPY_KEEP_KEY_FILE.render(
        settings.locale, source_key=source_key.resolve(), target_key=target_key.resolve()
    )
