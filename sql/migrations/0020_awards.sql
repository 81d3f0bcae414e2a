-- 0020_awards: awards as signed Open Badges 3.0 credentials, the keys
-- that sign them, and what anyone may read without a token.
--
-- The server builds and signs each credential (server/award_doc.c,
-- vc/ and jose/); the database keeps the signed text as issued, the
-- organisation's keys (private halves sealed with a key derived from
-- MCRED_MASTER_KEY, never in clear), and who revoked what and why.
--
-- Public reads (the issuer profile, keys, achievements, awards and the
-- revocation list) run with mcred.public = 'on' and no organisation:
-- the policies below let such a transaction read those tables and
-- nothing else; it can write nothing.

CREATE FUNCTION mcred.is_public() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(pg_catalog.current_setting('mcred.public', true), '') = 'on' $$;

-- An organisation's signing keys.  key_id is how documents name the key:
-- the Multikey (z6Mk…) of an Ed25519 key, the RFC 7638 thumbprint of a
-- P-256 one.  A rotation retires the active key and keeps it, so that
-- what it signed still verifies.
CREATE TABLE mcred.signing_keys (
    org_id     uuid NOT NULL REFERENCES mcred.orgs (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    algorithm  text NOT NULL CHECK (algorithm IN ('Ed25519', 'ES256')),
    key_id     text NOT NULL CHECK (length(key_id) BETWEEN 1 AND 128),
    public_key bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    retired_at timestamptz,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, key_id)
);
CREATE UNIQUE INDEX signing_keys_active ON mcred.signing_keys (org_id, algorithm)
    WHERE retired_at IS NULL;
ALTER TABLE mcred.signing_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.signing_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.signing_keys
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
CREATE POLICY public ON mcred.signing_keys FOR SELECT USING (mcred.is_public());

-- The private halves, apart, so that no public read can reach them.
CREATE TABLE mcred.signing_key_secrets (
    org_id     uuid NOT NULL,
    key_id     uuid NOT NULL,
    secret_box bytea NOT NULL,
    PRIMARY KEY (org_id, key_id),
    FOREIGN KEY (org_id, key_id) REFERENCES mcred.signing_keys (org_id, id)
);
ALTER TABLE mcred.signing_key_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.signing_key_secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.signing_key_secrets
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());

-- An award: the signed credential as it was issued (text, so that what
-- is served is byte for byte what was signed), its VC-JWT, and its fate.
-- A learner holds at most one award in force per cohort; one revoked in
-- error may be followed by a new one.
CREATE TABLE mcred.awards (
    org_id            uuid NOT NULL,
    id                uuid NOT NULL,
    cohort_id         uuid NOT NULL,
    learner_id        uuid NOT NULL,
    credential_id     uuid NOT NULL,
    status            text NOT NULL DEFAULT 'awarded' CHECK (status IN ('awarded', 'revoked')),
    awarded_at        timestamptz NOT NULL,
    awarded_by        uuid,
    document          text NOT NULL,
    jwt               text NOT NULL,
    revoked_at        timestamptz,
    revoked_by        uuid,
    revocation_reason text CHECK (length(revocation_reason) BETWEEN 1 AND 1000),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, cohort_id, learner_id)
        REFERENCES mcred.members (org_id, cohort_id, person_id),
    FOREIGN KEY (org_id, credential_id) REFERENCES mcred.credentials (org_id, id),
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE UNIQUE INDEX awards_in_force ON mcred.awards (org_id, cohort_id, learner_id)
    WHERE status = 'awarded';
CREATE INDEX awards_learner ON mcred.awards (org_id, learner_id);
-- a member's awards, in force or not, for status reads (server/status_db.c)
CREATE INDEX awards_member ON mcred.awards (org_id, cohort_id, learner_id, awarded_at);
CREATE INDEX awards_revoked ON mcred.awards (org_id, revoked_at) WHERE status = 'revoked';
ALTER TABLE mcred.awards ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.awards FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.awards
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
CREATE POLICY public ON mcred.awards FOR SELECT USING (mcred.is_public());

