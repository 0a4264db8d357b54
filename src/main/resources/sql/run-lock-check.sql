-- The last check of the store's transaction before it commits: is the run lock (:#lockKey)
-- still held by the backend that took it for this run (:#lockHolder)? Not if that connection
-- ended: then another replica may have started a run, and the history repair may have closed
-- this run's row as interrupted, so this run must not commit.
SELECT EXISTS (SELECT 1
                 FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND objsubid = 1
                  AND pid = CAST(:#lockHolder AS integer)
                  AND ((classid::bigint << 32) | objid::bigint) = CAST(:#lockKey AS bigint)) AS held
