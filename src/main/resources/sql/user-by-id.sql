SELECT * FROM api_users WHERE id = :#id
