-- For the health component syncFreshness: the end of the last successful run, the outcomes
-- of the last three finished runs (newest first) and the reason of the newest failure. Dry
-- runs write nothing, so they count for neither.
SELECT (SELECT max(finished_at) FROM sync_runs WHERE outcome = 'ok' AND NOT dry_run) AS last_ok,
       (SELECT string_agg(outcome, ',' ORDER BY id DESC)
          FROM (SELECT id, outcome FROM sync_runs
                 WHERE outcome <> 'running' AND NOT dry_run ORDER BY id DESC LIMIT 3) t) AS last_outcomes,
       (SELECT error_reason FROM sync_runs WHERE outcome = 'error' AND NOT dry_run ORDER BY id DESC LIMIT 1) AS last_reason
