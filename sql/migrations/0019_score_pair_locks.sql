-- 0019_score_pair_locks: score writes for one learner no longer queue.
--
-- Until now every score write took its learners' member rows
-- (FOR NO KEY UPDATE) and decided their eligibility afresh, so writes for
-- one learner ran one at a time, each holding the row through its commit.
-- pg_stat_statements on the 16-connection benchmark showed a third of a
-- write's time waiting there, and another sixth in mcred.learners_refresh.
--
-- A write now locks only what it changes: each (learner, indicator) pair,
-- by a transaction advisory lock, under its learner's lock taken shared,
-- all in one order (two writers cannot deadlock), so that the level it
-- replaces is the one it read.  A request of more than 8 pairs takes its
-- learners' locks exclusively instead, so that a 500-score import holds a
-- bounded number of locks (the lock table is shared and finite).
-- A learner's eligibility can change only where a level crosses the award
-- rule's min_level, one way or the other; only then does the write take
-- the learner's member row and decide eligibility (learners_refresh), in
-- a snapshot that sees every other crossing that committed before it.
-- Writes that cross nothing leave the eligibility predicate as it was
-- and take no shared row at all.

-- The advisory-lock key of a (cohort, learner) pair; the indicator's
-- hash is the second key.  The two-key form is a lock space of its own,
-- apart from mcred.cohort_lock_key's one-key locks.
CREATE FUNCTION mcred.score_pair_key(p_cohort uuid, p_learner uuid) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT pg_catalog.hashtext(p_cohort::text || p_learner::text)
$$;

CREATE OR REPLACE FUNCTION mcred.scores_post(p_cohort text, p_rows jsonb, p_request text,
                                             p_write boolean)
    RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_person uuid := mcred.current_person();
    v_actor text;
    v_actor_name text;
    v_org_role text;
    v_cohort record;
    v_role text;
    v_coach uuid; -- whose learners the caller may score; null: any learner
    v_coached uuid[];
    v_rubric jsonb;
    v_range text;
    v_rows jsonb;
    v_problems jsonb;
    v_items jsonb;
    v_crossed uuid[];
    v_min_level integer;
    v_matches integer;
