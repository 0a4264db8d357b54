-- Upserts the upstream's warehouses (incoming_warehouses), links them to the user (:#userId),
-- writes what changed to the run's change log (:#runId) and counts. Rows equal to the mirror
-- (same digest of the typed columns, same JSON) are filtered out first: neither written nor
-- locked. The store is the only writer while it runs (store-lock.sql), so a row this statement
-- does not find is a plain insert and a link it does not find a plain insert too: no ON CONFLICT,
-- whose speculative insertion costs every row (issue 23). Every part of the statement reads the
-- snapshot it started with: updated_log reads an updated row's old values although "updated"
-- has written the new ones.
WITH changed AS (
    SELECT s.*, w.id IS NULL AS is_new
      FROM incoming_warehouses s
      LEFT JOIN warehouses w ON w.id = s.id
     WHERE w.id IS NULL OR w.digest <> s.digest OR w.raw <> s.raw
), inserted AS (
    INSERT INTO warehouses (id, name, line1, line2, site, city, state, zip_code, country, fax, phone,
                            tenant_id, active, priority, raw)
    SELECT id, name, line1, line2, site, city, state, zip_code, country, fax, phone, tenant_id, active,
           priority, raw
      FROM changed
     WHERE is_new
    RETURNING id
), updated AS (
    UPDATE warehouses AS w
       SET name = c.name, line1 = c.line1, line2 = c.line2, site = c.site, city = c.city, state = c.state,
           zip_code = c.zip_code, country = c.country, fax = c.fax, phone = c.phone, tenant_id = c.tenant_id,
           active = c.active, priority = c.priority, raw = c.raw, updated_at = now()
      FROM changed c
     WHERE NOT c.is_new AND w.id = c.id
    RETURNING w.id
), linked AS (
    -- every warehouse linked here was upserted above (V7 says why there is no foreign key); the
    -- links that exist are found by one hash anti-join, neither written nor logged
    INSERT INTO users_warehouses (user_id, warehouse_id)
    SELECT :#userId, s.id
      FROM incoming_warehouses s
     WHERE NOT EXISTS (SELECT 1 FROM users_warehouses uw WHERE uw.user_id = :#userId AND uw.warehouse_id = s.id)
    RETURNING warehouse_id
), n AS (
    SELECT (SELECT count(*) FROM inserted) AS inserted,
           (SELECT count(*) FROM changed WHERE NOT is_new) AS updated,
           (SELECT count(*) FROM linked) AS added
), seq AS (
    -- the seqs of what this statement logs (V10): warehouses inserted, updated, then links
    -- added, each by id; the counter row is not touched when it logs nothing
    UPDATE sync_feed
       SET last_seq = last_seq + n.inserted + n.updated + n.added
      FROM n
     WHERE n.inserted + n.updated + n.added > 0 AND CAST(:#changeLog AS boolean)
    RETURNING last_seq - n.inserted - n.updated - n.added AS base
), inserted_log AS (
    -- one row for all the ids a run inserted, sorted
    INSERT INTO sync_change_sets (run_id, entity, change, ids, first_seq)
    SELECT :#runId, 'warehouses', 'inserted', array_agg(id ORDER BY id), (SELECT base FROM seq) + 1
      FROM inserted
    HAVING count(*) > 0 AND CAST(:#changeLog AS boolean)
    RETURNING 1
), updated_log AS (
    -- the old values, read in the snapshot this statement started with (before "updated" above)
    INSERT INTO sync_updates (run_id, entity, id, fields, seq)
    SELECT :#runId, 'warehouses', c.id, soukosync_diff(w.raw || jsonb_build_object(
               'name', w.name, 'line1', w.line1, 'line2', w.line2, 'site', w.site, 'city', w.city,
               'state', w.state, 'zip_code', w.zip_code, 'country', w.country, 'fax', w.fax,
               'phone', w.phone, 'tenant_id', w.tenant_id, 'active', w.active, 'priority', w.priority),
           c.raw || jsonb_build_object(
               'name', c.name, 'line1', c.line1, 'line2', c.line2, 'site', c.site, 'city', c.city,
               'state', c.state, 'zip_code', c.zip_code, 'country', c.country, 'fax', c.fax,
               'phone', c.phone, 'tenant_id', c.tenant_id, 'active', c.active, 'priority', c.priority)),
           seq.base + n.inserted + row_number() OVER (ORDER BY c.id)
      FROM changed c
      JOIN warehouses w ON w.id = c.id, seq, n
     WHERE NOT c.is_new AND CAST(:#changeLog AS boolean)
    RETURNING 1
), added_log AS (
    INSERT INTO sync_change_sets (run_id, entity, change, user_id, ids, first_seq)
    SELECT :#runId, 'links', 'added', :#userId, array_agg(warehouse_id ORDER BY warehouse_id),
           (SELECT base + inserted + updated FROM seq, n) + 1
      FROM linked
    HAVING count(*) > 0 AND CAST(:#changeLog AS boolean)
    RETURNING 1
)
SELECT (SELECT count(*) FROM incoming_warehouses)     AS total,
       (SELECT count(*) FROM inserted)                AS inserted,
       (SELECT count(*) FROM updated)                 AS updated,
       (SELECT count(*) FROM linked)                  AS links_added,
       (SELECT count(*) FROM inserted_log) + (SELECT count(*) FROM updated_log)
           + (SELECT count(*) FROM added_log)         AS logged
