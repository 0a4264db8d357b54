-- Opens the history row of a run; its id follows the run to the end.
INSERT INTO sync_runs (trigger, dry_run, forced, started_at, outcome)
VALUES (:#trigger, CAST(:#dryRun AS boolean), CAST(:#forced AS boolean), clock_timestamp(), 'running')
RETURNING id
