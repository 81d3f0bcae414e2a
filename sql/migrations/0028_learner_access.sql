-- 0028_learner_access: one rule for who may see a learner of a cohort.
--
-- Until now the rule was decided twice: in SQL for the scoring sheet and
-- the problem-of-practice page (mcred.web_learner_access, migration
-- 0025) and again in C for a learner's page (server/web_learner.c), with
-- different words for the same refusal, and a third time in C for
-- GET /v1/cohorts/{id}/members/{person}/status (server/members.c's
-- members_learner_for).  mcred.learner_access is now the only place that
-- decides it; every page that shows one learner reads it inside its own
-- statement (no extra round trip), the status route asks it in one
-- statement instead of its lookups, and the server only maps its outcome.  The words are the API's
-- (GET /v1/cohorts/{id}/members/{person}/status, server/members.c).
--
-- The rule (DESIGN.md, the "who" column of the status and scores routes):
--   * admins, coordinators and leaders: any learner of any cohort of their
--     organisation (whatever the learner's membership state);
--   * an enrolled learner of the cohort: only themself — refused before
--     anything about another person is looked at, so a learner cannot
--     probe who else is enrolled;
--   * an enrolled coach of the cohort: only the learners they coach
--     (mcred.coached_by), refused naming the learner's coach;
--   * anyone else (a coach or learner of another cohort, a withdrawn
--     member): refused.  The route's roles refuse them first (server/
--     dispatch.c); this is the same answer, kept so that the function is
--     safe on its own;
--   * another organisation's cohort is invisible under row-level security:
--     "not found", exactly as for a cohort that does not exist.
-- Whether the caller may also score and review ('scorer') is the writes'
-- rule: admins, coordinators and the learner's coach, never leaders or
-- the learner; 'writes' and 'reviewer' add the cohort's and the
-- membership's state as before.
--
-- Already-applied migrations are never edited: web_sheet and web_problem
-- are redefined here with the one changed line (their access call), and
-- web_cohort_learner now answers the access outcome instead of null.

