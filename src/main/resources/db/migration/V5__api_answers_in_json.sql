-- The read-only API answers users and warehouses as PostgreSQL writes them: one JSON text per
-- row (dates in ISO-8601 UTC with milliseconds), read a page at a time, never a whole table.
CREATE FUNCTION soukosync_iso(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

DROP VIEW api_users;
CREATE VIEW api_users AS
SELECT u.id, row_to_json(answer) AS body
  FROM users u,
       LATERAL (SELECT u.id, u.username, u.email, u.employee_id, u.first_name, u.last_name, u.tenant_id,
                       u.active, u.type, soukosync_iso(u.inserted_at) AS inserted_at,
                       soukosync_iso(u.updated_at) AS updated_at,
                       array_to_json(ARRAY(SELECT uw.warehouse_id FROM users_warehouses uw
                                            WHERE uw.user_id = u.id ORDER BY uw.warehouse_id)) AS warehouses) answer;

DROP VIEW api_warehouses;
CREATE VIEW api_warehouses AS
SELECT w.id, row_to_json(answer) AS body
  FROM warehouses w,
       LATERAL (SELECT w.id, w.name, w.line1, w.line2, w.site, w.city, w.state, w.zip_code, w.country,
                       w.fax, w.phone, w.tenant_id, w.active, w.priority,
                       soukosync_iso(w.inserted_at) AS inserted_at, soukosync_iso(w.updated_at) AS updated_at) answer;
