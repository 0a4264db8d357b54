-- Where the alerts stand, shared by the replicas: one incident at a time (a run of failures, or
-- a stale mirror), so that an incident is announced once, not once per failed run or replica.
CREATE TABLE alert_state (
    id                   integer     PRIMARY KEY CHECK (id = 1),
    incident             text        CHECK (incident IN ('failed', 'stale')),
    reason               text,
    consecutive_failures integer     NOT NULL DEFAULT 0,
    changed_at           timestamptz NOT NULL DEFAULT now()
);
INSERT INTO alert_state (id) VALUES (1);
