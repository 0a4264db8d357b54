-- Where delivery stands (changes_delivery, V11) and the feed's ends (sync_feed, V10): the newest
-- committed seq, the highest seq retention deleted, and when the run of the oldest change not yet
-- delivered ended (the lag in seconds). Reads a few index entries, however long the log.
SELECT d.position, d.moved_at, d.delivered, d.rejected_seq, d.rejected_reason, d.rejected_at,
       d.incident, d.incident_reason, f.last_seq, f.purged_through,
       (SELECT r.finished_at
          FROM ((SELECT s.run_id, d.position + 1 AS seq FROM sync_change_sets s
                  WHERE s.first_seq <= d.position + 1 AND s.first_seq + cardinality(s.ids) > d.position + 1
                  ORDER BY s.first_seq DESC LIMIT 1)
                UNION ALL
                (SELECT s.run_id, s.first_seq FROM sync_change_sets s
                  WHERE s.first_seq > d.position ORDER BY s.first_seq LIMIT 1)
                UNION ALL
                (SELECT u.run_id, u.seq FROM sync_updates u
                  WHERE u.seq > d.position ORDER BY u.seq LIMIT 1)) waiting
          JOIN sync_runs r ON r.id = waiting.run_id
         ORDER BY waiting.seq LIMIT 1) AS oldest_waiting_at
  FROM changes_delivery d, sync_feed f
