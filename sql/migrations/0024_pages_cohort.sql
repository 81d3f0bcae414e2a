-- 0024_pages_cohort: what the leaders' pages read, each page in one statement.
--
-- A cohort's page (GET /app/cohorts/{id}) shows every learner's status by
-- standard, attendance and problem of practice, with the cohort's report
-- (mcred.cohort_report, migration 0021) drawn as charts and, with ?by,
-- disaggregated; a learner's page (GET /app/cohorts/{id}/learners/{person})
-- shows one learner's status, what is missing and the score history.
--
-- The status itself is decided where the API decides it, in
-- server/status.c: mcred.web_status_inputs gathers exactly what the eight
-- status queries of server/status_db.c read (the rule, the standards and
-- indicators in order, the learners, their current levels, weekly
-- attendance, the weekly sessions held, their problems), as one JSON
-- document, so a page and GET /v1/cohorts/{id}/status can never disagree.
--
-- Every function runs as the caller: row-level security keeps it to the
-- caller's organisation, and a cohort of another organisation gives null.
-- Who may see which learner is the server's decision (the route's roles,
-- a coach's own learners), passed in as p_coach.

-- The status inputs of a cohort's learners: every enrolled learner (as
-- GET /v1/cohorts/{id}/status lists them), or the one learner p_learner
-- whatever their membership's state; with p_coach, only the learners that
-- coach coaches (mcred.coached_by).  Null when the cohort is not there.
CREATE FUNCTION mcred.web_status_inputs(p_cohort uuid, p_learner uuid, p_coach uuid)
    RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
WITH cohort AS (
    SELECT c.org_id, c.id, c.name, c.timezone, c.credential_id, cr.rubric, cr.award_rule
      FROM mcred.cohorts c
      JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id
     WHERE c.org_id = mcred.current_org() AND c.id = p_cohort
),
learner AS (
    SELECT m.person_id, m.status AS membership, p.name, p.email, p.attributes,
           (SELECT a.status FROM mcred.awards a
             WHERE a.org_id = m.org_id AND a.cohort_id = m.cohort_id
               AND a.learner_id = m.person_id
             ORDER BY a.status = 'awarded' DESC, a.awarded_at DESC LIMIT 1) AS award
      FROM cohort c
      JOIN mcred.members m ON m.org_id = c.org_id AND m.cohort_id = c.id
      JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id
     WHERE m.role = 'learner'
       AND ((p_learner IS NULL AND m.status = 'enrolled') OR m.person_id = p_learner)
       AND (p_coach IS NULL
            OR m.person_id IN (SELECT k FROM mcred.coached_by(c.org_id, c.id, p_coach) k))
),
weekly AS (
    SELECT s.id, s.starts_at, s.held_at
      FROM cohort c JOIN mcred.sessions s ON s.org_id = c.org_id AND s.cohort_id = c.id
     WHERE s.kind = 'weekly' AND s.cancelled_at IS NULL
)
SELECT jsonb_build_object(
    'cohort', jsonb_build_object('id', c.id, 'name', c.name, 'timezone', c.timezone),
    'rubric', c.rubric,
    'award_rule', c.award_rule,
    'standards', (SELECT coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'title', s.title)
                                            ORDER BY s.position), '[]')
                    FROM mcred.standards s
                   WHERE s.org_id = c.org_id AND s.credential_id = c.credential_id),
    'indicators', (SELECT coalesce(jsonb_agg(jsonb_build_object('code', i.code,
                                                                'standard', i.standard_code,
                                                                'text', i.text)
                                             ORDER BY s.position, i.position), '[]')
                     FROM mcred.standards s
                     JOIN mcred.indicators i ON i.org_id = s.org_id
                      AND i.credential_id = s.credential_id AND i.standard_code = s.code
                    WHERE s.org_id = c.org_id AND s.credential_id = c.credential_id),
    'held', (SELECT count(*) FROM weekly w WHERE w.starts_at <= now() OR w.held_at IS NOT NULL),
    'learners', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'id', l.person_id, 'name', l.name, 'email', l.email,
                   'membership', l.membership, 'attributes', l.attributes, 'award', l.award,
                   'levels', (SELECT coalesce(jsonb_object_agg(sc.indicator, sc.level), '{}')
                                FROM mcred.score_current sc
                               WHERE sc.org_id = c.org_id AND sc.cohort_id = c.id
                                 AND sc.learner_id = l.person_id),
                   'attended', (SELECT count(*) FROM weekly w JOIN mcred.attendance a
                                    ON a.org_id = c.org_id AND a.session_id = w.id
                                 WHERE a.person_id = l.person_id
                                   AND a.mode IN ('in_person', 'online', 'asynchronous')),
                   'excused', (SELECT count(*) FROM weekly w JOIN mcred.attendance a
                                   ON a.org_id = c.org_id AND a.session_id = w.id
                                WHERE a.person_id = l.person_id AND a.mode = 'excused'),
                   'problem', coalesce((SELECT pr.status FROM mcred.problems pr
                                         WHERE pr.org_id = c.org_id AND pr.cohort_id = c.id
                                           AND pr.learner_id = l.person_id), 'none'))
                   ORDER BY lower(l.name), lower(l.email)), '[]')
          FROM learner l))
  FROM cohort c
