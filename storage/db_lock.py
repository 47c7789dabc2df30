"""One Parley process per database file: an advisory lock held for the process lifetime.

`flock` on `<database>.lock`, not SQLite's exclusive locking mode: the lock must keep a second
bot out while still letting `parley db backup` and operator requests use the database, and
the kernel drops it when its process dies (even by SIGKILL), so it is never stale. The file
says who holds it, for the refusal message. It is never deleted: deleting a lock file lets
two processes lock two different files.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.database import PRIVATE_MODE


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a database's lock, as the holder wrote it."""

    pid: int
    host: str
    command: str
    since: str
    serving: bool
    """True for a bot serving chats (`parley run`/`console`), False for a one-off command."""

    def describe(self) -> str:
        """The holder in words, for an operator."""
        return f"pid {self.pid} on {self.host} (`{self.command}`), running since {self.since}"


class DatabaseInUseError(Exception):
    """Another process holds the database's lock."""

    def __init__(self, database: Path, holder: LockHolder | None) -> None:
        self.database = database
        self.holder = holder
        who = holder.describe() if holder else "a process that is still starting"
        super().__init__(f"{database} is locked by {who}")


class DatabaseLock:
    """The held lock of one database file; release it (or end the process) to free it."""

    def __init__(self, descriptor: int) -> None:
        self._descriptor: int | None = descriptor

    @classmethod
    def acquire(cls, database: Path, command: str, *, serving: bool) -> DatabaseLock:
        """Take the lock of `database` or raise `DatabaseInUseError` naming its holder."""
        path = lock_path(database)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_MODE)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise DatabaseInUseError(database, read_holder(database)) from None
        except BaseException:
            os.close(descriptor)
            raise
        since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": command,
            "since": since,
            "serving": serving,
        }
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps(record).encode() + b"\n", 0)
        return cls(descriptor)

    def release(self) -> None:
        """Free the lock (the file stays, emptied); safe to call more than once."""
        if self._descriptor is None:
            return
        os.ftruncate(self._descriptor, 0)
        os.close(self._descriptor)  # closing the only descriptor drops the flock
        self._descriptor = None


def lock_path(database: Path) -> Path:
    """The lock file of a database file, wherever it is reached from (links, relative paths)."""
    real = database.resolve()
    return real.with_name(real.name + ".lock")


def read_holder(database: Path) -> LockHolder | None:
    """Who the lock file says holds the lock, or None when it says nothing readable."""
    try:
        record = json.loads(lock_path(database).read_text(encoding="utf-8"))
        return LockHolder(
            pid=int(record["pid"]),
            host=str(record["host"]),
            command=str(record["command"]),
            since=str(record["since"]),
            serving=bool(record["serving"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
