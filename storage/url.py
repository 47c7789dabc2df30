"""Which database to open: a file path or `sqlite:///…` (SQLite), or `postgresql://…`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class Engine(StrEnum):
    """The database engines Parley runs on."""

    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


_POSTGRES_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True, slots=True)
class DatabaseUrl:
    """A parsed database target: the engine and what that engine opens (a path or a DSN)."""

    engine: Engine
    target: str

    @classmethod
    def parse(cls, text: str | Path) -> DatabaseUrl:
        """Read a path, `sqlite:///path` (or `:memory:`), or `postgresql://…`/`postgres://…`.

        As in SQLAlchemy, `sqlite:///parley.db` is relative and `sqlite:////srv/parley.db`
        absolute.
        """
        if isinstance(text, Path):
            return cls(Engine.SQLITE, str(text))
        value = text.strip()
        if not value:
            raise ValueError("the database URL is empty: give a file path or postgresql://…")
        scheme, separator, rest = value.partition("://")
        if not separator:
            if value.startswith(("sqlite:", "postgres")):
                raise ValueError(
                    f"not a database URL: {value!r} (write sqlite:///… or postgresql://…)"
                )
            return cls(Engine.SQLITE, value)
        scheme = scheme.lower()
        if scheme == "sqlite":
            path = rest[1:] if rest.startswith("/") else rest  # sqlite:////abs, sqlite:///rel
            if not path:
                raise ValueError("sqlite:/// needs a file path, e.g. sqlite:///parley.db")
            return cls(Engine.SQLITE, path)
        if scheme in _POSTGRES_SCHEMES:
            return cls(Engine.POSTGRESQL, value)
        raise ValueError(
            f"unknown database engine {scheme!r} in the database URL:"
            " use a file path, sqlite:///FILE or postgresql://USER@HOST/DATABASE"
        )

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for PostgreSQL and for `:memory:`)."""
        if self.engine is Engine.SQLITE and self.target != ":memory:":
            return Path(self.target)
        return None

    @property
    def password(self) -> str | None:
        """The password in a PostgreSQL URL, if it has one (for log redaction)."""
        if self.engine is Engine.SQLITE:
            return None
        return urlsplit(self.target).password

    def redacted(self) -> str:
        """The target for logs and messages, with any password hidden."""
        if self.engine is Engine.SQLITE:
            return self.target
        parts = urlsplit(self.target)
        if parts.password is None:
            return self.target
        host = parts.netloc.rpartition("@")[2]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))

    def __str__(self) -> str:
        """The redacted form: safe to print."""
        return self.redacted()
