-- The change feed: the changes with a seq greater than :#after, in seq order (the order their
-- runs committed in; V10 says how seqs are numbered), at most :#limit of them. Read by
-- GET /api/changes (sync-api.camel.yaml) and by the push to CHANGES_ENDPOINT.
--
-- One row per change:
--   seq      bigint  the change's number, growing in commit order, with no gap among those kept
--   run_id   bigint  the run that made it
--   entity   text    users, warehouses, links
--   id       bigint  the row's id (for links: the warehouse's id)
--   user_id  bigint  links: whose link; NULL otherwise
--   change   text    inserted, updated (users, warehouses); added, removed (links)
--   item     text    the change as JSON, as the feed answers it: {"seq","run_id","date" (the
--                    run's finished_at, ISO-8601 UTC),"entity","id" (links: "user_id",
--                    "warehouse_id"),"change"}, plus "fields": for an update, the fields that
--                    changed as GET /api/runs/{id}/changes has them ({"name":{"from","to"}}); for
--                    an insert, every field of the row as it was inserted ({"name":…}: the row as
--                    the mirror has it now, each field taken back to the "from" of the earliest
--                    later update that changed it; complete while SYNC_CHANGE_LOG is on)
--
-- Nothing is answered for a cursor older than what retention kept (:#after below
-- sync_feed.purged_through): the caller tells that from an empty answer and sync_feed (410 in the
-- API). The items of a set of ids are sliced from its sorted array by index (first_seq), so a
-- page deep in a set of 100,000 reads only its own part of it.
WITH feed AS (
    SELECT purged_through FROM sync_feed WHERE purged_through <= CAST(:#after AS bigint)
), sets AS (
    -- the set holding the first change after the cursor, and the sets after it
    (SELECT s.* FROM sync_change_sets s
      WHERE s.first_seq <= CAST(:#after AS bigint) + 1
      ORDER BY s.first_seq DESC
      LIMIT 1)
    UNION ALL
    (SELECT s.* FROM sync_change_sets s
      WHERE s.first_seq > CAST(:#after AS bigint) + 1
      ORDER BY s.first_seq
      LIMIT :#limit)
), set_items AS (
    SELECT s.first_seq + b.lo + x.o - 2 AS seq, s.run_id, s.entity, x.id, s.user_id, s.change, NULL::jsonb AS fields
      FROM sets s
     CROSS JOIN LATERAL (SELECT greatest(1, CAST(:#after AS bigint) - s.first_seq + 2) AS lo,
                                least(cardinality(s.ids), CAST(:#after AS bigint) + :#limit - s.first_seq + 1) AS hi) b
     CROSS JOIN LATERAL unnest(s.ids[b.lo:b.hi]) WITH ORDINALITY AS x (id, o)
     WHERE b.lo <= b.hi
), update_items AS (
    SELECT u.seq, u.run_id, u.entity, u.id, NULL::bigint AS user_id, 'updated' AS change, u.fields
      FROM sync_updates u
     WHERE u.seq > CAST(:#after AS bigint)
     ORDER BY u.seq
     LIMIT :#limit
), page AS (
    SELECT * FROM (SELECT * FROM set_items UNION ALL SELECT * FROM update_items) items
     WHERE EXISTS (SELECT 1 FROM feed)
     ORDER BY seq
     LIMIT :#limit
)
SELECT p.seq, p.run_id, p.entity, p.id, p.user_id, p.change,
       CASE WHEN p.entity = 'links'
            THEN json_build_object('seq', p.seq, 'run_id', p.run_id, 'date', soukosync_iso(r.finished_at),
                     'entity', p.entity, 'user_id', p.user_id, 'warehouse_id', p.id, 'change', p.change)
            WHEN p.change = 'updated'
            THEN json_build_object('seq', p.seq, 'run_id', p.run_id, 'date', soukosync_iso(r.finished_at),
                     'entity', p.entity, 'id', p.id, 'change', p.change, 'fields',
                     (SELECT json_object_agg(f.key, json_build_object('from', f.value -> 'from', 'to', f.value -> 'to'))
                        FROM jsonb_each(p.fields) f))
            ELSE json_build_object('seq', p.seq, 'run_id', p.run_id, 'date', soukosync_iso(r.finished_at),
                     'entity', p.entity, 'id', p.id, 'change', p.change, 'fields',
                     coalesce(now_row.fields, '{}'::jsonb) || coalesce(taken_back.fields, '{}'::jsonb))
       END::text AS item
  FROM page p
  JOIN sync_runs r ON r.id = p.run_id
  -- an inserted row as the mirror has it now, named as the updates name its fields
  LEFT JOIN LATERAL (
      SELECT w.raw || jsonb_build_object(
                 'name', w.name, 'line1', w.line1, 'line2', w.line2, 'site', w.site, 'city', w.city,
                 'state', w.state, 'zip_code', w.zip_code, 'country', w.country, 'fax', w.fax,
                 'phone', w.phone, 'tenant_id', w.tenant_id, 'active', w.active, 'priority', w.priority) AS fields
        FROM warehouses w
       WHERE p.change = 'inserted' AND p.entity = 'warehouses' AND w.id = p.id
      UNION ALL
      SELECT u.raw || jsonb_build_object(
                 'username', u.username, 'email', u.email, 'employee_id', u.employee_id,
                 'first_name', u.first_name, 'last_name', u.last_name, 'tenant_id', u.tenant_id,
                 'active', u.active, 'type', u.type)
        FROM users u
       WHERE p.change = 'inserted' AND p.entity = 'users' AND u.id = p.id
  ) now_row ON true
  -- each field a later update changed, back to what it was before the earliest of them
  LEFT JOIN LATERAL (
      SELECT jsonb_object_agg(first.key, first.was) AS fields
        FROM (SELECT DISTINCT ON (f.key) f.key, f.value -> 'from' AS was
                FROM sync_updates later
               CROSS JOIN LATERAL jsonb_each(later.fields) f
               WHERE p.change = 'inserted' AND later.entity = p.entity AND later.id = p.id AND later.seq > p.seq
               ORDER BY f.key, later.seq) first
  ) taken_back ON true
 ORDER BY p.seq
