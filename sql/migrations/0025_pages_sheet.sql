-- 0025_pages_sheet: the coaches' pages, each read in one statement.
--
-- A learner's scoring sheet (mcred.web_sheet) and their problem of
-- practice with its review (mcred.web_problem) are read whole, as the
-- caller, under row-level security.  Who may see them follows the API's
-- rules exactly (mcred.web_learner_access): admins, coordinators and
-- leaders read any learner of the organisation's cohorts; a coach only
-- the learners they coach (mcred.coached_by); a learner only themself.
-- Whether the page offers its form follows the write's rules: scores and
-- reviews are recorded by admins, coordinators and the learner's coach,
-- never in a closed cohort.  The writes themselves go through the API's
-- paths (mcred.scores_post; the problem review in problems.c).

-- Who the caller is to a learner of a cohort: 'not_found' (no such
-- cohort, or the person is no learner of it), 'forbidden' (with the
-- API's words), or 'ok' with the cohort, the learner and whether the
-- caller may write for them ('writes').
CREATE FUNCTION mcred.web_learner_access(p_cohort uuid, p_learner uuid)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_person uuid := mcred.current_person();
    v_org_role text;
    v_cohort record;
    v_learner record;
    v_role text;
    v_closed boolean;
    v_writes boolean;
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
        RETURN jsonb_build_object('outcome', 'not_found', 'message', 'no such cohort');
    END IF;
    SELECT p.id, p.name, p.email, m.status, m.coach_id INTO v_learner
      FROM mcred.members m JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id
     WHERE m.org_id = v_org AND m.cohort_id = p_cohort AND m.person_id = p_learner
       AND m.role = 'learner';
    IF NOT FOUND THEN
        RETURN jsonb_build_object('outcome', 'not_found',
                                  'message', 'no such learner in cohort ' || v_cohort.name);
    END IF;
    v_closed := v_cohort.status = 'closed';
    IF v_org_role IN ('admin', 'coordinator', 'leader') THEN
        v_writes := v_org_role <> 'leader';
    ELSE
        SELECT m.role INTO v_role FROM mcred.members m
         WHERE m.org_id = v_org AND m.cohort_id = p_cohort AND m.person_id = v_person
           AND m.status = 'enrolled';
        IF v_role = 'learner' AND p_learner = v_person THEN
            v_writes := false;
        ELSIF v_role = 'learner' THEN
            RETURN jsonb_build_object('outcome', 'forbidden',
                                      'message', 'a learner sees only their own records');
        ELSIF v_role = 'coach'
              AND p_learner IN (SELECT l FROM mcred.coached_by(v_org, p_cohort, v_person) l) THEN
            v_writes := true;
        ELSIF v_role = 'coach' THEN
            RETURN jsonb_build_object('outcome', 'forbidden', 'message',
                'you do not coach ' || mcred.person_label(v_org, p_learner)
                || coalesce('; their coach is ' || mcred.person_label(v_org, v_learner.coach_id),
                            '; they have no coach, and a coordinator can assign one'));
        ELSE
            RETURN jsonb_build_object('outcome', 'forbidden', 'message',
                'only the cohort''s coaches, coordinators and leaders see its learners');
        END IF;
    END IF;
    RETURN jsonb_build_object(
        'outcome', 'ok',
        'cohort', jsonb_build_object('id', v_cohort.id, 'name', v_cohort.name,
                                     'status', v_cohort.status,
                                     'credential', v_cohort.credential_id),
        'learner', jsonb_build_object('id', v_learner.id, 'name', v_learner.name,
                                      'email', v_learner.email, 'status', v_learner.status),
        'closed', v_closed,
        -- a score is only for an enrolled learner; a review for any learner of the cohort
        'writes', v_writes AND NOT v_closed AND v_learner.status = 'enrolled',
        'reviewer', v_writes AND NOT v_closed);
END
$$;

-- A person's name for a page: the name, or the e-mail when there is none.
CREATE FUNCTION mcred.web_person_name(p_org uuid, p_person uuid) RETURNS text
    LANGUAGE sql STABLE
    AS $$
SELECT CASE WHEN p.name <> '' THEN p.name ELSE p.email END
  FROM mcred.people p WHERE p.org_id = p_org AND p.id = p_person
$$;

-- The scoring sheet of one learner: every standard and indicator of the
-- cohort's credential, the rubric's levels (their descriptors), each
-- indicator's current level, its history newest first, and the evidence
-- linked to it; evidence linked to no indicator of the credential apart.
CREATE FUNCTION mcred.web_sheet(p_cohort uuid, p_learner uuid)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_access jsonb := mcred.web_learner_access(p_cohort, p_learner);
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
CREATE FUNCTION mcred.web_problem(p_cohort uuid, p_learner uuid)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_org uuid := mcred.current_org();
    v_access jsonb := mcred.web_learner_access(p_cohort, p_learner);
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
