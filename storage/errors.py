"""Storage's own errors: what is above storage never names the database engine.

Each engine translates its outages (locked, busy, full, read-only, damaged, unreachable) into
`StorageUnavailableError`, keeping the message (`storage.sqlite.translated`,
`storage.postgres_errors.translated`). Errors that are bugs in Parley (a broken constraint, a
wrong statement) pass through unchanged, as the ordinary exceptions they are.
"""

from __future__ import annotations


class StorageUnavailableError(RuntimeError):
    """The database cannot serve at the moment: locked, full, read-only or damaged."""
