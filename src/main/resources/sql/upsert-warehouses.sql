-- Upserts one batch of warehouses (:#batch, a JSON array of upstream objects), links them
-- to the user (:#userId), and counts what changed. Unchanged rows are not written.
WITH src AS (
    SELECT DISTINCT ON ((e->>'id')::bigint) e AS j
    FROM jsonb_array_elements(CAST(:#batch AS jsonb)) AS e
), up AS (
    INSERT INTO warehouses AS w (id, name, line1, line2, site, city, state, zip_code, country,
                                 fax, phone, tenant_id, active, priority, raw)
    SELECT (j->>'id')::bigint, j->>'name', j->>'line1', j->>'line2', j->>'site', j->>'city',
           j->>'state', j->>'zip_code', j->>'country', j->>'fax', j->>'phone',
           (j->>'tenant_id')::bigint, (j->>'active')::boolean, (j->>'priority')::integer, j
    FROM src
    ON CONFLICT (id) DO UPDATE
       SET name = EXCLUDED.name, line1 = EXCLUDED.line1, line2 = EXCLUDED.line2,
           site = EXCLUDED.site, city = EXCLUDED.city, state = EXCLUDED.state,
           zip_code = EXCLUDED.zip_code, country = EXCLUDED.country, fax = EXCLUDED.fax,
           phone = EXCLUDED.phone, tenant_id = EXCLUDED.tenant_id, active = EXCLUDED.active,
           priority = EXCLUDED.priority, raw = EXCLUDED.raw, updated_at = now()
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
    SELECT :#userId, (j->>'id')::bigint FROM src
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM src)                    AS total,
       (SELECT count(*) FROM up WHERE inserted)      AS inserted,
       (SELECT count(*) FROM up WHERE NOT inserted)  AS updated,
       (SELECT count(*) FROM linked)                 AS links_added
