-- A page of users, by id, from :#from on (the id after the previous page's last): at most :#limit of them.
SELECT id, body::text AS body FROM api_users WHERE id >= :#from ORDER BY id LIMIT :#limit
