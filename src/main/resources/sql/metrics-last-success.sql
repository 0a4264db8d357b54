-- The last successful real run (not a dry run), for the metrics after a restart.
SELECT finished_at,
       users_inserted AS users_inserted, users_updated, users_unchanged,
       warehouses_inserted, warehouses_updated, warehouses_unchanged,
       links_added, links_removed
  FROM sync_runs
 WHERE outcome = 'ok' AND NOT dry_run
 ORDER BY id DESC
 LIMIT 1
