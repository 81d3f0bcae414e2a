-- bench/limits.sql — the limits that bench/run measures mcred against:
-- PostgreSQL doing a request's essential work in its best form, driven by
-- pgbench -M prepared from the same client count on the same cluster.
--
-- Applied by the cluster's superuser to the benchmark's database after
-- the server's migrations; run by pgbench as the server's own role, under
-- the same row-level security (the function sets the organisation, as the
-- server's authentication does).  It writes into the real tables, so it
-- pays for their indexes, foreign keys and triggers as the server does.
--
-- The status limit is bench/status_limit.pgbench (status_db.c's eight
-- queries, pipelined: one round trip).

CREATE SCHEMA IF NOT EXISTS bench;

-- A score write's essential work, one statement: check that the coach
-- coaches the learner, enrolled, in the cohort; insert the score and keep
-- the learner's current level of the indicator; write the outbox event and
-- the audit row.  (The server does more: it resolves the cohort and the
-- learner by name, checks the level against the rubric, takes the
-- cohort's shared lock and the learner's row, and decides eligibility.)
CREATE OR REPLACE FUNCTION bench.score_limit(p_org uuid, p_coach uuid, p_cohort uuid,
                                             p_learner uuid, p_standard integer,
                                             p_indicator integer, p_level integer)
    RETURNS uuid
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_id uuid := gen_random_uuid();
    v_code text := p_standard::text || '.' || p_indicator::text;
    v_item jsonb;
BEGIN
    PERFORM set_config('mcred.org_id', p_org::text, true);
    PERFORM 1 FROM mcred.members m
     WHERE m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = p_learner
       AND m.role = 'learner' AND m.status = 'enrolled' AND m.coach_id = p_coach;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'coach % does not coach learner % in cohort %', p_coach, p_learner, p_cohort;
    END IF;
    INSERT INTO mcred.scores (org_id, id, cohort_id, learner_id, indicator, level, coach_id)
    VALUES (p_org, v_id, p_cohort, p_learner, v_code, p_level, p_coach);
    INSERT INTO mcred.score_current (org_id, cohort_id, learner_id, indicator, score_id, level)
    VALUES (p_org, p_cohort, p_learner, v_code, v_id, p_level)
    ON CONFLICT (org_id, cohort_id, learner_id, indicator)
    DO UPDATE SET score_id = EXCLUDED.score_id, level = EXCLUDED.level;
    v_item := jsonb_build_object('cohort', p_cohort, 'score', v_id, 'learner', p_learner,
                                 'indicator', v_code, 'level', p_level, 'coach', p_coach);
    INSERT INTO mcred.events (org_id, type, payload) VALUES (p_org, 'score.recorded', v_item);
    INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, after)
    VALUES (p_org, p_coach, 'bench', 'score.record', 'score', v_id::text, v_item);
    RETURN v_id;
END
$$;
