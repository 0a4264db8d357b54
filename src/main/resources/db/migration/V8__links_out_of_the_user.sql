-- A user's warehouses are its links (users_warehouses), and a run logs a change of them as the
-- ids it added and removed (sync_change_sets). The upstream's user record also lists those ids;
-- kept in users.raw, that list made every change of a link an update of the user too, logged
-- with the whole list before and after (14 MB a change with a million warehouses). From now on
-- the list is not part of the user's record (sql/upsert-user.sql); here the rows stored before
-- lose it, and a user's answer holds its first 1,000 warehouse ids, not all of them.

-- A run whose only change to a user was that list did not update the user, as runs count now:
-- its counts say so, as its change log will.
UPDATE sync_runs r
   SET users_updated   = r.users_updated - only_links.n,
       users_unchanged = r.users_unchanged + only_links.n
  FROM (SELECT run_id, count(*)::integer AS n
          FROM sync_updates
         WHERE entity = 'users' AND fields -> 'warehouses' IS NOT NULL AND fields - 'warehouses' = '{}'::jsonb
         GROUP BY run_id) only_links
 WHERE r.id = only_links.run_id;

DELETE FROM sync_updates
 WHERE entity = 'users' AND fields -> 'warehouses' IS NOT NULL AND fields - 'warehouses' = '{}'::jsonb;

UPDATE sync_updates
   SET fields = fields - 'warehouses'
 WHERE entity = 'users' AND fields -> 'warehouses' IS NOT NULL;

UPDATE users
   SET raw = raw - 'warehouses'
 WHERE raw -> 'warehouses' IS NOT NULL;

-- A user as the API answers it: its first 1,000 warehouse ids (ApiRequests.MAX_PAGE, a page of
-- GET /api/users/{id}/warehouses), how many there are, and the URL of the page after those
-- (null when there is none), so that no answer grows with the number of links.
CREATE OR REPLACE VIEW api_users AS
SELECT u.id, row_to_json(answer) AS body
  FROM users u,
       LATERAL (SELECT ARRAY(SELECT uw.warehouse_id FROM users_warehouses uw
                              WHERE uw.user_id = u.id ORDER BY uw.warehouse_id LIMIT 1000) AS ids,
                       (SELECT count(*) FROM users_warehouses uw WHERE uw.user_id = u.id) AS n) linked,
       LATERAL (SELECT u.id, u.username, u.email, u.employee_id, u.first_name, u.last_name, u.tenant_id,
                       u.active, u.type, soukosync_iso(u.inserted_at) AS inserted_at,
                       soukosync_iso(u.updated_at) AS updated_at,
                       array_to_json(linked.ids) AS warehouses,
                       linked.n AS warehouse_count,
                       CASE WHEN linked.n > 1000
                            THEN '/api/users/' || u.id || '/warehouses?limit=1000&after=' || linked.ids[1000]
                       END AS warehouses_next) answer;