-- Who the caller is to a learner of a cohort, the learner named by id or
-- e-mail (p_who, as the API's paths name people): 'unauthenticated',
-- 'not_found' or 'forbidden' with the API's words in 'message', or 'ok'
-- with the cohort, the learner (their id in learner.id), 'closed',
-- 'scorer', 'writes' and 'reviewer'.
CREATE FUNCTION mcred.learner_access(p_cohort uuid, p_who text)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_person uuid := mcred.current_person();
    v_learner_id uuid;
    v_org_role text;
    v_cohort record;
    v_learner record;
    v_role text;
    v_closed boolean;
    v_scorer boolean;
BEGIN
    IF v_org IS NULL OR v_person IS NULL THEN
        RETURN jsonb_build_object('outcome', 'unauthenticated');
    END IF;
    SELECT p.org_role INTO v_org_role FROM mcred.people p
     WHERE p.org_id = v_org AND p.id = v_person;
    SELECT c.id, c.name, c.credential_id,
           mcred.cohort_status(c.org_id, c.id, c.status, c.status_source, c.starts_on,
                               c.closes_on, c.timezone) AS status
      INTO v_cohort
      FROM mcred.cohorts c WHERE c.org_id = v_org AND c.id = p_cohort;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('outcome', 'not_found',
                                  'message', 'cohort ' || p_cohort || ' not found');
    END IF;
    -- by id when it is one, else by e-mail (server/members.c's person_find)
    SELECT p.id INTO v_learner_id FROM mcred.people p
     WHERE p.org_id = v_org
       AND CASE WHEN mcred.try_uuid(p_who) IS NOT NULL THEN p.id = mcred.try_uuid(p_who)
                ELSE lower(p.email) = lower(p_who) END;
    IF v_org_role IN ('admin', 'coordinator', 'leader') THEN
        v_scorer := v_org_role <> 'leader';
    ELSE
        SELECT m.role INTO v_role FROM mcred.members m
         WHERE m.org_id = v_org AND m.cohort_id = p_cohort AND m.person_id = v_person
           AND m.status = 'enrolled';
        IF v_role = 'learner' AND v_learner_id IS DISTINCT FROM v_person THEN
            RETURN jsonb_build_object('outcome', 'forbidden',
                                      'message', 'a learner acts only on their own records');
        ELSIF v_role IS DISTINCT FROM 'learner' AND v_role IS DISTINCT FROM 'coach' THEN
            RETURN jsonb_build_object('outcome', 'forbidden', 'message',
                'only the cohort''s coaches, coordinators and leaders see its learners');
        END IF;
        v_scorer := v_role = 'coach';
    END IF;
    SELECT p.id, p.name, p.email, m.status, m.coach_id INTO v_learner
      FROM mcred.members m JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id
     WHERE m.org_id = v_org AND m.cohort_id = p_cohort AND m.person_id = v_learner_id
       AND m.role = 'learner';
    IF NOT FOUND THEN
        RETURN jsonb_build_object('outcome', 'not_found', 'message',
            coalesce(mcred.person_label(v_org, v_learner_id), p_who)
            || ' is not a learner of cohort ' || v_cohort.name);
    END IF;
    IF v_role = 'coach'
       AND v_learner_id NOT IN (SELECT l FROM mcred.coached_by(v_org, p_cohort, v_person) l) THEN
        RETURN jsonb_build_object('outcome', 'forbidden', 'message',
            'you do not coach ' || mcred.person_label(v_org, v_learner_id)
            || coalesce('; their coach is ' || mcred.person_label(v_org, v_learner.coach_id),
                        '; they have no coach, and a coordinator can assign one'));
    END IF;
    v_closed := v_cohort.status = 'closed';
    RETURN jsonb_build_object(
        'outcome', 'ok',
        'cohort', jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name,
                                     'status', v_cohort.status,
                                     'credential', v_cohort.credential_id),
        'learner', jsonb_build_object('id', v_learner.id, 'name', v_learner.name,
                                      'email', v_learner.email, 'status', v_learner.status),
        'closed', v_closed,
        'scorer', v_scorer,
        -- a score is only for an enrolled learner; a review for any learner of the cohort
        'writes', v_scorer AND NOT v_closed AND v_learner.status = 'enrolled',
        'reviewer', v_scorer AND NOT v_closed);
END
$$;

-- The sheet and the problem page of 0025, unchanged but for the access call
-- (the path's id as the text the rule takes).

-- The scoring sheet of one learner: every standard and indicator of the
-- cohort's credential, the rubric's levels (their descriptors), each
-- indicator's current level, its history newest first, and the evidence
-- linked to it; evidence linked to no indicator of the credential apart.
CREATE OR REPLACE FUNCTION mcred.web_sheet(p_cohort uuid, p_learner uuid)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_access jsonb := mcred.learner_access(p_cohort, p_learner::text);
    v_credential uuid;
    v_rubric jsonb;
    v_min_level integer;
BEGIN
    IF v_access ->> 'outcome' <> 'ok' THEN
        RETURN v_access;
    END IF;
    v_credential := (v_access #>> '{cohort,credential}')::uuid;
    SELECT cr.rubric, mcred.rule_int(cr.award_rule, 'min_level', 3) INTO v_rubric, v_min_level
      FROM mcred.credentials cr WHERE cr.org_id = v_org AND cr.id = v_credential;
    RETURN v_access || jsonb_build_object(
        'rubric', (SELECT jsonb_agg(jsonb_build_object('level', (r ->> 'level')::integer,
                                                       'label', r ->> 'label')
                                    ORDER BY (r ->> 'level')::integer)
                     FROM jsonb_array_elements(v_rubric) r),
        'min_level', v_min_level,
        'standards', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'code', s.code, 'title', s.title,
                       'indicators', coalesce((
                           SELECT jsonb_agg(jsonb_build_object(
                                      'code', i.code, 'text', i.text,
                                      'history', coalesce((
                                          SELECT jsonb_agg(jsonb_build_object(
                                                     'level', sc.level, 'feedback', sc.feedback,
                                                     'coach', mcred.web_person_name(v_org, sc.coach_id),
                                                     'scored_at', mcred.rfc3339(sc.scored_at))
                                                 ORDER BY sc.seq DESC)
                                            FROM mcred.scores sc
                                           WHERE sc.org_id = v_org AND sc.cohort_id = p_cohort
                                             AND sc.learner_id = p_learner
                                             AND sc.indicator = i.code), '[]'::jsonb),
                                      'evidence', coalesce((
                                          SELECT jsonb_agg(jsonb_build_object(
                                                     'title', e.title, 'url', e.url,
                                                     'text', e.body,
                                                     'submitted_at', mcred.rfc3339(e.submitted_at))
                                                 ORDER BY e.submitted_at, e.id)
                                            FROM mcred.evidence e
                                           WHERE e.org_id = v_org AND e.cohort_id = p_cohort
                                             AND e.learner_id = p_learner
                                             AND e.indicator = i.code), '[]'::jsonb))
                                  ORDER BY i.position, i.code)
                             FROM mcred.indicators i
                            WHERE i.org_id = v_org AND i.credential_id = v_credential
                              AND i.standard_code = s.code), '[]'::jsonb))
                   ORDER BY s.position)
              FROM mcred.standards s
             WHERE s.org_id = v_org AND s.credential_id = v_credential), '[]'::jsonb),
        'other_evidence', coalesce((
            SELECT jsonb_agg(jsonb_build_object('title', e.title, 'url', e.url, 'text', e.body,
                                                'indicator', e.indicator,
                                                'submitted_at', mcred.rfc3339(e.submitted_at))
                             ORDER BY e.submitted_at, e.id)
              FROM mcred.evidence e
             WHERE e.org_id = v_org AND e.cohort_id = p_cohort AND e.learner_id = p_learner
               AND NOT EXISTS (SELECT 1 FROM mcred.indicators i
                                WHERE i.org_id = v_org AND i.credential_id = v_credential
                                  AND i.code = e.indicator)), '[]'::jsonb));
