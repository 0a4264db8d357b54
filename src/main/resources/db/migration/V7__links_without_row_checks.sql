-- The first sync of 100,000 warehouses links all of them; with foreign keys, PostgreSQL checked
-- (and locked) the user and the warehouse of each new link one by one: 0.55 s of a 1.6 s
-- store (docs/performance.md). The store only ever links warehouses it has just upserted, in the
-- same statement, and its receipt checks the links against the warehouses before it commits, so
-- the check per row goes; what the foreign keys also did, removing the links of a deleted user or
-- warehouse, a trigger per statement does.
ALTER TABLE users_warehouses
    DROP CONSTRAINT users_warehouses_user_id_fkey,
    DROP CONSTRAINT users_warehouses_warehouse_id_fkey;

CREATE FUNCTION soukosync_unlink_deleted_warehouses() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM users_warehouses uw USING gone WHERE uw.warehouse_id = gone.id;
    RETURN NULL;
END $$;

CREATE FUNCTION soukosync_unlink_deleted_users() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM users_warehouses uw USING gone WHERE uw.user_id = gone.id;
    RETURN NULL;
END $$;

CREATE TRIGGER warehouses_unlink AFTER DELETE ON warehouses
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION soukosync_unlink_deleted_warehouses();
CREATE TRIGGER users_unlink AFTER DELETE ON users
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION soukosync_unlink_deleted_users();

-- A run's sets of ids are written once and read rarely: stored as they are, not compressed.
ALTER TABLE sync_change_sets ALTER COLUMN ids SET STORAGE EXTERNAL;