-- What public documents need of the organisation and its credentials.
CREATE POLICY public ON mcred.orgs FOR SELECT USING (mcred.is_public());
CREATE POLICY public ON mcred.credentials FOR SELECT
    USING (mcred.is_public() AND status <> 'draft');
CREATE POLICY public ON mcred.standards FOR SELECT USING (mcred.is_public());
CREATE POLICY public ON mcred.indicators FOR SELECT USING (mcred.is_public());

-- An award as the API lists it.
CREATE FUNCTION mcred.award_item(a mcred.awards) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v jsonb;
BEGIN
    SELECT jsonb_build_object(
               'id', a.id,
               'status', a.status,
               'cohort', jsonb_build_object('id', c.id, 'name', c.name),
               'learner', jsonb_build_object('id', p.id, 'email', p.email, 'name', p.name),
               'credential', jsonb_build_object('id', cr.id, 'slug', cr.slug,
                                                'version', cr.version, 'title', cr.title),
               'awarded_at', mcred.rfc3339(a.awarded_at),
               'revoked_at', mcred.rfc3339(a.revoked_at),
               'revocation_reason', a.revocation_reason)
      INTO v
      FROM mcred.cohorts c, mcred.people p, mcred.credentials cr
     WHERE c.org_id = a.org_id AND c.id = a.cohort_id
       AND p.org_id = a.org_id AND p.id = a.learner_id
       AND cr.org_id = a.org_id AND cr.id = a.credential_id;
    RETURN v;
END
$$;

-- A credential as the award's achievement needs it: its fields, the
-- rubric and rule, and its standards with their indicators, in order.
CREATE FUNCTION mcred.credential_document(p_org uuid, p_credential uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT jsonb_build_object(
           'id', cr.id, 'slug', cr.slug, 'version', cr.version, 'title', cr.title,
           'description', cr.description, 'achievement_type', cr.achievement_type,
           'status', cr.status, 'rubric', cr.rubric, 'award_rule', cr.award_rule,
           'min_level', mcred.rule_int(cr.award_rule, 'min_level', 3),
           'min_weekly_attendance', mcred.rule_int(cr.award_rule, 'min_weekly_attendance', 5),
           'problem_of_practice_required',
               coalesce(cr.award_rule -> 'problem_of_practice_required', 'true'::jsonb)
               <> 'false'::jsonb,
           'standards', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                    'code', s.code, 'title', s.title, 'description', s.description,
                                    'indicators', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                                              'code', i.code, 'text', i.text)
                                                          ORDER BY i.position), '[]'::jsonb)
                                                     FROM mcred.indicators i
                                                    WHERE i.org_id = s.org_id
                                                      AND i.credential_id = s.credential_id
                                                      AND i.standard_code = s.code))
                                ORDER BY s.position), '[]'::jsonb)
                           FROM mcred.standards s
                          WHERE s.org_id = cr.org_id AND s.credential_id = cr.id))
  FROM mcred.credentials cr
 WHERE cr.org_id = p_org AND cr.id = p_credential
$$;

