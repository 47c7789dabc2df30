-- Telegram inbox: every update fetched from the Bot API (or posted to the webhook) is stored
-- here before Telegram is told it arrived, so an update fetched but not yet handled survives the
-- process dying. `seq` is arrival order (Telegram's update_id may restart lower after a quiet
-- week); `update_id` deduplicates what Telegram delivers again.
--
-- A row is `waiting` until the bot takes it, `taken` while it is handled, and `finished` once
-- handled: the first effect its handler commits marks it finished in the same transaction, so
-- a `taken` row left by a crash had no effect and is handled again. The JSON (for a vote: who
-- pressed what) is cleared when the row is finished, so it lives on disk only between arrival
-- and the end of its handling. `finished` rows are kept as bare ids only until Telegram has
-- confirmed them (then delivering them again is impossible), and never more than the newest
-- 10,000.

CREATE TABLE telegram_inbox (
    seq INTEGER PRIMARY KEY,
    update_id INTEGER NOT NULL UNIQUE,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'taken', 'finished')),
    payload TEXT CHECK ((state = 'finished') = (payload IS NULL))
);
