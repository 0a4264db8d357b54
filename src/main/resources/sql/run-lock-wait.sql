-- The run lock, waited for as long as the session's lock_timeout allows (0: no limit); getting
-- an answer is holding it.
SELECT true AS held, pg_backend_pid() AS pid FROM (SELECT pg_advisory_lock(?)) taken
