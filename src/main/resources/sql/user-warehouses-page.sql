-- A page of the ids of the warehouses linked to the user :#id, ascending, from :#from on (the id
-- after the previous page's last): at most :#limit of them, read from the links' primary key.
SELECT warehouse_id AS id, warehouse_id::text AS body
  FROM users_warehouses
 WHERE user_id = :#id AND warehouse_id >= :#from
 ORDER BY warehouse_id
 LIMIT :#limit
