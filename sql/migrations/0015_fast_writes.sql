-- 0015_fast_writes: hot writes without a cohort-wide lock, in one round
-- trip, with status kept exact at the cost of what changed.
--
--   * mcred.authenticate also keeps the caller for the transaction
--     (mcred.current_person()), so that a statement sent in the same
--     pipeline as the authentication can act as them.
--   * Writers of a cohort's records (scores, attendance, evidence,
--     problems) take a shared advisory lock on the cohort; whoever changes
--     what those writers depend on (closing it, its dates) takes it
--     exclusively.  Writers never wait for each other, and a close waits
--     for the writes in flight and is seen by every write after it.  The
--     cohort's row is never locked by a hot write.
--   * mcred.learners_refresh decides eligibility for the learners a write
--     touched, from their current levels (score_current), weekly attendance
--     and problem of practice, after locking their member rows, so that two
--     writes for one learner see each other and `credential.eligible` is
--     emitted exactly once per move to eligible.  server/status.c decides
--     the same rule for reading; tests/integration/test_fast_writes.c
--     checks that the two agree.
--   * mcred.scores_post checks and records a score request whole.

CREATE OR REPLACE FUNCTION mcred.authenticate(p_hash bytea)
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
    PERFORM set_config('mcred.person_id', t.person_id::text, true);
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

CREATE FUNCTION mcred.current_person() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(pg_catalog.current_setting('mcred.person_id', true), '')::uuid $$;

-- The advisory lock key of a cohort: the first 64 bits of its id.  Two
-- cohorts sharing a key only wait for each other now and then.
CREATE FUNCTION mcred.cohort_lock_key(p_cohort uuid) RETURNS bigint
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT ('x' || pg_catalog.substr(pg_catalog.replace(p_cohort::text, '-', ''), 1, 16))::bit(64)::bigint
$$;

-- A number of the award rule, as server/status.c reads it: a JSON number
-- (its integer part), else the default.
CREATE FUNCTION mcred.rule_int(p_rule jsonb, p_key text, p_default integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT CASE WHEN pg_catalog.jsonb_typeof(p_rule -> p_key) = 'number'
            THEN pg_catalog.trunc((p_rule ->> p_key)::numeric)::integer
            ELSE p_default END
$$;

-- Whether each learner named meets the cohort's award rule now: every
-- indicator of the credential at min_level or above, min_weekly_attendance
-- weekly sessions attended (excused ones do not count), and the problem
-- of practice approved unless the rule says it is not required.
CREATE FUNCTION mcred.learners_eligibility(p_org uuid, p_cohort uuid, p_learners uuid[])
    RETURNS TABLE (learner_id uuid, was boolean, eligible boolean, email text,
                   credential_id uuid)
    LANGUAGE sql STABLE
    AS $$
WITH rule AS (
    SELECT cr.id AS credential_id,
           mcred.rule_int(cr.award_rule, 'min_level', 3) AS min_level,
           mcred.rule_int(cr.award_rule, 'min_weekly_attendance', 5) AS min_attended,
           coalesce(cr.award_rule -> 'problem_of_practice_required', 'true'::jsonb)
               <> 'false'::jsonb AS problem_required
      FROM mcred.cohorts c
      JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id
     WHERE c.org_id = p_org AND c.id = p_cohort
)
SELECT m.person_id, m.eligible,
       NOT EXISTS (
           SELECT 1 FROM mcred.indicators i
             LEFT JOIN mcred.score_current sc
               ON sc.org_id = p_org AND sc.cohort_id = p_cohort
              AND sc.learner_id = m.person_id AND sc.indicator = i.code
            WHERE i.org_id = p_org AND i.credential_id = rule.credential_id
              AND coalesce(sc.level, 0) < rule.min_level)
       AND (SELECT count(*) FROM mcred.attendance a
              JOIN mcred.sessions s ON s.org_id = a.org_id AND s.id = a.session_id
             WHERE a.org_id = p_org AND a.person_id = m.person_id AND s.cohort_id = p_cohort
               AND s.kind = 'weekly' AND s.cancelled_at IS NULL
               AND a.mode IN ('in_person', 'online', 'asynchronous')) >= rule.min_attended
       AND (NOT rule.problem_required OR EXISTS (
           SELECT 1 FROM mcred.problems pr
            WHERE pr.org_id = p_org AND pr.cohort_id = p_cohort
              AND pr.learner_id = m.person_id AND pr.status = 'approved')),
       p.email, rule.credential_id
  FROM rule, mcred.members m
  JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id
 WHERE m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = ANY (p_learners)
   AND m.role = 'learner'
$$;

-- Bring the learners' eligibility up to date after a write that touched
-- them: lock their member rows (in one order, so that two bulk writes do
-- not deadlock), decide in a fresh snapshot, mark what changed, and for
-- each move to eligible write the audit row and one credential.eligible
-- event.  Returns how many became eligible.
CREATE FUNCTION mcred.learners_refresh(p_org uuid, p_cohort uuid, p_learners uuid[],
                                       p_actor_id uuid, p_actor text, p_request text)
    RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_newly integer;
BEGIN
    PERFORM 1 FROM mcred.members m
     WHERE m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = ANY (p_learners)
       AND m.role = 'learner'
     ORDER BY m.person_id
       FOR NO KEY UPDATE;
    WITH decided AS (
        SELECT * FROM mcred.learners_eligibility(p_org, p_cohort, p_learners)
         WHERE was IS DISTINCT FROM eligible
    ), marked AS (
        UPDATE mcred.members m SET eligible = d.eligible
          FROM decided d
         WHERE m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = d.learner_id
        RETURNING m.person_id
    ), newly AS (
        SELECT d.learner_id,
               jsonb_build_object('cohort', p_cohort, 'learner', d.learner_id, 'email', d.email,
                                  'credential', d.credential_id) AS data
          FROM decided d WHERE d.eligible
    ), audit AS (
        INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, after,
                                 request_id)
        SELECT p_org, p_actor_id, p_actor, 'status.eligible', 'member',
               p_cohort::text || '/' || n.learner_id::text, n.data, p_request
          FROM newly n
    ), events AS (
        INSERT INTO mcred.events (org_id, type, payload)
        SELECT p_org, 'credential.eligible', n.data FROM newly n
    )
    SELECT count(*) INTO v_newly FROM newly;
    RETURN v_newly;
