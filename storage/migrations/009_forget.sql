-- Forget-me that forgets: anonymous "has voted" markers for open anonymous polls, and an
-- audit_log that stays append-only except for the one update /forgetme makes.

-- A person who asked to be forgotten while their anonymous ballot was in an open poll: the
-- ballot stays counted under a random key, and this marker (a hash of the voter key they had,
-- itself a keyed hash of who they are) refuses them a second ballot. It says that someone voted,
-- never how. A poll's markers are deleted when it closes.
CREATE TABLE poll_voted_markers (
    poll_id INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    marker BLOB NOT NULL CHECK (length(marker) = 32),
    PRIMARY KEY (poll_id, marker)
) WITHOUT ROWID;

CREATE TRIGGER poll_voted_markers_end_at_close AFTER UPDATE OF closed_at ON polls
WHEN new.closed_at IS NOT NULL
BEGIN
    DELETE FROM poll_voted_markers WHERE poll_id = new.id;
END;

-- audit_log rows are never deleted and never changed, except that /forgetme pseudonymises a
-- person's rows: the action, outcome, time and platform stay; the actor becomes the fixed
-- 'forgotten' marker, the free text (detail) is emptied, and a row of the person's private chat
-- loses that chat id too. Any other update is refused.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    new.id = old.id
    AND new.at = old.at
    AND new.platform = old.platform
    AND (new.chat_id = old.chat_id OR new.chat_id = 'forgotten')
    AND new.action = old.action
    AND new.outcome = old.outcome
    AND new.actor_id = 'forgotten'
    AND new.actor_name = 'forgotten'
    AND new.detail = ''
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
