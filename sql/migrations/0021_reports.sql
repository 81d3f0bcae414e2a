-- 0021_reports: a cohort's report, whole, in one statement.
--
-- Leaders read a cohort's outcomes in aggregate: learners by status,
-- each standard and indicator met and the spread of levels, weekly
-- attendance by mode, problems of practice by state, and how long
-- learners took from enrolment to eligibility.  The whole report is one
-- JSON document built here, so that reading it costs one round trip
-- whatever the cohort's size, and every figure comes from one snapshot.
--
-- The status of each learner follows server/status.c: a revoked award
-- (when none is in force) says revoked, an award in force says awarded,
-- mcred.learners_eligibility says eligible, nothing recorded at all says
-- not_started, anything else in_progress.
--
-- p_by names a person attribute (people.attributes) to disaggregate by:
-- every table's rows then carry the group's value ("group"); learners
-- without the attribute fall in the group null.  Without p_by every
-- table has one group, null.  Suppressing small groups is the server's
-- work (server/report_suppress.c): the numbers here are exact.
--
-- The function runs as the caller: row-level security keeps it to the
-- caller's organisation (mcred.current_org()), and a cohort of another
-- organisation gives null.

CREATE FUNCTION mcred.cohort_report(p_cohort uuid, p_by text)
    RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
