-- Chat moves (issue 16): a chat that changed its id, e.g. a Telegram group upgraded to a
-- supergroup (Telegram does it by itself). storage/chat_moves.py moves every row keyed by the
-- old id to the new one in one transaction and records the move here first, so a second notice
-- of the same move (both service messages, a retry after ChatMigrated) changes nothing, and a
-- job or message still naming the old id can be re-targeted.
CREATE TABLE chat_moves (
    platform TEXT NOT NULL,
    old_chat_id TEXT NOT NULL,
    new_chat_id TEXT NOT NULL CHECK (new_chat_id <> old_chat_id),
    moved_at TEXT NOT NULL,
    PRIMARY KEY (platform, old_chat_id)
);

-- audit_log stays append-only. Besides /forgetme's pseudonymisation (009), the one update
-- allowed moves a row, unchanged otherwise, from a chat to the id chat_moves says it moved to.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    new.id = old.id
    AND new.at = old.at
    AND new.platform = old.platform
    AND new.action = old.action
    AND new.outcome = old.outcome
    AND (
        (
            (new.chat_id = old.chat_id OR new.chat_id = 'forgotten')
            AND new.actor_id = 'forgotten'
            AND new.actor_name = 'forgotten'
            AND new.detail = ''
        )
        OR (
            new.actor_id = old.actor_id
            AND new.actor_name = old.actor_name
            AND new.detail = old.detail
            AND EXISTS (
                SELECT 1 FROM chat_moves
                WHERE platform = old.platform
                    AND old_chat_id = old.chat_id
                    AND new_chat_id = new.chat_id
            )
        )
    )
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
