-- Summary edits a moderator can take back (issue 15). `/summary edit --reset` withdraws a chat's
-- live edits of an article edition: `withdrawn_at` is set, the automatic summary shows again and
-- the history keeps them. Restoring an older version stores a new one whose `restored_from` is
-- the id of the version whose words it repeats (the original, never a copy), so forgetting that
-- version's author deletes the copies too.
-- Portable SQL: this one script serves SQLite and PostgreSQL.

ALTER TABLE summary_edits ADD COLUMN withdrawn_at TEXT;
ALTER TABLE summary_edits ADD COLUMN restored_from BIGINT;
