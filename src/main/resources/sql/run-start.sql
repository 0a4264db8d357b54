-- Opens the history row of a run; its id follows the run to the end.
INSERT INTO sync_runs (trigger, started_at, outcome)
VALUES (:#trigger, clock_timestamp(), 'running')
RETURNING id
