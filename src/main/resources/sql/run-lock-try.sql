-- The run lock, shared by every replica on this database: taken now or not at all.
SELECT pg_try_advisory_lock(?) AS held, pg_backend_pid() AS pid
