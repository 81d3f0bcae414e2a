-- 0023_org_report: the organisation's report, whole, in one statement.
--
-- The same tables as a cohort's report (0021_reports.sql) over every
-- cohort of the caller's organisation, plus "cohorts": one row per cohort
-- (per cohort and group with p_by) with its learners by status, so that a
-- leader sees every cohort's progress at once.  A learner counts once per
-- cohort they are a learner of (enrolled or completed): every figure is a
-- sum over the cohorts, so that the organisation's figures and the
-- cohorts' own reports add up.
--
-- Where the cohort report goes session by session, this one goes week by
-- week (the cohort's week 1, 2, …): "sessions" weekly sessions fell in
-- that week, "learners" is the attendances expected then (each session's
-- cohort's learners), and each mode counts the attendances recorded.
-- Standards and indicators are named with their credential (slug and
-- version), since cohorts may follow different frameworks; each learner
-- is measured against their own cohort's rule (min_level).
--
-- Every table is computed set-wise (one aggregate per table, never a
-- subquery per group or per learner) so that the cost grows with the
-- organisation's size and not with its square; eligibility is asked of
-- mcred.learners_eligibility once per cohort, the same rule the status
-- and the cohort report use.  Suppressing small groups is the server's
-- work (server/report_doc.c): the numbers here are exact.
--
-- Measured on 100 cohorts of 15 learners (15 indicators, 6 weekly
-- sessions each, 50 000 other audit rows): about 0.12 s a call, 0.18 s by
-- an attribute of 8 values.  Every read is a scan of the organisation's
-- rows or a lookup on an existing key (members, problems, audit_entity),
-- so no index is added here.
--
-- The function runs as the caller: row-level security and
-- mcred.current_org() keep it to the caller's organisation.

CREATE FUNCTION mcred.org_report(p_by text)
    RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
WITH cohort AS MATERIALIZED (
    SELECT c.org_id, c.id, c.name, c.status, c.starts_on, c.credential_id,
           cr.slug, cr.version, cr.rubric,
           mcred.rule_int(cr.award_rule, 'min_level', 3) AS min_level
      FROM mcred.cohorts c
      JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id
     WHERE c.org_id = mcred.current_org()
),
learner AS MATERIALIZED (
    SELECT m.cohort_id, m.person_id, m.enrolled_at,
           CASE WHEN p_by IS NULL THEN NULL ELSE p.attributes ->> p_by END AS grp
      FROM cohort c
      JOIN mcred.members m ON m.org_id = c.org_id AND m.cohort_id = c.id
      JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id
     WHERE m.role = 'learner' AND m.status IN ('enrolled', 'completed')
),
weekly AS MATERIALIZED (
    SELECT s.id, s.cohort_id, s.week
      FROM cohort c JOIN mcred.sessions s ON s.org_id = c.org_id AND s.cohort_id = c.id
     WHERE s.kind = 'weekly' AND s.cancelled_at IS NULL
),
-- one question of the award rule per cohort, for all its learners at once
eligible AS (
    SELECT c.id AS cohort_id, e.learner_id
      FROM cohort c
     CROSS JOIN LATERAL mcred.learners_eligibility(
               c.org_id, c.id, ARRAY(SELECT l.person_id FROM learner l WHERE l.cohort_id = c.id)) e
     WHERE e.eligible
),
award AS (
    SELECT DISTINCT ON (a.cohort_id, a.learner_id) a.cohort_id, a.learner_id, a.status
      FROM mcred.awards a
     WHERE a.org_id = mcred.current_org()
     ORDER BY a.cohort_id, a.learner_id, a.status = 'awarded' DESC, a.awarded_at DESC
),
-- every current level of the organisation, read once and joined whole (a
-- lookup per learner and indicator costs more at an organisation's size)
current_level AS MATERIALIZED (
    SELECT sc.cohort_id, sc.learner_id, sc.indicator, sc.level
      FROM mcred.score_current sc
     WHERE sc.org_id = mcred.current_org()
),
scored AS (
    SELECT DISTINCT cohort_id, learner_id FROM current_level WHERE level > 0
),
marks AS MATERIALIZED (
    SELECT w.cohort_id, w.week, a.person_id, a.mode
      FROM weekly w
      JOIN mcred.attendance a ON a.org_id = mcred.current_org() AND a.session_id = w.id
),
attended AS (
    SELECT DISTINCT cohort_id, person_id FROM marks
     WHERE mode IN ('in_person', 'online', 'asynchronous', 'excused')
),
-- each learner's status, decided as the cohort report decides it
status AS MATERIALIZED (
    SELECT l.cohort_id, l.person_id, l.grp, l.enrolled_at,
           coalesce(pr.status, 'none') AS problem,
           CASE WHEN aw.status = 'revoked' THEN 'revoked'
                WHEN aw.status = 'awarded' THEN 'awarded'
                WHEN el.learner_id IS NOT NULL THEN 'eligible'
                WHEN sd.learner_id IS NULL AND at.person_id IS NULL AND pr.status IS NULL
                    THEN 'not_started'
                ELSE 'in_progress' END AS status
      FROM learner l
      LEFT JOIN award aw ON aw.cohort_id = l.cohort_id AND aw.learner_id = l.person_id
      LEFT JOIN eligible el ON el.cohort_id = l.cohort_id AND el.learner_id = l.person_id
      LEFT JOIN scored sd ON sd.cohort_id = l.cohort_id AND sd.learner_id = l.person_id
      LEFT JOIN attended at ON at.cohort_id = l.cohort_id AND at.person_id = l.person_id
      LEFT JOIN mcred.problems pr
        ON pr.org_id = mcred.current_org() AND pr.cohort_id = l.cohort_id
       AND pr.learner_id = l.person_id
),
groups AS MATERIALIZED (
    SELECT DISTINCT grp FROM learner
),
-- each learner's current level of each indicator of their cohort's credential (0: none)
levels AS MATERIALIZED (
    SELECT l.grp, c.credential_id, i.code, i.standard_code, l.cohort_id, l.person_id,
           coalesce(sc.level, 0) AS level, c.min_level
      FROM learner l
      JOIN cohort c ON c.id = l.cohort_id
      JOIN mcred.indicators i ON i.org_id = c.org_id AND i.credential_id = c.credential_id
      LEFT JOIN current_level sc
        ON sc.cohort_id = l.cohort_id AND sc.learner_id = l.person_id AND sc.indicator = i.code
),
credential AS MATERIALIZED (
    SELECT DISTINCT c.org_id, c.credential_id, c.slug, c.version, c.rubric FROM cohort c
),
-- a learner meets a standard when none of its indicators is below the
-- rule's level: count those below, per group, and subtract
credential_learners AS (
    SELECT l.grp, c.credential_id, count(*) AS learners
      FROM learner l JOIN cohort c ON c.id = l.cohort_id
     GROUP BY l.grp, c.credential_id
),
standard_below AS (
    SELECT grp, credential_id, standard_code AS code,
           count(DISTINCT (cohort_id, person_id)) AS below
      FROM levels WHERE level < min_level
     GROUP BY grp, credential_id, standard_code
),
indicator_met AS (
    SELECT grp, credential_id, code, count(*) AS learners,
           count(*) FILTER (WHERE level >= min_level) AS at_or_above,
           count(*) FILTER (WHERE level = 0) AS not_scored
      FROM levels GROUP BY grp, credential_id, code
),
indicator_level AS MATERIALIZED (
    SELECT grp, credential_id, code, level, count(*) AS n
      FROM levels GROUP BY grp, credential_id, code, level
),
week AS MATERIALIZED (
    SELECT week, count(*) AS sessions FROM weekly GROUP BY week
),
week_expected AS (
    SELECT w.week, l.grp, count(*) AS learners
      FROM weekly w JOIN learner l ON l.cohort_id = w.cohort_id
     GROUP BY w.week, l.grp
),
week_marks AS (
    SELECT k.week, l.grp,
           count(*) FILTER (WHERE k.mode = 'in_person') AS in_person,
           count(*) FILTER (WHERE k.mode = 'online') AS online,
           count(*) FILTER (WHERE k.mode = 'asynchronous') AS asynchronous,
           count(*) FILTER (WHERE k.mode = 'excused') AS excused,
           count(*) FILTER (WHERE k.mode <> 'absent') AS recorded
      FROM marks k JOIN learner l ON l.cohort_id = k.cohort_id AND l.person_id = k.person_id
     GROUP BY k.week, l.grp
),
by_status AS MATERIALIZED (
    SELECT cohort_id, grp, count(*) AS total,
           count(*) FILTER (WHERE status = 'not_started') AS not_started,
           count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
           count(*) FILTER (WHERE status = 'eligible') AS eligible,
           count(*) FILTER (WHERE status = 'awarded') AS awarded,
           count(*) FILTER (WHERE status = 'revoked') AS revoked,
           count(*) FILTER (WHERE problem = 'none') AS p_none,
           count(*) FILTER (WHERE problem = 'draft') AS p_draft,
           count(*) FILTER (WHERE problem = 'submitted') AS p_submitted,
           count(*) FILTER (WHERE problem = 'needs_revision') AS p_needs_revision,
           count(*) FILTER (WHERE problem = 'approved') AS p_approved
      FROM status GROUP BY cohort_id, grp
),
by_group AS (
    SELECT grp, sum(total) AS total, sum(not_started) AS not_started,
           sum(in_progress) AS in_progress, sum(eligible) AS eligible, sum(awarded) AS awarded,
           sum(revoked) AS revoked, sum(p_none) AS p_none, sum(p_draft) AS p_draft,
           sum(p_submitted) AS p_submitted, sum(p_needs_revision) AS p_needs_revision,
           sum(p_approved) AS p_approved
      FROM by_status GROUP BY grp
),
-- the time each eligible or awarded learner first became eligible
became AS (
    SELECT s.grp, extract(epoch FROM (min(au.at) - s.enrolled_at)) / 86400.0 AS days
      FROM status s
      JOIN mcred.audit au
        ON au.org_id = mcred.current_org() AND au.entity = 'member'
       AND au.entity_id = s.cohort_id::text || '/' || s.person_id::text
       AND au.action = 'status.eligible'
     WHERE s.status IN ('eligible', 'awarded')
     GROUP BY s.cohort_id, s.person_id, s.grp, s.enrolled_at
),
time_by_group AS (
    SELECT grp, count(*) AS learners,
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::numeric, 1) AS median_days,
           round(max(days)::numeric, 1) AS max_days
      FROM became GROUP BY grp
)
SELECT jsonb_build_object(
    'org', (SELECT jsonb_build_object('id', o.id, 'name', o.name)
              FROM mcred.orgs o WHERE o.id = mcred.current_org()),
    'by', p_by,
    'rubric_levels', (SELECT coalesce(jsonb_agg(DISTINCT (r ->> 'level')::integer), '[]')
                        FROM credential cr, jsonb_array_elements(cr.rubric) r),
    'cohorts', (
        -- without p_by a cohort without learners still has its row; with p_by a row per group present
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'id', c.id, 'name', c.name, 'status', c.status, 'starts_on', c.starts_on,
                   'group', b.grp, 'total', coalesce(b.total, 0),
                   'not_started', coalesce(b.not_started, 0),
                   'in_progress', coalesce(b.in_progress, 0),
                   'eligible', coalesce(b.eligible, 0), 'awarded', coalesce(b.awarded, 0),
                   'revoked', coalesce(b.revoked, 0))
                   ORDER BY c.starts_on, c.name, c.id, b.grp NULLS LAST), '[]')
          FROM cohort c LEFT JOIN by_status b ON b.cohort_id = c.id),
    'learners', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'group', g.grp, 'total', coalesce(b.total, 0),
                   'not_started', coalesce(b.not_started, 0),
                   'in_progress', coalesce(b.in_progress, 0),
                   'eligible', coalesce(b.eligible, 0), 'awarded', coalesce(b.awarded, 0),
                   'revoked', coalesce(b.revoked, 0))
                   ORDER BY g.grp NULLS LAST), '[]')
          FROM groups g LEFT JOIN by_group b ON b.grp IS NOT DISTINCT FROM g.grp),
    'standards', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'credential', cr.slug, 'version', cr.version, 'standard', st.code,
                   'group', g.grp, 'learners', coalesce(n.learners, 0),
                   'at_or_above', coalesce(n.learners, 0) - coalesce(b.below, 0))
                   ORDER BY cr.slug, cr.version, st.position, g.grp NULLS LAST), '[]')
          FROM credential cr
          JOIN mcred.standards st ON st.org_id = cr.org_id AND st.credential_id = cr.credential_id
          CROSS JOIN groups g
          LEFT JOIN credential_learners n ON n.credential_id = cr.credential_id
           AND n.grp IS NOT DISTINCT FROM g.grp
          LEFT JOIN standard_below b ON b.credential_id = cr.credential_id AND b.code = st.code
           AND b.grp IS NOT DISTINCT FROM g.grp),
    'indicators', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'credential', cr.slug, 'version', cr.version, 'indicator', i.code,
                   'standard', i.standard_code, 'group', g.grp,
                   'learners', coalesce(m.learners, 0), 'at_or_above', coalesce(m.at_or_above, 0),
                   'not_scored', coalesce(m.not_scored, 0),
                   'levels', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                  'level', (r ->> 'level')::integer,
                                  'count', coalesce((SELECT x.n FROM indicator_level x
                                                      WHERE x.credential_id = cr.credential_id
                                                        AND x.code = i.code
                                                        AND x.grp IS NOT DISTINCT FROM g.grp
                                                        AND x.level = (r ->> 'level')::integer), 0))
                                  ORDER BY (r ->> 'level')::integer), '[]')
                                FROM jsonb_array_elements(cr.rubric) r))
                   ORDER BY cr.slug, cr.version, s.position, i.position, g.grp NULLS LAST), '[]')
          FROM credential cr
          JOIN mcred.indicators i ON i.org_id = cr.org_id AND i.credential_id = cr.credential_id
          JOIN mcred.standards s ON s.org_id = i.org_id AND s.credential_id = i.credential_id
           AND s.code = i.standard_code
          CROSS JOIN groups g
          LEFT JOIN indicator_met m ON m.credential_id = cr.credential_id AND m.code = i.code
           AND m.grp IS NOT DISTINCT FROM g.grp),
    'attendance', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'week', w.week, 'group', g.grp, 'sessions', w.sessions,
                   'learners', coalesce(e.learners, 0),
                   'in_person', coalesce(k.in_person, 0), 'online', coalesce(k.online, 0),
                   'asynchronous', coalesce(k.asynchronous, 0), 'excused', coalesce(k.excused, 0),
                   'absent', coalesce(e.learners, 0) - coalesce(k.recorded, 0))
                   ORDER BY w.week NULLS LAST, g.grp NULLS LAST), '[]')
          FROM week w CROSS JOIN groups g
          LEFT JOIN week_expected e ON e.week IS NOT DISTINCT FROM w.week
           AND e.grp IS NOT DISTINCT FROM g.grp
          LEFT JOIN week_marks k ON k.week IS NOT DISTINCT FROM w.week
           AND k.grp IS NOT DISTINCT FROM g.grp),
    'problems', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'group', g.grp, 'none', coalesce(b.p_none, 0), 'draft', coalesce(b.p_draft, 0),
                   'submitted', coalesce(b.p_submitted, 0),
                   'needs_revision', coalesce(b.p_needs_revision, 0),
                   'approved', coalesce(b.p_approved, 0))
                   ORDER BY g.grp NULLS LAST), '[]')
          FROM groups g LEFT JOIN by_group b ON b.grp IS NOT DISTINCT FROM g.grp),
    'time_to_eligibility', (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'group', g.grp, 'learners', coalesce(t.learners, 0),
                   'median_days', t.median_days, 'max_days', t.max_days)
                   ORDER BY g.grp NULLS LAST), '[]')
          FROM groups g LEFT JOIN time_by_group t ON t.grp IS NOT DISTINCT FROM g.grp))
$$;
