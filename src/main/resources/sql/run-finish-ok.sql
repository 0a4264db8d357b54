-- Closes a run as ok with its counts and its receipt. A real run does this inside its store
-- transaction, so the mirror and its history row commit together; a row that is no longer
-- "running" (a repair closed it while the run had lost its lock) is not touched, and the run
-- then rolls back (sync-store checks the answer: how many rows were closed, 1 or 0).
WITH closed AS (
    UPDATE sync_runs
       SET finished_at          = clock_timestamp(),
           outcome              = 'ok',
           user_id              = :#userId,
           users_inserted       = :#usersInserted,
           users_updated        = :#usersUpdated,
           users_unchanged      = :#usersUnchanged,
           warehouses_inserted  = :#warehousesInserted,
           warehouses_updated   = :#warehousesUpdated,
           warehouses_unchanged = :#warehousesUnchanged,
           links_added          = :#linksAdded,
           links_removed        = :#linksRemoved,
           verified_warehouses  = :#verifiedWarehouses,
           verified_links       = :#verifiedLinks
     WHERE id = :#runId
       AND outcome = 'running'
    RETURNING id
)
SELECT count(*) AS closed FROM closed
