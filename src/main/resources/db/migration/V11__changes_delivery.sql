-- Where the push of the change feed to CHANGES_ENDPOINT stands (routes/changes-delivery.camel.yaml),
-- shared by the replicas: one row. The position moves only after the endpoint accepted every
-- change up to it (Kafka: acknowledged by the broker), so a restart, a kill -9 or another replica
-- taking over goes on from it, and at worst sends again what was sent after it (at least once).
CREATE TABLE changes_delivery (
    one             boolean     PRIMARY KEY DEFAULT true CHECK (one),
    position        bigint      NOT NULL,  -- the seq of the last change the endpoint accepted (0: none yet)
    moved_at        timestamptz NOT NULL DEFAULT now(),  -- when the position last moved
    delivered       bigint      NOT NULL DEFAULT 0,  -- changes accepted, in all
    -- the change the endpoint refused for good: delivery stops on it until it is accepted or skipped
    rejected_seq    bigint,
    rejected_reason text,
    rejected_at     timestamptz,
    -- the incident announced (delivery_stalled) and not yet ended (delivery_recovered): once per
    -- incident, whichever replica sees it first
    incident        text        CHECK (incident IN ('stalled')),
    incident_reason text,
    incident_at     timestamptz
);
INSERT INTO changes_delivery (position) VALUES (0);