END
$$;

-- A learner's problem of practice for its page: the current version
-- with every field, who reviewed it, every version kept, and whether
-- the caller may review it now (only a submitted one is reviewed).
CREATE OR REPLACE FUNCTION mcred.web_problem(p_cohort uuid, p_learner uuid)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_access jsonb := mcred.learner_access(p_cohort, p_learner::text);
    v_problem jsonb;
BEGIN
    IF v_access ->> 'outcome' <> 'ok' THEN
        RETURN v_access;
    END IF;
    SELECT jsonb_build_object(
               'id', pr.id, 'version', pr.version, 'status', pr.status, 'title', pr.title,
               'statement', pr.statement, 'student_focus', pr.student_focus,
               'data_sources', pr.data_sources, 'root_cause', pr.root_cause,
               'strategy', pr.strategy, 'standards', to_jsonb(pr.standards),
               'feedback', pr.feedback,
               'reviewed_by', mcred.web_person_name(v_org, pr.reviewed_by),
               'reviewed_at', mcred.rfc3339(pr.reviewed_at),
               'updated_at', mcred.rfc3339(pr.updated_at),
               'versions', coalesce((
                   SELECT jsonb_agg(jsonb_build_object(
                              'version', v.version, 'status', v.status, 'feedback', v.feedback,
                              'by', mcred.web_person_name(v_org, v.actor_id),
                              'at', mcred.rfc3339(v.at), 'title', v.content ->> 'title')
                          ORDER BY v.version DESC)
                     FROM mcred.problem_versions v
                    WHERE v.org_id = v_org AND v.problem_id = pr.id), '[]'::jsonb))
      INTO v_problem
      FROM mcred.problems pr
     WHERE pr.org_id = v_org AND pr.cohort_id = p_cohort AND pr.learner_id = p_learner;
    RETURN v_access || jsonb_build_object(
        'problem', v_problem,
        'reviews', (v_access -> 'reviewer')::boolean
                   AND coalesce(v_problem ->> 'status' = 'submitted', false));
END
$$;

-- A learner's page (0024's web_cohort_learner): the access answer, and
-- when it is 'ok' the learner's status inputs, score history, weekly
-- sessions and problem of practice beside it.  It used to answer null for
-- a missing cohort and leave the rest of the rule to the server.
CREATE OR REPLACE FUNCTION mcred.web_cohort_learner(p_cohort uuid, p_person uuid)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_access jsonb := mcred.learner_access(p_cohort, p_person::text);
BEGIN
    IF v_access ->> 'outcome' <> 'ok' THEN
        RETURN v_access;
    END IF;
    RETURN v_access || jsonb_build_object(
        'status', mcred.web_status_inputs(p_cohort, p_person, NULL),
        'history', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'indicator', s.indicator, 'level', s.level, 'feedback', s.feedback,
                       'coach', coalesce(k.name, ''),
                       'scored_at', to_char(s.scored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'))
                       ORDER BY s.scored_at DESC, s.seq DESC), '[]')
              FROM mcred.scores s
              LEFT JOIN mcred.people k ON k.org_id = s.org_id AND k.id = s.coach_id
             WHERE s.org_id = v_org AND s.cohort_id = p_cohort AND s.learner_id = p_person),
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
             WHERE c.org_id = v_org AND c.id = p_cohort
               AND s.kind = 'weekly' AND s.cancelled_at IS NULL),
        'problem', (
            SELECT jsonb_build_object('id', pr.id, 'status', pr.status, 'title', pr.title,
                                      'version', pr.version, 'feedback', pr.feedback)
              FROM mcred.problems pr
             WHERE pr.org_id = v_org AND pr.cohort_id = p_cohort AND pr.learner_id = p_person));
END
$$;

-- The rule has one home now; the page functions no longer call the old one.
DROP FUNCTION mcred.web_learner_access(uuid, uuid);