-- What a learner still lacks for the award, in words, in the rule's
-- order: indicators below min_level, weekly attendance, the problem of
-- practice.  Empty when they meet it.
CREATE FUNCTION mcred.award_missing(p_org uuid, p_cohort uuid, p_credential uuid,
                                    p_learner uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
WITH rule AS (
    SELECT mcred.rule_int(cr.award_rule, 'min_level', 3) AS min_level,
           mcred.rule_int(cr.award_rule, 'min_weekly_attendance', 5) AS min_attended,
           coalesce(cr.award_rule -> 'problem_of_practice_required', 'true'::jsonb)
               <> 'false'::jsonb AS problem_required
      FROM mcred.credentials cr WHERE cr.org_id = p_org AND cr.id = p_credential
), low AS (
    SELECT i.code, sc.level, s.position AS sp, i.position AS ip
      FROM rule, mcred.indicators i
      JOIN mcred.standards s
        ON s.org_id = i.org_id AND s.credential_id = i.credential_id AND s.code = i.standard_code
      LEFT JOIN mcred.score_current sc
        ON sc.org_id = p_org AND sc.cohort_id = p_cohort AND sc.learner_id = p_learner
       AND sc.indicator = i.code
     WHERE i.org_id = p_org AND i.credential_id = p_credential
       AND coalesce(sc.level, 0) < rule.min_level
), attended AS (
    SELECT count(*) AS n FROM mcred.attendance a
      JOIN mcred.sessions s ON s.org_id = a.org_id AND s.id = a.session_id
     WHERE a.org_id = p_org AND a.person_id = p_learner AND s.cohort_id = p_cohort
       AND s.kind = 'weekly' AND s.cancelled_at IS NULL
       AND a.mode IN ('in_person', 'online', 'asynchronous')
)
SELECT coalesce(jsonb_agg(x.what ORDER BY x.k, x.sp, x.ip), '[]'::jsonb)
  FROM (
    SELECT 1 AS k, low.sp, low.ip,
           'indicator ' || low.code || CASE WHEN low.level IS NULL THEN ' has no score'
                                            ELSE ' is at level ' || low.level END
           || ', needs ' || rule.min_level AS what
      FROM low, rule
    UNION ALL
    SELECT 2, 0, 0, 'weekly attendance ' || attended.n || ' of the ' || rule.min_attended
                    || ' needed'
      FROM attended, rule WHERE attended.n < rule.min_attended
    UNION ALL
    SELECT 3, 0, 0, 'the problem of practice is not approved'
      FROM rule
     WHERE rule.problem_required AND NOT EXISTS (
           SELECT 1 FROM mcred.problems pr
            WHERE pr.org_id = p_org AND pr.cohort_id = p_cohort AND pr.learner_id = p_learner
              AND pr.status = 'approved')
  ) x
$$;

-- What awarding needs of each learner named: who they are and their
-- membership, whether they meet the rule now and what they lack, their
-- current levels, and the award in force if any; in the order named.
CREATE FUNCTION mcred.award_learners(p_org uuid, p_cohort uuid, p_credential uuid,
                                     p_learners uuid[]) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT coalesce(jsonb_agg(jsonb_build_object(
           'id', p.id, 'email', p.email, 'name', p.name, 'role', m.role, 'status', m.status,
           'eligible', coalesce(e.eligible, false),
           'missing', CASE WHEN coalesce(e.eligible, false) THEN '[]'::jsonb
                           ELSE mcred.award_missing(p_org, p_cohort, p_credential, p.id) END,
           'levels', (SELECT coalesce(jsonb_object_agg(sc.indicator, sc.level), '{}'::jsonb)
                        FROM mcred.score_current sc
                       WHERE sc.org_id = p_org AND sc.cohort_id = p_cohort
                         AND sc.learner_id = p.id),
           'award', (SELECT jsonb_build_object('id', a.id, 'document', a.document)
                       FROM mcred.awards a
                      WHERE a.org_id = p_org AND a.cohort_id = p_cohort AND a.learner_id = p.id
                        AND a.status = 'awarded'))
       ORDER BY l.n), '[]'::jsonb)
  FROM unnest(p_learners) WITH ORDINALITY AS l (id, n)
  JOIN mcred.people p ON p.org_id = p_org AND p.id = l.id
  LEFT JOIN mcred.members m ON m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = p.id
  LEFT JOIN LATERAL (SELECT x.eligible
                       FROM mcred.learners_eligibility(p_org, p_cohort, ARRAY[p.id]) x) e ON true
$$;

-- Everything awarding in a cohort needs, read at once as the caller
-- (mcred.current_org()): the organisation, the cohort, the credential
-- whole, the organisation's active keys (sealed), and `learners`
-- (mcred.award_learners): the person named (by id or e-mail; none when
-- nobody is), or with p_person null every learner of the cohort, enrolled
-- or completed.  Null when the cohort is not the organisation's.
CREATE FUNCTION mcred.award_material(p_cohort uuid, p_person text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_cohort record;
    v_learners uuid[];
    v jsonb;
BEGIN
    SELECT c.id, c.name, c.credential_id INTO v_cohort
      FROM mcred.cohorts c WHERE c.org_id = v_org AND c.id = p_cohort;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF p_person IS NULL THEN
        v_learners := ARRAY(SELECT m.person_id FROM mcred.members m
                             WHERE m.org_id = v_org AND m.cohort_id = v_cohort.id
                               AND m.role = 'learner' AND m.status IN ('enrolled', 'completed')
                             ORDER BY m.enrolled_at, m.person_id);
    ELSE
        -- by id, or by e-mail when it is no id
        v_learners := ARRAY(SELECT p.id FROM mcred.people p
                             WHERE p.org_id = v_org AND p.id = mcred.try_uuid(p_person)
                            UNION ALL
                            SELECT p.id FROM mcred.people p
                             WHERE mcred.try_uuid(p_person) IS NULL AND p.org_id = v_org
                               AND p.email_key = pg_catalog.lower(p_person)
                             LIMIT 1);
    END IF;
    SELECT jsonb_build_object(
        'org', (SELECT jsonb_build_object('id', o.id, 'slug', o.slug, 'name', o.name)
                  FROM mcred.orgs o WHERE o.id = v_org),
        'cohort', jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name),
        'credential', mcred.credential_document(v_org, v_cohort.credential_id),
        'learners', mcred.award_learners(v_org, v_cohort.id, v_cohort.credential_id, v_learners),
        'keys', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                     'id', k.id, 'algorithm', k.algorithm, 'key_id', k.key_id,
                                     'public_key', pg_catalog.encode(k.public_key, 'hex'),
                                     'secret_box', pg_catalog.encode(s.secret_box, 'hex'))
                                 ORDER BY k.algorithm), '[]'::jsonb)
                   FROM mcred.signing_keys k
                   JOIN mcred.signing_key_secrets s ON s.org_id = k.org_id AND s.key_id = k.id
                  WHERE k.org_id = v_org AND k.retired_at IS NULL))
      INTO v;
    RETURN v;
