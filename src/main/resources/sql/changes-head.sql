-- The ends of the change feed (V10): the newest seq committed (last_seq) and the highest seq that
-- retention deleted (purged_through); the feed holds the changes between them. One row, read
-- without a lock: a run's reservation is seen only once its run has committed.
SELECT last_seq, purged_through FROM sync_feed
