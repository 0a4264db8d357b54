-- The mirror of the Pulpo user and that user's warehouses, and the history of sync runs.
-- Typed columns hold what is queried; "raw" keeps the whole upstream object, unknown fields included.

CREATE TABLE users (
    id           bigint      PRIMARY KEY,              -- the upstream id
    username     text        NOT NULL,
    email        text        NOT NULL,
    employee_id  text        NOT NULL,
    first_name   text        NOT NULL,
    last_name    text        NOT NULL,
    tenant_id    bigint,
    active       boolean,
    type         text,
    raw          jsonb       NOT NULL,
    inserted_at  timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE warehouses (
    id           bigint      PRIMARY KEY,              -- the upstream id
    name         text        NOT NULL,
    line1        text        NOT NULL,
    line2        text,
    site         text,
    city         text,
    state        text,
    zip_code     text,
    country      text,
    fax          text,
    phone        text,
    tenant_id    bigint,
    active       boolean,
    priority     integer,
    raw          jsonb       NOT NULL,
    inserted_at  timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users_warehouses (
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    warehouse_id bigint      NOT NULL REFERENCES warehouses (id) ON DELETE CASCADE,
    inserted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, warehouse_id)
);
CREATE INDEX users_warehouses_warehouse_id_idx ON users_warehouses (warehouse_id);

CREATE TABLE sync_runs (
    id                   bigserial   PRIMARY KEY,
    trigger              text        NOT NULL CHECK (trigger IN ('schedule', 'call', 'cast')),
    started_at           timestamptz NOT NULL,
    finished_at          timestamptz,
    outcome              text        NOT NULL CHECK (outcome IN ('running', 'ok', 'error')),
    user_id              bigint,
    users_inserted       integer     NOT NULL DEFAULT 0,
    users_updated        integer     NOT NULL DEFAULT 0,
    users_unchanged      integer     NOT NULL DEFAULT 0,
    warehouses_inserted  integer     NOT NULL DEFAULT 0,
    warehouses_updated   integer     NOT NULL DEFAULT 0,
    warehouses_unchanged integer     NOT NULL DEFAULT 0,
    links_added          integer     NOT NULL DEFAULT 0,
    links_removed        integer     NOT NULL DEFAULT 0,
    error_reason         text,
    error_stage          text,
    error_message        text,
    CHECK ((outcome = 'running') = (finished_at IS NULL))
);

-- What the read-only API serves: the typed columns, and a user's warehouse ids.
CREATE VIEW api_users AS
SELECT u.id, u.username, u.email, u.employee_id, u.first_name, u.last_name, u.tenant_id,
       u.active, u.type, u.inserted_at, u.updated_at,
       ARRAY(SELECT uw.warehouse_id FROM users_warehouses uw
              WHERE uw.user_id = u.id ORDER BY uw.warehouse_id) AS warehouses
  FROM users u;

CREATE VIEW api_warehouses AS
SELECT w.id, w.name, w.line1, w.line2, w.site, w.city, w.state, w.zip_code, w.country, w.fax,
       w.phone, w.tenant_id, w.active, w.priority, w.inserted_at, w.updated_at
  FROM warehouses w;
