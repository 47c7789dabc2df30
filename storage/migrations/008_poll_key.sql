-- The fingerprint of the poll master key this database's anonymous ballots are keyed with, so
-- that start-up can refuse a missing or different key while anonymous polls hold salts (with
-- another key, everyone could vote again in them). HMAC-SHA256(key, "parley poll key
-- fingerprint"), its first 16 bytes in hex: it identifies the key and never reveals it.

CREATE TABLE poll_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 32)
);