END
$$;

-- "1 (Not Evident) to 4 (Exemplary)": a rubric's range, as messages say it.
CREATE FUNCTION mcred.rubric_range(p_rubric jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT coalesce(f.v ->> 'level', '0') || ' (' || coalesce(f.v ->> 'label', '') || ') to '
       || coalesce(l.v ->> 'level', '0') || ' (' || coalesce(l.v ->> 'label', '') || ')'
  FROM (SELECT p_rubric -> 0 AS v) f,
       (SELECT p_rubric -> (pg_catalog.jsonb_array_length(p_rubric) - 1) AS v) l
$$;

-- A level given by number (a JSON number, or a text of at most four
-- digits) or by the rubric's label in any case; null when none matches.
CREATE FUNCTION mcred.rubric_level(p_rubric jsonb, p_given jsonb) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT (r ->> 'level')::integer
  FROM pg_catalog.jsonb_array_elements(p_rubric) r
 WHERE CASE pg_catalog.jsonb_typeof(p_given)
       WHEN 'number' THEN (p_given #>> '{}')::numeric BETWEEN 1 AND 1000
                          AND (p_given #>> '{}')::numeric = pg_catalog.trunc((p_given #>> '{}')::numeric)
                          AND (r ->> 'level')::numeric = (p_given #>> '{}')::numeric
       WHEN 'string' THEN CASE WHEN (p_given #>> '{}') ~ '^[0-9]{1,4}$'
                               THEN (r ->> 'level')::numeric = (p_given #>> '{}')::numeric
                               WHEN (p_given #>> '{}') ~ '^[0-9]+$' THEN false
                               ELSE pg_catalog.lower(r ->> 'label') = pg_catalog.lower(p_given #>> '{}')
                          END
       ELSE false END
 LIMIT 1
$$;

-- Check and record a score request whole, as the caller the transaction
-- authenticated (mcred.current_person()).  p_cohort is the cohort as the
-- path names it (id, slug or exact name); p_rows a JSON array of
-- {"learner": e-mail or id, "indicator", "level": number or label,
-- "feedback", "evidence"} whose shape the server checked (a key it found
-- malformed is left out, and then only the other checks run).  With
-- p_write false (the server found problems of its own) nothing is written.
-- The answer is one JSON object:
--   {"outcome": "unauthenticated" | "not_found" | "ambiguous" | "forbidden"
--               | "closed" | "invalid" | "created" | "checked",
--    "cohort": {"id", "name"}, "slugs": […] (ambiguous),
--    "problems": [{"idx", "field", "code": "invalid" | "forbidden", "message"}],
--    "scores": [items, in order] (created)}
-- Every check and write is here, so that the server reaches the database
-- once for the request: authentication, this, and COMMIT in one pipeline.
CREATE FUNCTION mcred.scores_post(p_cohort text, p_rows jsonb, p_request text, p_write boolean)
    RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_person uuid := mcred.current_person();
    v_actor text;
    v_org_role text;
    v_cohort record;
    v_role text;
    v_coach uuid; -- whose learners the caller may score; null: any learner
    v_rows jsonb;
    v_problems jsonb;
    v_items jsonb;
    v_learners uuid[];
    v_matches integer;
BEGIN
    IF v_org IS NULL OR v_person IS NULL THEN
        RETURN jsonb_build_object('outcome', 'unauthenticated');
    END IF;
    SELECT p.email, p.org_role INTO v_actor, v_org_role
      FROM mcred.people p WHERE p.org_id = v_org AND p.id = v_person;

    IF mcred.try_uuid(p_cohort) IS NOT NULL THEN
        SELECT c.id, c.name, c.credential_id INTO v_cohort
          FROM mcred.cohorts c WHERE c.org_id = v_org AND c.id = mcred.try_uuid(p_cohort);
        v_matches := CASE WHEN FOUND THEN 1 ELSE 0 END;
    ELSE
        SELECT count(*) INTO v_matches FROM mcred.cohort_named(v_org, p_cohort, v_person);
        IF v_matches > 1 THEN
            RETURN jsonb_build_object('outcome', 'ambiguous', 'slugs',
                (SELECT jsonb_agg(n.slug ORDER BY n.slug)
                   FROM mcred.cohort_named(v_org, p_cohort, v_person) n));
        END IF;
        SELECT c.id, c.name, c.credential_id INTO v_cohort
          FROM mcred.cohort_named(v_org, p_cohort, v_person) n
          JOIN mcred.cohorts c ON c.org_id = v_org AND c.id = n.id;
    END IF;
    IF v_matches = 0 THEN
        -- as the ordinary path answers: an id is refused to whom may not write
        -- there before it is looked for, a name is looked for first
        IF mcred.try_uuid(p_cohort) IS NOT NULL AND v_org_role NOT IN ('admin', 'coordinator') THEN
            RETURN jsonb_build_object('outcome', 'forbidden');
        END IF;
        RETURN jsonb_build_object('outcome', 'not_found');
    END IF;

    IF v_org_role NOT IN ('admin', 'coordinator') THEN
        SELECT m.role INTO v_role FROM mcred.members m
         WHERE m.org_id = v_org AND m.cohort_id = v_cohort.id AND m.person_id = v_person
           AND m.status = 'enrolled';
        IF v_role IS DISTINCT FROM 'coach' THEN
            RETURN jsonb_build_object('outcome', 'forbidden', 'cohort',
                                      jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name));
        END IF;
        v_coach := v_person;
    END IF;

    IF p_write THEN
        PERFORM pg_catalog.pg_advisory_xact_lock_shared(mcred.cohort_lock_key(v_cohort.id));
    END IF;
    IF (SELECT mcred.cohort_status(c.org_id, c.id, c.status, c.status_source, c.starts_on,
                                       c.closes_on, c.timezone)
              FROM mcred.cohorts c WHERE c.org_id = v_org AND c.id = v_cohort.id) = 'closed' THEN
        RETURN jsonb_build_object('outcome', 'closed', 'cohort',
                                  jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name));
    END IF;

    -- every row resolved at once: its learner, their membership, the level
    WITH framework AS (
        SELECT cr.rubric, mcred.rubric_range(cr.rubric) AS range
          FROM mcred.credentials cr WHERE cr.org_id = v_org AND cr.id = v_cohort.credential_id
    )
    SELECT jsonb_agg(jsonb_build_object(
               'idx', r.n - 1, 'who', r.v ->> 'learner', 'learner', p.id,
               'label', mcred.person_label(v_org, p.id), 'role', m.role, 'status', m.status,
               'mine', v_coach IS NULL OR p.id IN (SELECT mcred.coached_by(v_org, v_cohort.id, v_coach)),
               'coach', mcred.person_label(v_org, m.coach_id),
               'indicator', r.v ->> 'indicator',
               'indicator_ok', r.v ->> 'indicator' IS NULL OR EXISTS (
                   SELECT 1 FROM mcred.indicators i WHERE i.org_id = v_org
                      AND i.credential_id = v_cohort.credential_id AND i.code = r.v ->> 'indicator'),
               'level_given', r.v ? 'level',
               'level', CASE WHEN r.v ? 'level' THEN mcred.rubric_level(f.rubric, r.v -> 'level') END,
               'range', f.range,
               'feedback', r.v ->> 'feedback', 'evidence', r.v ->> 'evidence',
               'evidence_ok', r.v ->> 'evidence' IS NULL OR EXISTS (
                   SELECT 1 FROM mcred.evidence e
                    WHERE e.org_id = v_org AND e.cohort_id = v_cohort.id AND e.learner_id = p.id
                      AND e.id = mcred.try_uuid(r.v ->> 'evidence'))
           ) ORDER BY r.n)
      INTO v_rows
      FROM framework f,
           jsonb_array_elements(p_rows) WITH ORDINALITY AS r(v, n)
      LEFT JOIN LATERAL (
           SELECT pp.id FROM mcred.people pp
            WHERE pp.org_id = v_org
              AND (pp.id = mcred.try_uuid(r.v ->> 'learner')
                   OR pg_catalog.lower(pp.email) = pg_catalog.lower(r.v ->> 'learner'))
            LIMIT 1) p ON true
      LEFT JOIN mcred.members m
        ON m.org_id = v_org AND m.cohort_id = v_cohort.id AND m.person_id = p.id;

    -- every problem, in the order of the rows, each row's in a fixed order
    SELECT coalesce(jsonb_agg(x.problem ORDER BY x.idx, x.k), '[]'::jsonb) INTO v_problems
      FROM (
        SELECT (w ->> 'idx')::integer AS idx, c.k,
               jsonb_build_object('idx', (w ->> 'idx')::integer, 'field', c.field,
                                  'code', c.code, 'message', c.message) AS problem
          FROM jsonb_array_elements(coalesce(v_rows, '[]'::jsonb)) w,
          LATERAL (VALUES
            (1, 'indicator', 'invalid',
             CASE WHEN NOT (w ->> 'indicator_ok')::boolean
                  THEN (w ->> 'indicator') || ' is not an indicator of this credential' END),
            (2, 'level', 'invalid',
             CASE WHEN NOT (w ->> 'level_given')::boolean THEN 'level is required: ' || (w ->> 'range')
                  WHEN w ->> 'level' IS NULL THEN 'level must be ' || (w ->> 'range') END),
            (3, 'learner', 'invalid',
             CASE WHEN w ->> 'who' IS NULL THEN NULL
                  WHEN w ->> 'learner' IS NULL
                  THEN 'no person ' || (w ->> 'who') || ' in this organisation'
                  WHEN w ->> 'role' IS DISTINCT FROM 'learner'
                  THEN (w ->> 'label') || ' is not a learner of this cohort'
                  WHEN w ->> 'status' <> 'enrolled'
                  THEN (w ->> 'label') || ' is ' || (w ->> 'status') || ', not enrolled' END),
            (4, 'learner', 'forbidden',
             CASE WHEN w ->> 'learner' IS NOT NULL AND w ->> 'role' = 'learner'
                       AND w ->> 'status' = 'enrolled' AND NOT (w ->> 'mine')::boolean
                  THEN 'you do not coach ' || (w ->> 'label') || coalesce(
                           '; their coach is ' || (w ->> 'coach'),
                           '; they have no coach, and a coordinator can assign one') END),
            (5, 'evidence', 'invalid',
             CASE WHEN w ->> 'learner' IS NOT NULL AND w ->> 'role' = 'learner'
                       AND w ->> 'status' = 'enrolled' AND (w ->> 'mine')::boolean
                       AND NOT (w ->> 'evidence_ok')::boolean
                  THEN 'evidence ' || (w ->> 'evidence') || ' is not ' || (w ->> 'label')
                       || '''s in this cohort' END)
          ) AS c(k, field, code, message)
         WHERE c.message IS NOT NULL) x;

    IF jsonb_array_length(v_problems) > 0 OR NOT p_write THEN
        RETURN jsonb_build_object('outcome', CASE WHEN jsonb_array_length(v_problems) > 0
                                                  THEN 'invalid' ELSE 'checked' END,
                                  'cohort', jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name),
                                  'problems', v_problems);
    END IF;

    -- the learners' member rows first, in one order: writes for one learner
    -- queue here, and two bulk requests cannot deadlock
    SELECT array_agg(DISTINCT (w ->> 'learner')::uuid) INTO v_learners
      FROM jsonb_array_elements(v_rows) w;
    PERFORM 1 FROM mcred.members m
     WHERE m.org_id = v_org AND m.cohort_id = v_cohort.id AND m.person_id = ANY (v_learners)
     ORDER BY m.person_id
       FOR NO KEY UPDATE;

    SELECT jsonb_agg(w || jsonb_build_object('id', gen_random_uuid()) ORDER BY (w ->> 'idx')::integer)
      INTO v_rows FROM jsonb_array_elements(v_rows) w;
    INSERT INTO mcred.scores (org_id, id, cohort_id, learner_id, indicator, level, feedback,
                              evidence_id, coach_id)
    SELECT v_org, (w ->> 'id')::uuid, v_cohort.id, (w ->> 'learner')::uuid, w ->> 'indicator',
           (w ->> 'level')::integer, coalesce(w ->> 'feedback', ''), (w ->> 'evidence')::uuid,
           v_person
      FROM jsonb_array_elements(v_rows) WITH ORDINALITY AS x(w, n) ORDER BY x.n;
    INSERT INTO mcred.score_current (org_id, cohort_id, learner_id, indicator, score_id, level)
    SELECT DISTINCT ON (w ->> 'learner', w ->> 'indicator')
           v_org, v_cohort.id, (w ->> 'learner')::uuid, w ->> 'indicator', (w ->> 'id')::uuid,
           (w ->> 'level')::integer
      FROM jsonb_array_elements(v_rows) WITH ORDINALITY AS x(w, n)
     ORDER BY w ->> 'learner', w ->> 'indicator', x.n DESC
    ON CONFLICT (org_id, cohort_id, learner_id, indicator)
    DO UPDATE SET score_id = EXCLUDED.score_id, level = EXCLUDED.level;

    SELECT jsonb_agg(s.item::jsonb ORDER BY x.n) INTO v_items
      FROM jsonb_array_elements(v_rows) WITH ORDINALITY AS x(w, n)
      JOIN mcred.score_items s ON s.org_id = v_org AND s.id = (x.w ->> 'id')::uuid;
    INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, after, request_id)
    SELECT v_org, v_person, v_actor, 'score.record', 'score', i ->> 'id', i, p_request
      FROM jsonb_array_elements(v_items) WITH ORDINALITY AS x(i, n) ORDER BY x.n;
    INSERT INTO mcred.events (org_id, type, payload)
    SELECT v_org, 'score.recorded',
           jsonb_build_object('cohort', v_cohort.id, 'score', (w ->> 'id')::uuid,
                              'learner', (w ->> 'learner')::uuid, 'indicator', w ->> 'indicator',
                              'level', (w ->> 'level')::integer, 'coach', v_person)
      FROM jsonb_array_elements(v_rows) WITH ORDINALITY AS x(w, n) ORDER BY x.n;

    PERFORM mcred.learners_refresh(v_org, v_cohort.id, v_learners, v_person, v_actor, p_request);
    RETURN jsonb_build_object('outcome', 'created',
                              'cohort', jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name),
                              'scores', v_items);
END
$$;

DROP FUNCTION mcred.scores_record(uuid, uuid, uuid, text, text, text, jsonb);
DROP FUNCTION mcred.score_learners(uuid, uuid, uuid, jsonb);

-- Whatever changes a cohort or one of its sessions waits for the records
-- being written in it and holds back those that follow, however it is
-- changed (a handler, a SQL function): the writers of records check the
-- cohort's and the session's state after taking the shared lock.
CREATE FUNCTION mcred.cohort_exclude() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(mcred.cohort_lock_key(OLD.id));
    RETURN NEW;
END
$$;

CREATE FUNCTION mcred.session_exclude() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(mcred.cohort_lock_key(OLD.cohort_id));
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE TRIGGER cohorts_exclude BEFORE UPDATE ON mcred.cohorts
    FOR EACH ROW EXECUTE FUNCTION mcred.cohort_exclude();
CREATE TRIGGER sessions_exclude BEFORE UPDATE OR DELETE ON mcred.sessions
    FOR EACH ROW EXECUTE FUNCTION mcred.session_exclude();