END
$$;

-- A new key pair of each algorithm for the caller's organisation; the
-- ones in force are retired, and kept, so that what they signed still
-- verifies.  p_keys: [{"algorithm", "key_id", "public_key" (hex),
-- "secret_box" (hex)}].  Returns the new keys as award_material lists them.
CREATE FUNCTION mcred.signing_keys_rotate(p_keys jsonb, p_actor text) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v jsonb;
BEGIN
    IF v_org IS NULL THEN
        RETURN NULL;
    END IF;
    -- one rotation at a time per organisation
    PERFORM 1 FROM mcred.orgs o WHERE o.id = v_org FOR NO KEY UPDATE;
    UPDATE mcred.signing_keys k SET retired_at = now()
     WHERE k.org_id = v_org AND k.retired_at IS NULL
       AND k.algorithm IN (SELECT x ->> 'algorithm' FROM jsonb_array_elements(p_keys) x);
    WITH n AS (
        SELECT gen_random_uuid() AS id, x ->> 'algorithm' AS algorithm, x ->> 'key_id' AS key_id,
               pg_catalog.decode(x ->> 'public_key', 'hex') AS public_key,
               pg_catalog.decode(x ->> 'secret_box', 'hex') AS secret_box
          FROM jsonb_array_elements(p_keys) x
    ), k AS (
        INSERT INTO mcred.signing_keys (org_id, id, algorithm, key_id, public_key)
        SELECT v_org, n.id, n.algorithm, n.key_id, n.public_key FROM n
        RETURNING id
    ), s AS (
        INSERT INTO mcred.signing_key_secrets (org_id, key_id, secret_box)
        SELECT v_org, n.id, n.secret_box FROM n JOIN k ON k.id = n.id
    ), a AS (
        INSERT INTO mcred.audit (org_id, actor, action, entity, entity_id, after)
        SELECT v_org, p_actor, 'key.create', 'signing_key', n.id::text,
               jsonb_build_object('algorithm', n.algorithm, 'key_id', n.key_id)
          FROM n
    )
    SELECT jsonb_agg(jsonb_build_object('id', n.id, 'algorithm', n.algorithm, 'key_id', n.key_id,
                                        'public_key', pg_catalog.encode(n.public_key, 'hex'),
                                        'secret_box', pg_catalog.encode(n.secret_box, 'hex'))
                     ORDER BY n.algorithm)
      INTO v FROM n;
    RETURN v;
