-- 0005_idempotency: POSTs honour an Idempotency-Key header (DESIGN.md §3).
-- The first successful answer to a key is kept for 24 hours and given
-- again, without running the request again, to a retry of the same
-- request by the same person.
CREATE TABLE mcred.idempotency (
    org_id       uuid NOT NULL REFERENCES mcred.orgs (id),
    person_id    uuid NOT NULL,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash bytea NOT NULL,
    status       integer NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, person_id, key)
);
CREATE INDEX idempotency_created ON mcred.idempotency (created_at);

ALTER TABLE mcred.idempotency ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.idempotency FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.idempotency
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
