-- The run lock, waited for as long as the session's lock_timeout allows (0: no limit).
SELECT pg_advisory_lock(?)
