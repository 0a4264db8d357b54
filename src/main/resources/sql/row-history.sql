-- A page of the changes of one user or warehouse (:#entity, :#id), oldest first: the run that
-- inserted it and those that updated it, with the fields that changed; from the run :#from on
-- (the run after the previous page's last), at most :#limit of them.
SELECT r.id AS run_id,
       CASE WHEN h.change = 'inserted'
            THEN json_build_object('run_id', r.id, 'date', soukosync_iso(r.finished_at), 'change', h.change)
            ELSE json_build_object('run_id', r.id, 'date', soukosync_iso(r.finished_at), 'change', h.change, 'fields',
                     (SELECT json_object_agg(f.key, json_build_object('from', f.value -> 'from', 'to', f.value -> 'to'))
                        FROM jsonb_each(h.fields) f))
       END::text AS item
  FROM (SELECT s.run_id, 'inserted' AS change, NULL::jsonb AS fields
          FROM sync_change_sets s
         WHERE s.entity = :#entity AND s.change = 'inserted' AND s.ids @> ARRAY[CAST(:#id AS bigint)]
           AND s.run_id >= :#from
        UNION ALL
        SELECT u.run_id, 'updated', u.fields
          FROM sync_updates u
         WHERE u.entity = :#entity AND u.id = :#id AND u.run_id >= :#from) h
  JOIN sync_runs r ON r.id = h.run_id
 ORDER BY r.id
 LIMIT :#limit
