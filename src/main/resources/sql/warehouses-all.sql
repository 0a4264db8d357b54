SELECT * FROM api_warehouses ORDER BY id
