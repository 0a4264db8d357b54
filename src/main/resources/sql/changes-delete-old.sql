-- Deletes the change log of runs that started more than :#keepDays days ago; answers how many
-- runs had one. The runs' rows stay. The highest seq deleted is kept (sync_feed.purged_through):
-- the feed answers 410 to a cursor before it (sql/changes-after.sql).
WITH old AS (
    SELECT id FROM sync_runs WHERE started_at < now() - make_interval(days => CAST(:#keepDays AS integer))
), sets AS (
    DELETE FROM sync_change_sets s USING old WHERE s.run_id = old.id
    RETURNING s.run_id, s.first_seq + cardinality(s.ids) - 1 AS last_seq
), updates AS (
    DELETE FROM sync_updates u USING old WHERE u.run_id = old.id RETURNING u.run_id, u.seq AS last_seq
), purged AS (
    UPDATE sync_feed f
       SET purged_through = deleted.through
      FROM (SELECT max(last_seq) AS through FROM (SELECT last_seq FROM sets UNION ALL SELECT last_seq FROM updates) d) deleted
     WHERE deleted.through > f.purged_through
    RETURNING 1
)
SELECT count(*) AS runs FROM (SELECT run_id FROM sets UNION SELECT run_id FROM updates) cleared
