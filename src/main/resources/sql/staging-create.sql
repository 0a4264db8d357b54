-- The warehouses of the upstream answer, as the store copies them in (SyncStore.copyWarehouses),
-- for the statements of this transaction; gone at its end. Temporary tables are not WAL-logged.
-- For this transaction only, the statements after it (the duplicate check, the merge, the unlink,
-- the receipt) join the whole answer with the user's rows: hash joins in memory, never a nested
-- loop. 64 MB lets 100,000 warehouses hash in memory, where the default 4 MB spilled to disk; and
-- a nested loop, which the planner picks when its statistics say a table is empty (a first sync,
-- a table just emptied), would scan again, for each warehouse of the answer, the very table the
-- merge is filling: minutes instead of a second (issue 23).
SET LOCAL work_mem = '64MB';
SET LOCAL enable_nestloop = off;
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
