-- Platform leases (issue 14): a named lease (e.g. 'telegram': the one process that polls
-- getUpdates) that at most one process holds at a time. `owner` is host:pid:token; the holder
-- renews `expires_at` (a timestamp as text, see storage/timestamps.py) while it serves; once it
-- has passed, another process may take the lease. A clean stop deletes the row.
-- Portable SQL: this one script serves SQLite and PostgreSQL.

CREATE TABLE platform_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
