-- Poll refresh slots (issue 14): live-tally edits of a poll's messages coalesced across
-- processes. A process that wants to redraw a poll takes its slot once `next_at` has passed
-- (a timestamp as text, see storage/timestamps.py) and edits; otherwise it sets `pending`, and
-- the holder redraws once more at the end of its interval, reading the tally then.
-- Portable SQL: this one script serves SQLite and PostgreSQL.

CREATE TABLE poll_refresh (
    poll_id BIGINT PRIMARY KEY REFERENCES polls (id) ON DELETE CASCADE,
    next_at TEXT NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0
);
