-- Closes a run as failed; the mirror was rolled back, so no counts are recorded.
UPDATE sync_runs
   SET finished_at   = clock_timestamp(),
       outcome       = 'error',
       error_reason  = :#reason,
       error_stage   = :#stage,
       error_message = :#message
 WHERE id = :#runId
