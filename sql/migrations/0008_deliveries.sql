-- 0008_deliveries: one row per (event, subscription) the dispatcher must
-- deliver, and one row per attempt at it.
--
-- A delivery is due when it is pending or failed and next_attempt_at has
-- come.  Claiming one (FOR UPDATE SKIP LOCKED) moves next_attempt_at to
-- the end of the claim and sets a new `claim`: other dispatchers pass it
-- by, and if the claimant dies the delivery simply falls due again.  A
-- result is recorded only under the claim it was sent with, so an attempt
-- that outlived its claim cannot overwrite a newer one.
CREATE TABLE mcred.deliveries (
    org_id          uuid NOT NULL,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    webhook_id      uuid NOT NULL,
    event_id        text NOT NULL,
    event_type      text NOT NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- failed attempts counted against the retry schedule
    failures        integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    next_attempt_at timestamptz DEFAULT now(),
    claim           uuid,
    last_attempt_at timestamptz,
    response_status integer,
    latency_ms      integer,
    error           text CHECK (length(error) <= 512),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, webhook_id, event_id),
    FOREIGN KEY (org_id, webhook_id) REFERENCES mcred.webhooks (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, event_id) REFERENCES mcred.events (org_id, id),
    CHECK ((status IN ('pending', 'failed')) = (next_attempt_at IS NOT NULL))
);
CREATE INDEX deliveries_due ON mcred.deliveries (next_attempt_at)
    WHERE status IN ('pending', 'failed');
CREATE INDEX deliveries_by_webhook ON mcred.deliveries (org_id, webhook_id, created_at, id);

CREATE TABLE mcred.delivery_attempts (
    org_id          uuid NOT NULL,
    delivery_id     uuid NOT NULL,
    attempt         integer NOT NULL CHECK (attempt >= 1),
    at              timestamptz NOT NULL,
    response_status integer,
    latency_ms      integer NOT NULL CHECK (latency_ms >= 0),
    error           text CHECK (length(error) <= 512),
    PRIMARY KEY (org_id, delivery_id, attempt),
    FOREIGN KEY (org_id, delivery_id) REFERENCES mcred.deliveries (org_id, id) ON DELETE CASCADE
);

ALTER TABLE mcred.deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.deliveries
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
-- the dispatcher fans events out and claims deliveries across organisations
CREATE POLICY system ON mcred.deliveries
    USING (mcred.is_system()) WITH CHECK (mcred.is_system());

ALTER TABLE mcred.delivery_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.delivery_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.delivery_attempts
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());

-- The API's delivery, and the same with its attempt log.
CREATE VIEW mcred.delivery_items WITH (security_invoker = true) AS
SELECT d.org_id, d.id, d.webhook_id, d.status, d.event_type,
       (to_char(d.created_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || d.id::text)
           COLLATE "C" AS sort_key,
       json_build_object('id', d.id, 'webhook_id', d.webhook_id, 'event_id', d.event_id,
                         'event_type', d.event_type, 'status', d.status,
                         'attempts', d.attempts,
                         'next_attempt_at', mcred.rfc3339(d.next_attempt_at),
                         'last_attempt_at', mcred.rfc3339(d.last_attempt_at),
                         'response_status', d.response_status, 'latency_ms', d.latency_ms,
                         'error', d.error,
                         'created_at', mcred.rfc3339(d.created_at),
                         'updated_at', mcred.rfc3339(d.updated_at)) AS item
  FROM mcred.deliveries d;

CREATE VIEW mcred.delivery_logs WITH (security_invoker = true) AS
SELECT i.org_id, i.id,
       (i.item::jsonb || jsonb_build_object('log', coalesce(
           (SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt,
                                                'at', mcred.rfc3339(a.at),
                                                'response_status', a.response_status,
                                                'latency_ms', a.latency_ms,
                                                'error', a.error) ORDER BY a.attempt)
              FROM mcred.delivery_attempts a
             WHERE a.org_id = i.org_id AND a.delivery_id = i.id), '[]'::jsonb)))::json AS item
  FROM mcred.delivery_items i;

