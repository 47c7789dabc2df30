-- Polls in many chats: each chat a poll is shown in gets a small number (0 is the chat it was
-- created in), and each ballot records the number of the chat it was cast in, for the per-chat
-- breakdown. Only the chat is stored, never anything about the voter. Ballots cast before this
-- migration, or on a private ballot whose chat is not known, keep a NULL chat.

CREATE TABLE poll_chats (
    poll_id INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    chat_no INTEGER NOT NULL CHECK (chat_no >= 0),
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    PRIMARY KEY (poll_id, chat_no),
    UNIQUE (poll_id, platform, chat_id)
) WITHOUT ROWID;
CREATE INDEX poll_chats_by_chat ON poll_chats (platform, chat_id, poll_id);

ALTER TABLE poll_ballots ADD COLUMN chat_no INTEGER CHECK (chat_no IS NULL OR chat_no >= 0);

-- Existing polls: the chat each was created in, then the chats it was shared into, in the order
-- they were first shown.
INSERT INTO poll_chats (poll_id, chat_no, platform, chat_id)
SELECT id, 0, platform, chat_id FROM polls;

INSERT INTO poll_chats (poll_id, chat_no, platform, chat_id)
SELECT poll_id,
       row_number() OVER (PARTITION BY poll_id ORDER BY first_shown, platform, chat_id),
       platform,
       chat_id
FROM (
    SELECT m.poll_id, m.platform, m.chat_id, min(m.posted_at) AS first_shown
    FROM poll_messages m JOIN polls p ON p.id = m.poll_id
    WHERE NOT (m.platform = p.platform AND m.chat_id = p.chat_id)
    GROUP BY m.poll_id, m.platform, m.chat_id
);
