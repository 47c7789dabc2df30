-- The key that seals personal buttons (a private ballot opened for one person), kept in the
-- database so sealed buttons survive a restart. It only proves that Parley made a button for
-- that person; it protects nothing against someone who holds the database.

CREATE TABLE button_seal_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB NOT NULL CHECK (length(secret) = 32)
);
