-- Runs left open by a process that stopped before they ended (a crash, a kill) are closed as
-- failed. Only while no run is in progress on any replica: the statement takes the run lock
-- (:#lockKey, the key RunLock holds for a whole run) for itself, or closes nothing. Answers how
-- many runs it closed.
WITH lock AS (
    SELECT pg_try_advisory_xact_lock(CAST(:#lockKey AS bigint)) AS held
), closed AS (
    UPDATE sync_runs
       SET finished_at   = started_at,
           outcome       = 'error',
           error_reason  = 'interrupted',
           error_stage   = 'store',
           error_message = 'the service stopped before the run ended; nothing of it was written'
      FROM lock
     WHERE lock.held
       AND outcome = 'running'
    RETURNING id
)
SELECT count(*) AS closed FROM closed
