-- The first statement of the store's transaction: a second advisory lock (:#lockKey + 1), held
-- until the transaction ends. The run lock proper is a session lock on a connection of its own,
-- which can end while the run goes on; this one makes sure that, even then, no two runs write
-- the mirror at the same time (see run-lock-check.sql).
SELECT true AS locked FROM (SELECT pg_advisory_xact_lock(CAST(:#lockKey AS bigint) + 1)) taken
