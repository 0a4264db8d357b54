-- A page of warehouses, by id, after :#after: at most :#limit of them.
SELECT id, body::text AS body FROM api_warehouses WHERE id > :#after ORDER BY id LIMIT :#limit
