-- 0006_webhooks: subscriptions to the organisation's events.  Secrets are
-- kept only encrypted (crypto_secretbox: nonce || ciphertext) under a key
-- derived from MCRED_MASTER_KEY; during a rotation the previous secret is
-- kept too, until previous_until, so that both sign.
CREATE TABLE mcred.webhooks (
    org_id         uuid NOT NULL REFERENCES mcred.orgs (id),
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    url            text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
    events         text[] NOT NULL DEFAULT '{*}',
    active         boolean NOT NULL DEFAULT true,
    secret_box     bytea NOT NULL,
    previous_box   bytea,
    previous_until timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);

ALTER TABLE mcred.webhooks ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.webhooks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.webhooks
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
-- the dispatcher reads every organisation's subscriptions
CREATE POLICY system ON mcred.webhooks FOR SELECT USING (mcred.is_system());

CREATE VIEW mcred.webhook_items WITH (security_invoker = true) AS
SELECT w.org_id, w.id, (to_char(w.created_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')
       || w.id::text) COLLATE "C" AS sort_key,
       json_build_object('id', w.id, 'url', w.url, 'events', w.events, 'active', w.active,
                         'rotating', w.previous_until IS NOT NULL AND w.previous_until > now(),
                         'created_at', mcred.rfc3339(w.created_at),
                         'updated_at', mcred.rfc3339(w.updated_at)) AS item
  FROM mcred.webhooks w;
