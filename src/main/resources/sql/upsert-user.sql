-- Upserts the user from its upstream JSON (:#user), writes what changed to the run's change log
-- (:#runId) and counts it. A row that is already equal is not written, so updated_at moves only
-- on a real change; the old values of an update are read by this statement. The upstream's
-- list of the user's warehouse ids is not kept with the user: its warehouses are its links,
-- logged as the ids added and removed (merge-warehouses.sql, unlink-warehouses.sql), so a change
-- of links neither updates the user nor copies the whole list into the change log.
WITH src AS (
    SELECT (j->>'id')::bigint AS id, j->>'username' AS username, j->>'email' AS email,
           j->>'employee_id' AS employee_id, j->>'first_name' AS first_name, j->>'last_name' AS last_name,
           (j->>'tenant_id')::bigint AS tenant_id, (j->>'active')::boolean AS active, j->>'type' AS type,
           j - 'warehouses' AS raw
      FROM (SELECT CAST(:#user AS jsonb) AS j) given
), changed AS (
    SELECT s.*, u.id IS NULL AS is_new,
           CASE WHEN u.id IS NOT NULL THEN u.raw || jsonb_build_object(
               'username', u.username, 'email', u.email, 'employee_id', u.employee_id,
               'first_name', u.first_name, 'last_name', u.last_name, 'tenant_id', u.tenant_id,
               'active', u.active, 'type', u.type) END AS before
      FROM src s
      LEFT JOIN users u ON u.id = s.id
     WHERE u.id IS NULL
        OR (u.username, u.email, u.employee_id, u.first_name, u.last_name, u.tenant_id, u.active, u.type, u.raw)
           IS DISTINCT FROM
           (s.username, s.email, s.employee_id, s.first_name, s.last_name, s.tenant_id, s.active, s.type, s.raw)
), up AS (
    INSERT INTO users AS u (id, username, email, employee_id, first_name, last_name, tenant_id, active, type, raw)
    SELECT id, username, email, employee_id, first_name, last_name, tenant_id, active, type, raw
      FROM changed
    ON CONFLICT (id) DO UPDATE
       SET username = EXCLUDED.username, email = EXCLUDED.email, employee_id = EXCLUDED.employee_id,
           first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
           tenant_id = EXCLUDED.tenant_id, active = EXCLUDED.active, type = EXCLUDED.type,
           raw = EXCLUDED.raw, updated_at = now()
    RETURNING u.id, (xmax = 0) AS inserted
), n AS (
    SELECT (SELECT count(*) FROM up WHERE inserted) AS inserted,
           (SELECT count(*) FROM changed WHERE NOT is_new) AS updated
), seq AS (
    -- the seqs of what this statement logs (V10): inserted, then updated, each by id; the
    -- counter row is not touched when it logs nothing
    UPDATE sync_feed
       SET last_seq = last_seq + n.inserted + n.updated
      FROM n
     WHERE n.inserted + n.updated > 0 AND CAST(:#changeLog AS boolean)
    RETURNING last_seq - n.inserted - n.updated AS base
), inserted_log AS (
    INSERT INTO sync_change_sets (run_id, entity, change, ids, first_seq)
    SELECT :#runId, 'users', 'inserted', array_agg(id ORDER BY id), (SELECT base FROM seq) + 1
      FROM up
     WHERE inserted
    HAVING count(*) > 0 AND CAST(:#changeLog AS boolean)
    RETURNING 1
), updated_log AS (
    INSERT INTO sync_updates (run_id, entity, id, fields, seq)
    SELECT :#runId, 'users', c.id, soukosync_diff(c.before, c.raw || jsonb_build_object(
               'username', c.username, 'email', c.email, 'employee_id', c.employee_id,
               'first_name', c.first_name, 'last_name', c.last_name, 'tenant_id', c.tenant_id,
               'active', c.active, 'type', c.type)),
           seq.base + n.inserted + row_number() OVER (ORDER BY c.id)
      FROM changed c, seq, n
     WHERE NOT c.is_new AND CAST(:#changeLog AS boolean)
    RETURNING 1
)
SELECT 1                                                                AS total,
       (SELECT count(*) FROM up WHERE inserted)                         AS inserted,
       (SELECT count(*) FROM up WHERE NOT inserted)                     AS updated,
       (SELECT count(*) FROM inserted_log) + (SELECT count(*) FROM updated_log) AS logged
