-- The delivery lease (ChangesLease), shared by every replica on this database: taken now or not at
-- all, and held by the session that took it until it ends or gives it back.
SELECT pg_try_advisory_lock(?) AS held
