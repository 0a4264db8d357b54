-- The endpoint accepted the changes up to a seq (the first parameter; the second: how many): the
-- position moves there (never back: a replica that lost the lease mid-batch may finish late),
-- and a refusal recorded for one of them is over. Answers whether an announced incident ended.
WITH accepted AS (
    SELECT CAST(? AS bigint) AS seq, CAST(? AS bigint) AS n
), before AS (
    SELECT incident FROM changes_delivery FOR UPDATE
), moved AS (
    UPDATE changes_delivery d
       SET position = greatest(d.position, a.seq),
           moved_at = now(),
           delivered = d.delivered + a.n,
           rejected_seq = CASE WHEN d.rejected_seq <= a.seq THEN NULL ELSE d.rejected_seq END,
           rejected_reason = CASE WHEN d.rejected_seq <= a.seq THEN NULL ELSE d.rejected_reason END,
           rejected_at = CASE WHEN d.rejected_seq <= a.seq THEN NULL ELSE d.rejected_at END,
           incident = NULL, incident_reason = NULL, incident_at = NULL
      FROM accepted a
    RETURNING d.position
)
SELECT (SELECT incident FROM before) IS NOT NULL AS recovered, (SELECT position FROM moved) AS position
