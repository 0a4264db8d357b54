SELECT id, body::text AS body FROM api_warehouses WHERE id = :#id
