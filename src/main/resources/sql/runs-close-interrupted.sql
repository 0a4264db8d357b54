-- At start-up: runs left open by a process that stopped before they ended (a crash, a kill)
-- are closed as failed. Runs of this process started after :#openedAt and are not touched.
UPDATE sync_runs
   SET finished_at   = started_at,
       outcome       = 'error',
       error_reason  = 'interrupted',
       error_stage   = 'store',
       error_message = 'the service stopped before the run ended; nothing of it was written'
 WHERE outcome = 'running'
   AND started_at < CAST(:#openedAt AS timestamptz)
