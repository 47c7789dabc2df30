-- Polls people can manage (issue 16): options members add (`--open`) and moderators remove,
-- per-voter shuffled option order (`--shuffle`), a reminder before the deadline (`--remind`),
-- and who may create polls in a chat (`/settings polls`). PostgreSQL has a twin with its
-- collation (postgresql/015_poll_management.sql).
--
-- An added option keeps its position for good (ballots name options by position), so adding
-- one never changes a ballot. A removed option keeps its row with `removed_at` set: it is no
-- longer shown or counted, and the ballots naming it lose that choice (see storage/polls.py).
-- `added_by` names the person who added an option (cleared when they are forgotten).

ALTER TABLE polls ADD COLUMN open_options INTEGER NOT NULL DEFAULT 0 CHECK (open_options IN (0, 1));
ALTER TABLE polls ADD COLUMN shuffle INTEGER NOT NULL DEFAULT 0 CHECK (shuffle IN (0, 1));
ALTER TABLE polls ADD COLUMN remind_before INTEGER CHECK (remind_before IS NULL OR remind_before > 0);

ALTER TABLE poll_options ADD COLUMN added_at TEXT;
ALTER TABLE poll_options ADD COLUMN added_by TEXT;
ALTER TABLE poll_options ADD COLUMN removed_at TEXT;

ALTER TABLE chat_settings ADD COLUMN poll_creators TEXT
    CHECK (poll_creators IS NULL OR poll_creators IN ('moderators', 'everyone'));
