-- PATCH /api/syncall?dry_run=true computes a run's counts in a transaction that is rolled back.
ALTER TABLE sync_runs ADD COLUMN dry_run boolean NOT NULL DEFAULT false;
