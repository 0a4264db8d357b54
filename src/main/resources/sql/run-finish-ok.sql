-- Closes a run as ok with its counts; runs inside the store transaction, so the mirror
-- and its history row commit together.
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
       links_removed        = :#linksRemoved
 WHERE id = :#runId
