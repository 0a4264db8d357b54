-- The brake on mass unlinking measures a run against the most links the user had at the end of
-- an ok run within the last SYNC_UNLINK_WINDOW_HOURS, from the user's latest forced run on
-- (sql/unlink-reference.sql): both look-ups read a few index entries, however long the history.
CREATE INDEX sync_runs_user_ok_idx ON sync_runs (user_id, finished_at) WHERE outcome = 'ok' AND NOT dry_run;
CREATE INDEX sync_runs_user_forced_idx ON sync_runs (user_id, id) WHERE outcome = 'ok' AND NOT dry_run AND forced;
