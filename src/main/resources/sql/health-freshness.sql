-- For the health component syncFreshness: the end of the last successful run, the outcomes
-- of the last three finished runs (newest first) and the reason of the newest failure.
SELECT (SELECT max(finished_at) FROM sync_runs WHERE outcome = 'ok') AS last_ok,
       (SELECT string_agg(outcome, ',' ORDER BY id DESC)
          FROM (SELECT id, outcome FROM sync_runs WHERE outcome <> 'running' ORDER BY id DESC LIMIT 3) t) AS last_outcomes,
       (SELECT error_reason FROM sync_runs WHERE outcome = 'error' ORDER BY id DESC LIMIT 1) AS last_reason
