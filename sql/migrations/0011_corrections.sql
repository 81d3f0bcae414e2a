-- 0011_corrections: records that can be corrected — evidence updated and
-- removed, credentials retired — and scores checked and written in a
-- constant number of round trips however many a request carries.

ALTER TABLE mcred.evidence ADD COLUMN updated_at timestamptz;
ALTER TABLE mcred.credentials ADD COLUMN retired_at timestamptz;

-- Evidence shows when it was last corrected (null until then).
CREATE OR REPLACE VIEW mcred.evidence_items WITH (security_invoker = true) AS
SELECT e.org_id, e.id, e.cohort_id, e.learner_id, e.indicator,
       (to_char(e.submitted_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || e.id::text) COLLATE "C" AS sort_key,
       json_build_object(
           'id', e.id, 'cohort', e.cohort_id,
           'learner', json_build_object('id', p.id, 'email', p.email, 'name', p.name),
           'indicator', e.indicator, 'title', e.title, 'url', e.url, 'text', e.body,
           'submitted_by', e.submitted_by, 'submitted_at', mcred.rfc3339(e.submitted_at),
           'updated_at', mcred.rfc3339(e.updated_at)
       ) AS item
  FROM mcred.evidence e
  JOIN mcred.people p ON p.org_id = e.org_id AND p.id = e.learner_id;

-- A text as a uuid, or null when it is not one.
CREATE FUNCTION mcred.try_uuid(s text) RETURNS uuid
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT CASE WHEN s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            THEN s::uuid END
$$;

-- "Name (e-mail)" of a person, as messages name people.
CREATE FUNCTION mcred.person_label(p_org uuid, p_person uuid) RETURNS text
    LANGUAGE sql STABLE
    AS $$
SELECT CASE WHEN p.name <> '' THEN p.name || ' (' || p.email || ')' ELSE p.email END
  FROM mcred.people p WHERE p.org_id = p_org AND p.id = p_person
$$;

-- The learners that the rows of a score request name (`p_rows`: a JSON
-- array of {"learner": e-mail or id, "evidence": id or null}), one row
-- per request row (`idx` from 0), all looked up in one statement: the
-- person, their membership, whether the coach `p_coach` (null for a
-- coordinator) may score them, their coach as messages name them, and
-- whether the evidence cited is theirs in this cohort.
CREATE FUNCTION mcred.score_learners(p_org uuid, p_cohort uuid, p_coach uuid, p_rows jsonb)
    RETURNS TABLE (idx integer, person_id uuid, label text, role text, status text,
                   mine boolean, coach text, evidence_ok boolean)
    LANGUAGE sql STABLE
    AS $$
SELECT (r.n - 1)::integer, p.id,
       mcred.person_label(p_org, p.id), m.role, m.status,
       p_coach IS NULL OR p.id IN (SELECT mcred.coached_by(p_org, p_cohort, p_coach)),
       mcred.person_label(p_org, m.coach_id),
       r.v->>'evidence' IS NULL OR EXISTS (
           SELECT 1 FROM mcred.evidence e
            WHERE e.org_id = p_org AND e.cohort_id = p_cohort AND e.learner_id = p.id
              AND e.id = mcred.try_uuid(r.v->>'evidence'))
  FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS r(v, n)
  LEFT JOIN LATERAL (
       SELECT pp.id FROM mcred.people pp
        WHERE pp.org_id = p_org
          AND (pp.id = mcred.try_uuid(r.v->>'learner') OR lower(pp.email) = lower(r.v->>'learner'))
        LIMIT 1) p ON true
  LEFT JOIN mcred.members m
    ON m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = p.id
 ORDER BY r.n
$$;

-- Record checked scores (`p_rows`: a JSON array of {"learner": id,
-- "indicator", "level", "feedback", "evidence"}) in order: each score,
-- its place as the indicator's current level, its audit row and its
-- score.recorded event; the items as the API shows them, in order.  One
-- round trip for any number of scores.
CREATE FUNCTION mcred.scores_record(p_org uuid, p_cohort uuid, p_coach uuid, p_actor text,
                                    p_request text, p_channel text, p_rows jsonb)
    RETURNS SETOF json
    LANGUAGE plpgsql
    AS $$
DECLARE
    v jsonb;
    v_id uuid;
    v_item json;
BEGIN
    FOR v IN SELECT e.v FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e(v, n) ORDER BY e.n
    LOOP
        INSERT INTO mcred.scores (org_id, cohort_id, learner_id, indicator, level, feedback,
                                  evidence_id, coach_id)
        VALUES (p_org, p_cohort, (v->>'learner')::uuid, v->>'indicator', (v->>'level')::integer,
                coalesce(v->>'feedback', ''), (v->>'evidence')::uuid, p_coach)
        RETURNING id INTO v_id;
        INSERT INTO mcred.score_current (org_id, cohort_id, learner_id, indicator, score_id, level)
        VALUES (p_org, p_cohort, (v->>'learner')::uuid, v->>'indicator', v_id,
                (v->>'level')::integer)
        ON CONFLICT (org_id, cohort_id, learner_id, indicator)
        DO UPDATE SET score_id = EXCLUDED.score_id, level = EXCLUDED.level;
        SELECT s.item INTO v_item FROM mcred.score_items s WHERE s.org_id = p_org AND s.id = v_id;
        INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, after,
                                 request_id)
        VALUES (p_org, p_coach, p_actor, 'score.record', 'score', v_id::text, v_item::jsonb,
                p_request);
        INSERT INTO mcred.events (org_id, type, payload)
        VALUES (p_org, 'score.recorded',
                jsonb_build_object('cohort', p_cohort, 'score', v_id, 'learner', v->>'learner',
                                   'indicator', v->>'indicator',
                                   'level', (v->>'level')::integer, 'coach', p_coach));
        RETURN NEXT v_item;
    END LOOP;
    PERFORM pg_catalog.pg_notify(p_channel, '');
END
$$;
