-- 0022_web_sessions: signing in from a browser.
--
-- A browser session is a token of kind 'session': its secret lives only in
-- the browser's cookie (HttpOnly, SameSite=Strict), the database keeps its
-- keyed hash as for every token, it expires after MCRED_SESSION_HOURS, and
-- signing out revokes it.  Because it is a token, mcred.authenticate
-- checks it exactly as it checks an API token, and every page acts with
-- the rights of the person who signed in, through the same row-level
-- security and the same SQL functions as the API.
--
-- A session is opened by presenting an API token (web_session_open) or a
-- coordinator's invitation code (web_session_open_invite, which accepts
-- the invitation as POST /v1/invitations/accept does and so also makes the
-- person's own API token, to sign in with again).  Both run in one
-- statement: the check, the session and their audit rows commit together.

ALTER TABLE mcred.tokens
    ADD COLUMN kind text NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'session'));

CREATE FUNCTION mcred.web_session_insert(p_org uuid, p_person uuid, p_actor text,
                                         p_session_hash bytea, p_hours integer,
                                         p_via jsonb, p_request_id text)
    RETURNS TABLE (session_id uuid, session_expires_at text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    s record;
BEGIN
    INSERT INTO mcred.tokens (org_id, person_id, name, hash, expires_at, kind)
    VALUES (p_org, p_person, 'browser session', p_session_hash,
            now() + make_interval(hours => p_hours), 'session')
    RETURNING id, expires_at INTO s;
    INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, before, after,
                             request_id)
    VALUES (p_org, p_person, p_actor, 'session.open', 'token', s.id::text, NULL,
            jsonb_build_object('id', s.id, 'kind', 'session',
                               'expires_at', mcred.rfc3339(s.expires_at)) || p_via,
            p_request_id);
    session_id := s.id;
    session_expires_at := mcred.rfc3339(s.expires_at);
    RETURN NEXT;
END
$$;

-- Sign in with an API token: nothing when the token does not authenticate.
CREATE FUNCTION mcred.web_session_open(p_token_hash bytea, p_session_hash bytea,
                                       p_hours integer, p_request_id text)
    RETURNS TABLE (org_id uuid, person_id uuid, email text, name text, org_role text,
                   session_id uuid, session_expires_at text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    a record;
    s record;
BEGIN
    SELECT * INTO a FROM mcred.authenticate(p_token_hash) LIMIT 1;
    IF NOT FOUND OR a.org_id IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO s
      FROM mcred.web_session_insert(a.org_id, a.person_id, a.email, p_session_hash, p_hours,
                                    jsonb_build_object('via_token', a.token_id), p_request_id);
    RETURN QUERY SELECT a.org_id, a.person_id, a.email, a.name, a.org_role, s.session_id,
                        s.session_expires_at;
END
$$;

-- Sign in with an invitation code: the invitation's outcome (as
-- mcred.invitation_accept gives it), and with 'ok' the session as well.
CREATE FUNCTION mcred.web_session_open_invite(p_code_hash bytea, p_token_hash bytea,
                                              p_session_hash bytea, p_hours integer,
                                              p_request_id text)
    RETURNS TABLE (outcome text, cohort_name text, invitation_expires_at text, email text,
                   name text, session_id uuid, session_expires_at text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v record;
    s record;
BEGIN
    SELECT * INTO v
      FROM mcred.invitation_accept(p_code_hash, p_token_hash, 'browser sign-in', p_request_id)
     LIMIT 1;
    IF v.outcome IS DISTINCT FROM 'ok' THEN
        RETURN QUERY SELECT v.outcome, v.cohort_name, v.expires_at, NULL::text, NULL::text,
                            NULL::uuid, NULL::text;
        RETURN;
    END IF;
    SELECT * INTO s
      FROM mcred.web_session_insert(v.org_id, v.person_id, v.email, p_session_hash, p_hours,
                                    jsonb_build_object('via_token', v.token_id), p_request_id);
    RETURN QUERY SELECT v.outcome, v.cohort_name, v.expires_at, v.email, v.name, s.session_id,
                        s.session_expires_at;
END
$$;

-- Sign out: the caller's own session (the token the request authenticated
-- with) is revoked; an API token is never revoked this way.
CREATE FUNCTION mcred.web_session_close(p_token uuid, p_request_id text)
    RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    who text;
