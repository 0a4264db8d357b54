-- What the brake on mass unlinking measures a run against, besides the user's links now
-- (UnlinkBrake): the most links the user (:#userId) had at the end of an ok run within the last
-- :#unlinkWindowHours hours, counting no run before the user's latest forced one: a forced run
-- confirms its count, and later runs are measured from it. Dry runs wrote nothing and do not count;
-- 0 when no run counts (never NULL: for a NULL camel-sql answers nothing, and the variable that
-- sync-store reads would keep the statement's parameters).
SELECT coalesce(max(r.verified_links), 0) AS lately
  FROM sync_runs r
 WHERE r.user_id = :#userId
   AND r.outcome = 'ok' AND NOT r.dry_run
   AND r.finished_at >= now() - make_interval(hours => CAST(:#unlinkWindowHours AS integer))
   AND r.id >= coalesce((SELECT max(f.id)
                           FROM sync_runs f
                          WHERE f.user_id = :#userId
                            AND f.outcome = 'ok' AND NOT f.dry_run AND f.forced), 0)
