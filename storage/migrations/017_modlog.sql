-- Mod-log channels (issue 16): where a community's audit entries are posted as they happen,
-- numbered like moderation cases (#1, #2 … per community). A community is a Discord server, or
-- on platforms without servers the group chat itself (never a private chat: no person here).
-- `channel_id` is NULL while the mod-log is off; `last_case` keeps counting across off and on.
-- `warned` is 1 once a failed post was reported to a moderator, until a post succeeds again.
-- Portable SQL: this one script serves SQLite and PostgreSQL.

CREATE TABLE modlog_channels (
    platform TEXT NOT NULL,
    community TEXT NOT NULL,
    channel_id TEXT,
    thread_id TEXT,
    last_case BIGINT NOT NULL DEFAULT 0,
    warned INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, community)
);