END
$$;

-- Record a signed award (as the caller), unless one is in force already:
-- then that one is the answer and nothing is written.  The audit row and
-- credential.awarded commit with it.  The learner must still meet the
-- rule (the server read it, then signed, maybe in another transaction):
-- if not, created is false and award_id null.  Nothing when nobody
-- authenticated.
CREATE FUNCTION mcred.award_record(p_id uuid, p_cohort uuid, p_learner uuid, p_credential uuid,
                                   p_awarded_at timestamptz, p_document text, p_jwt text,
                                   p_request text)
    RETURNS TABLE (created boolean, award_id uuid, document text, item jsonb)
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_person uuid := mcred.current_person();
    v_actor text;
    v_award mcred.awards;
    v_item jsonb;
BEGIN
    IF v_org IS NULL OR v_person IS NULL THEN
        RETURN;
    END IF;
    SELECT p.email INTO v_actor FROM mcred.people p WHERE p.org_id = v_org AND p.id = v_person;
    SELECT * INTO v_award FROM mcred.awards a
     WHERE a.org_id = v_org AND a.cohort_id = p_cohort AND a.learner_id = p_learner
       AND a.status = 'awarded';
    IF FOUND THEN
        RETURN QUERY SELECT false, v_award.id, v_award.document, mcred.award_item(v_award);
        RETURN;
    END IF;
    IF NOT coalesce((SELECT e.eligible
                       FROM mcred.learners_eligibility(v_org, p_cohort, ARRAY[p_learner]) e),
                    false) THEN
        RETURN QUERY SELECT false, NULL::uuid, NULL::text, NULL::jsonb;
        RETURN;
    END IF;
    INSERT INTO mcred.awards (org_id, id, cohort_id, learner_id, credential_id, awarded_at,
                              awarded_by, document, jwt)
    VALUES (v_org, p_id, p_cohort, p_learner, p_credential, p_awarded_at, v_person, p_document,
            p_jwt)
    ON CONFLICT (org_id, cohort_id, learner_id) WHERE status = 'awarded' DO NOTHING
    RETURNING * INTO v_award;
    IF NOT FOUND THEN
        SELECT * INTO v_award FROM mcred.awards a
         WHERE a.org_id = v_org AND a.cohort_id = p_cohort AND a.learner_id = p_learner
           AND a.status = 'awarded';
        RETURN QUERY SELECT false, v_award.id, v_award.document, mcred.award_item(v_award);
        RETURN;
    END IF;
    v_item := mcred.award_item(v_award);
    INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, after, request_id)
    VALUES (v_org, v_person, coalesce(v_actor, 'server'), 'award.create', 'award', p_id::text,
            v_item, p_request);
    INSERT INTO mcred.events (org_id, type, payload)
    VALUES (v_org, 'credential.awarded',
            jsonb_build_object('award', p_id, 'cohort', p_cohort, 'learner', p_learner,
                               'email', v_item #>> '{learner,email}',
                               'credential', p_credential));
    RETURN QUERY SELECT true, v_award.id, v_award.document, v_item;
END
$$;

-- Revoke an award in force (as the caller).  Null when there is no such
-- award; {"revoked": false, …} when it was revoked already (nothing
-- written); else {"revoked": true, "award": item}.
CREATE FUNCTION mcred.award_revoke(p_id uuid, p_reason text, p_request text) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_person uuid := mcred.current_person();
    v_actor text;
    v_before mcred.awards;
    v_award mcred.awards;
    v_item jsonb;