BEGIN
    UPDATE mcred.tokens k SET revoked_at = now()
     WHERE k.org_id = mcred.current_org() AND k.id = p_token AND k.kind = 'session'
       AND k.person_id = mcred.current_person() AND k.revoked_at IS NULL;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    SELECT p.email INTO who FROM mcred.people p
     WHERE p.org_id = mcred.current_org() AND p.id = mcred.current_person();
    INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, before, after,
                             request_id)
    VALUES (mcred.current_org(), mcred.current_person(), coalesce(who, 'unknown'),
            'session.close', 'token', p_token::text, jsonb_build_object('revoked', false),
            jsonb_build_object('revoked', true), p_request_id);
    RETURN true;
END
$$;

-- The home page of whoever signed in, whole, in one statement: the
-- organisation's cohorts with their progress (for coordinators, admins and
-- leaders), the learners a person coaches (mcred.coached_by) and the
-- cohorts they learn in.  Runs as the caller under row-level security.
CREATE FUNCTION mcred.web_home(p_org_role text)
    RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
WITH me AS (
    SELECT mcred.current_org() AS org_id, mcred.current_person() AS person_id
),
cohort_rows AS (
    SELECT c.id, c.slug, c.name, c.status, c.starts_on, c.ends_on,
           (SELECT count(*) FROM mcred.members m
             WHERE m.org_id = c.org_id AND m.cohort_id = c.id AND m.role = 'learner'
               AND m.status IN ('enrolled', 'completed')) AS learners,
           (SELECT count(*) FROM mcred.learners_eligibility(
                c.org_id, c.id,
                ARRAY(SELECT m.person_id FROM mcred.members m
                       WHERE m.org_id = c.org_id AND m.cohort_id = c.id AND m.role = 'learner'
                         AND m.status IN ('enrolled', 'completed'))) e
             WHERE e.eligible) AS eligible,
           (SELECT count(DISTINCT a.learner_id) FROM mcred.awards a
             WHERE a.org_id = c.org_id AND a.cohort_id = c.id AND a.status = 'awarded')
               AS awarded
      FROM me JOIN mcred.cohorts c ON c.org_id = me.org_id
     WHERE p_org_role IN ('admin', 'coordinator', 'leader')
),
coaching AS (
    SELECT c.id AS cohort_id, c.slug, c.name AS cohort_name, p.id AS learner_id,
           p.name AS learner_name, p.email AS learner_email
      FROM me
      JOIN mcred.members k ON k.org_id = me.org_id AND k.person_id = me.person_id
       AND k.role = 'coach' AND k.status = 'enrolled'
      JOIN mcred.cohorts c ON c.org_id = k.org_id AND c.id = k.cohort_id
      JOIN mcred.coached_by(k.org_id, k.cohort_id, me.person_id) l(person_id) ON true
      JOIN mcred.members lm ON lm.org_id = k.org_id AND lm.cohort_id = k.cohort_id
       AND lm.person_id = l.person_id AND lm.status = 'enrolled'
      JOIN mcred.people p ON p.org_id = k.org_id AND p.id = l.person_id
),
learning AS (
    SELECT c.id AS cohort_id, c.slug, c.name AS cohort_name, m.status
      FROM me
      JOIN mcred.members m ON m.org_id = me.org_id AND m.person_id = me.person_id
       AND m.role = 'learner' AND m.status IN ('enrolled', 'completed')
      JOIN mcred.cohorts c ON c.org_id = m.org_id AND c.id = m.cohort_id
)
SELECT jsonb_build_object(
    'cohorts', coalesce((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.starts_on DESC, x.name)
                           FROM cohort_rows x), '[]'::jsonb),
    'coaching', coalesce((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.cohort_name, x.learner_name)
                            FROM coaching x), '[]'::jsonb),
    'learning', coalesce((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.cohort_name)
                            FROM learning x), '[]'::jsonb))
$$;
