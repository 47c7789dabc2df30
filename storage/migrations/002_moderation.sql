-- Moderator tools: per-chat rate limit and feature switches, and the record of posts.

ALTER TABLE chat_settings ADD COLUMN rate_limit_per_minute REAL;

CREATE TABLE chat_disabled_features (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    feature TEXT NOT NULL,
    disabled_at TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id, feature)
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    item TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '',
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    posted_by_id TEXT NOT NULL,
    posted_by_name TEXT NOT NULL,
    job_id INTEGER REFERENCES jobs (id),
    posted_at TEXT NOT NULL
);
CREATE INDEX posts_by_chat ON posts (platform, chat_id, id);
