SELECT * FROM api_users ORDER BY id
