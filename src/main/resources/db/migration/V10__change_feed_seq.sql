-- The change feed (GET /api/changes, and the push to CHANGES_ENDPOINT): every logged change of a
-- committed run gets a number, its seq, that grows in commit order.
--
-- Runs never overlap (SyncGate, and the advisory lock RunLock across replicas), and a run's
-- changes commit together. Each store statement that logs changes reserves its numbers from the
-- one row of sync_feed, in the store's transaction: the row stays locked until that transaction
-- ends, so numbers are taken in commit order, and a dry run or a failed run rolls its
-- reservation back with everything else: a reader never sees a gap. A statement that logs
-- nothing does not touch the row (an unchanged re-sync writes nothing more than before).
--
-- Within one run the order is: users (inserted, then updated), warehouses (inserted, then
-- updated), links (added, then removed); within each, by id. A consumer applying the changes in
-- seq order never sees a link before its warehouse.
CREATE TABLE sync_feed (
    one            boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_seq       bigint  NOT NULL,  -- the newest seq reserved (committed, as a reader sees it)
    purged_through bigint  NOT NULL   -- the highest seq that retention deleted (0: none)
);

-- A set of ids holds them sorted, item k (1-based) having seq first_seq + k - 1: a page of the
-- feed slices the array by index, never unnesting what comes before it.
ALTER TABLE sync_change_sets ADD COLUMN first_seq bigint;
ALTER TABLE sync_updates ADD COLUMN seq bigint;

-- (No set was ever logged empty; were one, it would hold no number.)
DELETE FROM sync_change_sets WHERE cardinality(ids) = 0;

-- What was logged before: its runs in id order (the order they committed in), each in the order
-- above. A change set is a block of as many numbers as it has ids, an update a block of one.
CREATE TEMPORARY TABLE feed_blocks ON COMMIT DROP AS
SELECT kind, tid, run_id, entity, id,
       sum(size) OVER (ORDER BY run_id, section, user_id, id, tid ROWS UNBOUNDED PRECEDING) - size + 1 AS first_seq
  FROM (SELECT 'set' AS kind, s.ctid AS tid, s.run_id, s.entity, NULL::bigint AS id, s.user_id,
               CASE s.entity WHEN 'users' THEN 1 WHEN 'warehouses' THEN 3
                             ELSE CASE s.change WHEN 'added' THEN 5 ELSE 6 END END AS section,
               cardinality(s.ids)::bigint AS size
          FROM sync_change_sets s
        UNION ALL
        SELECT 'update', u.ctid, u.run_id, u.entity, u.id, NULL,
               CASE u.entity WHEN 'users' THEN 2 ELSE 4 END, 1
          FROM sync_updates u) blocks;

UPDATE sync_change_sets s
   SET ids = ARRAY(SELECT i FROM unnest(s.ids) AS i ORDER BY i),
       first_seq = b.first_seq
  FROM feed_blocks b
 WHERE b.kind = 'set' AND s.ctid = b.tid;

UPDATE sync_updates u
   SET seq = b.first_seq
  FROM feed_blocks b
 WHERE b.kind = 'update' AND u.run_id = b.run_id AND u.entity = b.entity AND u.id = b.id;

INSERT INTO sync_feed (last_seq, purged_through)
SELECT coalesce(max(first_seq + size - 1), 0), 0
  FROM (SELECT first_seq, cardinality(ids)::bigint AS size FROM sync_change_sets
        UNION ALL
        SELECT seq, 1 FROM sync_updates) numbered;

ALTER TABLE sync_change_sets ALTER COLUMN first_seq SET NOT NULL;
ALTER TABLE sync_updates ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX sync_change_sets_first_seq_idx ON sync_change_sets (first_seq);
CREATE UNIQUE INDEX sync_updates_seq_idx ON sync_updates (seq);
