SELECT * FROM sync_runs WHERE id = :#runId
