-- Removes the links of this user (:#userId) to warehouses that the upstream no longer lists,
-- writes them to the run's change log (:#runId), and counts them, and the user's links as this
-- statement found them (the ones it removes, and the ones this run added, included). Warehouse
-- rows and other users' links stay.
WITH gone AS (
    DELETE FROM users_warehouses uw
     WHERE uw.user_id = :#userId
       AND NOT EXISTS (SELECT 1 FROM incoming_warehouses s WHERE s.id = uw.warehouse_id)
    RETURNING uw.warehouse_id
), seq AS (
    -- the seqs of what this statement logs (V10), by warehouse id; the counter row is not
    -- touched when it logs nothing
    UPDATE sync_feed
       SET last_seq = last_seq + (SELECT count(*) FROM gone)
     WHERE EXISTS (SELECT 1 FROM gone) AND CAST(:#changeLog AS boolean)
    RETURNING last_seq - (SELECT count(*) FROM gone) AS base
), removed_log AS (
    INSERT INTO sync_change_sets (run_id, entity, change, user_id, ids, first_seq)
    SELECT :#runId, 'links', 'removed', :#userId, array_agg(warehouse_id ORDER BY warehouse_id),
           (SELECT base FROM seq) + 1
      FROM gone
    HAVING count(*) > 0 AND CAST(:#changeLog AS boolean)
    RETURNING 1
)
SELECT (SELECT count(*) FROM gone)                                          AS removed,
       (SELECT count(*) FROM users_warehouses WHERE user_id = :#userId)     AS linked,
       (SELECT count(*) FROM removed_log)                                   AS logged
