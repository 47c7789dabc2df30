-- Polls: the poll, its options, one ballot per voter key with its ordered choices, and every
-- message the poll is shown in. Anonymous ballots carry no name and no time, and are keyed by
-- a keyed hash whose per-poll salt is deleted when the poll closes. WITHOUT ROWID tables keep
-- no insertion order, so ballot rows do not reveal who voted when.

CREATE TABLE polls (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    creator TEXT NOT NULL,
    question TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multi', 'ranked')),
    max_choices INTEGER CHECK (max_choices IS NULL OR max_choices BETWEEN 1 AND 10),
    anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    visibility TEXT NOT NULL CHECK (visibility IN ('live', 'after_vote', 'after_close')),
    allowed_role TEXT,
    locale TEXT NOT NULL CHECK (locale IN ('en', 'zh')),
    stance TEXT CHECK (stance IS NULL OR stance IN ('before', 'after')),
    stance_before INTEGER REFERENCES polls (id),
    salt BLOB CHECK (salt IS NULL OR length(salt) = 32),
    created_at TEXT NOT NULL,
    closes_at TEXT,
    closed_at TEXT,
    announced_at TEXT,
    CHECK (anonymous = 1 OR salt IS NULL),
    CHECK ((stance = 'after') = (stance_before IS NOT NULL))
);
CREATE INDEX polls_by_chat ON polls (platform, chat_id, id);
CREATE INDEX polls_by_creator ON polls (creator);

CREATE TABLE poll_options (
    poll_id INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 9),
    label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
    PRIMARY KEY (poll_id, position)
) WITHOUT ROWID;

CREATE TABLE poll_ballots (
    poll_id INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    voter_key TEXT NOT NULL,
    voter_name TEXT,
    voted_at TEXT,
    PRIMARY KEY (poll_id, voter_key)
) WITHOUT ROWID;
CREATE INDEX poll_ballots_by_voter ON poll_ballots (voter_key);

CREATE TABLE poll_choices (
    poll_id INTEGER NOT NULL,
    voter_key TEXT NOT NULL,
    rank INTEGER NOT NULL CHECK (rank BETWEEN 0 AND 9),
    option INTEGER NOT NULL CHECK (option BETWEEN 0 AND 9),
    PRIMARY KEY (poll_id, voter_key, rank),
    FOREIGN KEY (poll_id, voter_key) REFERENCES poll_ballots (poll_id, voter_key)
        ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

CREATE TABLE poll_messages (
    poll_id INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    thread_id TEXT,
    message_id TEXT NOT NULL,
    locale TEXT NOT NULL CHECK (locale IN ('en', 'zh')),
    posted_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, platform, chat_id, message_id)
) WITHOUT ROWID;
CREATE INDEX poll_messages_by_chat ON poll_messages (platform, chat_id, poll_id);
