-- Chat moves (issue 16), PostgreSQL's twin of ../018_chat_moves.sql: the same table, and the
-- audit log's append-only function (012_baseline.sql) allowing the one move chat_moves records.
CREATE TABLE chat_moves (
    platform TEXT COLLATE "C" NOT NULL,
    old_chat_id TEXT COLLATE "C" NOT NULL,
    new_chat_id TEXT COLLATE "C" NOT NULL CHECK (new_chat_id <> old_chat_id),
    moved_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (platform, old_chat_id)
);

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    IF NOT (
        NEW.id = OLD.id
        AND NEW.at = OLD.at
        AND NEW.platform = OLD.platform
        AND NEW.action = OLD.action
        AND NEW.outcome = OLD.outcome
        AND (
            (
                (NEW.chat_id = OLD.chat_id OR NEW.chat_id = 'forgotten')
                AND NEW.actor_id = 'forgotten'
                AND NEW.actor_name = 'forgotten'
                AND NEW.detail = ''
            )
            OR (
                NEW.actor_id = OLD.actor_id
                AND NEW.actor_name = OLD.actor_name
                AND NEW.detail = OLD.detail
                AND EXISTS (
                    SELECT 1 FROM chat_moves
                    WHERE platform = OLD.platform
                        AND old_chat_id = OLD.chat_id
                        AND new_chat_id = NEW.chat_id
                )
            )
        )
    ) THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    RETURN NEW;
END;
$$;
