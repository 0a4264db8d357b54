-- Upserts one batch of warehouses (:#batch, a JSON array of upstream objects), links them
-- to the user (:#userId), and counts what changed. Rows equal to the upstream are filtered
-- out before the insert, so they are neither written nor locked.
WITH src AS (
    SELECT DISTINCT ON (id) *
      FROM (SELECT (e->>'id')::bigint AS id, e->>'name' AS name, e->>'line1' AS line1,
                   e->>'line2' AS line2, e->>'site' AS site, e->>'city' AS city,
                   e->>'state' AS state, e->>'zip_code' AS zip_code, e->>'country' AS country,
                   e->>'fax' AS fax, e->>'phone' AS phone, (e->>'tenant_id')::bigint AS tenant_id,
                   (e->>'active')::boolean AS active, (e->>'priority')::integer AS priority, e AS raw
              FROM jsonb_array_elements(CAST(:#batch AS jsonb)) AS e) parsed
), changed AS (
    SELECT s.*
      FROM src s
      LEFT JOIN warehouses w ON w.id = s.id
     WHERE w.id IS NULL
        OR (w.name, w.line1, w.line2, w.site, w.city, w.state, w.zip_code, w.country, w.fax,
            w.phone, w.tenant_id, w.active, w.priority, w.raw)
           IS DISTINCT FROM
           (s.name, s.line1, s.line2, s.site, s.city, s.state, s.zip_code, s.country, s.fax,
            s.phone, s.tenant_id, s.active, s.priority, s.raw)
), up AS (
    INSERT INTO warehouses AS w (id, name, line1, line2, site, city, state, zip_code, country,
                                 fax, phone, tenant_id, active, priority, raw)
    SELECT id, name, line1, line2, site, city, state, zip_code, country, fax, phone, tenant_id,
           active, priority, raw
      FROM changed
    ON CONFLICT (id) DO UPDATE
       SET name = EXCLUDED.name, line1 = EXCLUDED.line1, line2 = EXCLUDED.line2,
           site = EXCLUDED.site, city = EXCLUDED.city, state = EXCLUDED.state,
           zip_code = EXCLUDED.zip_code, country = EXCLUDED.country, fax = EXCLUDED.fax,
           phone = EXCLUDED.phone, tenant_id = EXCLUDED.tenant_id, active = EXCLUDED.active,
           priority = EXCLUDED.priority, raw = EXCLUDED.raw, updated_at = now()
     -- a row that became equal since the filter above is still left alone
     WHERE (w.name, w.line1, w.line2, w.site, w.city, w.state, w.zip_code, w.country,
            w.fax, w.phone, w.tenant_id, w.active, w.priority, w.raw)
           IS DISTINCT FROM
           (EXCLUDED.name, EXCLUDED.line1, EXCLUDED.line2, EXCLUDED.site, EXCLUDED.city,
            EXCLUDED.state, EXCLUDED.zip_code, EXCLUDED.country, EXCLUDED.fax, EXCLUDED.phone,
            EXCLUDED.tenant_id, EXCLUDED.active, EXCLUDED.priority, EXCLUDED.raw)
    RETURNING (xmax = 0) AS inserted
), linked AS (
    -- the foreign key is checked at the end of the statement, after the upsert above
    INSERT INTO users_warehouses (user_id, warehouse_id)
    SELECT :#userId, s.id
      FROM src s
     WHERE NOT EXISTS (SELECT 1 FROM users_warehouses uw
                        WHERE uw.user_id = :#userId AND uw.warehouse_id = s.id)
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM src)                    AS total,
       (SELECT count(*) FROM up WHERE inserted)      AS inserted,
       (SELECT count(*) FROM up WHERE NOT inserted)  AS updated,
       (SELECT count(*) FROM linked)                 AS links_added
