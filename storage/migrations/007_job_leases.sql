-- Job leases: a claimed job records who holds it (`lease_owner`, host:pid:token) and until when
-- (`lease_until`); the holder renews the lease while the job runs. A running job whose lease has
-- expired (its process died) is claimable again, so start-up no longer resets running jobs.
-- Jobs left running before this migration have no lease and are claimable at once.
--
-- Operator requests: `parley forget-user` while the bot runs stores a request here (and a job
-- that points at it); the running bot does the work, stores the result and clears the
-- arguments, and the command line reads the result and deletes the row.

ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_until TEXT;

CREATE TABLE operator_requests (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    arguments TEXT NOT NULL DEFAULT '{}',
    result TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
