-- Community arguments on a debate topic, moderated per chat, and their upvotes (one per person).

CREATE TABLE arguments (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    side TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    author_platform TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    created_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    CHECK ((decided_at IS NULL) = (status = 'pending'))
);
CREATE INDEX arguments_by_chat ON arguments (platform, chat_id, topic, status, side);
CREATE INDEX arguments_by_author ON arguments (author_platform, author_id, created_at);

CREATE TABLE argument_votes (
    argument_id INTEGER NOT NULL REFERENCES arguments (id) ON DELETE CASCADE,
    voter_platform TEXT NOT NULL,
    voter_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (argument_id, voter_platform, voter_id)
) WITHOUT ROWID;
CREATE INDEX argument_votes_by_voter ON argument_votes (voter_platform, voter_id);
