-- Articles moderators add, each chat's current article, the summary cache and edited summaries.

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    language TEXT NOT NULL,
    body TEXT NOT NULL CHECK (length(body) > 0),
    content_hash TEXT NOT NULL,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('text', 'file', 'url')),
    source_url TEXT,
    added_platform TEXT NOT NULL,
    added_chat_id TEXT NOT NULL,
    added_by_id TEXT NOT NULL,
    added_by_name TEXT NOT NULL,
    added_at TEXT NOT NULL,
    CHECK ((source_kind = 'url') = (source_url IS NOT NULL))
);
CREATE INDEX articles_by_adder ON articles (added_platform, added_by_id);

-- The article a chat's /summary is about: a shipped topic name or an `articles` id, as text.
CREATE TABLE chat_articles (
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    article_ref TEXT NOT NULL,
    set_by_id TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id)
);

-- A derived, versioned cache: the key is in columns; the value is the summary as the summary
-- feature encodes it (JSON), recomputed whenever the text or the algorithm changes.
CREATE TABLE summary_cache (
    content_hash TEXT NOT NULL,
    length TEXT NOT NULL,
    language TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (content_hash, length, language, algorithm)
) WITHOUT ROWID;

-- Moderators' edited summaries, per chat and article edition; every version is kept.
CREATE TABLE summary_edits (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    article_ref TEXT NOT NULL,
    language TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    author_platform TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX summary_edits_by_article ON summary_edits (platform, chat_id, article_ref, language, id);
CREATE INDEX summary_edits_by_author ON summary_edits (author_platform, author_id);
