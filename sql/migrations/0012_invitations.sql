-- 0012_invitations: a coordinator hands a coach or learner of their cohort
-- a way in without the admin.  An invitation is a single-use, expiring
-- code; the database keeps only its keyed hash (as for tokens), never the
-- code.  Accepting it makes the person's own API token.
--
-- States, derived: pending (neither used nor revoked, not yet expired),
-- used (used_at and token_id set), revoked (revoked_at set, never used;
-- also a pending invitation replaced by a newer one), expired (pending
-- past expires_at).  At most one pending invitation per person and cohort.
--
-- Every write goes through one of the functions below, one round trip
-- each, with its audit rows in the same statement.

CREATE TABLE mcred.invitations (
    org_id     uuid NOT NULL REFERENCES mcred.orgs (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    cohort_id  uuid NOT NULL,
    person_id  uuid NOT NULL,
    hash       bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    token_id   uuid,
    revoked_at timestamptz,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, cohort_id) REFERENCES mcred.cohorts (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES mcred.people (org_id, id),
    FOREIGN KEY (org_id, token_id) REFERENCES mcred.tokens (org_id, id),
    CHECK ((used_at IS NULL) = (token_id IS NULL)),
    CHECK (used_at IS NULL OR revoked_at IS NULL),
    CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX invitations_pending ON mcred.invitations (org_id, cohort_id, person_id)
    WHERE used_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_cohort ON mcred.invitations (org_id, cohort_id, created_at DESC, id DESC);

CREATE FUNCTION mcred.invite_hash() RETURNS bytea
    LANGUAGE sql STABLE
    AS $$ SELECT pg_catalog.decode(nullif(pg_catalog.current_setting('mcred.invite_hash', true), ''), 'hex') $$;

ALTER TABLE mcred.invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.invitations
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
-- Accepting finds the one invitation whose hash it names before the
-- organisation is known, as authentication does with tokens.
CREATE POLICY accept ON mcred.invitations FOR SELECT
    USING (hash = mcred.invite_hash());

-- An invitation as lists and audit rows show it (never its hash).
CREATE VIEW mcred.invitation_items WITH (security_invoker = true) AS
SELECT i.org_id, i.cohort_id, i.id, i.created_at,
       jsonb_build_object(
           'id', i.id,
           'cohort', i.cohort_id,
           'cohort_name', c.name,
           'person', i.person_id,
           'email', p.email,
           'name', p.name,
           'state', CASE WHEN i.used_at IS NOT NULL THEN 'used'
                         WHEN i.revoked_at IS NOT NULL THEN 'revoked'
                         WHEN i.expires_at <= now() THEN 'expired'
                         ELSE 'pending' END,
           'created_at', mcred.rfc3339(i.created_at),
           'expires_at', mcred.rfc3339(i.expires_at),
           'used_at', mcred.rfc3339(i.used_at),
           'revoked_at', mcred.rfc3339(i.revoked_at),
           'token', i.token_id,
           'token_name', t.name,
           'token_revoked', CASE WHEN i.token_id IS NULL THEN NULL
                                 ELSE t.revoked_at IS NOT NULL END) AS item
  FROM mcred.invitations i
  JOIN mcred.people p ON p.org_id = i.org_id AND p.id = i.person_id
  JOIN mcred.cohorts c ON c.org_id = i.org_id AND c.id = i.cohort_id
  LEFT JOIN mcred.tokens t ON t.org_id = i.org_id AND t.id = i.token_id;

-- Invite people of a cohort, all or none.  p_people is a JSON array of
-- {"who": <e-mail or id as given>, "hash": <hex of the code's keyed hash>}.
-- No rows when the cohort does not exist.  Else one row per entry, in order, each with what the person is (to
-- word a refusal) and `problem`: NULL when they may be invited, else one of
-- not_found, duplicate, org_role, not_member, withdrawn.  When any entry has
-- a problem nothing is written; otherwise each person's pending invitation
-- to the cohort (if any) is revoked and replaced, with audit rows
-- (invitation.replace for the old, invitation.create for the new).
CREATE FUNCTION mcred.invitations_create(p_org uuid, p_cohort uuid, p_people jsonb,
                                         p_days integer, p_actor uuid, p_actor_label text,
                                         p_request_id text)
    RETURNS TABLE (ord integer, who text, person_id uuid, email text, name text,
                   org_role text, member_role text, member_status text, problem text,
                   cohort_name text, invitation jsonb)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
#variable_conflict use_column
DECLARE
    bad boolean;
    cohort text;
BEGIN
    SELECT c.name INTO cohort FROM mcred.cohorts c WHERE c.org_id = p_org AND c.id = p_cohort;
    IF NOT FOUND THEN
        RETURN; -- no rows: no such cohort
    END IF;
    CREATE TEMP TABLE IF NOT EXISTS invitation_input (
        ord integer, who text, hash bytea, person_id uuid, email text, name text,
        org_role text, member_role text, member_status text, problem text,
        invitation_id uuid, replaced jsonb) ON COMMIT DROP;
    TRUNCATE invitation_input;
    INSERT INTO invitation_input (ord, who, hash, person_id, email, name, org_role,
                                  member_role, member_status)
    SELECT e.ord::integer, e.v->>'who', decode(e.v->>'hash', 'hex'), p.id, p.email, p.name,
           p.org_role, m.role, m.status
      FROM jsonb_array_elements(p_people) WITH ORDINALITY AS e(v, ord)
      LEFT JOIN mcred.people p ON p.org_id = p_org
           AND (CASE WHEN (e.v->>'who') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                     THEN p.id = (e.v->>'who')::uuid
                     ELSE lower(p.email) = lower(e.v->>'who') END)
      LEFT JOIN mcred.members m ON m.org_id = p_org AND m.cohort_id = p_cohort
           AND m.person_id = p.id;

    UPDATE invitation_input i SET problem = CASE
        WHEN i.person_id IS NULL THEN 'not_found'
        WHEN i.org_role <> 'none' THEN 'org_role'
        WHEN i.member_role IS NULL THEN 'not_member'
        WHEN i.member_status NOT IN ('enrolled', 'waitlisted') THEN 'withdrawn'
        WHEN EXISTS (SELECT 1 FROM invitation_input d
                      WHERE d.person_id = i.person_id AND d.ord < i.ord) THEN 'duplicate'
        END;
    SELECT bool_or(i.problem IS NOT NULL) INTO bad FROM invitation_input i;

    IF NOT coalesce(bad, true) THEN
        -- a new invitation replaces the person's pending one
        WITH r AS (
            UPDATE mcred.invitations v SET revoked_at = now()
             WHERE v.org_id = p_org AND v.cohort_id = p_cohort
               AND v.person_id IN (SELECT x.person_id FROM invitation_input x)
               AND v.used_at IS NULL AND v.revoked_at IS NULL
            RETURNING v.person_id, jsonb_build_object('id', v.id,
                      'expires_at', mcred.rfc3339(v.expires_at)) AS before)
        UPDATE invitation_input i SET replaced = r.before FROM r WHERE r.person_id = i.person_id;
        INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id,
                                 before, after, request_id)
        SELECT p_org, p_actor, p_actor_label, 'invitation.replace', 'invitation',
               v.id::text, jsonb_build_object('state', 'pending'), v.item, p_request_id
          FROM invitation_input i
          JOIN mcred.invitation_items v ON v.org_id = p_org AND v.id = (i.replaced->>'id')::uuid
         ORDER BY i.ord;
        WITH made AS (
            INSERT INTO mcred.invitations (org_id, cohort_id, person_id, hash, created_by,
                                           expires_at)
            SELECT p_org, p_cohort, i.person_id, i.hash, p_actor,
                   now() + make_interval(days => p_days)
              FROM invitation_input i
            RETURNING invitations.id, invitations.person_id)
        UPDATE invitation_input i SET invitation_id = made.id
          FROM made WHERE made.person_id = i.person_id;
        INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id,
                                 before, after, request_id)
        SELECT p_org, p_actor, p_actor_label, 'invitation.create', 'invitation',
               i.invitation_id::text, i.replaced, v.item, p_request_id
          FROM invitation_input i
          JOIN mcred.invitation_items v ON v.org_id = p_org AND v.id = i.invitation_id
         ORDER BY i.ord;
    END IF;

    RETURN QUERY
        SELECT i.ord, i.who, i.person_id, i.email, i.name, i.org_role, i.member_role,
               i.member_status, i.problem, cohort, v.item
          FROM invitation_input i
          LEFT JOIN mcred.invitation_items v ON v.org_id = p_org AND v.id = i.invitation_id
         ORDER BY i.ord;
END
$$;

-- Exchange a code (its keyed hash) for a new token (its keyed hash), in one
-- call that also sets the organisation.  The invitation row is locked, so
-- of two racing accepts the second waits and then finds it used.  Outcome:
-- ok, unknown, used, revoked, expired, or ineligible (the person is no
-- longer a member, or has an organisation role an invitation must not
-- hand out).  Only ok writes anything: the token, the invitation's use,
-- and audit rows for both.
CREATE FUNCTION mcred.invitation_accept(p_code_hash bytea, p_token_hash bytea,
                                        p_token_name text, p_request_id text)
    RETURNS TABLE (outcome text, org_id uuid, org_slug text, org_name text,
                   person_id uuid, email text, name text, cohort_id uuid, cohort_name text,
                   expires_at text, token_id uuid, token_name text, token_created_at text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
#variable_conflict use_column
DECLARE
    found_org uuid;
    found_id uuid;
    v record;
    t record;
BEGIN
    PERFORM set_config('mcred.invite_hash', encode(p_code_hash, 'hex'), true);
    SELECT i.org_id, i.id INTO found_org, found_id
      FROM mcred.invitations i WHERE i.hash = p_code_hash;
    PERFORM set_config('mcred.invite_hash', '', true);
    IF found_id IS NULL THEN
        RETURN QUERY SELECT 'unknown'::text, NULL::uuid, NULL::text, NULL::text, NULL::uuid,
                            NULL::text, NULL::text, NULL::uuid, NULL::text, NULL::text,
                            NULL::uuid, NULL::text, NULL::text;
        RETURN;
    END IF;
    PERFORM set_config('mcred.org_id', found_org::text, true);
    SELECT i.*, p.email, p.name AS person_name, p.org_role, m.status AS member_status,
           c.name AS cohort_name, o.slug AS org_slug, o.name AS org_name
      INTO v
      FROM mcred.invitations i
      JOIN mcred.people p ON p.org_id = i.org_id AND p.id = i.person_id
      JOIN mcred.cohorts c ON c.org_id = i.org_id AND c.id = i.cohort_id
      JOIN mcred.orgs o ON o.id = i.org_id
      LEFT JOIN mcred.members m ON m.org_id = i.org_id AND m.cohort_id = i.cohort_id
           AND m.person_id = i.person_id
     WHERE i.org_id = found_org AND i.id = found_id
       FOR UPDATE OF i;
    outcome := CASE
        WHEN v.used_at IS NOT NULL THEN 'used'
        WHEN v.revoked_at IS NOT NULL THEN 'revoked'
        WHEN v.expires_at <= now() THEN 'expired'
        WHEN v.org_role <> 'none' OR v.member_status IS NULL
             OR v.member_status NOT IN ('enrolled', 'waitlisted') THEN 'ineligible'
        ELSE 'ok' END;
    org_id := v.org_id; org_slug := v.org_slug; org_name := v.org_name;
    person_id := v.person_id; email := v.email; name := v.person_name;
    cohort_id := v.cohort_id; cohort_name := v.cohort_name;
    expires_at := mcred.rfc3339(v.expires_at);
    IF outcome <> 'ok' THEN
        RETURN NEXT;
        RETURN;
    END IF;
    INSERT INTO mcred.tokens (org_id, person_id, name, hash)
    VALUES (v.org_id, v.person_id, p_token_name, p_token_hash)
    RETURNING id, created_at INTO t;
    UPDATE mcred.invitations i SET used_at = now(), token_id = t.id
     WHERE i.org_id = v.org_id AND i.id = v.id;
    INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, before, after,
                             request_id)
    VALUES (v.org_id, v.person_id, v.email, 'token.create', 'token', t.id::text, NULL,
            jsonb_build_object('id', t.id, 'person', v.person_id, 'name', p_token_name,
                               'created_at', mcred.rfc3339(t.created_at), 'expires_at', NULL,
                               'invitation', v.id),
            p_request_id),
           (v.org_id, v.person_id, v.email, 'invitation.accept', 'invitation', v.id::text,
            jsonb_build_object('state', 'pending'),
            (SELECT x.item FROM mcred.invitation_items x
              WHERE x.org_id = v.org_id AND x.id = v.id),
            p_request_id);
    token_id := t.id; token_name := p_token_name; token_created_at := mcred.rfc3339(t.created_at);
    RETURN NEXT;
END
$$;

-- Revoke an invitation: a pending one is revoked; a used one has the token
-- it led to revoked.  Outcome: not_found, revoked (pending → revoked),
-- token_revoked (used; its token revoked now), unchanged (nothing left to
-- revoke: already revoked, expired unused, or its token already revoked).
-- The audit row is written only when something changed.
CREATE FUNCTION mcred.invitation_revoke(p_org uuid, p_id uuid, p_actor uuid,
                                        p_actor_label text, p_request_id text)
    RETURNS TABLE (outcome text, item jsonb)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
#variable_conflict use_column
DECLARE
    v record;
    before jsonb;
BEGIN
    SELECT i.* INTO v FROM mcred.invitations i
     WHERE i.org_id = p_org AND i.id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::jsonb;
        RETURN;
    END IF;
    SELECT x.item INTO before FROM mcred.invitation_items x
     WHERE x.org_id = p_org AND x.id = p_id;
    IF v.used_at IS NULL AND v.revoked_at IS NULL AND v.expires_at > now() THEN
        UPDATE mcred.invitations i SET revoked_at = now() WHERE i.org_id = p_org AND i.id = p_id;
        outcome := 'revoked';
    ELSIF v.used_at IS NOT NULL THEN
        UPDATE mcred.tokens k SET revoked_at = now()
         WHERE k.org_id = p_org AND k.id = v.token_id AND k.revoked_at IS NULL;
        outcome := CASE WHEN FOUND THEN 'token_revoked' ELSE 'unchanged' END;
    ELSE
        outcome := 'unchanged';
    END IF;
    SELECT x.item INTO item FROM mcred.invitation_items x WHERE x.org_id = p_org AND x.id = p_id;
    IF outcome <> 'unchanged' THEN
        INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, before,
                                 after, request_id)
        VALUES (p_org, p_actor, p_actor_label,
                CASE outcome WHEN 'revoked' THEN 'invitation.revoke'
                             ELSE 'invitation.token_revoke' END,
                'invitation', p_id::text, before, item, p_request_id);
    END IF;
    RETURN NEXT;
END
$$;