BEGIN
    IF v_org IS NULL OR v_person IS NULL THEN
        RETURN jsonb_build_object('outcome', 'unauthenticated');
    END IF;
    SELECT p.email, p.name, p.org_role INTO v_actor, v_actor_name, v_org_role
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
        v_coached := ARRAY(SELECT l FROM mcred.coached_by(v_org, v_cohort.id, v_coach) l);
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

    SELECT cr.rubric, mcred.rule_int(cr.award_rule, 'min_level', 3) INTO v_rubric, v_min_level
      FROM mcred.credentials cr WHERE cr.org_id = v_org AND cr.id = v_cohort.credential_id;
    v_range := mcred.rubric_range(v_rubric);

    -- every row resolved at once: its learner, their membership, the level
    SELECT jsonb_agg(jsonb_build_object(
               'idx', r.n - 1, 'who', r.v ->> 'learner', 'learner', p.id,
               'email', p.email, 'name', p.name,
               'label', CASE WHEN p.name <> '' THEN p.name || ' (' || p.email || ')' ELSE p.email END,
               'role', m.role, 'status', m.status,
               'mine', v_coach IS NULL OR p.id = ANY (v_coached),
               'coach', mcred.person_label(v_org, m.coach_id),
               'indicator', r.v ->> 'indicator',
               'indicator_ok', r.v ->> 'indicator' IS NULL OR EXISTS (
                   SELECT 1 FROM mcred.indicators i WHERE i.org_id = v_org
                      AND i.credential_id = v_cohort.credential_id AND i.code = r.v ->> 'indicator'),
               'level_given', r.v ? 'level',
               'level', CASE WHEN r.v ? 'level' THEN mcred.rubric_level(v_rubric, r.v -> 'level') END,
               'range', v_range,
               'feedback', r.v ->> 'feedback', 'evidence', r.v ->> 'evidence',
               'evidence_ok', r.v ->> 'evidence' IS NULL OR EXISTS (
                   SELECT 1 FROM mcred.evidence e
                    WHERE e.org_id = v_org AND e.cohort_id = v_cohort.id AND e.learner_id = p.id
                      AND e.id = mcred.try_uuid(r.v ->> 'evidence'))
           ) ORDER BY r.n)
      INTO v_rows
      FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS r(v, n)
      LEFT JOIN LATERAL (
           -- by id through the primary key; by e-mail only when it is no id
           SELECT pp.id, pp.email, pp.name FROM mcred.people pp
            WHERE pp.org_id = v_org AND pp.id = mcred.try_uuid(r.v ->> 'learner')
           UNION ALL
           SELECT pp.id, pp.email, pp.name FROM mcred.people pp
            WHERE mcred.try_uuid(r.v ->> 'learner') IS NULL
              AND pp.org_id = v_org AND pp.email_key = pg_catalog.lower(r.v ->> 'learner')
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

    -- the learners, then each (learner, indicator) pair the request
    -- writes, each phase in one order, so that no two writers deadlock:
    -- a learner shared and the pair exclusively, so that writes of one
    -- pair queue; a request of more than 8 pairs takes its learners
    -- exclusively instead, to hold a bounded number of locks
    PERFORM CASE WHEN k.indicator_key IS NOT NULL
                 THEN pg_catalog.pg_advisory_xact_lock(k.learner_key, k.indicator_key)
                 WHEN k.bulk THEN pg_catalog.pg_advisory_xact_lock(k.learner_key, 0)
                 ELSE pg_catalog.pg_advisory_xact_lock_shared(k.learner_key, 0) END
      FROM (SELECT DISTINCT p.indicator_key IS NOT NULL AS phase, p.learner_key, p.indicator_key,
                            q.bulk
              FROM (SELECT d.learner_key, d.pair_key, count(*) OVER () > 8 AS bulk
                      FROM (SELECT DISTINCT
                                   mcred.score_pair_key(v_cohort.id, (w ->> 'learner')::uuid)
                                       AS learner_key,
                                   coalesce(nullif(pg_catalog.hashtext(w ->> 'indicator'), 0), 1)
                                       AS pair_key
                              FROM jsonb_array_elements(v_rows) w) d) q,
                   LATERAL (VALUES (q.learner_key, NULL::integer),
                                   (q.learner_key, q.pair_key)) p (learner_key, indicator_key)
             WHERE p.indicator_key IS NULL OR NOT q.bulk
             ORDER BY 1, 2, 3) k;

    -- one statement writes it all, from the rows read once into typed
    -- columns: the scores, the current levels, the audit rows and the
    -- events, and answers the items as mcred.score_items shows them, and
    -- the learners of whom a level crossed min_level (the statement's
    -- snapshot, taken after the pair locks, holds the levels replaced)
    WITH src AS MATERIALIZED (
        SELECT x.n, gen_random_uuid() AS id, (x.w ->> 'learner')::uuid AS learner,
               x.w ->> 'email' AS email, x.w ->> 'name' AS name, x.w ->> 'indicator' AS indicator,
               (x.w ->> 'level')::integer AS level, coalesce(x.w ->> 'feedback', '') AS feedback,
               (x.w ->> 'evidence')::uuid AS evidence
          FROM jsonb_array_elements(v_rows) WITH ORDINALITY AS x(w, n)
    ), labels AS (
        SELECT (r ->> 'level')::integer AS level, pg_catalog.min(r ->> 'label') AS label
          FROM jsonb_array_elements(v_rubric) r GROUP BY 1
    ), inserted AS (
        INSERT INTO mcred.scores (org_id, id, cohort_id, learner_id, indicator, level, feedback,
                                  evidence_id, coach_id)
        SELECT v_org, src.id, v_cohort.id, src.learner, src.indicator, src.level, src.feedback,
               src.evidence, v_person
          FROM src ORDER BY src.n
        RETURNING id, scored_at
    ), items AS (
        SELECT src.n, jsonb_build_object(
                   'id', src.id,
                   'learner', jsonb_build_object('id', src.learner, 'email', src.email,
                                                 'name', src.name),
                   'indicator', src.indicator, 'level', src.level, 'label', l.label,
                   'feedback', src.feedback, 'evidence', src.evidence,
                   'coach', jsonb_build_object('id', v_person, 'email', v_actor, 'name', v_actor_name),
                   'scored_at', mcred.rfc3339(i.scored_at)) AS item
          FROM src JOIN inserted i ON i.id = src.id
          LEFT JOIN labels l ON l.level = src.level
    ), final AS (
        SELECT DISTINCT ON (src.learner, src.indicator) src.learner, src.indicator, src.id, src.level
          FROM src
         ORDER BY src.learner, src.indicator, src.n DESC
    ), crossed AS (
        SELECT DISTINCT f.learner
          FROM final f
          LEFT JOIN mcred.score_current sc
            ON sc.org_id = v_org AND sc.cohort_id = v_cohort.id AND sc.learner_id = f.learner
           AND sc.indicator = f.indicator
         WHERE (coalesce(sc.level, 0) >= v_min_level) <> (f.level >= v_min_level)
    ), current AS (
        INSERT INTO mcred.score_current (org_id, cohort_id, learner_id, indicator, score_id, level)
        SELECT v_org, v_cohort.id, f.learner, f.indicator, f.id, f.level FROM final f
        ON CONFLICT (org_id, cohort_id, learner_id, indicator)
        DO UPDATE SET score_id = EXCLUDED.score_id, level = EXCLUDED.level
    ), audited AS (
        INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, after,
                                 request_id)
        SELECT v_org, v_person, v_actor, 'score.record', 'score', src.id::text, items.item,
               p_request
          FROM src JOIN items ON items.n = src.n ORDER BY src.n
    ), evented AS (
        INSERT INTO mcred.events (org_id, type, payload)
        SELECT v_org, 'score.recorded',
               jsonb_build_object('cohort', v_cohort.id, 'score', src.id, 'learner', src.learner,
                                  'indicator', src.indicator, 'level', src.level,
                                  'coach', v_person)
          FROM src ORDER BY src.n
    )
    SELECT jsonb_agg(items.item ORDER BY items.n),
           (SELECT array_agg(c.learner ORDER BY c.learner) FROM crossed c)
      INTO v_items, v_crossed
      FROM items;

    IF v_crossed IS NOT NULL THEN
        PERFORM mcred.learners_refresh(v_org, v_cohort.id, v_crossed, v_person, v_actor, p_request);
    END IF;
    RETURN jsonb_build_object('outcome', 'created',
                              'cohort', jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name),
                              'scores', v_items);
END
$$;
