-- 0001_core: organisations, people, tokens, the event outbox and the audit
-- trail, with row-level security on every tenant table.
--
-- Tenancy: the server sets `mcred.org_id` per transaction
-- (set_config(..., true), i.e. SET LOCAL); a connection that has not set it
-- sees and writes no tenant rows.  Policies are FORCEd so that they bind
-- the tables' owner too, which is the role the server connects as.  The
-- server must not connect as a superuser: superusers bypass RLS.
--
-- Two narrow exceptions, each behind its own setting:
--   * mcred.token_hash lets authentication find the one token whose hash
--     it names before the organisation is known (mcred.authenticate);
--   * mcred.system = 'on' lets the server's own background work (the
--     webhook dispatcher, metrics) see the outbox across organisations.

CREATE FUNCTION mcred.current_org() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(pg_catalog.current_setting('mcred.org_id', true), '')::uuid $$;

CREATE FUNCTION mcred.is_system() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(pg_catalog.current_setting('mcred.system', true), '') = 'on' $$;

CREATE FUNCTION mcred.auth_hash() RETURNS bytea
    LANGUAGE sql STABLE
    AS $$ SELECT pg_catalog.decode(nullif(pg_catalog.current_setting('mcred.token_hash', true), ''), 'hex') $$;

-- Times leave the database as RFC 3339 in UTC, as the API writes them.
CREATE FUNCTION mcred.rfc3339(t timestamptz) RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT pg_catalog.to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

CREATE TABLE mcred.orgs (
    id         uuid PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mcred.people (
    org_id     uuid NOT NULL REFERENCES mcred.orgs (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    email      text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    org_role   text NOT NULL DEFAULT 'none'
               CHECK (org_role IN ('admin', 'coordinator', 'leader', 'none')),
    attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX people_org_email ON mcred.people (org_id, lower(email));

CREATE TABLE mcred.tokens (
    org_id       uuid NOT NULL,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    person_id    uuid NOT NULL,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    hash         bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES mcred.people (org_id, id)
);
CREATE INDEX tokens_person ON mcred.tokens (org_id, person_id);

-- The outbox.  `seq` orders events for the dispatcher; `dispatched_at`
-- is set once an event has been fanned out to its deliveries.
CREATE TABLE mcred.events (
    org_id        uuid NOT NULL REFERENCES mcred.orgs (id),
    id            text NOT NULL DEFAULT ('msg_' || replace(gen_random_uuid()::text, '-', ''))
                  CHECK (id ~ '^msg_[A-Za-z0-9]{16,64}$'),
    seq           bigint GENERATED ALWAYS AS IDENTITY,
    type          text NOT NULL CHECK (type ~ '^[a-z]+(\.[a-z_]+)+$'),
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    dispatched_at timestamptz,
    PRIMARY KEY (org_id, id),
    UNIQUE (seq)
);
CREATE INDEX events_undispatched ON mcred.events (seq) WHERE dispatched_at IS NULL;

-- Every write leaves a row here, in the transaction of the write.
CREATE TABLE mcred.audit (
    org_id     uuid NOT NULL REFERENCES mcred.orgs (id),
    id         bigint GENERATED ALWAYS AS IDENTITY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   uuid,                 -- the person; NULL for the server itself
    actor      text NOT NULL,        -- e-mail of the person, or e.g. 'bootstrap'
    action     text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    entity     text NOT NULL CHECK (length(entity) BETWEEN 1 AND 64),
    entity_id  text NOT NULL,
    before     jsonb,
    after      jsonb,
    request_id text,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX audit_entity ON mcred.audit (org_id, entity, entity_id);

-- The audit trail is append-only, for the owner as well.
CREATE FUNCTION mcred.audit_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON mcred.audit
    FOR EACH STATEMENT EXECUTE FUNCTION mcred.audit_append_only();

ALTER TABLE mcred.orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.orgs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.orgs
    USING (id = mcred.current_org()) WITH CHECK (id = mcred.current_org());

ALTER TABLE mcred.people ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.people FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.people
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());

ALTER TABLE mcred.tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.tokens
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
CREATE POLICY authenticate ON mcred.tokens FOR SELECT
    USING (hash = mcred.auth_hash());

ALTER TABLE mcred.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.events
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
CREATE POLICY system ON mcred.events
    USING (mcred.is_system()) WITH CHECK (mcred.is_system());

ALTER TABLE mcred.audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.audit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.audit
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());

-- Authentication in one call: find the token by its keyed hash, refuse it
-- when revoked or expired, set the organisation for the rest of the
-- transaction, note the use (at most once a minute, to spare writes), and
-- return who it is.  No row means "not authenticated".
CREATE FUNCTION mcred.authenticate(p_hash bytea)
    RETURNS TABLE (org_id uuid, org_slug text, org_name text, person_id uuid,
                   email text, name text, org_role text, token_id uuid)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    t record;
BEGIN
    PERFORM set_config('mcred.token_hash', encode(p_hash, 'hex'), true);
    SELECT k.org_id, k.id, k.person_id, k.expires_at, k.revoked_at, k.last_used_at
      INTO t FROM mcred.tokens k WHERE k.hash = p_hash;
    PERFORM set_config('mcred.token_hash', '', true);
    IF NOT FOUND OR t.revoked_at IS NOT NULL
       OR (t.expires_at IS NOT NULL AND t.expires_at <= now()) THEN
        RETURN;
    END IF;
    PERFORM set_config('mcred.org_id', t.org_id::text, true);
    IF t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' THEN
        UPDATE mcred.tokens k SET last_used_at = now()
         WHERE k.org_id = t.org_id AND k.id = t.id;
    END IF;
    RETURN QUERY
        SELECT o.id, o.slug, o.name, p.id, p.email, p.name, p.org_role, t.id
          FROM mcred.people p JOIN mcred.orgs o ON o.id = p.org_id
         WHERE p.org_id = t.org_id AND p.id = t.person_id;
END
$$;
