-- Whether a successful real run ended since this service started (:#uptimeMillis ago).
SELECT EXISTS (SELECT 1 FROM sync_runs
                WHERE outcome = 'ok' AND NOT dry_run
                  AND finished_at > clock_timestamp() - make_interval(secs => CAST(:#uptimeMillis AS bigint) / 1000.0)) AS fresh
