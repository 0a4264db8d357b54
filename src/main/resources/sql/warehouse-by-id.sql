SELECT * FROM api_warehouses WHERE id = :#id
