-- Common ground (issue 17): short statements members vote agree / disagree / pass on, the votes,
-- and each chat's choice of anonymous votes. A statement belongs to its chat. `text` is NULL for
-- a claim of the debate map (shown from the map in the reader's language, `source_ref` is its
-- id); approved community arguments keep their argument id. `voter` is `platform:user_id`, or
-- in a chat whose votes are anonymous the keyed hash of it (handlers/polls/anonymity.py) under
-- the chat's salt: one key per person within the chat, so the votes form a matrix, and no way
-- back to the person without the master key, which never enters the database.
CREATE TABLE ground_statements (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('claim', 'argument', 'seeded', 'proposed')),
    source_ref TEXT,
    text TEXT,
    status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('pending', 'approved', 'rejected')),
    author_platform TEXT,
    author_id TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (platform, chat_id, source, source_ref)
);
CREATE INDEX ground_statements_by_chat ON ground_statements (platform, chat_id, status);
CREATE INDEX ground_statements_by_author ON ground_statements (author_platform, author_id);

CREATE TABLE ground_votes (
    statement_id INTEGER NOT NULL REFERENCES ground_statements (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    stance INTEGER NOT NULL CHECK (stance IN (-1, 0, 1)),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (statement_id, voter)
);
CREATE INDEX ground_votes_by_voter ON ground_votes (voter);

CREATE TABLE ground_chats (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    salt BLOB NOT NULL,
    PRIMARY KEY (platform, chat_id)
);
