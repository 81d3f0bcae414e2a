-- 0026_pages_mine: what a learner's own page (GET /app/cohorts/{id}/me)
-- reads, in one statement.
--
-- The page shows the learner's status, their scores with feedback, their
-- problem of practice and their evidence.  The status itself is decided
-- where the API decides it, in server/status.c: this function gathers
-- exactly what the status queries of server/status_db.c read for one
-- learner (the rule, the standards and indicators in order, the current
-- levels, weekly attendance, the weekly sessions held, the problem's
-- state, the award), so the page and GET /v1/cohorts/{id}/members/{person}/status
-- can never disagree.
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
    SELECT c.org_id, c.id, c.name, c.credential_id, cr.rubric, cr.award_rule
      FROM mcred.cohorts c
      JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id
     WHERE c.org_id = mcred.current_org()
       AND c.id = coalesce(p_cohort, (SELECT pr.cohort_id FROM mcred.problems pr
                                       WHERE pr.org_id = mcred.current_org()
                                         AND pr.id = p_problem))
),
me AS (
    SELECT p.id, p.name, p.email FROM mcred.people p
     WHERE p.org_id = mcred.current_org() AND p.id = mcred.current_person()
),
indicators AS (
    SELECT i.code, i.standard_code, i.text, s.position AS sp, i.position AS ip
      FROM cohort c
      JOIN mcred.standards s ON s.org_id = c.org_id AND s.credential_id = c.credential_id
      JOIN mcred.indicators i ON i.org_id = s.org_id AND i.credential_id = s.credential_id
       AND i.standard_code = s.code
),
weekly AS (
    SELECT a.mode
      FROM cohort c, me
      JOIN mcred.attendance a ON a.person_id = me.id
      JOIN mcred.sessions s ON s.org_id = a.org_id AND s.id = a.session_id
     WHERE a.org_id = c.org_id AND s.cohort_id = c.id AND s.kind = 'weekly'
       AND s.cancelled_at IS NULL
)
SELECT jsonb_build_object(
    'cohort', jsonb_build_object('id', c.id, 'name', c.name),
    'learner', (SELECT to_jsonb(me) FROM me),
    'rubric', c.rubric,
    'award_rule', c.award_rule,
    'standards', (SELECT coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'title', s.title)
                                            ORDER BY s.position), '[]')
                    FROM mcred.standards s
                   WHERE s.org_id = c.org_id AND s.credential_id = c.credential_id),
    'indicators', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                              'code', i.code, 'standard', i.standard_code, 'text', i.text)
                              ORDER BY i.sp, i.ip), '[]')
                     FROM indicators i),
    'held', (SELECT count(*) FROM mcred.sessions s
              WHERE s.org_id = c.org_id AND s.cohort_id = c.id AND s.kind = 'weekly'
                AND s.cancelled_at IS NULL AND (s.starts_at <= now() OR s.held_at IS NOT NULL)),
    'attended', (SELECT count(*) FROM weekly w
                  WHERE w.mode IN ('in_person', 'online', 'asynchronous')),
    'excused', (SELECT count(*) FROM weekly w WHERE w.mode = 'excused'),
    'levels', (SELECT coalesce(jsonb_object_agg(sc.indicator, sc.level), '{}')
                 FROM mcred.score_current sc, me
                WHERE sc.org_id = c.org_id AND sc.cohort_id = c.id AND sc.learner_id = me.id),
    'award', (SELECT a.status FROM mcred.awards a, me
               WHERE a.org_id = c.org_id AND a.cohort_id = c.id AND a.learner_id = me.id
               ORDER BY a.status = 'awarded' DESC, a.awarded_at DESC LIMIT 1),
    'problem', (SELECT jsonb_build_object(
                           'id', pr.id, 'status', pr.status, 'version', pr.version,
                           'title', pr.title, 'statement', pr.statement,
                           'student_focus', pr.student_focus, 'data_sources', pr.data_sources,
                           'root_cause', pr.root_cause, 'strategy', pr.strategy,
                           'feedback', pr.feedback,
                           'reviewed_at', mcred.rfc3339(pr.reviewed_at),
                           'reviewer', (SELECT r.name FROM mcred.people r
                                         WHERE r.org_id = pr.org_id AND r.id = pr.reviewed_by))
                  FROM mcred.problems pr, me
                 WHERE pr.org_id = c.org_id AND pr.cohort_id = c.id AND pr.learner_id = me.id),
    -- every score, newest first within each indicator: the first is the current one
    'scores', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'indicator', s.indicator, 'level', s.level, 'feedback', s.feedback,
                          'coach', co.name, 'scored_at', mcred.rfc3339(s.scored_at))
                          ORDER BY i.sp, i.ip, s.seq DESC), '[]')
                 FROM me
                 JOIN mcred.scores s ON s.learner_id = me.id
                 JOIN indicators i ON i.code = s.indicator
                 LEFT JOIN mcred.people co ON co.org_id = s.org_id AND co.id = s.coach_id
                WHERE s.org_id = c.org_id AND s.cohort_id = c.id),
    'evidence', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                            'id', e.id, 'title', e.title, 'url', e.url, 'text', e.body,
                            'indicator', e.indicator,
                            'submitted_at', mcred.rfc3339(e.submitted_at))
                            ORDER BY e.submitted_at DESC, e.id), '[]')
                   FROM mcred.evidence e, me
                  WHERE e.org_id = c.org_id AND e.cohort_id = c.id AND e.learner_id = me.id))
  FROM cohort c
$$;
