-- A page of users, by id, after :#after: at most :#limit of them.
SELECT id, body::text AS body FROM api_users WHERE id > :#after ORDER BY id LIMIT :#limit
