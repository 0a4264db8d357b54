-- Removes the links of this user (:#userId) to warehouses that upstream no longer lists
-- (:#ids, a JSON array of the ids it does list). Warehouse rows and other users' links stay.
WITH listed AS (
    SELECT jsonb_array_elements_text(CAST(:#ids AS jsonb))::bigint AS id
), gone AS (
    DELETE FROM users_warehouses uw
     WHERE uw.user_id = :#userId
       AND NOT EXISTS (SELECT 1 FROM listed l WHERE l.id = uw.warehouse_id)
    RETURNING 1
)
SELECT count(*) AS removed FROM gone
