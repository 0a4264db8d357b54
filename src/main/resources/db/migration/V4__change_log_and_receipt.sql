-- What every run changed (the change log), and what lets a run prove the mirror whole before it
-- commits (the receipt).

-- One field of a digest: its UTF-8 length and text, or "~" for NULL, so that no two rows give
-- the same text (upstream/WarehouseRecord.java writes exactly this for the upstream's records).
CREATE FUNCTION soukosync_field(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(octet_length(value)::text || ':' || value, '~') || ',' $$;

-- The first 64 bits of the md5 of a text, as a signed bigint.
CREATE FUNCTION soukosync_digest(value text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ('x' || substr(md5(value), 1, 16))::bit(64)::bigint $$;

-- Each warehouse's typed columns as one digest, kept by PostgreSQL on every write, whoever
-- writes: a run sums it over the user's linked warehouses and compares the sum with the one it
-- computed from the upstream answer (sql/verify-receipt.sql).
ALTER TABLE warehouses ADD COLUMN digest bigint GENERATED ALWAYS AS (soukosync_digest(
    soukosync_field(id::text) || soukosync_field(name) || soukosync_field(line1) || soukosync_field(line2)
    || soukosync_field(site) || soukosync_field(city) || soukosync_field(state) || soukosync_field(zip_code)
    || soukosync_field(country) || soukosync_field(fax) || soukosync_field(phone)
    || soukosync_field(tenant_id::text) || soukosync_field(active::text) || soukosync_field(priority::text))) STORED;

-- The fields in which two versions of an object differ: {"name":{"from":…,"to":…},…}.
CREATE FUNCTION soukosync_diff(before jsonb, after jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT coalesce(jsonb_object_agg(k, jsonb_build_object('from', before -> k, 'to', after -> k)), '{}')
          FROM (SELECT jsonb_object_keys(before) UNION SELECT jsonb_object_keys(after)) keys (k)
         WHERE before -> k IS DISTINCT FROM after -> k
    $$;

-- Sets of ids a run inserted, linked or unlinked, one row per entity and change: the first sync
-- of 100,000 warehouses is two rows, not 200,000.
CREATE TABLE sync_change_sets (
    run_id  bigint   NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    entity  text     NOT NULL CHECK (entity IN ('users', 'warehouses', 'links')),
    change  text     NOT NULL CHECK (change IN ('inserted', 'added', 'removed')),
    user_id bigint,  -- links: whose links
    ids     bigint[] NOT NULL,  -- users, warehouses: their ids; links: the warehouse ids
    CHECK ((entity = 'links') = (change IN ('added', 'removed')))
);
CREATE INDEX sync_change_sets_run_idx ON sync_change_sets (run_id);

-- One row per updated user or warehouse, with exactly the fields that changed.
CREATE TABLE sync_updates (
    run_id bigint NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    entity text   NOT NULL CHECK (entity IN ('users', 'warehouses')),
    id     bigint NOT NULL,
    fields jsonb  NOT NULL,
    PRIMARY KEY (run_id, entity, id)
);
CREATE INDEX sync_updates_entity_id_idx ON sync_updates (entity, id);

-- The receipt of an ok run, and whether the brake on mass unlinking was released for it.
ALTER TABLE sync_runs
    ADD COLUMN verified_warehouses integer,
    ADD COLUMN verified_links      integer,
    ADD COLUMN forced              boolean NOT NULL DEFAULT false;

-- What the retention of the change log goes by.
CREATE INDEX sync_runs_started_at_idx ON sync_runs (started_at);
