-- The mirror's side of the receipt: what the user (:#userId) is now linked to, as the run's
-- own transaction sees it: how many warehouses, and the sum of their digests (the typed
-- columns, as PostgreSQL stored them). WarehouseReader computed the same from the upstream.
SELECT count(*)                    AS links,
       coalesce(sum(w.digest), 0)  AS digest_sum
  FROM users_warehouses uw
  JOIN warehouses w ON w.id = uw.warehouse_id
 WHERE uw.user_id = :#userId
