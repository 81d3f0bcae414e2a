-- 0026_pages_mine: what a learner's own page (GET /app/cohorts/{id}/me)
-- reads, in one statement.
--
-- The page shows the learner's status, their scores with feedback, their
-- problem of practice and their evidence.  The status itself is decided
-- where the API decides it, in server/status.c, from the inputs
-- mcred.web_status_inputs (migration 0024) gathers for the one learner,
-- so the page and GET /v1/cohorts/{id}/members/{person}/status can never
-- disagree; this function adds the problem, the scores and the evidence.
--
-- It runs as the caller: row-level security keeps it to the caller's
-- organisation, and the learner is the caller (mcred.current_person()).
-- Whether they may see it (an enrolled learner of the cohort) is the
-- route's decision, made before.  p_problem names the cohort through a
-- problem of practice when p_cohort is null (POST /app/problems/{id}).
-- Null when the cohort is not there.

CREATE FUNCTION mcred.web_mine(p_cohort uuid, p_problem uuid)
    RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
WITH cohort AS (
    SELECT c.org_id, c.id, c.credential_id
      FROM mcred.cohorts c
     WHERE c.org_id = mcred.current_org()
       AND c.id = coalesce(p_cohort, (SELECT pr.cohort_id FROM mcred.problems pr
                                       WHERE pr.org_id = mcred.current_org()
                                         AND pr.id = p_problem))
),
me AS (
    SELECT mcred.current_person() AS id
),
indicators AS (
    SELECT i.code, s.position AS sp, i.position AS ip
      FROM cohort c
      JOIN mcred.standards s ON s.org_id = c.org_id AND s.credential_id = c.credential_id
      JOIN mcred.indicators i ON i.org_id = s.org_id AND i.credential_id = s.credential_id
       AND i.standard_code = s.code
)
SELECT mcred.web_status_inputs(c.id, me.id, NULL) || jsonb_build_object(
    'problem', (SELECT jsonb_build_object(
                           'id', pr.id, 'status', pr.status, 'version', pr.version,
                           'title', pr.title, 'statement', pr.statement,
                           'student_focus', pr.student_focus, 'data_sources', pr.data_sources,
                           'root_cause', pr.root_cause, 'strategy', pr.strategy,
                           'feedback', pr.feedback,
                           'reviewed_at', mcred.rfc3339(pr.reviewed_at),
                           'reviewer', (SELECT r.name FROM mcred.people r
                                         WHERE r.org_id = pr.org_id AND r.id = pr.reviewed_by))
                  FROM mcred.problems pr
                 WHERE pr.org_id = c.org_id AND pr.cohort_id = c.id AND pr.learner_id = me.id),
    -- every score, newest first within each indicator: the first is the current one
    'scores', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'indicator', s.indicator, 'level', s.level, 'feedback', s.feedback,
                          'coach', co.name, 'scored_at', mcred.rfc3339(s.scored_at))
                          ORDER BY i.sp, i.ip, s.seq DESC), '[]')
                 FROM mcred.scores s
                 JOIN indicators i ON i.code = s.indicator
                 LEFT JOIN mcred.people co ON co.org_id = s.org_id AND co.id = s.coach_id
                WHERE s.org_id = c.org_id AND s.cohort_id = c.id AND s.learner_id = me.id),
    'evidence', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                            'id', e.id, 'title', e.title, 'url', e.url, 'text', e.body,
                            'indicator', e.indicator,
                            'submitted_at', mcred.rfc3339(e.submitted_at))
                            ORDER BY e.submitted_at DESC, e.id), '[]')
                   FROM mcred.evidence e
                  WHERE e.org_id = c.org_id AND e.cohort_id = c.id AND e.learner_id = me.id))
  FROM cohort c, me
$$;