WITH cohort AS (
    SELECT c.org_id, c.id, c.name, c.credential_id,
           mcred.rule_int(cr.award_rule, 'min_level', 3) AS min_level,
           cr.rubric
      FROM mcred.cohorts c
      JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id
     WHERE c.org_id = mcred.current_org() AND c.id = p_cohort
),
-- the learners counted: enrolled, or completed (awarded learners may be)
learner AS (
    SELECT m.person_id, m.enrolled_at,
           CASE WHEN p_by IS NULL THEN NULL ELSE p.attributes ->> p_by END AS grp
      FROM cohort c
      JOIN mcred.members m ON m.org_id = c.org_id AND m.cohort_id = c.id
      JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id
     WHERE m.role = 'learner' AND m.status IN ('enrolled', 'completed')
),
weekly AS (
    SELECT s.id, s.week, s.starts_at
      FROM cohort c JOIN mcred.sessions s ON s.org_id = c.org_id AND s.cohort_id = c.id
     WHERE s.kind = 'weekly' AND s.cancelled_at IS NULL
),
-- what decides each learner's status, as server/status_db.c reads it
facts AS (
    SELECT l.person_id, l.grp, l.enrolled_at,
           (SELECT a.status FROM cohort c JOIN mcred.awards a
                ON a.org_id = c.org_id AND a.cohort_id = c.id
             WHERE a.learner_id = l.person_id
             ORDER BY a.status = 'awarded' DESC, a.awarded_at DESC LIMIT 1) AS award,
           coalesce((SELECT e.eligible
                       FROM cohort c,
                            mcred.learners_eligibility(c.org_id, c.id, ARRAY[l.person_id]) e),
                    false) AS eligible,
           EXISTS (SELECT 1 FROM cohort c JOIN mcred.score_current sc
                       ON sc.org_id = c.org_id AND sc.cohort_id = c.id
                    WHERE sc.learner_id = l.person_id AND sc.level > 0) AS scored,
           EXISTS (SELECT 1 FROM weekly w JOIN mcred.attendance a
                       ON a.org_id = mcred.current_org() AND a.session_id = w.id
                    WHERE a.person_id = l.person_id
                      AND a.mode IN ('in_person', 'online', 'asynchronous', 'excused'))
               AS attended,
           coalesce((SELECT pr.status FROM cohort c JOIN mcred.problems pr
                         ON pr.org_id = c.org_id AND pr.cohort_id = c.id
                      WHERE pr.learner_id = l.person_id), 'none') AS problem
      FROM learner l
),
status AS (
    SELECT f.*,
           CASE WHEN f.award = 'revoked' THEN 'revoked'
                WHEN f.award = 'awarded' THEN 'awarded'
                WHEN f.eligible THEN 'eligible'
                WHEN NOT f.scored AND NOT f.attended AND f.problem = 'none' THEN 'not_started'
                ELSE 'in_progress' END AS status
      FROM facts f
),
groups AS (
    SELECT DISTINCT grp FROM learner
),
-- each learner's current level of each indicator (0: not yet scored)
levels AS (
    SELECT l.person_id, l.grp, i.code, i.standard_code, coalesce(sc.level, 0) AS level
      FROM cohort c
      JOIN mcred.indicators i ON i.org_id = c.org_id AND i.credential_id = c.credential_id
      CROSS JOIN learner l
      LEFT JOIN mcred.score_current sc
        ON sc.org_id = c.org_id AND sc.cohort_id = c.id AND sc.learner_id = l.person_id
       AND sc.indicator = i.code
),
-- the time each eligible or awarded learner first became eligible
became AS (
    SELECT s.grp,
           extract(epoch FROM (min(au.at) - s.enrolled_at)) / 86400.0 AS days
      FROM status s
      JOIN mcred.audit au
        ON au.org_id = mcred.current_org() AND au.entity = 'member'
       AND au.entity_id = p_cohort::text || '/' || s.person_id::text
       AND au.action = 'status.eligible'
     WHERE s.status IN ('eligible', 'awarded')
     GROUP BY s.person_id, s.grp, s.enrolled_at
)
SELECT jsonb_build_object(
    'cohort', jsonb_build_object('id', c.id, 'name', c.name),
    'by', p_by,
    'min_level', c.min_level,
    'rubric_levels', (SELECT coalesce(jsonb_agg((r ->> 'level')::integer
                                                ORDER BY (r ->> 'level')::integer), '[]')
                        FROM jsonb_array_elements(c.rubric) r),
    'learners', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'group', g.grp,
                   'total', (SELECT count(*) FROM status s WHERE s.grp IS NOT DISTINCT FROM g.grp),
                   'not_started', (SELECT count(*) FROM status s
                                    WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.status = 'not_started'),
                   'in_progress', (SELECT count(*) FROM status s
                                    WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.status = 'in_progress'),
                   'eligible', (SELECT count(*) FROM status s
                                 WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.status = 'eligible'),
                   'awarded', (SELECT count(*) FROM status s
                                WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.status = 'awarded'),
                   'revoked', (SELECT count(*) FROM status s
                                WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.status = 'revoked'))
                   ORDER BY g.grp NULLS LAST), '[]')
          FROM groups g),
    'standards', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'standard', st.code, 'group', g.grp,
                   'learners', (SELECT count(*) FROM learner l WHERE l.grp IS NOT DISTINCT FROM g.grp),
                   'at_or_above', (SELECT count(*) FROM learner l
                                    WHERE l.grp IS NOT DISTINCT FROM g.grp
                                      AND NOT EXISTS (SELECT 1 FROM levels v
                                                       WHERE v.person_id = l.person_id
                                                         AND v.standard_code = st.code
                                                         AND v.level < c.min_level)))
                   ORDER BY st.position, g.grp NULLS LAST), '[]')
          FROM mcred.standards st, groups g
         WHERE st.org_id = c.org_id AND st.credential_id = c.credential_id),
    'indicators', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'indicator', i.code, 'standard', i.standard_code, 'group', g.grp,
                   'learners', (SELECT count(*) FROM levels v
                                 WHERE v.code = i.code AND v.grp IS NOT DISTINCT FROM g.grp),
                   'at_or_above', (SELECT count(*) FROM levels v
                                    WHERE v.code = i.code AND v.grp IS NOT DISTINCT FROM g.grp
                                      AND v.level >= c.min_level),
                   'not_scored', (SELECT count(*) FROM levels v
                                   WHERE v.code = i.code AND v.grp IS NOT DISTINCT FROM g.grp
                                     AND v.level = 0),
                   'levels', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                  'level', (r ->> 'level')::integer,
                                  'count', (SELECT count(*) FROM levels v
                                             WHERE v.code = i.code
                                               AND v.grp IS NOT DISTINCT FROM g.grp
                                               AND v.level = (r ->> 'level')::integer))
                                  ORDER BY (r ->> 'level')::integer), '[]')
                                FROM jsonb_array_elements(c.rubric) r))
                   ORDER BY s.position, i.position, g.grp NULLS LAST), '[]')
          FROM mcred.indicators i
          JOIN mcred.standards s ON s.org_id = i.org_id AND s.credential_id = i.credential_id
           AND s.code = i.standard_code
          CROSS JOIN groups g
         WHERE i.org_id = c.org_id AND i.credential_id = c.credential_id),
    'attendance', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'session', w.id, 'week', w.week, 'starts_at', w.starts_at, 'group', g.grp,
                   'learners', (SELECT count(*) FROM learner l WHERE l.grp IS NOT DISTINCT FROM g.grp),
                   'in_person', coalesce(x.in_person, 0), 'online', coalesce(x.online, 0),
                   'asynchronous', coalesce(x.asynchronous, 0), 'excused', coalesce(x.excused, 0),
                   'absent', (SELECT count(*) FROM learner l WHERE l.grp IS NOT DISTINCT FROM g.grp)
                             - coalesce(x.recorded, 0))
                   ORDER BY w.week NULLS LAST, w.starts_at, w.id, g.grp NULLS LAST), '[]')
          FROM weekly w CROSS JOIN groups g
          LEFT JOIN LATERAL (
              SELECT count(*) FILTER (WHERE a.mode = 'in_person') AS in_person,
                     count(*) FILTER (WHERE a.mode = 'online') AS online,
                     count(*) FILTER (WHERE a.mode = 'asynchronous') AS asynchronous,
                     count(*) FILTER (WHERE a.mode = 'excused') AS excused,
                     count(*) FILTER (WHERE a.mode <> 'absent') AS recorded
                FROM mcred.attendance a JOIN learner l ON l.person_id = a.person_id
               WHERE a.org_id = c.org_id AND a.session_id = w.id
                 AND l.grp IS NOT DISTINCT FROM g.grp) x ON true),
    'problems', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'group', g.grp,
                   'none', (SELECT count(*) FROM status s
                             WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.problem = 'none'),
                   'draft', (SELECT count(*) FROM status s
                              WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.problem = 'draft'),
                   'submitted', (SELECT count(*) FROM status s
                                  WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.problem = 'submitted'),
                   'needs_revision', (SELECT count(*) FROM status s
                                       WHERE s.grp IS NOT DISTINCT FROM g.grp
                                         AND s.problem = 'needs_revision'),
                   'approved', (SELECT count(*) FROM status s
                                 WHERE s.grp IS NOT DISTINCT FROM g.grp AND s.problem = 'approved'))
                   ORDER BY g.grp NULLS LAST), '[]')
          FROM groups g),
    'time_to_eligibility', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'group', g.grp,
                   'learners', (SELECT count(*) FROM became b WHERE b.grp IS NOT DISTINCT FROM g.grp),
                   'median_days', (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY b.days)::numeric, 1)
                                     FROM became b WHERE b.grp IS NOT DISTINCT FROM g.grp),
                   'max_days', (SELECT round(max(b.days)::numeric, 1)
                                  FROM became b WHERE b.grp IS NOT DISTINCT FROM g.grp))
                   ORDER BY g.grp NULLS LAST), '[]')
          FROM groups g))
  FROM cohort c
$$;