$$;

-- A cohort's page, whole: the learners' status inputs (a coach's own
-- learners when p_coach is given), the person attributes its learners
-- have (for the disaggregation selector), and, when p_report, the
-- cohort's report for everyone and, with p_by, disaggregated by p_by
-- (suppression is the server's, as for GET /v1/reports/cohorts/{id}).
-- One statement, so the page costs one round trip.
CREATE FUNCTION mcred.web_cohort(p_cohort uuid, p_by text, p_coach uuid, p_report boolean)
    RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT CASE WHEN x.inputs IS NULL THEN NULL ELSE jsonb_build_object(
    'status', x.inputs,
    'attributes', (SELECT coalesce(jsonb_agg(DISTINCT k ORDER BY k), '[]')
                     FROM mcred.members m
                     JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id
                     CROSS JOIN jsonb_object_keys(p.attributes) k
                    WHERE m.org_id = mcred.current_org() AND m.cohort_id = p_cohort
                      AND m.role = 'learner' AND m.status IN ('enrolled', 'completed')),
    'report', CASE WHEN p_report THEN mcred.cohort_report(p_cohort, NULL) END,
    'report_by', CASE WHEN p_report AND p_by IS NOT NULL
                      THEN mcred.cohort_report(p_cohort, p_by) END)
END
  FROM (SELECT mcred.web_status_inputs(p_cohort, NULL, p_coach) AS inputs) x
$$;

-- A learner's page, whole: their status inputs (whatever their
-- membership's state, as GET /v1/cohorts/{id}/members/{person}/status),
-- whether the caller coaches them, every score newest first with its
-- coach, each weekly session with how they attended it, and their problem
-- of practice.  'status'.'learners' is empty when p_person is no learner
-- of the cohort; null when the cohort is not there.
CREATE FUNCTION mcred.web_cohort_learner(p_cohort uuid, p_person uuid)
    RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
SELECT CASE WHEN x.inputs IS NULL THEN NULL ELSE jsonb_build_object(
    'status', x.inputs,
    'coached', p_person IN (SELECT k FROM mcred.coached_by(mcred.current_org(), p_cohort,
                                                           mcred.current_person()) k),
    'history', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'indicator', s.indicator, 'level', s.level, 'feedback', s.feedback,
                   'coach', coalesce(k.name, ''),
                   'scored_at', to_char(s.scored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'))
                   ORDER BY s.scored_at DESC, s.seq DESC), '[]')
          FROM mcred.scores s
          LEFT JOIN mcred.people k ON k.org_id = s.org_id AND k.id = s.coach_id
         WHERE s.org_id = mcred.current_org() AND s.cohort_id = p_cohort
           AND s.learner_id = p_person),
    'sessions', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'week', s.week,
                   'date', to_char(s.starts_at AT TIME ZONE c.timezone, 'YYYY-MM-DD'),
                   'mode', a.mode)
                   ORDER BY s.week NULLS LAST, s.starts_at, s.id), '[]')
          FROM mcred.cohorts c
          JOIN mcred.sessions s ON s.org_id = c.org_id AND s.cohort_id = c.id
          LEFT JOIN mcred.attendance a ON a.org_id = s.org_id AND a.session_id = s.id
           AND a.person_id = p_person
         WHERE c.org_id = mcred.current_org() AND c.id = p_cohort
           AND s.kind = 'weekly' AND s.cancelled_at IS NULL),
    'problem', (
        SELECT jsonb_build_object('id', pr.id, 'status', pr.status, 'title', pr.title,
                                  'version', pr.version, 'feedback', pr.feedback)
          FROM mcred.problems pr
         WHERE pr.org_id = mcred.current_org() AND pr.cohort_id = p_cohort
           AND pr.learner_id = p_person))
END
  FROM (SELECT mcred.web_status_inputs(p_cohort, p_person, NULL) AS inputs) x
$$;
