-- Where the alerts stand, locked until the end of the transaction that decides the next alert
-- (so that two replicas never announce the same incident), and the end of the last successful
-- real run.
SELECT a.incident, a.reason, a.consecutive_failures, a.changed_at,
       (SELECT max(finished_at) FROM sync_runs WHERE outcome = 'ok' AND NOT dry_run) AS last_success
  FROM alert_state a
 WHERE a.id = 1
   FOR UPDATE OF a
