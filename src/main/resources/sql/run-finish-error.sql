-- Closes a run as failed; the mirror was rolled back, so no counts are recorded. The time is
-- the failure's: when the database was down the row is written later (history-retry). A row
-- that the history repair closed as "interrupted" meanwhile (the database restarted, and the
-- run's lock with it) gets the failure the caller was told. Answers how many rows it closed.
WITH closed AS (
    UPDATE sync_runs
       SET finished_at   = CAST(:#failedAt AS timestamptz),
           outcome       = 'error',
           error_reason  = :#reason,
           error_stage   = :#stage,
           error_message = :#message
     WHERE id = :#runId
       AND (outcome = 'running' OR error_reason = 'interrupted')
    RETURNING id
)
SELECT count(*) AS closed FROM closed
