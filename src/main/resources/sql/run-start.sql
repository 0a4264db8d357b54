-- Opens the history row of a run; its id follows the run to the end.
INSERT INTO sync_runs (trigger, dry_run, started_at, outcome)
VALUES (:#trigger, CAST(:#dryRun AS boolean), clock_timestamp(), 'running')
RETURNING id
