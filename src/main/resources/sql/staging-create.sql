-- The warehouses of the upstream answer, as the store copies them in (SyncStore.copyWarehouses),
-- for the statements of this transaction; gone at its end. Temporary tables are not WAL-logged.
CREATE TEMP TABLE incoming_warehouses (
    id        bigint NOT NULL,
    name      text   NOT NULL,
    line1     text   NOT NULL,
    line2     text,
    site      text,
    city      text,
    state     text,
    zip_code  text,
    country   text,
    fax       text,
    phone     text,
    tenant_id bigint,
    active    boolean,
    priority  integer,
    raw       jsonb  NOT NULL,
    digest    bigint NOT NULL   -- the digest of the typed columns, as warehouses.digest computes it
) ON COMMIT DROP