BEGIN
    SELECT * INTO v_before FROM mcred.awards a WHERE a.org_id = v_org AND a.id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF v_before.status = 'revoked' THEN
        RETURN jsonb_build_object('revoked', false, 'award', mcred.award_item(v_before));
    END IF;
    SELECT p.email INTO v_actor FROM mcred.people p WHERE p.org_id = v_org AND p.id = v_person;
    UPDATE mcred.awards a
       SET status = 'revoked', revoked_at = now(), revoked_by = v_person,
           revocation_reason = p_reason
     WHERE a.org_id = v_org AND a.id = p_id
    RETURNING * INTO v_award;
    v_item := mcred.award_item(v_award);
    INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, before, after,
                             request_id)
    VALUES (v_org, v_person, coalesce(v_actor, 'server'), 'award.revoke', 'award', p_id::text,
            mcred.award_item(v_before), v_item, p_request);
    INSERT INTO mcred.events (org_id, type, payload)
    VALUES (v_org, 'credential.revoked',
            jsonb_build_object('award', p_id, 'cohort', v_award.cohort_id,
                               'learner', v_award.learner_id, 'credential', v_award.credential_id,
                               'reason', p_reason));
    RETURN jsonb_build_object('revoked', true, 'award', v_item);
END
$$;

-- ---- public reads (mcred.public = 'on') ----

-- An organisation by slug, with its keys, newest first (retired ones too).
CREATE FUNCTION mcred.public_issuer(p_slug text) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT jsonb_build_object(
           'id', o.id, 'slug', o.slug, 'name', o.name,
           'keys', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                        'algorithm', k.algorithm, 'key_id', k.key_id,
                                        'public_key', pg_catalog.encode(k.public_key, 'hex'),
                                        'retired', k.retired_at IS NOT NULL)
                                    ORDER BY k.created_at DESC, k.key_id), '[]'::jsonb)
                      FROM mcred.signing_keys k WHERE k.org_id = o.id))
  FROM mcred.orgs o WHERE o.slug = p_slug
$$;

-- Every organisation's ES256 keys, for /.well-known/jwks.json.
CREATE FUNCTION mcred.public_jwks() RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT coalesce(jsonb_agg(jsonb_build_object(
                    'org', o.slug, 'key_id', k.key_id,
                    'public_key', pg_catalog.encode(k.public_key, 'hex'))
                ORDER BY o.slug, k.created_at DESC, k.key_id), '[]'::jsonb)
  FROM mcred.signing_keys k JOIN mcred.orgs o ON o.id = k.org_id
 WHERE k.algorithm = 'ES256'
$$;

-- An award by id: its document, fate and issuer, with the issuer's
-- Ed25519 keys (to check the proof on its public page).
CREATE FUNCTION mcred.public_award(p_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT jsonb_build_object('id', a.id, 'org', o.slug, 'org_name', o.name, 'document', a.document,
                          'status', a.status, 'revoked_at', mcred.rfc3339(a.revoked_at),
                          'revocation_reason', a.revocation_reason,
                          'keys', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                                       'key_id', k.key_id,
                                                       'public_key',
                                                       pg_catalog.encode(k.public_key, 'hex'))),
                                                   '[]'::jsonb)
                                     FROM mcred.signing_keys k
                                    WHERE k.org_id = a.org_id AND k.algorithm = 'Ed25519'))
  FROM mcred.awards a JOIN mcred.orgs o ON o.id = a.org_id
 WHERE a.id = p_id
$$;

-- An organisation's revoked awards, oldest first.
CREATE FUNCTION mcred.public_revocations(p_slug text) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT jsonb_build_object(
           'org', jsonb_build_object('slug', o.slug, 'name', o.name),
           'revoked', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                           'id', a.id, 'reason', a.revocation_reason,
                                           'revoked_at', mcred.rfc3339(a.revoked_at))
                                       ORDER BY a.revoked_at, a.id), '[]'::jsonb)
                         FROM mcred.awards a
                        WHERE a.org_id = o.id AND a.status = 'revoked'))
  FROM mcred.orgs o WHERE o.slug = p_slug
$$;

-- A published credential by id, with its issuer.
CREATE FUNCTION mcred.public_achievement(p_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT jsonb_build_object('org', jsonb_build_object('slug', o.slug, 'name', o.name),
                          'credential', mcred.credential_document(cr.org_id, cr.id))
  FROM mcred.credentials cr JOIN mcred.orgs o ON o.id = cr.org_id
 WHERE cr.id = p_id
$$;
