-- The newest :#count finished runs, oldest first.
SELECT *
  FROM (SELECT * FROM sync_runs WHERE outcome <> 'running' ORDER BY id DESC LIMIT :#count) newest
 ORDER BY id
