-- Poll refresh slots (issue 14): live-tally edits of a poll's messages coalesced across
-- processes (storage/poll_refresh.py). A process that wants to redraw a poll takes its slot
-- once `next_at` (milliseconds since 1970 by the database's clock) has passed and edits;
-- otherwise it sets `pending`, and whoever takes the freed slot redraws, reading the tally then.
-- Portable SQL: this one script serves SQLite and PostgreSQL (SQLite keeps its slots in memory).

CREATE TABLE poll_refresh (
    poll_id BIGINT PRIMARY KEY REFERENCES polls (id) ON DELETE CASCADE,
    next_at BIGINT NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0
);
