-- What a run (:#runId) changed, one item per row, in a stable order (users, then warehouses,
-- then links, each by id) after the cursor (:#afterSection, :#afterId), :#limit of them.
WITH items AS (
    SELECT CASE s.entity WHEN 'users' THEN 1 WHEN 'warehouses' THEN 2 ELSE 3 END AS section,
           s.entity, s.change, s.user_id, i.id, NULL::jsonb AS fields
      FROM sync_change_sets s, unnest(s.ids) AS i (id)
     WHERE s.run_id = :#runId
    UNION ALL
    SELECT CASE u.entity WHEN 'users' THEN 1 ELSE 2 END, u.entity, 'updated', NULL, u.id, u.fields
      FROM sync_updates u
     WHERE u.run_id = :#runId
)
SELECT section, id,
       CASE WHEN entity = 'links'
            THEN json_build_object('entity', entity, 'user_id', user_id, 'warehouse_id', id, 'change', change)
            WHEN change = 'updated'
            THEN json_build_object('entity', entity, 'id', id, 'change', change, 'fields',
                     (SELECT json_object_agg(f.key, json_build_object('from', f.value -> 'from', 'to', f.value -> 'to'))
                        FROM jsonb_each(fields) f))
            ELSE json_build_object('entity', entity, 'id', id, 'change', change)
       END::text AS item
  FROM items
 WHERE (section, id) > (CAST(:#afterSection AS integer), CAST(:#afterId AS bigint))
 ORDER BY section, id
 LIMIT :#limit
