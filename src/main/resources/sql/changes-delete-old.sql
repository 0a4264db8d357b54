-- Deletes the change log of runs that started more than :#keepDays days ago; answers how many
-- runs had one. The runs' rows stay.
WITH old AS (
    SELECT id FROM sync_runs WHERE started_at < now() - make_interval(days => CAST(:#keepDays AS integer))
), sets AS (
    DELETE FROM sync_change_sets s USING old WHERE s.run_id = old.id RETURNING s.run_id
), updates AS (
    DELETE FROM sync_updates u USING old WHERE u.run_id = old.id RETURNING u.run_id
)
SELECT count(*) AS runs FROM (SELECT run_id FROM sets UNION SELECT run_id FROM updates) cleared
