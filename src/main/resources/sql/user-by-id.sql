SELECT id, body::text AS body FROM api_users WHERE id = :#id
